//! Instruction selection shapes: what folds into what.

use super::abi::Aarch64Abi;
use super::inst::MInst;
use super::lower::lower;
use crate::ir::parse::parse_function;

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
fn v128_is_rejected_with_an_error() {
    let f = parse_function(
        "function %f(i64) {
block0(v0: i64):
    v1 = v128const 0x000102030405060708090a0b0c0d0e0f
    return
}",
    )
    .expect("parse");
    assert!(lower(&f, Aarch64Abi::Linux).is_err());
}
