//! SSE scalar floating point, XMM moves and conversions.

use crate::common::*;
use target_x86_64::*;

/// XMM pairs covering REX.R, REX.B, both and neither.
const PAIRS: [(Xmm, Xmm); 4] =
    [(Xmm::Xmm0, Xmm::Xmm1), (Xmm::Xmm8, Xmm::Xmm2), (Xmm::Xmm3, Xmm::Xmm15), (Xmm::Xmm12, Xmm::Xmm13)];

const PRECISIONS: [(FloatSize, &str, &str); 2] = [(FloatSize::F32, "ss", "dword"), (FloatSize::F64, "sd", "qword")];

#[test]
fn scalar_arithmetic() {
    let ops = [
        (FloatOp::Add, "add"),
        (FloatOp::Sub, "sub"),
        (FloatOp::Mul, "mul"),
        (FloatOp::Div, "div"),
        (FloatOp::Min, "min"),
        (FloatOp::Max, "max"),
        (FloatOp::Sqrt, "sqrt"),
    ];
    for (op, stem) in ops {
        for (fs, suffix, _) in PRECISIONS {
            for (dst, src) in PAIRS {
                let text = one(|a| a.float_rr(op, fs, dst, src));
                assert_eq!(text, format!("{stem}{suffix} {}, {}", xname(dst), xname(src)));
            }
            let text = one(|a| a.float_rm(op, fs, Xmm::Xmm9, Mem::base_disp(Gpr::R12, 4)));
            assert_eq!(text, format!("{stem}{suffix} xmm9, [r12+4]"));
            let text = one(|a| a.avx_float_rrr(op, fs, Xmm::Xmm1, Xmm::Xmm10, Xmm::Xmm15));
            assert_eq!(text, format!("v{stem}{suffix} xmm1, xmm10, xmm15"));
            let text = one(|a| a.avx_float_rrm(op, fs, Xmm::Xmm9, Xmm::Xmm2, Mem::base_disp(Gpr::R12, 4)));
            assert_eq!(text, format!("v{stem}{suffix} xmm9, xmm2, [r12+4]"));
        }
    }
}

#[test]
fn scalar_moves_loads_and_stores() {
    for (fs, suffix, _) in PRECISIONS {
        for (dst, src) in PAIRS {
            let text = one(|a| a.movs_rr(fs, dst, src));
            assert_eq!(text, format!("mov{suffix} {}, {}", xname(dst), xname(src)));
        }
        let mem = Mem::indexed(Gpr::Rbp, Gpr::R10, Scale::X8, -16);
        assert_eq!(one(|a| a.load_float(fs, Xmm::Xmm14, mem)), format!("mov{suffix} xmm14, [rbp+r10*8-0x10]"));
        assert_eq!(one(|a| a.store_float(fs, mem, Xmm::Xmm7)), format!("mov{suffix} [rbp+r10*8-0x10], xmm7"));
    }
    for (dst, src) in PAIRS {
        assert_eq!(one(|a| a.movaps(dst, src)), format!("movaps {}, {}", xname(dst), xname(src)));
    }
}

#[test]
fn v128_loads_and_stores() {
    let mem = Mem::base_disp(Gpr::R13, 0x20);
    assert_eq!(one(|a| a.load_v128(Xmm::Xmm10, mem)), "movdqu xmm10, [r13+0x20]");
    assert_eq!(one(|a| a.store_v128(mem, Xmm::Xmm1)), "movdqu [r13+0x20], xmm1");
}

#[test]
fn bitwise_masks() {
    let ops =
        [(BitwiseOp::And, "andps"), (BitwiseOp::AndNot, "andnps"), (BitwiseOp::Or, "orps"), (BitwiseOp::Xor, "xorps")];
    for (op, mnemonic) in ops {
        for (dst, src) in PAIRS {
            let text = one(|a| a.bitwise_rr(op, dst, src));
            assert_eq!(text, format!("{mnemonic} {}, {}", xname(dst), xname(src)));
        }
        assert_eq!(one(|a| a.bitwise_rm(op, Xmm::Xmm11, Mem::base(Gpr::Rsp))), format!("{mnemonic} xmm11, [rsp]"));
    }
}

