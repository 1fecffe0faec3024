//! Validator tests on small hand-written modules. The spec suite (tests/spec_frontend.rs)
//! covers the rules broadly; these pin down offsets, messages and the step-by-step API.

use super::*;
use crate::decode::{self, Operator, ValType};

fn check(text: &str) -> Result<()> {
    let bytes = wat::parse_str(text).unwrap();
    let module = decode::parse(&bytes)?;
    validate(&module, &bytes)
}

fn message(text: &str) -> String {
    check(text).unwrap_err().message
}

#[test]
fn unreachable_code_is_stack_polymorphic() {
    assert_eq!(
        check("(module (func (result i32) unreachable i32.add))"),
        Ok(())
    );
    assert_eq!(
        check("(module (func (result i32) (br 0 (unreachable)) (i64.const 0) drop))"),
        Ok(())
    );
    let msg = message("(module (func (result i32) unreachable (i64.const 0) i32.add))");
    assert_eq!(msg, "type mismatch: expected i32, found i64");
    // Polymorphism stops at the block boundary.
    let msg =
        message("(module (func (result i32) unreachable (block i32.add drop) (i32.const 0)))");
    assert_eq!(msg, "type mismatch: operand stack is empty");
}

#[test]
fn error_points_at_the_offending_instruction() {
    let bytes = wat::parse_str(
        "(module (func (param f32) (result i32) (i32.const 1) (local.get 0) i32.add))",
    )
    .unwrap();
    let module = decode::parse(&bytes).unwrap();
    let body = module.function_body(&bytes, 0).unwrap();
    let add_offset = body
        .operators
        .map(|r| r.unwrap())
        .find(|(op, _)| *op == Operator::I32Add)
        .unwrap()
        .1;
    let error = validate(&module, &bytes).unwrap_err();
    assert_eq!(error.offset, Some(add_offset));
}

#[test]
fn branches_carry_their_label_types() {
    assert_eq!(check("(module (func (result i32) (block (result i32) (br_if 0 (i32.const 1) (i32.const 0)))))"), Ok(()));
    // A loop's label takes its parameters, not its results.
    let looped = "(module (type $t (func (param i32) (result i64)))
        (func (result i64) (i32.const 0) (loop (type $t) (br 0)) ))";
    assert_eq!(check(looped), Ok(()));
    let mixed = "(module (func (result i32) (block (result i32) (block (br_table 0 1 (i32.const 0) (i32.const 0))) (i32.const 1))))";
    assert_eq!(
        message(mixed),
        "type mismatch: br_table targets of different arity"
    );
    assert_eq!(message("(module (func (br 1)))"), "unknown label");
}

#[test]
fn select_needs_an_annotation_for_references() {
    assert_eq!(
        check("(module (func (result i64) (select (i64.const 1) (i64.const 2) (i32.const 0))))"),
        Ok(())
    );
    let untyped = "(module (func (param externref) (result externref) (select (local.get 0) (local.get 0) (i32.const 0))))";
    assert!(message(untyped).starts_with("type mismatch"));
    let typed = "(module (func (param externref) (result externref) (select (result externref) (local.get 0) (local.get 0) (i32.const 0))))";
    assert_eq!(check(typed), Ok(()));
}

#[test]
fn memory_immediates_are_checked() {
    assert_eq!(
        message("(module (func (drop (i32.load (i32.const 0)))))"),
        "unknown memory 0"
    );
    let misaligned = "(module (memory 1) (func (drop (i32.load16_s align=4 (i32.const 0)))))";
    assert_eq!(
        message(misaligned),
        "alignment must not be larger than natural"
    );
    let lane = "(module (memory 1) (func (param v128) (drop (v128.load64_lane 2 (i32.const 0) (local.get 0)))))";
    assert_eq!(message(lane), "invalid lane index");
    let no_count = "(module (memory 1) (data \"a\") (func (data.drop 0)))";
    // The text encoder emits a data count section when it is needed; strip it to test the rule.
    let mut bytes = wat::parse_str(no_count).unwrap();
    let count_section = bytes.windows(3).position(|w| w == [12, 1, 1]).unwrap();
    bytes.drain(count_section..count_section + 3);
    let module = decode::parse(&bytes).unwrap();
    assert_eq!(
        validate(&module, &bytes).unwrap_err().message,
        "data count section required"
    );
}

#[test]
fn module_rules() {
    assert_eq!(
        message("(module (func $f (drop (ref.func $f))))"),
        "undeclared function reference"
    );
    assert_eq!(
        check("(module (elem declare func $f) (func $f (drop (ref.func $f))))"),
        Ok(())
    );
    assert_eq!(
        message("(module (func $s (param i32)) (start $s))"),
        "start function must have type [] -> []"
    );
    assert_eq!(
        message("(module (memory 2 1))"),
        "memory 0: size minimum must not be greater than maximum"
    );
    assert_eq!(
        message("(module (memory 1) (memory 1))"),
        "multiple memories"
    );
    assert_eq!(
        message("(module (func (export \"a\")) (func (export \"a\")))"),
        "duplicate export name \"a\""
    );
    assert_eq!(
        message("(module (global $g (mut i32) (i32.const 0)) (global i32 (global.get $g)))"),
        "unknown global 0"
    );
    let imported_mutable =
        "(module (import \"m\" \"g\" (global $g (mut i32))) (global i32 (global.get $g)))";
    assert_eq!(message(imported_mutable), "constant expression required");
    assert!(message("(module (global i64 (i32.const 0)))").starts_with("type mismatch"));
}

#[test]
fn step_by_step_validation_exposes_operand_types() {
    let bytes = wat::parse_str(
        "(module (func (param i64) (local f32) (i32.const 1) (local.get 0) (br 0)))",
    )
    .unwrap();
    let module = decode::parse(&bytes).unwrap();
    validate_module(&module).unwrap();
    let body = module.function_body(&bytes, 0).unwrap();
    let mut validator = FuncValidator::new(&module, 0, &body).unwrap();
    assert_eq!(validator.local_type(1), Some(ValType::F32));
    assert_eq!(validator.local_type(2), None);
    let mut operators = body.operators;
    for _ in 0..2 {
        let (op, offset) = operators.read().unwrap();
        validator.visit(&op, offset).unwrap();
    }
    assert_eq!(
        validator.operands(),
        &[Some(ValType::I32), Some(ValType::I64)]
    );
    let (br, offset) = operators.read().unwrap();
    validator.visit(&br, offset).unwrap();
    assert!(validator.frames()[0].unreachable);
    assert!(validator.operands().is_empty());
    let (end, offset) = operators.read().unwrap();
    validator.visit(&end, offset).unwrap();
    assert!(validator.frames().is_empty());
    assert_eq!(validator.finish(operators.offset()), Ok(()));
}

#[test]
fn body_must_end_exactly_with_the_function_end() {
    // Type, function and code sections by hand: body `i32.const 0; drop` without `end`.
    let mut bytes = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0".to_vec();
    bytes.extend([10, 6, 1, 4, 0, 0x41, 0, 0x1A]);
    let module = decode::parse(&bytes).unwrap();
    let error = validate(&module, &bytes).unwrap_err();
    assert_eq!(error.offset, Some(bytes.len()));
    // And an instruction after the final end.
    let mut bytes = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0".to_vec();
    bytes.extend([10, 5, 1, 3, 0, 0x0B, 0x01]);
    let module = decode::parse(&bytes).unwrap();
    let error = validate(&module, &bytes).unwrap_err();
    assert_eq!(
        error,
        crate::Error::at(bytes.len() - 1, "operators remaining after end of function")
    );
}
