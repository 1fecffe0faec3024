//! Integer instruction forms: add/sub/logical in every operand form, moves and constants,
//! multiply and divide, shifts and bitfields, bit operations, conditional selects.

use crate::common::*;
use target_aarch64::*;

const ALU_OPS: [(AluOp, &str); 10] = [
    (AluOp::Add, "add"),
    (AluOp::Adds, "adds"),
    (AluOp::Sub, "sub"),
    (AluOp::Subs, "subs"),
    (AluOp::And, "and"),
    (AluOp::Ands, "ands"),
    (AluOp::Orr, "orr"),
    (AluOp::Eor, "eor"),
    (AluOp::Bic, "bic"),
    (AluOp::Orn, "orn"),
];

/// Triples without the zero register as first source, where several operations print as
/// aliases (`mov`, `neg`, `mvn`); those are checked on their own.
const PLAIN: [(Gpr, Gpr, Gpr); 5] = [
    (Gpr::X0, Gpr::X1, Gpr::X2),
    (Gpr::X30, Gpr::X29, Gpr::X28),
    (Gpr::X17, Gpr::X16, Gpr::X15),
    (Gpr::X9, Gpr::X19, Gpr::X27),
    (Gpr::X3, Gpr::X30, Gpr::Zr),
];

const SHIFTS: [(Shift, &str); 4] = [(Shift::Lsl, "lsl"), (Shift::Lsr, "lsr"), (Shift::Asr, "asr"), (Shift::Ror, "ror")];

#[test]
fn register_forms() {
    let mut expect = Expect::new();
    for (op, mnemonic) in ALU_OPS {
        for size in WIDTHS {
            for (d, a, b) in PLAIN {
                let text = format!("{mnemonic} {}, {}, {}", r(d, size), r(a, size), r(b, size));
                expect.one(text, |asm| asm.alu_rrr(op, size, d, a, b));
            }
        }
    }
    expect.check();
}

#[test]
fn shifted_register_forms() {
    let mut expect = Expect::new();
    for (op, mnemonic) in ALU_OPS {
        for (shift, shift_name) in SHIFTS.into_iter().filter(|&(s, _)| s != Shift::Ror || !op.is_arithmetic()) {
            for (size, amount) in [(Size::S32, 1), (Size::S32, 31), (Size::S64, 63), (Size::S64, 17)] {
                let (d, a, b) = (Gpr::X7, Gpr::X29, Gpr::X30);
                let text = format!("{mnemonic} {}, {}, {}, {shift_name} #{amount}", r(d, size), r(a, size), r(b, size));
                expect.one(text, |asm| asm.alu_rrr_shift(op, size, d, a, b, shift, amount));
            }
        }
    }
    expect.check();
    assert!(
        error(|a| a.alu_rrr_shift(AluOp::Add, Size::S64, Gpr::X0, Gpr::X1, Gpr::X2, Shift::Ror, 1)).contains("rotated")
    );
    assert!(error(|a| a.alu_rrr_shift(AluOp::Orr, Size::S32, Gpr::X0, Gpr::X1, Gpr::X2, Shift::Lsl, 32))
        .contains("shift amount"));
}

#[test]
fn stack_pointer_operands_take_the_extended_form() {
    let mut expect = Expect::new();
    expect.one("add sp, sp, x1", |a| a.alu_rrr(AluOp::Add, Size::S64, Gpr::Sp, Gpr::Sp, Gpr::X1));
    expect.one("add x0, sp, x30", |a| a.alu_rrr(AluOp::Add, Size::S64, Gpr::X0, Gpr::Sp, Gpr::X30));
    expect.one("sub sp, x29, x16", |a| a.alu_rrr(AluOp::Sub, Size::S64, Gpr::Sp, Gpr::X29, Gpr::X16));
    expect.one("sub wsp, wsp, w1", |a| a.alu_rrr(AluOp::Sub, Size::S32, Gpr::Sp, Gpr::Sp, Gpr::X1));
    expect.one("subs x2, sp, x3", |a| a.alu_rrr(AluOp::Subs, Size::S64, Gpr::X2, Gpr::Sp, Gpr::X3));
    expect.one("cmp sp, x1", |a| a.cmp_rr(Size::S64, Gpr::Sp, Gpr::X1));
    expect.check();
    // The shifted and logical forms read 31 as the zero register.
    assert!(error(|a| a.alu_rrr(AluOp::Orr, Size::S64, Gpr::Sp, Gpr::X1, Gpr::X2)).contains("sp is not allowed"));
    assert!(error(|a| a.alu_rrr(AluOp::Add, Size::S64, Gpr::X0, Gpr::X1, Gpr::Sp)).contains("sp is not allowed"));
    // A flag-setting add's destination 31 is the zero register.
    assert!(error(|a| a.alu_rrr(AluOp::Adds, Size::S64, Gpr::Sp, Gpr::X1, Gpr::X2)).contains("sp is not allowed"));
}