#[test]
fn unordered_compares() {
    for (fs, suffix, _) in PRECISIONS {
        for (a_reg, b_reg) in PAIRS {
            let text = one(|a| a.ucomis(fs, a_reg, b_reg));
            assert_eq!(text, format!("ucomi{suffix} {}, {}", xname(a_reg), xname(b_reg)));
        }
        let text = one(|a| a.ucomis_rm(fs, Xmm::Xmm2, Mem::base_disp(Gpr::Rax, 8)));
        assert_eq!(text, format!("ucomi{suffix} xmm2, [rax+8]"));
    }
}

#[test]
fn rounding_modes() {
    // Immediates: rounding control in bits 0-1, bit 3 suppresses the precision exception.
    let modes = [(RoundMode::Nearest, 8), (RoundMode::Floor, 9), (RoundMode::Ceil, 0xa), (RoundMode::Trunc, 0xb)];
    for (fs, suffix, _) in PRECISIONS {
        for (mode, imm) in modes {
            for (dst, src) in PAIRS {
                let text = one(|a| a.round(fs, mode, dst, src));
                let imm = if imm < 10 { imm.to_string() } else { format!("{imm:#x}") };
                assert_eq!(text, format!("round{suffix} {}, {}, {imm}", xname(dst), xname(src)));
            }
        }
    }
}

#[test]
fn int_float_conversions() {
    for (fs, suffix, _) in PRECISIONS {
        for size in [Size::S32, Size::S64] {
            for (gpr, xmm) in
                [(Gpr::Rax, Xmm::Xmm0), (Gpr::R9, Xmm::Xmm3), (Gpr::Rdi, Xmm::Xmm12), (Gpr::R15, Xmm::Xmm15)]
            {
                let (r, x) = (name(gpr, size), xname(xmm));
                assert_eq!(one(|a| a.cvt_int_to_float(fs, size, xmm, gpr)), format!("cvtsi2{suffix} {x}, {r}"));
                assert_eq!(one(|a| a.cvt_float_to_int(fs, size, gpr, xmm)), format!("cvtt{suffix}2si {r}, {x}"));
            }
        }
    }
    assert!(error(|a| a.cvt_int_to_float(FloatSize::F32, Size::S16, Xmm::Xmm0, Gpr::Rax)).contains("S16"));
}

#[test]
fn precision_conversions() {
    for (dst, src) in PAIRS {
        let (d, s) = (xname(dst), xname(src));
        assert_eq!(one(|a| a.cvt_float(FloatSize::F32, dst, src)), format!("cvtss2sd {d}, {s}"));
        assert_eq!(one(|a| a.cvt_float(FloatSize::F64, dst, src)), format!("cvtsd2ss {d}, {s}"));
    }
}

#[test]
fn gpr_xmm_moves() {
    for (gpr, xmm) in [(Gpr::Rax, Xmm::Xmm0), (Gpr::R11, Xmm::Xmm5), (Gpr::Rsi, Xmm::Xmm9), (Gpr::R14, Xmm::Xmm14)] {
        let x = xname(xmm);
        let (r32, r64) = (name(gpr, Size::S32), name(gpr, Size::S64));
        assert_eq!(one(|a| a.mov_gpr_to_xmm(Size::S32, xmm, gpr)), format!("movd {x}, {r32}"));
        assert_eq!(one(|a| a.mov_gpr_to_xmm(Size::S64, xmm, gpr)), format!("movq {x}, {r64}"));
        assert_eq!(one(|a| a.mov_xmm_to_gpr(Size::S32, gpr, xmm)), format!("movd {r32}, {x}"));
        assert_eq!(one(|a| a.mov_xmm_to_gpr(Size::S64, gpr, xmm)), format!("movq {r64}, {x}"));
    }
}
