//! Scalar floating point (arithmetic, rounding, compares, conversions, moves) and the few
//! SIMD instructions scalar code needs: whole-register moves and the `cnt` population count.

use super::{v, Assembler};
use crate::imm;
use crate::inst::{Cond, FloatOp, FloatSize, FloatUnaryOp, RoundMode, Size};
use crate::regs::{Gpr, Vreg};

/// The `ftype` field at bit 22.
fn ftype(size: FloatSize) -> u32 {
    match size {
        FloatSize::F32 => 0b00 << 22,
        FloatSize::F64 => 0b01 << 22,
    }
}

impl Assembler {
    /// `fadd`/`fsub`/`fmul`/`fdiv`/`fmin`/`fmax`/`fminnm`/`fmaxnm dst, a, b`.
    pub fn float_rrr(&mut self, op: FloatOp, size: FloatSize, dst: Vreg, a: Vreg, b: Vreg) {
        let opcode = match op {
            FloatOp::Mul => 0b0000,
            FloatOp::Div => 0b0001,
            FloatOp::Add => 0b0010,
            FloatOp::Sub => 0b0011,
            FloatOp::Max => 0b0100,
            FloatOp::Min => 0b0101,
            FloatOp::MaxNm => 0b0110,
            FloatOp::MinNm => 0b0111,
        };
        self.emit(0x1e20_0800 | ftype(size) | v(b) << 16 | opcode << 12 | v(a) << 5 | v(dst));
    }

    /// `fabs`/`fneg`/`fsqrt dst, src`.
    pub fn float_unary(&mut self, op: FloatUnaryOp, size: FloatSize, dst: Vreg, src: Vreg) {
        let opcode = match op {
            FloatUnaryOp::Abs => 0b000001,
            FloatUnaryOp::Neg => 0b000010,
            FloatUnaryOp::Sqrt => 0b000011,
        };
        self.float_one_source(opcode, size, dst, src);
    }

    /// `frintn`/`frintm`/`frintp`/`frintz dst, src`: rounds to an integral value.
    pub fn float_round(&mut self, mode: RoundMode, size: FloatSize, dst: Vreg, src: Vreg) {
        let opcode = match mode {
            RoundMode::Nearest => 0b001000,
            RoundMode::Ceil => 0b001001,
            RoundMode::Floor => 0b001010,
            RoundMode::Trunc => 0b001011,
        };
        self.float_one_source(opcode, size, dst, src);
    }

    /// `fmov dst, src` between two `s` or two `d` registers (zeroing the rest of `dst`).
    pub fn fmov_rr(&mut self, size: FloatSize, dst: Vreg, src: Vreg) {
        self.float_one_source(0b000000, size, dst, src);
    }

    /// `fcvt dst, src`: converts the `from` precision in `src` to the other one in `dst`.
    pub fn fcvt(&mut self, from: FloatSize, dst: Vreg, src: Vreg) {
        let opcode = match from {
            FloatSize::F32 => 0b000101, // to double
            FloatSize::F64 => 0b000100, // to single
        };
        self.float_one_source(opcode, from, dst, src);
    }

    fn float_one_source(&mut self, opcode: u32, size: FloatSize, dst: Vreg, src: Vreg) {
        self.emit(0x1e20_4000 | ftype(size) | opcode << 15 | v(src) << 5 | v(dst));
    }

    /// `fcmp a, b`: sets the flags; unordered (a NaN operand) sets C and V. So `Eq`, `Mi`
    /// (<), `Ls` (<=), `Gt` (>) and `Ge` (>=) are false for NaN, while `Ne`, `Lt` (< or
    /// unordered), `Le`, `Hi` (> or unordered), `Hs` and `Vs` (unordered) are true.
    pub fn fcmp(&mut self, size: FloatSize, a: Vreg, b: Vreg) {
        self.emit(0x1e20_2000 | ftype(size) | v(b) << 16 | v(a) << 5);
    }

    /// `fcmp a, #0.0`.
    pub fn fcmp_zero(&mut self, size: FloatSize, a: Vreg) {
        self.emit(0x1e20_2008 | ftype(size) | v(a) << 5);
    }

    /// `fcsel dst, a, b, cond`: `cond ? a : b`.
    pub fn fcsel(&mut self, size: FloatSize, dst: Vreg, a: Vreg, b: Vreg, cond: Cond) {
        self.emit(0x1e20_0c00 | ftype(size) | v(b) << 16 | cond.bits() << 12 | v(a) << 5 | v(dst));
    }