#[test]
fn extended_register_forms() {
    let mut expect = Expect::new();
    let cases = [
        (AluOp::Add, Extend::Uxtw, 2, Gpr::X0, Gpr::X1, "add x0, x1, w2, uxtw #2"),
        (AluOp::Add, Extend::Uxtw, 0, Gpr::X0, Gpr::Sp, "add x0, sp, w2, uxtw"),
        (AluOp::Sub, Extend::Sxtw, 3, Gpr::Sp, Gpr::Sp, "sub sp, sp, w2, sxtw #3"),
        (AluOp::Adds, Extend::Uxtb, 4, Gpr::X30, Gpr::X29, "adds x30, x29, w2, uxtb #4"),
        (AluOp::Subs, Extend::Sxth, 1, Gpr::X5, Gpr::X6, "subs x5, x6, w2, sxth #1"),
        (AluOp::Add, Extend::Sxtx, 1, Gpr::X0, Gpr::X1, "add x0, x1, x2, sxtx #1"),
        (AluOp::Add, Extend::Uxtx, 3, Gpr::X0, Gpr::Sp, "add x0, sp, x2, lsl #3"),
        (AluOp::Sub, Extend::Uxth, 0, Gpr::X0, Gpr::X1, "sub x0, x1, w2, uxth"),
    ];
    for (op, extend, amount, d, a, text) in cases {
        expect.one(text, |asm| asm.alu_rrr_ext(op, Size::S64, d, a, Gpr::X2, extend, amount));
    }
    expect.one("add w0, w1, w2, sxtb", |a| {
        a.alu_rrr_ext(AluOp::Add, Size::S32, Gpr::X0, Gpr::X1, Gpr::X2, Extend::Sxtb, 0)
    });
    expect.check();
    assert!(error(|a| a.alu_rrr_ext(AluOp::And, Size::S64, Gpr::X0, Gpr::X1, Gpr::X2, Extend::Uxtw, 0))
        .contains("no extended-register form"));
    assert!(
        error(|a| a.alu_rrr_ext(AluOp::Add, Size::S64, Gpr::X0, Gpr::X1, Gpr::X2, Extend::Uxtw, 5)).contains("above 4")
    );
    assert!(error(|a| a.alu_rrr_ext(AluOp::Add, Size::S64, Gpr::X0, Gpr::Zr, Gpr::X2, Extend::Uxtw, 0))
        .contains("zero register is not allowed"));
}

