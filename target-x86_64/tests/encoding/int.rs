//! Integer instruction forms.

use crate::common::*;
use target_x86_64::*;

const ALU_OPS: [(AluOp, &str); 7] = [
    (AluOp::Add, "add"),
    (AluOp::Sub, "sub"),
    (AluOp::And, "and"),
    (AluOp::Or, "or"),
    (AluOp::Xor, "xor"),
    (AluOp::Cmp, "cmp"),
    (AluOp::Test, "test"),
];

/// Register pairs that exercise REX.R, REX.B, both and neither, and the byte registers that
/// need a REX prefix.
const PAIRS: [(Gpr, Gpr); 6] = [
    (Gpr::Rax, Gpr::Rcx),
    (Gpr::R8, Gpr::Rdx),
    (Gpr::Rbx, Gpr::R15),
    (Gpr::R12, Gpr::R13),
    (Gpr::Rsp, Gpr::Rbp),
    (Gpr::Rsi, Gpr::Rdi),
];

const WIDTHS: [Size; 2] = [Size::S32, Size::S64];

#[test]
fn alu_register_register() {
    for (op, mnemonic) in ALU_OPS {
        for size in WIDTHS {
            for (dst, src) in PAIRS {
                let text = one(|a| a.alu_rr(op, size, dst, src));
                assert_eq!(text, format!("{mnemonic} {}, {}", name(dst, size), name(src, size)));
            }
        }
    }
}

#[test]
fn alu_register_immediate_picks_the_short_form_when_it_fits() {
    for (op, mnemonic) in ALU_OPS {
        for size in WIDTHS {
            for (imm, text) in [(5, "5"), (-1, "0xffffffff"), (127, "0x7f"), (-128, "0xffffff80"), (0x1234, "0x1234")] {
                let out = assemble(|a| a.alu_ri(op, size, Gpr::R10, imm));
                // The formatter shows 64-bit immediates sign-extended to 64 bits.
                let text = match (size, imm < 0) {
                    (Size::S64, true) => format!("0xffffffff{}", &text[2..]),
                    _ => text.to_string(),
                };
                assert_eq!(disasm(&out.code), [format!("{mnemonic} {}, {text}", name(Gpr::R10, size))]);
                // REX + opcode + ModRM + imm8 or imm32; `test` has no imm8 form.
                let short = op != AluOp::Test && i8::try_from(imm).is_ok();
                assert_eq!(out.code.len(), if short { 4 } else { 7 }, "{mnemonic} {imm}");
            }
        }
    }
}

#[test]
fn alu_with_memory_operands() {
    let mem = Mem::indexed(Gpr::R14, Gpr::Rcx, Scale::X4, 16);
    for (op, mnemonic) in ALU_OPS {
        for size in WIDTHS {
            let (reg, ptr) = (name(Gpr::R9, size), if size == Size::S32 { "dword" } else { "qword" });
            let rm = one(|a| a.alu_rm(op, size, Gpr::R9, mem));
            let mr = one(|a| a.alu_mr(op, size, mem, Gpr::R9));
            let mi = one(|a| a.alu_mi(op, size, mem, 0x100));
            if op == AluOp::Test {
                assert_eq!(rm, format!("test [r14+rcx*4+0x10], {reg}"));
            } else {
                assert_eq!(rm, format!("{mnemonic} {reg}, [r14+rcx*4+0x10]"));
            }
            assert_eq!(mr, format!("{mnemonic} [r14+rcx*4+0x10], {reg}"));
            assert_eq!(mi, format!("{mnemonic} {ptr} ptr [r14+rcx*4+0x10], 0x100"));
        }
    }
}

#[test]
fn alu_refuses_narrow_sizes() {
    assert!(error(|a| a.alu_rr(AluOp::Add, Size::S8, Gpr::Rax, Gpr::Rcx)).contains("S8"));
    assert!(error(|a| a.imul_rr(Size::S16, Gpr::Rax, Gpr::Rcx)).contains("S16"));
}

#[test]
fn zero_is_a_32_bit_xor() {
    assert_eq!(one(|a| a.zero(Gpr::R11)), "xor r11d, r11d");
}

#[test]
fn mov_register_register() {
    for size in WIDTHS {
        for (dst, src) in PAIRS {
            assert_eq!(one(|a| a.mov_rr(size, dst, src)), format!("mov {}, {}", name(dst, size), name(src, size)));
        }
    }
}

