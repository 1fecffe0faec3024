//! Decoder tests: the opcode table against the `wat` crate's encoder, hand-made malformed
//! modules and their error offsets, and a mutation test that must never panic.

use super::operators::{OpcodePrefix, Operator};
use super::reader::Reader;
use super::*;

fn wat(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

/// The instructions of the first function body of a module.
fn body_operators(bytes: &[u8]) -> Vec<Operator> {
    let module = parse(bytes).unwrap();
    let body = module.function_body(bytes, 0).unwrap();
    body.operators.map(|r| r.unwrap().0).collect()
}

fn opcode_bytes(prefix: OpcodePrefix, code: u32) -> Vec<u8> {
    match prefix {
        OpcodePrefix::Plain => vec![code as u8],
        // Codes below 128 are one LEB128 byte; larger ones two.
        OpcodePrefix::Misc | OpcodePrefix::Simd => {
            let lead = if prefix == OpcodePrefix::Misc {
                0xFC
            } else {
                0xFD
            };
            if code < 128 {
                vec![lead, code as u8]
            } else {
                vec![lead, (code as u8 & 0x7F) | 0x80, (code >> 7) as u8]
            }
        }
    }
}

/// Every opcode of the table decodes to the variant whose text name `wat` encodes back to the
/// same opcode: the table's opcodes and names agree with an independent encoder.
#[test]
fn opcode_table_agrees_with_the_wat_encoder() {
    let spaces = [
        (OpcodePrefix::Plain, 0..256),
        (OpcodePrefix::Misc, 0..32),
        (OpcodePrefix::Simd, 0..256),
    ];
    let mut checked = 0;
    for (prefix, codes) in spaces {
        for code in codes {
            // Immediates: a zero memarg (align, offset) and lane 0 where needed.
            let mut bytes = opcode_bytes(prefix, code);
            let opcode_len = bytes.len();
            bytes.extend([0, 0, 0]);
            let mut reader = Reader::new(&bytes, opcode_len, bytes.len());
            let Ok(Some(op)) = Operator::read_tabled(prefix, code, &mut reader) else {
                continue;
            };
            let immediates = match (op.memarg(), op.lane()) {
                (Some(_), Some(_)) => " align=1 0",
                (None, Some(_)) => " 0",
                _ => "",
            };
            let module = wat(&format!(
                "(module (memory 1) (func {}{immediates}))",
                op.name()
            ));
            let decoded = body_operators(&module);
            assert_eq!(decoded[0].name(), op.name(), "opcode {prefix:?} {code}");
            assert_eq!(
                std::mem::discriminant(&decoded[0]),
                std::mem::discriminant(&op)
            );
            checked += 1;
        }
    }
    // 335 fixed-type, 37 loads and stores, 14 lane and 8 lane-memory instructions.
    assert_eq!(checked, 394);
}

#[test]
fn special_instructions_decode_with_their_immediates() {
    let module = wat(r#"(module
            (type $t (func (param i32) (result i32)))
            (table $tab 1 funcref) (memory 1) (elem $e func) (data $d "x")
            (func $f (param i32) (result i32)
              (block $b (result i32)
                (loop $l (br_table $b $l $b (i32.const 7) (local.get 0))))
              (call_indirect $tab (type $t) (i32.const -1) (i32.const 0))
              (select (result i64) (i64.const 0x7fffffffffffffff) (i64.const 1) (i32.const 0)) drop
              (f32.const -0.0) drop (f64.const nan:0x1) drop
              (v128.const i32x4 1 2 3 4) (v128.const i32x4 0 0 0 0)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31) drop
              (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
              (table.init $tab $e (i32.const 0) (i32.const 0) (i32.const 0))
              (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))
              (drop (ref.func $f)) (drop (ref.null extern))))"#);
    let ops = body_operators(&module);
    use Operator::*;
    assert!(ops.contains(&BrTable {
        targets: vec![1, 0],
        default: 1
    }));
    assert!(ops.contains(&CallIndirect {
        type_index: 0,
        table: 0
    }));
    assert!(ops.contains(&TypedSelect { ty: ValType::I64 }));
    assert!(ops.contains(&I64Const { value: i64::MAX }));
    assert!(ops.contains(&I32Const { value: -1 }));
    assert!(ops.contains(&F32Const { bits: 0x8000_0000 }));
    assert!(ops.contains(&F64Const {
        bits: 0x7FF0_0000_0000_0001
    }));
    let mut v128 = [0u8; 16];
    v128[0] = 1;
    v128[4] = 2;
    v128[8] = 3;
    v128[12] = 4;
    assert!(ops.contains(&V128Const { bytes: v128 }));
    let mut lanes: [u8; 16] = std::array::from_fn(|i| i as u8);
    lanes[15] = 31;
    assert!(ops.contains(&I8x16Shuffle { lanes }));
    assert!(ops.contains(&MemoryInit { data: 0, memory: 0 }));
    assert!(ops.contains(&TableInit { elem: 0, table: 0 }));
    assert!(ops.contains(&MemoryCopy {
        dst_memory: 0,
        src_memory: 0
    }));
    assert!(ops.contains(&RefFunc { func: 0 }));
    assert!(ops.contains(&RefNull {
        ty: RefType::ExternRef
    }));
    assert_eq!(ops.last(), Some(&End));
}

