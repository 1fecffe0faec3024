//! Every vector operation lowers and compiles, within the SSE4.1 baseline and at each
//! `--target-cpu` level, using only what the level has.

use super::inst::MInst;
use super::inst_simd::VecInst;
use super::lower::lower;
use super::CpuFeatures;
use crate::ir::parse::parse_function;
use crate::ir::SimdOp;
use target_x86_64::PackedOp;

/// A function applying `op` to its parameters and returning the result.
fn function_of(op: SimdOp) -> crate::ir::Function {
    let types = op.operand_types();
    let params: Vec<String> = types.iter().enumerate().map(|(i, t)| format!("v{}: {t}", i + 1)).collect();
    let args: Vec<String> = (1..=types.len()).map(|i| format!("v{i}")).collect();
    let type_list: Vec<String> = types.iter().map(|t| t.to_string()).collect();
    let text = format!(
        "function %f(i64, {}) -> {} {{\nblock0(v0: i64, {}):\n    v10 = {op} {}\n    return v10\n}}",
        type_list.join(", "),
        op.result_type(),
        params.join(", "),
        args.join(", ")
    );
    parse_function(&text).unwrap_or_else(|e| panic!("{e} in\n{text}"))
}

#[test]
fn every_operation_compiles_at_every_level() {
    for cpu in ["baseline", "x86-64-v2", "x86-64-v3"] {
        for &op in SimdOp::ALL {
            if let Err(e) = super::compile_function(&function_of(op), CpuFeatures::from_name(cpu).unwrap()) {
                panic!("{op} for {cpu}: {e}");
            }
        }
    }
}

#[test]
fn avx_replaces_every_two_address_form_that_has_a_twin() {
    let v3 = CpuFeatures::from_name("x86-64-v3").unwrap();
    let mut avx_forms = 0;
    for &op in SimdOp::ALL {
        for inst in lower(&function_of(op), v3).expect("lowers").insts {
            match inst {
                MInst::Vec(VecInst::Binary { op: p, .. }) => assert!(!p.has_avx_form(), "{op}: SSE {p:?}"),
                MInst::Vec(VecInst::BinaryImm { op: p, .. }) => assert!(!p.has_avx_form(), "{op}: SSE {p:?}"),
                MInst::Vec(VecInst::ShiftImm { op: p, .. }) => panic!("{op}: SSE {p:?}"),
                MInst::Vec(VecInst::AvxBinary { .. } | VecInst::AvxBinaryImm { .. } | VecInst::AvxShiftImm { .. }) => {
                    avx_forms += 1
                }
                _ => {}
            }
        }
        for inst in lower(&function_of(op), Default::default()).expect("lowers").insts {
            let avx = matches!(
                inst,
                MInst::Vec(VecInst::AvxBinary { .. } | VecInst::AvxBinaryImm { .. } | VecInst::AvxShiftImm { .. })
                    | MInst::Vec(VecInst::Unary { op: PackedOp::Vpbroadcastb | PackedOp::Vpbroadcastw, .. })
            );
            assert!(!avx, "{op} uses AVX in the baseline: {inst:?}");
        }
    }
    // A floor, so the test cannot pass by lowering nothing.
    assert!(avx_forms > 200, "only {avx_forms} AVX forms over all operations");
}

#[test]
fn no_operation_needs_sse42() {
    for &op in SimdOp::ALL {
        let vcode = lower(&function_of(op), Default::default()).expect("lowers");
        let uses_pcmpgtq = vcode.insts.iter().any(|i| {
            matches!(
                i,
                MInst::Vec(
                    VecInst::Binary { op: PackedOp::Pcmpgtq, .. } | VecInst::Unary { op: PackedOp::Pcmpgtq, .. }
                )
            )
        });
        assert!(!uses_pcmpgtq, "{op} uses pcmpgtq (SSE4.2)");
    }
}

#[test]
fn constant_shift_counts_are_immediates() {
    let f = parse_function(
        "function %f(i64, v128) -> v128 {
block0(v0: i64, v1: v128):
    v2 = iconst.i32 35
    v3 = simd.i32x4.shl v1, v2
    return v3
}",
    )
    .expect("parse");
    let insts = lower(&f, Default::default()).expect("lowers").insts;
    // 35 mod 32: one immediate shift, and no count materialised in a register.
    let shifts: Vec<u8> = insts
        .iter()
        .filter_map(|i| match i {
            MInst::Vec(VecInst::ShiftImm { imm, .. }) => Some(*imm),
            _ => None,
        })
        .collect();
    assert_eq!(shifts, [3], "{insts:?}");
    assert!(!insts.iter().any(|i| matches!(i, MInst::Imm { .. } | MInst::GprToXmm { .. })), "{insts:?}");
}

/// A function applying `op` to a register and a 16-byte load (operand `slot`).
fn function_with_load(op: SimdOp, slot: usize) -> crate::ir::Function {
    let args = if slot == 1 { "v2, v4" } else { "v4, v2" };
    let text = format!(
        "function %f(i64, v128, i32) -> v128 {{\nblock0(v0: i64, v2: v128, v3: i32):\n    v1 = load_ptr.i64 readonly v0, +0\n    v4 = load.v128 v1, v3, +0\n    v10 = {op} {args}\n    return v10\n}}"
    );
    parse_function(&text).unwrap_or_else(|e| panic!("{e} in\n{text}"))
}

#[test]
fn avx_operations_take_a_load_as_their_memory_operand() {
    let v3 = CpuFeatures::from_name("x86-64-v3").unwrap();
    let mut folded = 0;
    for &op in SimdOp::ALL {
        for &slot in super::lower_simd_table::avx_memory_slots(op) {
            let insts = lower(&function_with_load(op, slot), v3).expect("lowers").insts;
            let with_memory = insts.iter().filter(|i| matches!(i, MInst::Vec(VecInst::AvxBinaryMem { trap: true, .. }))).count();
            let loads = insts.iter().filter(|i| matches!(i, MInst::Load { .. })).count();
            // The one load left reads the heap base from the vmctx.
            assert_eq!((with_memory, loads), (1, 1), "{op}, load in operand {slot}: {insts:?}");
            folded += 1;
            let base = lower(&function_with_load(op, slot), Default::default()).expect("lowers").insts;
            assert!(!base.iter().any(|i| matches!(i, MInst::Vec(VecInst::AvxBinaryMem { .. }))), "{op} in the baseline");
        }
    }
    assert!(folded > 60, "only {folded} operations fold a load");
}
