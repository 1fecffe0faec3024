//! Instruction selection shapes: what folds into what.

use super::inst::{Amode, MInst, Reg, RegMem, RegMemImm, ShiftOp};
use super::inst_simd::VecInst;
use super::lower::lower;
use crate::ir::parse::parse_function;

fn insts(text: &str) -> Vec<MInst> {
    let f = parse_function(text).expect("parse");
    lower(&f, Default::default()).expect("lower").insts
}

#[test]
fn compare_used_by_branch_becomes_cmp_and_jcc() {
    let v = insts(
        "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = icmp.i32 slt v1, v2
    brif v3, block1, block2
block1:
    return v1
block2:
    return v2
}",
    );
    assert!(!v.iter().any(|i| matches!(i, MInst::Setcc { .. })), "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::Cmp { .. })), "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::Jcc { .. })), "{v:?}");
}

/// A compare read only as conditions (two selects and a branch) is emitted again at each,
/// never materialised; one also read as a value is materialised once and still emitted again
/// at each condition (no `test` of the materialised value).
#[test]
fn compare_used_by_several_conditions_is_emitted_at_each() {
    let f = |extra_use: &str| {
        format!(
            "function %f(i64, i32, i32) -> i32 {{
block0(v0: i64, v1: i32, v2: i32):
    v3 = icmp.i32 ugt v1, v2
    v4 = select.i32 v3, v1, v2
    v5 = select.i32 v3, v2, v1
    v6 = iadd.i32 v4, v5{extra_use}
    brif v3, block1, block2
block1:
    return v6
block2:
    return v4
}}"
        )
    };
    let v = insts(&f(""));
    let count = |v: &[MInst], p: fn(&MInst) -> bool| v.iter().filter(|&i| p(i)).count();
    assert_eq!(count(&v, |i| matches!(i, MInst::Cmp { .. })), 3, "{v:?}");
    assert_eq!(count(&v, |i| matches!(i, MInst::Setcc { .. } | MInst::Test { .. })), 0, "{v:?}");
    let v = insts(&f("\n    v7 = uextend.i32.i64 v3\n    store.i64 v0, v1, +0, v7"));
    assert_eq!(count(&v, |i| matches!(i, MInst::Cmp { .. })), 4, "{v:?}");
    assert_eq!(count(&v, |i| matches!(i, MInst::Setcc { .. })), 1, "{v:?}");
    assert_eq!(count(&v, |i| matches!(i, MInst::Test { .. })), 0, "{v:?}");
}

#[test]
fn compare_with_zero_uses_test() {
    let v = insts(
        "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v4 = iconst.i32 0
    v3 = icmp.i32 ne v1, v4
    v5 = select.i32 v3, v1, v2
    return v5
}",
    );
    assert!(v.iter().any(|i| matches!(i, MInst::Test { .. })), "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::Cmov { .. })), "{v:?}");
    assert!(!v.iter().any(|i| matches!(i, MInst::Imm { .. } | MInst::Setcc { .. })), "{v:?}");
}

#[test]
fn add_of_constant_is_lea_and_single_use_load_is_folded() {
    let v = insts(
        "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = load_ptr.i64 readonly v0, +0
    v4 = load.i32 v3, v1, +16
    v5 = iadd.i32 v2, v4
    v6 = iconst.i32 12
    v7 = iadd.i32 v5, v6
    return v7
}",
    );
    assert!(
        v.iter().any(|i| matches!(i, MInst::Alu { rhs: RegMemImm::Rm(RegMem::Mem { trap: true, .. }), .. })),
        "{v:?}"
    );
    assert!(v.iter().any(|i| matches!(i, MInst::Lea { amode: Amode::Regs { disp: 12, index: None, .. }, .. })), "{v:?}");
    assert_eq!(v.iter().filter(|i| matches!(i, MInst::Load { trap: true, .. })).count(), 0, "{v:?}");
}

#[test]
fn load_is_not_folded_past_a_store() {
    let v = insts(
        "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = load_ptr.i64 readonly v0, +0
    v4 = load.i32 v3, v1, +16
    store.i32 v3, v1, +16, v2
    v5 = iadd.i32 v2, v4
    return v5
}",
    );
    assert_eq!(v.iter().filter(|i| matches!(i, MInst::Load { trap: true, .. })).count(), 1, "{v:?}");
}

#[test]
fn v128_lives_in_xmm_registers_and_constants_are_rematerialised() {
    let v = insts(
        "function %f(i64, v128) -> v128 {
block0(v0: i64, v1: v128):
    v2 = v128const 0x000102030405060708090a0b0c0d0e0f
    v3 = simd.i8x16.add v1, v2
    return v3
}",
    );
    let consts = v.iter().filter(|i| matches!(i, MInst::Vec(VecInst::Const { bits: 0x000102030405060708090a0b0c0d0e0f, .. }))).count();
    assert_eq!(consts, 1, "{v:?}");
    let add = v.iter().find_map(|i| match i {
        MInst::Vec(VecInst::Binary { op: target_x86_64::PackedOp::Paddb, dst: Reg::Virt(d), .. }) => Some(*d),
        _ => None,
    });
    assert_eq!(add.map(|d| d.class), Some(crate::regalloc::RegClass::Float), "{v:?}");
}