#[test]
fn sections_decode_into_the_module() {
    let bytes = wat(r#"(module $m
            (import "env" "f" (func $imp (param i32)))
            (import "env" "g" (global $g i64))
            (func $own (export "run") (result i32) (local i32 i32) (local f64) (i32.const 1))
            (table 2 10 funcref)
            (memory 1 2)
            (global (mut f32) (f32.const 1.5))
            (elem (i32.const 1) $own)
            (data (i32.const 8) "hello")
            (start $own2)
            (func $own2))"#);
    let module = parse(&bytes).unwrap();
    assert_eq!(module.num_imported_funcs(), 1);
    assert_eq!(module.num_funcs(), 3);
    assert_eq!(module.func_type(1).unwrap().results, vec![ValType::I32]);
    assert_eq!(module.func_type(0).unwrap().params, vec![ValType::I32]);
    assert_eq!(module.func_type(3), None);
    assert_eq!(
        module.global_type(0),
        Some(GlobalType {
            ty: ValType::I64,
            mutable: false
        })
    );
    assert_eq!(
        module.global_type(1),
        Some(GlobalType {
            ty: ValType::F32,
            mutable: true
        })
    );
    assert_eq!(
        module.table_type(0).unwrap().limits,
        Limits {
            min: 2,
            max: Some(10)
        }
    );
    assert_eq!(
        module.memory_type(0).unwrap().limits,
        Limits {
            min: 1,
            max: Some(2)
        }
    );
    assert_eq!(module.exports[0].name, "run");
    assert_eq!(module.start, Some(2));
    assert_eq!(module.data[0].bytes(&bytes), b"hello");
    assert_eq!(module.elements[0].items, ElementItems::Functions(vec![1]));
    assert_eq!(module.names.module.as_deref(), Some("m"));
    assert_eq!(module.func_name(2), Some("own2"));
    let body = module.function_body(&bytes, 0).unwrap();
    assert_eq!(body.locals, vec![(2, ValType::I32), (1, ValType::F64)]);
    assert_eq!(body.num_locals, 3);
    assert!(module.declared_func_refs().contains(&1));
}

/// A module with the given sections (id, contents).
fn module_with(sections: &[(u8, &[u8])]) -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    for (id, contents) in sections {
        bytes.push(*id);
        bytes.push(contents.len() as u8);
        bytes.extend_from_slice(contents);
    }
    bytes
}

fn error_of(bytes: &[u8]) -> crate::Error {
    match parse(bytes) {
        Ok(module) => crate::validate::validate(&module, bytes).unwrap_err(),
        Err(e) => e,
    }
}