#[test]
fn immediate_forms() {
    let mut expect = Expect::new();
    let s64 = Size::S64;
    let s32 = Size::S32;
    let cases: [(AluOp, Size, Gpr, Gpr, u64, &str); 16] = [
        (AluOp::Add, s64, Gpr::X0, Gpr::X1, 4095, "add x0, x1, #4095"),
        (AluOp::Add, s64, Gpr::X0, Gpr::Sp, 0x1000, "add x0, sp, #1, lsl #12"),
        (AluOp::Add, s32, Gpr::X30, Gpr::X29, 0xfff000, "add w30, w29, #4095, lsl #12"),
        (AluOp::Sub, s64, Gpr::Sp, Gpr::Sp, 16, "sub sp, sp, #16"),
        (AluOp::Adds, s64, Gpr::X2, Gpr::Sp, 1, "adds x2, sp, #1"),
        (AluOp::Subs, s32, Gpr::X2, Gpr::X3, 7, "subs w2, w3, #7"),
        (AluOp::Subs, s64, Gpr::Zr, Gpr::X3, 7, "cmp x3, #7"),
        (AluOp::Adds, s32, Gpr::Zr, Gpr::X3, 1, "cmn w3, #1"),
        (AluOp::And, s64, Gpr::X0, Gpr::X1, 0xff, "and x0, x1, #0xff"),
        (AluOp::And, s64, Gpr::Sp, Gpr::X1, 0xffff_ffff_ffff_fff0, "and sp, x1, #0xfffffffffffffff0"),
        (AluOp::And, s32, Gpr::X0, Gpr::X1, 0x8000_0001, "and w0, w1, #0x80000001"),
        (AluOp::Orr, s64, Gpr::X5, Gpr::X6, 0x5555_5555_5555_5555, "orr x5, x6, #0x5555555555555555"),
        (AluOp::Eor, s64, Gpr::X5, Gpr::X6, 0x00ff_00ff_00ff_00ff, "eor x5, x6, #0xff00ff00ff00ff"),
        (AluOp::Eor, s32, Gpr::X5, Gpr::X6, 0xfffe_ffff, "eor w5, w6, #0xfffeffff"),
        (AluOp::Ands, s64, Gpr::X7, Gpr::X30, 0x7fff_ffff_ffff_ffff, "ands x7, x30, #0x7fffffffffffffff"),
        (AluOp::Ands, s32, Gpr::Zr, Gpr::X30, 0x10, "tst w30, #0x10"),
    ];
    for (op, size, d, a, imm, text) in cases {
        assert!(imm::alu_imm_fits(op, size, imm), "{text}");
        expect.one(text, |asm| asm.alu_rri(op, size, d, a, imm));
    }
    expect.one("cmp w0, #4095", |a| a.cmp_ri(Size::S32, Gpr::X0, 4095));
    expect.one("cmn x0, #8", |a| a.cmn_ri(Size::S64, Gpr::X0, 8));
    expect.one("tst x9, #0x8000000000000000", |a| a.tst_ri(Size::S64, Gpr::X9, 1 << 63));
    expect.check();

    let too_wide = [
        (AluOp::Add, Size::S64, 4097, "not 12 bits"),
        (AluOp::Sub, Size::S64, u64::MAX, "not 12 bits"),
        (AluOp::And, Size::S64, 0, "bitmask"),
        (AluOp::Orr, Size::S64, u64::MAX, "bitmask"),
        (AluOp::Orr, Size::S32, 0x1_0000_0001, "bitmask"),
        (AluOp::Eor, Size::S64, 0x1234, "bitmask"),
        (AluOp::Bic, Size::S64, 1, "no immediate form"),
    ];
    for (op, size, value, message) in too_wide {
        assert!(!imm::alu_imm_fits(op, size, value));
        assert!(error(|a| a.alu_rri(op, size, Gpr::X0, Gpr::X1, value)).contains(message), "{op:?} {value:#x}");
    }
    // `sp` is only a destination of a logical immediate, never its source.
    assert!(error(|a| a.alu_rri(AluOp::Orr, Size::S64, Gpr::X0, Gpr::Sp, 1)).contains("sp is not allowed"));
}

#[test]
fn aliases_with_the_zero_register() {
    let mut expect = Expect::new();
    expect.one("mov x0, x1", |a| a.mov_rr(Size::S64, Gpr::X0, Gpr::X1));
    expect.one("mov w30, w29", |a| a.mov_rr(Size::S32, Gpr::X30, Gpr::X29));
    expect.one("mov x0, xzr", |a| a.mov_rr(Size::S64, Gpr::X0, Gpr::Zr));
    expect.one("mov sp, x29", |a| a.mov_rr(Size::S64, Gpr::Sp, Gpr::X29));
    expect.one("mov x29, sp", |a| a.mov_rr(Size::S64, Gpr::X29, Gpr::Sp));
    expect.one("mov wsp, w3", |a| a.mov_rr(Size::S32, Gpr::Sp, Gpr::X3));
    expect.one("neg x0, x1", |a| a.neg(Size::S64, Gpr::X0, Gpr::X1));
    expect.one("neg w30, w2", |a| a.neg(Size::S32, Gpr::X30, Gpr::X2));
    expect.one("mvn x0, x17", |a| a.mvn(Size::S64, Gpr::X0, Gpr::X17));
    expect.one("cmp w1, w2", |a| a.cmp_rr(Size::S32, Gpr::X1, Gpr::X2));
    expect.one("tst x1, x2", |a| a.tst_rr(Size::S64, Gpr::X1, Gpr::X2));
    expect.check();
    assert!(error(|a| a.mov_rr(Size::S64, Gpr::Sp, Gpr::Zr)).contains("zero register is not allowed"));
}

