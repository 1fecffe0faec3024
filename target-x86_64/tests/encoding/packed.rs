//! Packed (`v128`) SSE forms. Every selector variant is named after its mnemonic, so the
//! expected text comes from the variant's name.

use crate::common::*;
use target_x86_64::*;

fn mnemonic(op: impl std::fmt::Debug) -> String {
    format!("{op:?}").to_lowercase()
}

#[test]
fn two_operand_forms_with_registers_and_memory() {
    for &op in PackedOp::ALL {
        let m = mnemonic(op);
        for (dst, src) in [(Xmm::Xmm1, Xmm::Xmm2), (Xmm::Xmm9, Xmm::Xmm0), (Xmm::Xmm7, Xmm::Xmm15)] {
            let text = one(|a| a.packed_rr(op, dst, src));
            // The formatter leaves the implicit `xmm0` of the `blendv` family out.
            assert_eq!(text, format!("{m} {}, {}", xname(dst), xname(src)));
        }
        let text = one(|a| a.packed_rm(op, Xmm::Xmm12, Mem::base_disp(Gpr::R13, 0x30)));
        assert_eq!(text, format!("{m} xmm12, [r13+0x30]"));
    }
}

#[test]
fn immediate_forms() {
    for &op in PackedImmOp::ALL {
        let m = mnemonic(op);
        let text = one(|a| a.packed_rri(op, Xmm::Xmm3, Xmm::Xmm11, 0x1b));
        assert_eq!(text, format!("{m} xmm3, xmm11, 0x1b"));
        let text = one(|a| a.packed_rmi(op, Xmm::Xmm10, Mem::base(Gpr::Rsp), 2));
        assert_eq!(text, format!("{m} xmm10, [rsp], 2"));
    }
}

#[test]
fn shifts_by_immediate() {
    for &op in PackedShiftOp::ALL {
        for dst in [Xmm::Xmm0, Xmm::Xmm8, Xmm::Xmm15] {
            assert_eq!(one(|a| a.packed_shift_ri(op, dst, 7)), format!("{} {}, 7", mnemonic(op), xname(dst)));
        }
    }
}

#[test]
fn move_masks() {
    for &op in MoveMaskOp::ALL {
        for (dst, src) in [(Gpr::Rax, Xmm::Xmm1), (Gpr::R9, Xmm::Xmm14)] {
            let text = one(|a| a.move_mask(op, dst, src));
            assert_eq!(text, format!("{} {}, {}", mnemonic(op), name(dst, Size::S32), xname(src)));
        }
    }
}

#[test]
fn lane_insertion_and_extraction() {
    let cases = [
        (Size::S8, "b", 15, Size::S32),
        (Size::S16, "w", 7, Size::S32),
        (Size::S32, "d", 3, Size::S32),
        (Size::S64, "q", 1, Size::S64),
    ];
    for (size, suffix, last, reg_size) in cases {
        for (g, x) in [(Gpr::Rcx, Xmm::Xmm2), (Gpr::R12, Xmm::Xmm13)] {
            let (r, xn) = (name(g, reg_size), xname(x));
            let lane = if last < 10 { last.to_string() } else { format!("{last:#x}") };
            assert_eq!(one(|a| a.insert_lane(size, x, g, last)), format!("pinsr{suffix} {xn}, {r}, {lane}"));
            assert_eq!(one(|a| a.extract_lane(size, g, x, last)), format!("pextr{suffix} {r}, {xn}, {lane}"));
        }
        let out_of_range = last + 1;
        assert!(error(|a| a.insert_lane(size, Xmm::Xmm0, Gpr::Rax, out_of_range)).contains("out of range"));
        assert!(error(|a| a.extract_lane(size, Gpr::Rax, Xmm::Xmm0, out_of_range)).contains("out of range"));
    }
}

#[test]
fn avx_three_operand_forms_are_the_v_prefixed_mnemonics() {
    let with_form: Vec<_> = PackedOp::ALL.iter().filter(|op| op.has_avx_form()).collect();
    assert!(with_form.len() > 80, "only {} packed ops have an AVX form", with_form.len());
    for &op in with_form {
        let text = one(|a| a.avx_rrr(op, Xmm::Xmm1, Xmm::Xmm9, Xmm::Xmm15));
        assert_eq!(text, format!("v{} xmm1, xmm9, xmm15", mnemonic(op)));
        let text = one(|a| a.avx_rrm(op, Xmm::Xmm10, Xmm::Xmm2, Mem::base_disp(Gpr::R13, 0x30)));
        assert_eq!(text, format!("v{} xmm10, xmm2, [r13+0x30]", mnemonic(op)));
    }
    for &op in PackedImmOp::ALL.iter().filter(|op| op.has_avx_form()) {
        let text = one(|a| a.avx_rrri(op, Xmm::Xmm3, Xmm::Xmm4, Xmm::Xmm11, 0x1b));
        assert_eq!(text, format!("v{} xmm3, xmm4, xmm11, 0x1b", mnemonic(op)));
    }
    for &op in PackedShiftOp::ALL {
        assert!(op.has_avx_form());
        assert_eq!(one(|a| a.avx_shift_rri(op, Xmm::Xmm8, Xmm::Xmm2, 7)), format!("v{} xmm8, xmm2, 7", mnemonic(op)));
    }
}

#[test]
fn avx_form_of_an_operation_without_one_is_an_error() {
    // `pshufd` reads one register: there is nothing to make non-destructive.
    assert!(!PackedImmOp::Pshufd.has_avx_form());
    assert!(error(|a| a.avx_rrri(PackedImmOp::Pshufd, Xmm::Xmm0, Xmm::Xmm1, Xmm::Xmm2, 0)).contains("Pshufd"));
    assert!(error(|a| a.avx_rrr(PackedOp::Pabsb, Xmm::Xmm0, Xmm::Xmm1, Xmm::Xmm2)).contains("Pabsb"));
}