#[test]
fn malformed_modules_report_where() {
    assert_eq!(error_of(b"\0asn\x01\0\0\0").offset, Some(0));
    assert_eq!(error_of(b"\0asm\x02\0\0\0").offset, Some(4));
    assert_eq!(
        error_of(b"\0asm\x01\0").message,
        "unexpected end of section or function"
    );
    // Section 13 does not exist.
    assert_eq!(
        error_of(&module_with(&[(13, &[])])),
        crate::Error::at(8, "malformed section id")
    );
    // A type section whose count is a six-byte LEB128.
    let too_long = module_with(&[(1, &[0x80, 0x80, 0x80, 0x80, 0x80, 0x00])]);
    assert_eq!(
        error_of(&too_long),
        crate::Error::at(10, "integer representation too long")
    );
    // Two type sections.
    let twice = module_with(&[(1, &[0]), (1, &[0])]);
    assert_eq!(error_of(&twice).offset, Some(11));
    // The section claims more bytes than the module has.
    let mut cut = module_with(&[(1, &[0])]);
    cut[9] = 5;
    assert_eq!(error_of(&cut).message, "length out of bounds");
    // One type, but a byte left over in the section.
    let extra = module_with(&[(1, &[1, 0x60, 0, 0, 0])]);
    assert_eq!(
        error_of(&extra),
        crate::Error::at(14, "section size mismatch")
    );
    // A function without a body.
    let no_code = module_with(&[(1, &[1, 0x60, 0, 0]), (3, &[1, 0])]);
    assert_eq!(
        error_of(&no_code).message,
        "function and code section have inconsistent lengths"
    );
    // Body: no locals, opcode 0xFF, end.
    let bad_opcode = module_with(&[
        (1, &[1, 0x60, 0, 0]),
        (3, &[1, 0]),
        (10, &[1, 3, 0, 0xFF, 0x0B]),
    ]);
    assert_eq!(
        error_of(&bad_opcode),
        crate::Error::at(23, "illegal opcode")
    );
    // memory.size's reserved byte must be zero.
    let mem = module_with(&[
        (1, &[1, 0x60, 0, 0]),
        (3, &[1, 0]),
        (5, &[1, 0, 1]),
        (10, &[1, 5, 0, 0x3F, 1, 0x1A, 0x0B]),
    ]);
    assert_eq!(error_of(&mem).message, "zero byte expected");
    // Too many locals: 2^32 - 1 twice.
    let locals = [
        1, 14, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x0B,
    ];
    let many = module_with(&[(1, &[1, 0x60, 0, 0]), (3, &[1, 0]), (10, &locals[..])]);
    assert_eq!(error_of(&many).message, "too many locals");
    // Names must be UTF-8.
    let bad_name = module_with(&[(0, &[1, 0xFF])]);
    assert_eq!(
        error_of(&bad_name),
        crate::Error::at(10, "malformed UTF-8 encoding")
    );
}

#[test]
fn text_or_binary_input() {
    let binary = parse_wat_or_wasm(b"(module (func))").unwrap();
    assert!(binary.starts_with(b"\0asm"));
    assert_eq!(parse_wat_or_wasm(&binary).unwrap(), binary);
    assert!(parse_wat_or_wasm(b"(module (func").is_err());
}

#[test]
fn module_can_be_shared_between_threads() {
    fn assert_sync<T: Sync + Send>() {}
    assert_sync::<Module>();
}

/// A xorshift generator: deterministic, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Decoding and validating damaged modules returns `Ok` or `Err`, never panics or hangs.
#[test]
fn damaged_modules_never_panic() {
    let seeds = [
        wat(
            r#"(module (import "a" "b" (func (param i32))) (memory 1) (table 2 funcref)
              (global $g (mut i32) (i32.const 0)) (export "m" (memory 0))
              (func $f (param i32) (result i32) (local i64 v128)
                (block (result i32) (loop (br_if 1 (i32.const 1) (local.get 0))) (i32.const 2))
                (if (result i32) (then (i32.load offset=4 (i32.const 0))) (else (global.get $g)))
                (br_table 0 0 (i32.const 3)))
              (elem (i32.const 0) $f) (data (i32.const 0) "abc"))"#,
        ),
        wat(r#"(module (memory 1) (elem declare func $s)
              (func $s (param v128) (result v128)
                (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get 0) (local.get 0))
                (i32x4.extract_lane 3) (i32x4.splat) (v128.load8_lane 5 (i32.const 0))
                (drop (ref.func $s)) (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))"#),
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut outcomes = [0usize; 2];
    for case in 0..4000 {
        let mut bytes = seeds[case % seeds.len()].clone();
        match rng.below(3) {
            0 => bytes.truncate(rng.below(bytes.len())),
            1 => {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            _ => {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
        }
        let result = parse(&bytes).and_then(|module| crate::validate::validate(&module, &bytes));
        outcomes[result.is_ok() as usize] += 1;
    }
    // Both outcomes occur, so the mutations neither always break nor never touch the module.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}