#[test]
fn mov_immediate_picks_the_shortest_form() {
    let cases: [(u64, &str, usize); 6] = [
        (0, "mov r9d, 0", 6),
        (0xffff_ffff, "mov r9d, 0xffffffff", 6),
        (0xffff_ffff_ffff_fffe, "mov r9, 0xfffffffffffffffe", 7),
        (0xffff_ffff_8000_0000, "mov r9, 0xffffffff80000000", 7),
        (0x1_0000_0000, "mov r9, 0x100000000", 10),
        (0x7fff_ffff_ffff_ffff, "mov r9, 0x7fffffffffffffff", 10),
    ];
    for (value, text, len) in cases {
        let out = assemble(|a| a.mov_imm(Gpr::R9, value));
        assert_eq!(disasm(&out.code), [text]);
        assert_eq!(out.code.len(), len, "{text}");
    }
    assert_eq!(one(|a| a.mov_imm(Gpr::Rax, 7)), "mov eax, 7");
}

#[test]
fn loads_zero_extend() {
    let mem = Mem::base_disp(Gpr::Rbp, -8);
    for reg in [Gpr::Rax, Gpr::Rsi, Gpr::R8, Gpr::R15] {
        let (r32, r64) = (name(reg, Size::S32), name(reg, Size::S64));
        assert_eq!(one(|a| a.load_zx(Size::S8, reg, mem)), format!("movzx {r32}, byte ptr [rbp-8]"));
        assert_eq!(one(|a| a.load_zx(Size::S16, reg, mem)), format!("movzx {r32}, word ptr [rbp-8]"));
        assert_eq!(one(|a| a.load_zx(Size::S32, reg, mem)), format!("mov {r32}, [rbp-8]"));
        assert_eq!(one(|a| a.load_zx(Size::S64, reg, mem)), format!("mov {r64}, [rbp-8]"));
    }
}

#[test]
fn loads_sign_extend() {
    let mem = Mem::base(Gpr::R12);
    let cases = [
        (Size::S8, Size::S32, "movsx r13d, byte ptr [r12]"),
        (Size::S16, Size::S32, "movsx r13d, word ptr [r12]"),
        (Size::S8, Size::S64, "movsx r13, byte ptr [r12]"),
        (Size::S16, Size::S64, "movsx r13, word ptr [r12]"),
        (Size::S32, Size::S64, "movsxd r13, [r12]"),
    ];
    for (from, to, text) in cases {
        assert_eq!(one(|a| a.load_sx(from, to, Gpr::R13, mem)), text);
    }
    assert!(error(|a| a.load_sx(Size::S32, Size::S32, Gpr::Rax, mem)).contains("sign extension"));
}

#[test]
fn register_extensions() {
    assert_eq!(one(|a| a.movzx_rr(Size::S8, Gpr::Rax, Gpr::Rsi)), "movzx eax, sil");
    assert_eq!(one(|a| a.movzx_rr(Size::S16, Gpr::R9, Gpr::R10)), "movzx r9d, r10w");
    assert_eq!(one(|a| a.movsx_rr(Size::S8, Size::S32, Gpr::Rcx, Gpr::Rdi)), "movsx ecx, dil");
    assert_eq!(one(|a| a.movsx_rr(Size::S16, Size::S64, Gpr::R8, Gpr::Rbx)), "movsx r8, bx");
    assert_eq!(one(|a| a.movsx_rr(Size::S32, Size::S64, Gpr::Rdx, Gpr::R15)), "movsxd rdx, r15d");
    assert!(error(|a| a.movzx_rr(Size::S32, Gpr::Rax, Gpr::Rcx)).contains("movzx"));
}

#[test]
fn stores_of_every_size() {
    let mem = Mem::base_disp(Gpr::Rsp, 24);
    for reg in [Gpr::Rax, Gpr::Rdi, Gpr::R9, Gpr::R14] {
        for size in [Size::S8, Size::S16, Size::S32, Size::S64] {
            assert_eq!(one(|a| a.store(size, mem, reg)), format!("mov [rsp+0x18], {}", name(reg, size)));
        }
    }
}

#[test]
fn store_immediates() {
    let mem = Mem::base(Gpr::R13);
    assert_eq!(one(|a| a.store_imm(Size::S8, mem, 0xff)), "mov byte ptr [r13], 0xff");
    assert_eq!(one(|a| a.store_imm(Size::S8, mem, -1)), "mov byte ptr [r13], 0xff");
    assert_eq!(one(|a| a.store_imm(Size::S16, mem, 0x1234)), "mov word ptr [r13], 0x1234");
    assert_eq!(one(|a| a.store_imm(Size::S32, mem, -2)), "mov dword ptr [r13], 0xfffffffe");
    assert_eq!(one(|a| a.store_imm(Size::S64, mem, -2)), "mov qword ptr [r13], 0xfffffffffffffffe");
    assert!(error(|a| a.store_imm(Size::S8, mem, 0x100)).contains("does not fit"));
    assert!(error(|a| a.store_imm(Size::S16, mem, -0x8001)).contains("does not fit"));
}