#[test]
fn add_of_small_shift_is_one_lea_with_a_scaled_index() {
    let v = insts(
        "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 35
    v4 = shl.i32 v2, v3
    v5 = iadd.i32 v4, v1
    return v5
}",
    );
    // 35 is 3 modulo 32: a scale of 8.
    assert!(v.iter().any(|i| matches!(i, MInst::Lea { amode: Amode::Regs { index: Some((_, 8)), disp: 0, .. }, .. })), "{v:?}");
    assert!(!v.iter().any(|i| matches!(i, MInst::Shift { .. })), "{v:?}");
}

#[test]
fn shift_used_twice_or_by_four_is_not_folded() {
    for (k, uses) in [(4, "v1"), (2, "v4")] {
        let v = insts(&format!(
            "function %f(i64, i32, i32) -> i32 {{
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 {k}
    v4 = shl.i32 v2, v3
    v5 = iadd.i32 v4, v1
    v6 = iadd.i32 v5, {uses}
    return v6
}}"
        ));
        assert!(v.iter().any(|i| matches!(i, MInst::Shift { .. })), "{v:?}");
    }
}

#[test]
fn unsigned_division_by_constant_multiplies_and_signed_still_divides() {
    for (ty, op, d) in [("i32", "urem", 10), ("i64", "udiv", 1000000000), ("i64", "urem", 7)] {
        let v = insts(&format!(
            "function %f(i64, {ty}) -> {ty} {{
block0(v0: i64, v1: {ty}):
    v2 = iconst.{ty} {d}
    v3 = {op}.{ty} v1, v2
    return v3
}}"
        ));
        assert!(!v.iter().any(|i| matches!(i, MInst::Div { .. })), "{v:?}");
        // i32 quotients take one 64-bit `imul`, i64 ones the high half of a widening `mul`.
        assert!(v.iter().any(|i| matches!(i, MInst::ImulImm { .. } | MInst::MulHigh { .. })), "{v:?}");
    }
    let v = insts(
        "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 10
    v3 = sdiv.i32 v1, v2
    return v3
}",
    );
    assert!(v.iter().any(|i| matches!(i, MInst::Div { signed: true, checked: false, .. })), "{v:?}");
}

#[test]
fn signed_division_by_a_power_of_two_shifts() {
    for (ty, op, d, divides) in [("i32", "srem", 32768i64, false), ("i64", "sdiv", 1 << 40, false), ("i32", "sdiv", 1, true)] {
        let v = insts(&format!(
            "function %f(i64, {ty}) -> {ty} {{
block0(v0: i64, v1: {ty}):
    v2 = iconst.{ty} {d}
    v3 = {op}.{ty} v1, v2
    return v3
}}"
        ));
        assert_eq!(v.iter().any(|i| matches!(i, MInst::Div { .. })), divides, "{op} {d}: {v:?}");
        assert_eq!(v.iter().any(|i| matches!(i, MInst::Shift { op: ShiftOp::Sar, .. })), !divides, "{op} {d}: {v:?}");
    }
}

fn insts_for(cpu: &str, text: &str) -> Vec<MInst> {
    let f = parse_function(text).expect("parse");
    lower(&f, super::CpuFeatures::from_name(cpu).unwrap()).expect("lower").insts
}

#[test]
fn bit_counts_are_one_instruction_only_where_the_level_has_it() {
    use super::inst::BitCount;
    let count_with = |cpu: &str, op: &str| {
        let text = format!("function %f(i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64):\n    v2 = {op}.i64 v1\n    return v2\n}}");
        let v = insts_for(cpu, &text);
        let one = v.iter().find_map(|i| match i {
            MInst::BitCountInst { op, .. } => Some(*op),
            _ => None,
        });
        let sequence = v.iter().any(|i| matches!(i, MInst::BitCount { .. }));
        assert!(one.is_some() != sequence, "{cpu} {op}: {v:?}");
        one
    };
    for op in ["clz", "ctz", "popcnt"] {
        assert_eq!(count_with("baseline", op), None, "{op}");
    }
    // x86-64-v2 has popcnt but neither lzcnt nor tzcnt.
    assert_eq!(count_with("x86-64-v2", "popcnt"), Some(BitCount::Popcnt));
    assert_eq!(count_with("x86-64-v2", "clz"), None);
    assert_eq!(count_with("x86-64-v3", "clz"), Some(BitCount::Clz));
    assert_eq!(count_with("x86-64-v3", "ctz"), Some(BitCount::Ctz));
}

