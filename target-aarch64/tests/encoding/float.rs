//! Scalar floating point, conversions, moves between register files, and the SIMD
//! instructions of the population count.

use crate::common::*;
use target_aarch64::*;

const SIZES: [(FloatSize, char); 2] = [(FloatSize::F32, 's'), (FloatSize::F64, 'd')];

#[test]
fn arithmetic() {
    let mut expect = Expect::new();
    let ops = [
        (FloatOp::Add, "fadd"),
        (FloatOp::Sub, "fsub"),
        (FloatOp::Mul, "fmul"),
        (FloatOp::Div, "fdiv"),
        (FloatOp::Min, "fmin"),
        (FloatOp::Max, "fmax"),
        (FloatOp::MinNm, "fminnm"),
        (FloatOp::MaxNm, "fmaxnm"),
    ];
    for (size, view) in SIZES {
        for (d, a, b) in VTRIPLES {
            for (op, name) in ops {
                let text = format!("{name} {}, {}, {}", vr(view, d), vr(view, a), vr(view, b));
                expect.one(text, |asm| asm.float_rrr(op, size, d, a, b));
            }
            let unary = [(FloatUnaryOp::Abs, "fabs"), (FloatUnaryOp::Neg, "fneg"), (FloatUnaryOp::Sqrt, "fsqrt")];
            for (op, name) in unary {
                expect.one(format!("{name} {}, {}", vr(view, d), vr(view, a)), |asm| asm.float_unary(op, size, d, a));
            }
            let rounds = [
                (RoundMode::Nearest, "frintn"),
                (RoundMode::Floor, "frintm"),
                (RoundMode::Ceil, "frintp"),
                (RoundMode::Trunc, "frintz"),
            ];
            for (mode, name) in rounds {
                expect.one(format!("{name} {}, {}", vr(view, d), vr(view, a)), |asm| asm.float_round(mode, size, d, a));
            }
            expect.one(format!("fmov {}, {}", vr(view, d), vr(view, a)), |asm| asm.fmov_rr(size, d, a));
            expect.one(format!("fcmp {}, {}", vr(view, a), vr(view, b)), |asm| asm.fcmp(size, a, b));
            expect.one(format!("fcmp {}, #0.0", vr(view, a)), |asm| asm.fcmp_zero(size, a));
            let text = format!("fcsel {}, {}, {}, lt", vr(view, d), vr(view, a), vr(view, b));
            expect.one(text, |asm| asm.fcsel(size, d, a, b, Cond::Lt));
        }
    }
    expect.one("fcvt d31, s0", |a| a.fcvt(FloatSize::F32, Vreg::V31, Vreg::V0));
    expect.one("fcvt s1, d30", |a| a.fcvt(FloatSize::F64, Vreg::V1, Vreg::V30));
    expect.check();
}

#[test]
fn conversions_between_integers_and_floats() {
    let mut expect = Expect::new();
    for (size, view) in SIZES {
        for int_size in WIDTHS {
            for (v, g) in [(Vreg::V0, Gpr::X1), (Vreg::V31, Gpr::X30), (Vreg::V16, Gpr::Zr)] {
                let (fv, rg) = (vr(view, v), r(g, int_size));
                expect.one(format!("scvtf {fv}, {rg}"), |a| a.int_to_float(true, int_size, size, v, g));
                expect.one(format!("ucvtf {fv}, {rg}"), |a| a.int_to_float(false, int_size, size, v, g));
                if g != Gpr::Zr {
                    expect.one(format!("fcvtzs {rg}, {fv}"), |a| a.float_to_int(true, size, int_size, g, v));
                    expect.one(format!("fcvtzu {rg}, {fv}"), |a| a.float_to_int(false, size, int_size, g, v));
                }
            }
        }
    }
    expect.check();
    assert!(error(|a| a.float_to_int(true, FloatSize::F32, Size::S64, Gpr::Sp, Vreg::V0)).contains("sp is not"));
}

#[test]
fn moves_between_register_files_and_immediates() {
    let mut expect = Expect::new();
    expect.one("fmov w0, s31", |a| a.fmov_to_gpr(Size::S32, Gpr::X0, Vreg::V31));
    expect.one("fmov x30, d1", |a| a.fmov_to_gpr(Size::S64, Gpr::X30, Vreg::V1));
    expect.one("fmov s31, w29", |a| a.fmov_from_gpr(Size::S32, Vreg::V31, Gpr::X29));
    expect.one("fmov d0, xzr", |a| a.fmov_from_gpr(Size::S64, Vreg::V0, Gpr::Zr));
    expect.one("fmov s0, #1.00000000", |a| a.fmov_imm(FloatSize::F32, Vreg::V0, u64::from(1f32.to_bits())));
    expect.one("fmov d31, #-0.12500000", |a| a.fmov_imm(FloatSize::F64, Vreg::V31, (-0.125f64).to_bits()));
    expect.one("fmov d2, #31.00000000", |a| a.fmov_imm(FloatSize::F64, Vreg::V2, 31f64.to_bits()));
    expect.one("mov v0.16b, v31.16b", |a| a.mov_v128(Vreg::V0, Vreg::V31));
    expect.one("cnt v1.8b, v2.8b", |a| a.cnt_8b(Vreg::V1, Vreg::V2));
    expect.one("addv b31, v30.8b", |a| a.addv_8b(Vreg::V31, Vreg::V30));
    let popcnt = ["fmov d7, x1", "cnt v7.8b, v7.8b", "addv b7, v7.8b", "fmov w0, s7"].map(String::from);
    expect.seq(&popcnt, |a| a.popcnt(Size::S64, Gpr::X0, Gpr::X1, Vreg::V7));
    expect.check();
    assert!(error(|a| a.fmov_imm(FloatSize::F64, Vreg::V0, 0.1f64.to_bits())).contains("not an 8-bit"));
    assert!(error(|a| a.fmov_imm(FloatSize::F32, Vreg::V0, 0)).contains("not an 8-bit"));
    assert!(error(|a| a.fmov_to_gpr(Size::S16, Gpr::X0, Vreg::V0)).contains("32- and 64-bit"));
}