#[test]
fn constants_take_the_shortest_sequence() {
    let mut expect = Expect::new();
    let s = |texts: &[&str]| texts.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let cases: [(Size, u64, Vec<String>); 12] = [
        (Size::S64, 0, s(&["mov x0, #0"])),
        (Size::S64, 0xffff, s(&["mov x0, #65535"])),
        (Size::S64, 0x1234_0000, s(&["mov x0, #305397760"])),
        (Size::S64, 0xffff_0000_0000_0000, s(&["mov x0, #-281474976710656"])),
        (Size::S64, u64::MAX, s(&["mov x0, #-1"])),
        (Size::S64, 0xffff_ffff_ffff_1234, s(&["mov x0, #-60876"])),
        (Size::S64, 0x5555_5555_5555_5555, s(&["mov x0, #6148914691236517205"])),
        (
            Size::S64,
            0x1234_5678_9abc_def0,
            s(&["mov x0, #57072", "movk x0, #39612, lsl #16", "movk x0, #22136, lsl #32", "movk x0, #4660, lsl #48"]),
        ),
        (Size::S64, 0xffff_1234_ffff_5678, s(&["mov x0, #-43400", "movk x0, #4660, lsl #32"])),
        (Size::S64, 0x0001_0000_0000_0002, s(&["mov x0, #2", "movk x0, #1, lsl #48"])),
        (Size::S32, 0xffff_fffe, s(&["mov w0, #-2"])),
        // Only the low 32 bits count for a 32-bit move.
        (Size::S32, 0xdead_0000_1234_5678, s(&["mov w0, #22136", "movk w0, #4660, lsl #16"])),
    ];
    for (size, value, texts) in cases {
        expect.seq(&texts, |a| a.mov_imm(size, Gpr::X0, value));
    }
    expect.one("movz x30, #0, lsl #48", |a| a.movz(Size::S64, Gpr::X30, 0, 48));
    expect.one("movk w1, #65535, lsl #16", |a| a.movk(Size::S32, Gpr::X1, 0xffff, 16));
    expect.one("mov x2, #-4294967297", |a| a.movn(Size::S64, Gpr::X2, 1, 32));
    expect.check();
    assert!(error(|a| a.movz(Size::S32, Gpr::X0, 1, 32)).contains("shift 32"));
    assert!(error(|a| a.movk(Size::S64, Gpr::X0, 1, 8)).contains("shift 8"));
    assert!(error(|a| a.mov_imm(Size::S64, Gpr::Sp, 1)).contains("x0..x30"));
    assert!(error(|a| a.mov_imm(Size::S16, Gpr::X0, 1)).contains("32- and 64-bit"));
}