#[test]
fn variable_shifts_leave_cl_free_with_bmi2_but_rotates_do_not() {
    use super::inst::ShiftOp;
    let text = |op: &str| {
        format!("function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = {op}.i32 v1, v2\n    return v3\n}}")
    };
    for (op, sop) in [("shl", ShiftOp::Shl), ("ushr", ShiftOp::Shr), ("sshr", ShiftOp::Sar)] {
        let base = insts_for("baseline", &text(op));
        assert!(base.iter().any(|i| matches!(i, MInst::Shift { count: Some(_), .. })), "{base:?}");
        let v3 = insts_for("x86-64-v3", &text(op));
        assert!(v3.iter().any(|i| matches!(i, MInst::ShiftX { op, .. } if *op == sop)), "{v3:?}");
        assert!(!v3.iter().any(|i| matches!(i, MInst::Shift { .. })), "{v3:?}");
    }
    let rotl = insts_for("x86-64-v3", &text("rotl"));
    assert!(rotl.iter().any(|i| matches!(i, MInst::Shift { op: ShiftOp::Rol, count: Some(_), .. })), "{rotl:?}");
    // By a constant, rotates of either direction are one `rorx` right.
    let by_5 = |op: &str| {
        format!("function %f(i64, i32) -> i32 {{\nblock0(v0: i64, v1: i32):\n    v2 = iconst.i32 5\n    v3 = {op}.i32 v1, v2\n    return v3\n}}")
    };
    assert!(insts_for("x86-64-v3", &by_5("rotl")).iter().any(|i| matches!(i, MInst::Rorx { imm: 27, .. })));
    assert!(insts_for("x86-64-v3", &by_5("rotr")).iter().any(|i| matches!(i, MInst::Rorx { imm: 5, .. })));
    assert!(!insts_for("x86-64-v2", &by_5("rotr")).iter().any(|i| matches!(i, MInst::Rorx { .. })));
}

#[test]
fn scalar_float_arithmetic_is_three_operand_with_avx() {
    let text = "function %f(i64, f64, f64) -> f64 {\nblock0(v0: i64, v1: f64, v2: f64):\n    v3 = fmul.f64 v1, v2\n    return v3\n}";
    let base = insts_for("x86-64-v2", text);
    assert!(base.iter().any(|i| matches!(i, MInst::FloatArith { .. })), "{base:?}");
    assert!(!base.iter().any(|i| matches!(i, MInst::AvxFloatArith { .. })), "{base:?}");
    let v3 = insts_for("x86-64-v3", text);
    assert!(v3.iter().any(|i| matches!(i, MInst::AvxFloatArith { .. })), "{v3:?}");
    assert!(!v3.iter().any(|i| matches!(i, MInst::FloatArith { .. })), "{v3:?}");
}

#[test]
fn and_of_an_inverted_value_is_andn_with_bmi1() {
    for (ty, ones) in [("i32", "-1"), ("i64", "-1"), ("i32", "4294967295")] {
        let text = format!(
            "function %f(i64, {ty}, {ty}) -> {ty} {{
block0(v0: i64, v1: {ty}, v2: {ty}):
    v3 = iconst.{ty} {ones}
    v4 = xor.{ty} v1, v3
    v5 = and.{ty} v2, v4
    return v5
}}"
        );
        let v3 = insts_for("x86-64-v3", &text);
        assert!(v3.iter().any(|i| matches!(i, MInst::Andn { .. })), "{v3:?}");
        assert!(!v3.iter().any(|i| matches!(i, MInst::Alu { .. })), "{v3:?}");
        let v2 = insts_for("x86-64-v2", &text);
        assert!(!v2.iter().any(|i| matches!(i, MInst::Andn { .. })), "{v2:?}");
    }
    // The inverted value used again stays a value of its own.
    let v = insts_for(
        "x86-64-v3",
        "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 -1
    v4 = xor.i32 v1, v3
    v5 = and.i32 v2, v4
    v6 = iadd.i32 v5, v4
    return v6
}",
    );
    assert!(!v.iter().any(|i| matches!(i, MInst::Andn { .. })), "{v:?}");
}