#[test]
fn lea_at_both_widths() {
    let mem = Mem::indexed(Gpr::Rdi, Gpr::Rsi, Scale::X2, 3);
    assert_eq!(one(|a| a.lea(Size::S64, Gpr::R8, mem)), "lea r8, [rdi+rsi*2+3]");
    assert_eq!(one(|a| a.lea(Size::S32, Gpr::Rax, mem)), "lea eax, [rdi+rsi*2+3]");
}

#[test]
fn multiply() {
    for size in WIDTHS {
        for (dst, src) in PAIRS {
            let (d, s) = (name(dst, size), name(src, size));
            assert_eq!(one(|a| a.imul_rr(size, dst, src)), format!("imul {d}, {s}"));
            assert_eq!(one(|a| a.imul_rri(size, dst, src, 10)), format!("imul {d}, {s}, 0xa"));
            let big = one(|a| a.imul_rri(size, dst, src, 1000));
            assert_eq!(big, format!("imul {d}, {s}, 0x3e8"));
        }
        let short = assemble(|a| a.imul_rri(size, Gpr::R8, Gpr::R9, -3)).code.len();
        let long = assemble(|a| a.imul_rri(size, Gpr::R8, Gpr::R9, 300)).code.len();
        assert_eq!(long - short, 3, "an imm8 form is chosen when the immediate fits");
        let reg = name(Gpr::Rbx, size);
        assert_eq!(one(|a| a.imul_rm(size, Gpr::Rbx, Mem::base(Gpr::R13))), format!("imul {reg}, [r13]"));
        let mem = Mem::base_disp(Gpr::Rsp, 8);
        assert_eq!(
            one(|a| a.imul_rmi(size, Gpr::Rbx, mem, -7)),
            format!("imul {reg}, [rsp+8], {}", if size == Size::S32 { "0xfffffff9" } else { "0xfffffffffffffff9" })
        );
        assert_eq!(one(|a| a.imul_rmi(size, Gpr::Rbx, mem, 0x10000)), format!("imul {reg}, [rsp+8], 0x10000"));
    }
}

#[test]
fn unary_and_division() {
    for size in WIDTHS {
        for reg in [Gpr::Rcx, Gpr::Rsp, Gpr::R8, Gpr::R15] {
            let r = name(reg, size);
            assert_eq!(one(|a| a.neg(size, reg)), format!("neg {r}"));
            assert_eq!(one(|a| a.not(size, reg)), format!("not {r}"));
            assert_eq!(one(|a| a.div(size, reg)), format!("div {r}"));
            assert_eq!(one(|a| a.idiv(size, reg)), format!("idiv {r}"));
        }
    }
    for reg in [Gpr::Rcx, Gpr::R15] {
        assert_eq!(one(|a| a.mul_wide(reg)), format!("mul {}", name(reg, Size::S64)));
    }
    assert_eq!(one(|a| a.sign_extend_rax(Size::S32)), "cdq");
    assert_eq!(one(|a| a.sign_extend_rax(Size::S64)), "cqo");
}

#[test]
fn shifts_and_rotates() {
    let ops = [
        (ShiftOp::Shl, "shl"),
        (ShiftOp::Shr, "shr"),
        (ShiftOp::Sar, "sar"),
        (ShiftOp::Rol, "rol"),
        (ShiftOp::Ror, "ror"),
    ];
    for (op, mnemonic) in ops {
        for size in WIDTHS {
            for reg in [Gpr::Rax, Gpr::Rdi, Gpr::R11] {
                let r = name(reg, size);
                assert_eq!(one(|a| a.shift_cl(op, size, reg)), format!("{mnemonic} {r}, cl"));
                assert_eq!(one(|a| a.shift_ri(op, size, reg, 3)), format!("{mnemonic} {r}, 3"));
            }
        }
        // Counts are masked as the CPU masks them, so a Wasm shift by 33 means the same.
        assert_eq!(one(|a| a.shift_ri(op, Size::S32, Gpr::Rax, 33)), format!("{mnemonic} eax, 1"));
        assert_eq!(one(|a| a.shift_ri(op, Size::S64, Gpr::Rax, 65)), format!("{mnemonic} rax, 1"));
        assert_eq!(one(|a| a.shift_ri(op, Size::S64, Gpr::Rax, 63)), format!("{mnemonic} rax, 0x3f"));
    }
}