    /// `scvtf`/`ucvtf dst, src`: converts the `int_size`-bit integer in `src` (signed or not)
    /// to a float of `size`, rounding to nearest.
    pub fn int_to_float(&mut self, signed: bool, int_size: Size, size: FloatSize, dst: Vreg, src: Gpr) {
        let what = "scvtf/ucvtf";
        let sf = self.sf(int_size, what);
        let rn = self.zr(src, what);
        let opcode = if signed { 0x1e22_0000 } else { 0x1e23_0000 };
        self.emit(opcode | sf << 31 | ftype(size) | rn << 5 | v(dst));
    }

    /// `fcvtzs`/`fcvtzu dst, src`: converts the float in `src` to an `int_size`-bit integer,
    /// rounding toward zero. Out-of-range values saturate and NaN gives 0 (no trap: Wasm's
    /// trapping conversions need explicit range checks).
    pub fn float_to_int(&mut self, signed: bool, size: FloatSize, int_size: Size, dst: Gpr, src: Vreg) {
        let what = "fcvtzs/fcvtzu";
        let sf = self.sf(int_size, what);
        let rd = self.zr(dst, what);
        let opcode = if signed { 0x1e38_0000 } else { 0x1e39_0000 };
        self.emit(opcode | sf << 31 | ftype(size) | v(src) << 5 | rd);
    }

    /// `fmov wdst, ssrc` (`S32`) or `fmov xdst, dsrc` (`S64`): the float's bits, unchanged.
    pub fn fmov_to_gpr(&mut self, size: Size, dst: Gpr, src: Vreg) {
        let rd = self.zr(dst, "fmov to a general register");
        let opcode = if self.sf(size, "fmov to a general register") == 1 { 0x9e66_0000 } else { 0x1e26_0000 };
        self.emit(opcode | v(src) << 5 | rd);
    }

    /// `fmov sdst, wsrc` (`S32`) or `fmov ddst, xsrc` (`S64`), zeroing the rest of `dst`;
    /// with `Zr` this loads +0.0.
    pub fn fmov_from_gpr(&mut self, size: Size, dst: Vreg, src: Gpr) {
        let rn = self.zr(src, "fmov from a general register");
        let opcode = if self.sf(size, "fmov from a general register") == 1 { 0x9e67_0000 } else { 0x1e27_0000 };
        self.emit(opcode | rn << 5 | v(dst));
    }

    /// `fmov dst, #value` for a float given by its bits (`f32` bits in the low half for
    /// `F32`); see [`imm::fmov_imm`] for which values are encodable.
    pub fn fmov_imm(&mut self, size: FloatSize, dst: Vreg, bits: u64) {
        let Some(imm8) = imm::fmov_imm(size, bits) else {
            return self.fail(format!("fmov: {bits:#x} is not an 8-bit floating-point immediate"));
        };
        self.emit(0x1e20_1000 | ftype(size) | u32::from(imm8) << 13 | v(dst));
    }

    /// `mov dst.16b, src.16b`: copies the whole 128-bit register.
    pub fn mov_v128(&mut self, dst: Vreg, src: Vreg) {
        self.emit(0x4ea0_1c00 | v(src) << 16 | v(src) << 5 | v(dst));
    }

    /// `cnt dst.8b, src.8b`: the population count of each byte of the low 64 bits.
    pub fn cnt_8b(&mut self, dst: Vreg, src: Vreg) {
        self.emit(0x0e20_5800 | v(src) << 5 | v(dst));
    }

    /// `addv bdst, src.8b`: the sum of the low 8 bytes, into byte 0 (the rest zeroed).
    pub fn addv_8b(&mut self, dst: Vreg, src: Vreg) {
        self.emit(0x0e31_b800 | v(src) << 5 | v(dst));
    }

    /// `dst = popcount(src)` of a `size`-bit register through `tmp`: AArch64 has no scalar
    /// population count before FEAT_CSSC, so this is `fmov`, `cnt`, `addv`, `fmov`.
    pub fn popcnt(&mut self, size: Size, dst: Gpr, src: Gpr, tmp: Vreg) {
        self.fmov_from_gpr(size, tmp, src);
        self.cnt_8b(tmp, tmp);
        self.addv_8b(tmp, tmp);
        self.fmov_to_gpr(Size::S32, dst, tmp);
    }
}