#[test]
fn multiply_and_divide() {
    let mut expect = Expect::new();
    for size in WIDTHS {
        for (d, a, b) in PLAIN {
            let (rd, ra, rb) = (r(d, size), r(a, size), r(b, size));
            let acc = Gpr::X4;
            let racc = r(acc, size);
            expect.one(format!("mul {rd}, {ra}, {rb}"), |asm| asm.mul(size, d, a, b));
            expect.one(format!("madd {rd}, {ra}, {rb}, {racc}"), |asm| asm.madd(size, d, a, b, acc));
            expect.one(format!("msub {rd}, {ra}, {rb}, {racc}"), |asm| asm.msub(size, d, a, b, acc));
            expect.one(format!("sdiv {rd}, {ra}, {rb}"), |asm| asm.sdiv(size, d, a, b));
            expect.one(format!("udiv {rd}, {ra}, {rb}"), |asm| asm.udiv(size, d, a, b));
        }
    }
    expect.one("smulh x0, x29, x30", |a| a.smulh(Gpr::X0, Gpr::X29, Gpr::X30));
    expect.one("umulh x30, x1, xzr", |a| a.umulh(Gpr::X30, Gpr::X1, Gpr::Zr));
    expect.check();
    assert!(error(|a| a.mul(Size::S64, Gpr::Sp, Gpr::X1, Gpr::X2)).contains("sp is not allowed"));
    assert!(error(|a| a.udiv(Size::S8, Gpr::X0, Gpr::X1, Gpr::X2)).contains("32- and 64-bit"));
}

#[test]
fn shifts_by_register_and_immediate() {
    let mut expect = Expect::new();
    for size in WIDTHS {
        for (d, a, b) in PLAIN {
            for (shift, name) in SHIFTS {
                let text = format!("{name} {}, {}, {}", r(d, size), r(a, size), r(b, size));
                expect.one(text, |asm| asm.shift_rrr(shift, size, d, a, b));
            }
        }
        let top = size.bytes() * 8 - 1;
        for amount in [1, 7, top] {
            for (shift, name) in SHIFTS {
                let (d, a) = (Gpr::X30, Gpr::X29);
                let text = format!("{name} {}, {}, #{amount}", r(d, size), r(a, size));
                expect.one(text, |asm| asm.shift_rri(shift, size, d, a, amount));
            }
        }
    }
    // A shift by 0 is a plain copy; LLVM prints the `ubfm` as the `lsr` alias.
    expect.one("lsr x0, x1, #0", |a| a.shift_rri(Shift::Lsl, Size::S64, Gpr::X0, Gpr::X1, 0));
    expect.one("ubfx x0, x1, #4, #8", |a| a.ubfm(Size::S64, Gpr::X0, Gpr::X1, 4, 11));
    expect.one("sbfx w0, w1, #4, #8", |a| a.sbfm(Size::S32, Gpr::X0, Gpr::X1, 4, 11));
    expect.one("bfxil x0, x1, #4, #8", |a| a.bfm(Size::S64, Gpr::X0, Gpr::X1, 4, 11));
    expect.one("bfi x0, x1, #8, #4", |a| a.bfm(Size::S64, Gpr::X0, Gpr::X1, 56, 3));
    expect.one("extr x0, x1, x2, #13", |a| a.extr(Size::S64, Gpr::X0, Gpr::X1, Gpr::X2, 13));
    expect.check();
    assert!(error(|a| a.shift_rri(Shift::Lsl, Size::S32, Gpr::X0, Gpr::X1, 32)).contains("not below"));
    assert!(error(|a| a.ubfm(Size::S32, Gpr::X0, Gpr::X1, 0, 32)).contains("not below"));
}

#[test]
fn extensions() {
    let mut expect = Expect::new();
    for (d, s) in [(Gpr::X0, Gpr::X1), (Gpr::X30, Gpr::X29)] {
        expect.one(format!("sxtb {}, {}", w(d), w(s)), |a| a.sign_extend(Size::S8, Size::S32, d, s));
        expect.one(format!("sxtb {}, {}", x(d), w(s)), |a| a.sign_extend(Size::S8, Size::S64, d, s));
        expect.one(format!("sxth {}, {}", w(d), w(s)), |a| a.sign_extend(Size::S16, Size::S32, d, s));
        expect.one(format!("sxth {}, {}", x(d), w(s)), |a| a.sign_extend(Size::S16, Size::S64, d, s));
        expect.one(format!("sxtw {}, {}", x(d), w(s)), |a| a.sign_extend(Size::S32, Size::S64, d, s));
        expect.one(format!("uxtb {}, {}", w(d), w(s)), |a| a.zero_extend(Size::S8, d, s));
        expect.one(format!("uxth {}, {}", w(d), w(s)), |a| a.zero_extend(Size::S16, d, s));
        expect.one(format!("mov {}, {}", w(d), w(s)), |a| a.zero_extend(Size::S32, d, s));
    }
    expect.check();
    assert!(error(|a| a.sign_extend(Size::S32, Size::S32, Gpr::X0, Gpr::X1)).contains("cannot extend"));
    assert!(error(|a| a.zero_extend(Size::S64, Gpr::X0, Gpr::X1)).contains("nothing to extend"));
}