#[test]
fn bmi2_shifts_take_any_three_registers() {
    for (op, mnemonic) in [(ShiftOp::Shl, "shlx"), (ShiftOp::Shr, "shrx"), (ShiftOp::Sar, "sarx")] {
        let text = one(|a| a.shiftx_rrr(op, Size::S32, Gpr::Rax, Gpr::R9, Gpr::Rdx));
        assert_eq!(text, format!("{mnemonic} eax, r9d, edx"));
        assert_eq!(one(|a| a.shiftx_rrr(op, Size::S64, Gpr::R15, Gpr::Rcx, Gpr::Rsi)), format!("{mnemonic} r15, rcx, rsi"));
    }
    assert!(error(|a| a.shiftx_rrr(ShiftOp::Rol, Size::S32, Gpr::Rax, Gpr::Rax, Gpr::Rcx)).contains("Rol"));
}

#[test]
fn bmi1_and_not() {
    assert_eq!(one(|a| a.andn_rrr(Size::S32, Gpr::Rax, Gpr::R9, Gpr::Rdx)), "andn eax, r9d, edx");
    assert_eq!(one(|a| a.andn_rrr(Size::S64, Gpr::R15, Gpr::Rcx, Gpr::Rsi)), "andn r15, rcx, rsi");
}

#[test]
fn bmi2_rotate_by_immediate_masks_the_count() {
    assert_eq!(one(|a| a.rorx_rri(Size::S32, Gpr::R8, Gpr::Rbx, 7)), "rorx r8d, ebx, 7");
    assert_eq!(one(|a| a.rorx_rri(Size::S32, Gpr::Rax, Gpr::Rax, 33)), "rorx eax, eax, 1");
    assert_eq!(one(|a| a.rorx_rri(Size::S64, Gpr::Rsi, Gpr::R12, 63)), "rorx rsi, r12, 0x3f");
}

const CONDS: [(Cond, &str); 16] = [
    (Cond::O, "o"),
    (Cond::NO, "no"),
    (Cond::B, "b"),
    (Cond::AE, "ae"),
    (Cond::E, "e"),
    (Cond::NE, "ne"),
    (Cond::BE, "be"),
    (Cond::A, "a"),
    (Cond::S, "s"),
    (Cond::NS, "ns"),
    (Cond::P, "p"),
    (Cond::NP, "np"),
    (Cond::L, "l"),
    (Cond::GE, "ge"),
    (Cond::LE, "le"),
    (Cond::G, "g"),
];

#[test]
fn setcc_and_cmov_for_every_condition() {
    for (cond, suffix) in CONDS {
        assert_eq!(one(|a| a.setcc(cond, Gpr::Rsi)), format!("set{suffix} sil"));
        assert_eq!(one(|a| a.setcc(cond, Gpr::R12)), format!("set{suffix} r12b"));
        assert_eq!(lines(|a| a.set_bool(cond, Gpr::Rdi)), [format!("set{suffix} dil"), "movzx edi, dil".into()]);
        assert_eq!(one(|a| a.cmov(cond, Size::S32, Gpr::Rax, Gpr::R9)), format!("cmov{suffix} eax, r9d"));
        assert_eq!(one(|a| a.cmov(cond, Size::S64, Gpr::R10, Gpr::Rbx)), format!("cmov{suffix} r10, rbx"));
        let mem = one(|a| a.cmov_rm(cond, Size::S64, Gpr::Rdx, Mem::base_disp(Gpr::Rsp, 8)));
        assert_eq!(mem, format!("cmov{suffix} rdx, [rsp+8]"));
    }
}

#[test]
fn condition_inversion_pairs_opposites() {
    for (cond, _) in CONDS {
        assert_ne!(cond.invert(), cond);
        assert_eq!(cond.invert().invert(), cond);
    }
    assert_eq!(Cond::L.invert(), Cond::GE);
    assert_eq!(Cond::A.invert(), Cond::BE);
    assert_eq!(Cond::P.invert(), Cond::NP);
}

#[test]
fn bit_counts() {
    let ops = [
        (BitCountOp::Bsf, "bsf"),
        (BitCountOp::Bsr, "bsr"),
        (BitCountOp::Lzcnt, "lzcnt"),
        (BitCountOp::Tzcnt, "tzcnt"),
        (BitCountOp::Popcnt, "popcnt"),
    ];
    for (op, mnemonic) in ops {
        for size in WIDTHS {
            for (dst, src) in PAIRS {
                let text = one(|a| a.bit_count(op, size, dst, src));
                assert_eq!(text, format!("{mnemonic} {}, {}", name(dst, size), name(src, size)));
            }
        }
    }
}

#[test]
fn push_and_pop_every_register() {
    for reg in Gpr::ALL {
        assert_eq!(one(|a| a.push(reg)), format!("push {}", name(reg, Size::S64)));
        assert_eq!(one(|a| a.pop(reg)), format!("pop {}", name(reg, Size::S64)));
    }
}
