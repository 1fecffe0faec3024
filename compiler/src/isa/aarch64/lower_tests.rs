//! Instruction selection shapes: what folds into what.

use super::abi::Aarch64Abi;
use super::inst::{MInst, VArr};
use super::lower::lower;
use crate::ir::parse::parse_function;
use crate::ir::SimdOp;

fn insts(text: &str) -> Vec<MInst> {
    let f = parse_function(text).expect("parse");
    lower(&f, Aarch64Abi::Linux).expect("lower").insts
}

#[test]
fn compare_used_by_branch_becomes_cmp_and_conditional_branch() {
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
    assert!(!v.iter().any(|i| matches!(i, MInst::CSet { .. })), "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::CmpRR { .. })), "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::CondBr { .. })), "{v:?}");
}

#[test]
fn compare_with_zero_branches_with_cbz_and_traps_with_cbnz() {
    let v = insts(
        "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v4 = iconst.i32 0
    v3 = icmp.i32 eq v1, v4
    trapnz v2, unreachable
    brif v3, block1, block2
block1:
    return v1
block2:
    return v2
}",
    );
    assert!(v.iter().any(|i| matches!(i, MInst::CbzBr { nonzero: false, .. })), "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::TrapIfZero { nonzero: true, .. })), "{v:?}");
    assert!(!v.iter().any(|i| matches!(i, MInst::Imm { .. } | MInst::CmpRI { .. } | MInst::CmpRR { .. })), "{v:?}");
}

#[test]
fn encodable_constants_become_immediates() {
    let v = insts(
        "function %f(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconst.i64 -4095
    v4 = iadd.i64 v1, v3
    v5 = iconst.i64 0xff00
    v6 = and.i64 v4, v5
    v7 = iconst.i64 -7
    v8 = icmp.i64 sgt v6, v7
    v9 = select.i64 v8, v6, v2
    return v9
}",
    );
    assert!(v.iter().any(|i| matches!(i, MInst::AluRRImm { imm: 4095, .. })), "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::AluRRImm { imm: 0xff00, .. })), "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::CmpRI { imm: 7, negated: true, .. })), "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::CSel { .. })), "{v:?}");
    assert!(!v.iter().any(|i| matches!(i, MInst::Imm { .. })), "{v:?}");
}

#[test]
fn vector_constants_are_materialised_at_their_use_and_constant_shifts_take_immediates() {
    let v = insts(
        "function %f(i64, v128, i32) -> v128 {
block0(v0: i64, v1: v128, v2: i32):
    v3 = v128const 0x000102030405060708090a0b0c0d0e0f
    v4 = simd.i8x16.add v1, v3
    v5 = iconst.i32 17
    v6 = simd.i16x8.shl v4, v5
    v7 = iconst.i32 64
    v8 = simd.i64x2.shr_s v6, v7
    v9 = simd.i32x4.shr_u v8, v2
    return v9
}",
    );
    let consts: Vec<u128> =
        v.iter().filter_map(|i| if let MInst::VecConst { bits, .. } = i { Some(*bits) } else { None }).collect();
    assert_eq!(consts, [0x000102030405060708090a0b0c0d0e0f], "{v:?}");
    // 17 mod 16 lanes bits: shl #1; 64 mod 64: a move.
    assert!(v.iter().any(|i| matches!(i, MInst::VecShiftImm { amount: 1, arr: VArr::H8, .. })), "{v:?}");
    assert_eq!(v.iter().filter(|i| matches!(i, MInst::VecShiftImm { .. })).count(), 1, "{v:?}");
    assert!(v.iter().any(|i| matches!(i, MInst::Move { float: true, .. })), "{v:?}");
    // The variable count stays a register operand.
    assert!(v.iter().any(|i| matches!(i, MInst::Simd { op: SimdOp::I32x4ShrU, .. })), "{v:?}");
}

/// A constant that takes a `movz`/`movk` sequence (or a literal-pool load) is defined once
/// before a loop that reads it; a one-instruction constant, or one read outside loops, is
/// materialised at each use.
#[test]
fn costly_constant_read_in_a_loop_is_defined_once_before_it() {
    let looping = "function %f(i64, i64, i32, f64) -> i64 {
block0(v0: i64, v1: i64, v2: i32, v3: f64):
    v4 = iconst.i64 0x9e3779b97f4a7c15
    v5 = iconst.i64 0x10000
    v6 = f64const 0x400921fb54442d18
    v7 = iconst.i32 1
    jump block1(v1, v2, v3)
block1(v8: i64, v9: i32, v10: f64):
    v11 = imul.i64 v8, v4
    v12 = iadd.i64 v11, v4
    v13 = imul.i64 v12, v5
    v14 = isub.i32 v9, v7
    v15 = fmul.f64 v10, v6
    v16 = fadd.f64 v15, v6
    v17 = imul.i64 v13, v5
    brif v14, block1(v17, v14, v16), block2
block2:
    return v17
}";
    let count = |v: &[MInst], imm: u64| v.iter().filter(|i| matches!(i, MInst::Imm { imm: x, .. } if *x == imm)).count();
    let floats = |v: &[MInst]| v.iter().filter(|i| matches!(i, MInst::FloatConst { .. })).count();
    let v = insts(looping);
    assert_eq!((count(&v, 0x9e3779b97f4a7c15), count(&v, 0x10000), floats(&v)), (1, 2, 1), "{v:?}");
    let v = insts(&looping.replace("brif v14, block1(v17, v14, v16), block2", "jump block2"));
    assert_eq!((count(&v, 0x9e3779b97f4a7c15), floats(&v)), (2, 2), "{v:?}");
}