#[test]
fn bit_operations() {
    let mut expect = Expect::new();
    let ops = [(BitOp::Clz, "clz"), (BitOp::Cls, "cls"), (BitOp::Rbit, "rbit"), (BitOp::Rev, "rev")];
    for (op, name) in ops {
        for size in WIDTHS {
            for (d, s, _) in PLAIN {
                expect.one(format!("{name} {}, {}", r(d, size), r(s, size)), |a| a.bit_op(op, size, d, s));
            }
        }
    }
    expect.check();
}

const CONDS: [(Cond, &str); 16] = [
    (Cond::Eq, "eq"),
    (Cond::Ne, "ne"),
    (Cond::Hs, "hs"),
    (Cond::Lo, "lo"),
    (Cond::Mi, "mi"),
    (Cond::Pl, "pl"),
    (Cond::Vs, "vs"),
    (Cond::Vc, "vc"),
    (Cond::Hi, "hi"),
    (Cond::Ls, "ls"),
    (Cond::Ge, "ge"),
    (Cond::Lt, "lt"),
    (Cond::Gt, "gt"),
    (Cond::Le, "le"),
    (Cond::Al, "al"),
    (Cond::Nv, "nv"),
];

#[test]
fn conditional_selects() {
    let mut expect = Expect::new();
    for (cond, name) in CONDS {
        for size in WIDTHS {
            let (d, a, b) = (Gpr::X30, Gpr::X0, Gpr::X29);
            let (rd, ra, rb) = (r(d, size), r(a, size), r(b, size));
            expect.one(format!("csel {rd}, {ra}, {rb}, {name}"), |asm| asm.csel(size, d, a, b, cond));
            expect.one(format!("csinc {rd}, {ra}, {rb}, {name}"), |asm| asm.csinc(size, d, a, b, cond));
            expect.one(format!("csinv {rd}, {ra}, {rb}, {name}"), |asm| asm.csinv(size, d, a, b, cond));
            expect.one(format!("csneg {rd}, {ra}, {rb}, {name}"), |asm| asm.csneg(size, d, a, b, cond));
            if !matches!(cond, Cond::Al | Cond::Nv) {
                expect.one(format!("cset {rd}, {name}"), |asm| asm.cset(size, d, cond));
                expect.one(format!("csetm {rd}, {name}"), |asm| asm.csetm(size, d, cond));
            }
        }
    }
    expect.check();
    assert!(error(|a| a.cset(Size::S64, Gpr::X0, Cond::Al)).contains("cannot be inverted"));
    for (cond, _) in CONDS.into_iter().take(14) {
        assert_eq!(cond.invert().invert(), cond);
        assert_ne!(cond.invert(), cond);
    }
}

/// `mov_imm_len` predicts `mov_imm`'s length, for the listed shapes and random values.
#[test]
fn mov_imm_len_counts_the_instructions() {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut values = vec![0, 1, 0xffff, 0x1_0000, u64::MAX, 0xffff_ffff, 0x5555_5555_5555_5555, 0xdead_0000_1234_5678];
    for _ in 0..2000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Random halves, some forced to all zeros or all ones.
        let shaped = (0..4).fold(0u64, |v, i| {
            let h = match (x >> (8 * i)) & 3 { 0 => 0, 1 => 0xffff, _ => (x >> (16 * i)) & 0xffff };
            v | h << (16 * i)
        });
        values.extend([x, shaped]);
    }
    for size in [Size::S32, Size::S64] {
        for &v in &values {
            let mut a = Assembler::new();
            a.mov_imm(size, Gpr::X0, v);
            let len = a.finish().expect("assemble").code.len() as u32 / 4;
            assert_eq!(Assembler::mov_imm_len(size, v), len, "{size:?} {v:#x}");
        }
    }
}
