//! Memory operands: every base register (with the SIB byte `rsp`/`r12` need and the zero
//! displacement `rbp`/`r13` need), every index register and scale, the shortest displacement,
//! and RIP-relative labels.

use crate::common::*;
use target_x86_64::*;

const DISPS: [i32; 9] = [0, 1, -1, 127, -128, 128, -129, i32::MAX, i32::MIN];

/// Expected length of `mov r64, [base + disp]`: REX, opcode, ModRM, then a SIB byte for an
/// rsp/r12 base, and a displacement of 0, 1 or 4 bytes (rbp/r13 cannot go without one).
fn expected_load_len(base: Gpr, disp: i32) -> usize {
    let sib = usize::from(base.hw() & 7 == 4);
    let disp_len = if disp == 0 && base.hw() & 7 != 5 {
        0
    } else if i8::try_from(disp).is_ok() {
        1
    } else {
        4
    };
    3 + sib + disp_len
}

#[test]
fn every_base_register_with_every_displacement_size() {
    for base in Gpr::ALL {
        for disp in DISPS {
            let out = assemble(|a| a.load_zx(Size::S64, Gpr::R11, Mem::base_disp(base, disp)));
            let text = format!("mov r11, [{}{}]", name(base, Size::S64), disp_text(disp));
            assert_eq!(disasm(&out.code), [text]);
            assert_eq!(out.code.len(), expected_load_len(base, disp), "length of {base:?}{disp:+}");
        }
    }
}

#[test]
fn every_index_register_and_scale() {
    let scales = [(Scale::X1, 1), (Scale::X2, 2), (Scale::X4, 4), (Scale::X8, 8)];
    for index in Gpr::ALL.into_iter().filter(|&r| r != Gpr::Rsp) {
        for base in [Gpr::Rax, Gpr::Rsp, Gpr::Rbp, Gpr::R12, Gpr::R13, Gpr::R15] {
            for (scale, factor) in scales {
                for disp in [0, -8, 0x1000] {
                    let text = one(|a| a.store(Size::S32, Mem::indexed(base, index, scale, disp), Gpr::R8));
                    let scaled = if factor == 1 {
                        name(index, Size::S64).to_string()
                    } else {
                        format!("{}*{factor}", name(index, Size::S64))
                    };
                    let expected = format!("mov [{}+{scaled}{}], r8d", name(base, Size::S64), disp_text(disp));
                    assert_eq!(text, expected);
                }
            }
        }
    }
}

#[test]
fn index_without_a_base_has_a_four_byte_displacement() {
    for index in [Gpr::Rax, Gpr::Rbp, Gpr::R13, Gpr::R15] {
        for (scale, factor) in [(Scale::X2, 2), (Scale::X4, 4), (Scale::X8, 8)] {
            for disp in [0, 8, -0x1000, 0xe80] {
                let out = assemble(|a| a.lea(Size::S32, Gpr::Rcx, Mem::scaled(index, scale, disp)));
                // REX (for r8..r15 only), opcode, ModRM, SIB, disp32.
                let rex = usize::from(index.hw() >= 8);
                assert_eq!(out.code.len(), rex + 3 + 4, "{index:?}*{factor}{disp:+}");
                let expected = format!("lea ecx, [{}*{factor}{}]", name(index, Size::S64), disp_text(disp));
                assert_eq!(disasm(&out.code), [expected]);
            }
        }
    }
    let message = error(|a| a.lea(Size::S32, Gpr::Rcx, Mem { base: Base::None, index: None, disp: 0 }));
    assert!(message.contains("index"), "{message}");
}

#[test]
fn rsp_cannot_be_an_index() {
    let message = error(|a| a.load_zx(Size::S32, Gpr::Rax, Mem::indexed(Gpr::Rbx, Gpr::Rsp, Scale::X1, 0)));
    assert!(message.contains("index"), "{message}");
}

#[test]
fn rip_relative_label_before_and_after_the_instruction() {
    let out = assemble(|a| {
        let before = a.new_label();
        let after = a.new_label();
        a.bind_label(before);
        a.load_zx(Size::S64, Gpr::R9, Mem::label(after)); // 0..7
        a.lea(Size::S64, Gpr::Rax, Mem::label(before)); // 7..14
        a.lea(Size::S64, Gpr::Rax, Mem { disp: 8, ..Mem::label(before) }); // 14..21
        a.bind_label(after);
        a.alu_mi(AluOp::Cmp, Size::S32, Mem::label(after), 1000); // immediate after the field
    });
    assert_eq!(disasm(&out.code), ["mov r9, [0x15]", "lea rax, [0]", "lea rax, [8]", "cmp dword ptr [0x15], 0x3e8"]);
}

#[test]
fn rip_relative_address_takes_no_index() {
    let message = error(|a| {
        let l = a.new_label();
        a.bind_label(l);
        a.load_zx(Size::S32, Gpr::Rax, Mem { index: Some((Gpr::Rcx, Scale::X4)), ..Mem::label(l) });
    });
    assert!(message.contains("index"), "{message}");
}

#[test]
fn offset_by_moves_the_displacement_and_refuses_overflow() {
    let mem = Mem::base_disp(Gpr::Rdi, 8);
    assert_eq!(mem.offset_by(8), Some(Mem::base_disp(Gpr::Rdi, 16)));
    assert_eq!(Mem::base_disp(Gpr::Rdi, i32::MAX).offset_by(1), None);
}