#[test]
fn constant_plus_scaled_value_is_one_lea_without_a_base() {
    for (ty, c) in [("i32", "3712"), ("i32", "-8"), ("i64", "-2147483648")] {
        let v = insts(&format!(
            "function %f(i64, {ty}) -> {ty} {{
block0(v0: i64, v1: {ty}):
    v2 = iconst.{ty} {c}
    v3 = iconst.{ty} 2
    v4 = shl.{ty} v1, v3
    v5 = iadd.{ty} v2, v4
    return v5
}}"
        ));
        assert!(v.iter().any(|i| matches!(i, MInst::Lea { amode: Amode::Scaled { scale: 4, .. }, .. })), "{v:?}");
        assert!(!v.iter().any(|i| matches!(i, MInst::Shift { .. })), "{v:?}");
    }
    // A 64-bit constant beyond a displacement keeps the shift and a register add.
    let v = insts(
        "function %f(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconst.i64 0x100000000
    v3 = iconst.i64 2
    v4 = shl.i64 v1, v3
    v5 = iadd.i64 v2, v4
    return v5
}",
    );
    assert!(!v.iter().any(|i| matches!(i, MInst::Lea { amode: Amode::Scaled { .. }, .. })), "{v:?}");
}

#[test]
fn sum_plus_constant_is_one_lea_with_a_displacement() {
    for shift in ["v4 = shl.i32 v2, v3", "v4 = iadd.i32 v2, v2"] {
        let v = insts(&format!(
            "function %f(i64, i32, i32) -> i32 {{
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 3
    {shift}
    v5 = iadd.i32 v1, v4
    v6 = iconst.i32 24
    v7 = iadd.i32 v6, v5
    return v7
}}"
        ));
        let leas: Vec<_> = v.iter().filter(|i| matches!(i, MInst::Lea { .. })).collect();
        assert!(
            leas.iter().any(|i| matches!(i, MInst::Lea { amode: Amode::Regs { index: Some(_), disp: 24, .. }, .. })),
            "{v:?}"
        );
    }
}

/// An instruction that emits no code (here the jump to the next block, which falls through)
/// leaves no source-location entry: each code offset has one, the instruction whose code
/// starts there, so the module's table is sorted by offset without a sort.
#[test]
fn source_locations_have_one_entry_per_code_offset() {
    let f = parse_function(
        "function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = imul.i32 v1, v1 @0x10
    jump block1 @0x11
block1:
    v3 = imul.i32 v2, v2 @0x12
    return v3 @0x13
}",
    )
    .expect("parse");
    let compiled = super::compile_function(&f, Default::default()).expect("compile");
    let locs = &compiled.srclocs;
    assert!(locs.windows(2).all(|w| w[0].0 < w[1].0), "{locs:?}");
    assert!(locs.iter().any(|l| l.1 == 0x12), "{locs:?}");
    assert!(!locs.iter().any(|l| l.1 == 0x11), "{locs:?}");
}

/// A 64-bit constant too wide for an immediate is rematerialised at each use (a `movabs`
/// each), except where a loop deeper than its definition reads it: there it is defined once,
/// before the loop, and the loop reads the register.
#[test]
fn wide_constant_read_in_a_loop_is_defined_once_before_it() {
    let looping = "function %f(i64, i64, i32) -> i64 {
block0(v0: i64, v1: i64, v2: i32):
    v3 = iconst.i64 0x9e3779b97f4a7c15
    v4 = iconst.i32 1
    jump block1(v1, v2)
block1(v5: i64, v6: i32):
    v7 = imul.i64 v5, v3
    v8 = iadd.i64 v7, v3
    v9 = isub.i32 v6, v4
    brif v9, block1(v8, v9), block2
block2:
    return v8
}";
    let wide = |v: &[MInst]| v.iter().filter(|i| matches!(i, MInst::Imm { imm: 0x9e3779b97f4a7c15, .. })).count();
    let v = insts(looping);
    assert_eq!(wide(&v), 1, "{v:?}");
    // The same body without the back edge is no loop: each use has its own.
    let v = insts(&looping.replace("brif v9, block1(v8, v9), block2", "jump block2"));
    assert_eq!(wide(&v), 2, "{v:?}");
}

/// `x + 8` folds into the address of an access in a block that an access at `x` dominates,
/// not in one it does not dominate (where `x + 8` could wrap).
#[test]
fn add_after_a_dominating_access_folds_into_the_address() {
    let f = |first_access_in: &str| {
        format!(
            "function %f(i64, i32, i32) -> i32 {{
block0(v0: i64, v1: i32, v2: i32):
    v3 = load_ptr.i64 readonly v0, +0
    v5 = iconst.i32 8
    {}
    brif v2, block1, block2
block1:
    v6 = iadd.i32 v1, v5
    v7 = load.i32 v3, v6, +0
    return v7
block2:
    v8 = load.i32 v3, v1, +0
    return v8
}}",
            first_access_in
        )
    };
    let folded = |v: &[MInst]| {
        v.iter().any(|i| matches!(i, MInst::Load { amode: Amode::Regs { disp: 8, index: Some(_), .. }, .. }))
    };
    let v = insts(&f("v4 = load.i32 v3, v1, +4"));
    assert!(folded(&v), "{v:?}");
    let v = insts(&f(""));
    assert!(!folded(&v), "{v:?}");
}
