//! SSE and SSE4.1 scalar floating point, XMM moves, conversions, and the few packed forms
//! scalar code needs (bitwise masks, whole-register moves).

use iced_x86::{Code, Instruction, Register};

use super::iced_map::{gpr, xmm};
use super::{Assembler, Wide};
use crate::inst::{BitwiseOp, FloatOp, FloatSize, Mem, RoundMode, Size};
use crate::regs::{Gpr, Xmm};

fn float_code(op: FloatOp, fs: FloatSize) -> Code {
    use Code::*;
    let (single, double) = match op {
        FloatOp::Add => (Addss_xmm_xmmm32, Addsd_xmm_xmmm64),
        FloatOp::Sub => (Subss_xmm_xmmm32, Subsd_xmm_xmmm64),
        FloatOp::Mul => (Mulss_xmm_xmmm32, Mulsd_xmm_xmmm64),
        FloatOp::Div => (Divss_xmm_xmmm32, Divsd_xmm_xmmm64),
        FloatOp::Min => (Minss_xmm_xmmm32, Minsd_xmm_xmmm64),
        FloatOp::Max => (Maxss_xmm_xmmm32, Maxsd_xmm_xmmm64),
        FloatOp::Sqrt => (Sqrtss_xmm_xmmm32, Sqrtsd_xmm_xmmm64),
    };
    pick(fs, single, double)
}

fn avx_float_code(op: FloatOp, fs: FloatSize) -> Code {
    use Code::*;
    let (single, double) = match op {
        FloatOp::Add => (VEX_Vaddss_xmm_xmm_xmmm32, VEX_Vaddsd_xmm_xmm_xmmm64),
        FloatOp::Sub => (VEX_Vsubss_xmm_xmm_xmmm32, VEX_Vsubsd_xmm_xmm_xmmm64),
        FloatOp::Mul => (VEX_Vmulss_xmm_xmm_xmmm32, VEX_Vmulsd_xmm_xmm_xmmm64),
        FloatOp::Div => (VEX_Vdivss_xmm_xmm_xmmm32, VEX_Vdivsd_xmm_xmm_xmmm64),
        FloatOp::Min => (VEX_Vminss_xmm_xmm_xmmm32, VEX_Vminsd_xmm_xmm_xmmm64),
        FloatOp::Max => (VEX_Vmaxss_xmm_xmm_xmmm32, VEX_Vmaxsd_xmm_xmm_xmmm64),
        FloatOp::Sqrt => (VEX_Vsqrtss_xmm_xmm_xmmm32, VEX_Vsqrtsd_xmm_xmm_xmmm64),
    };
    pick(fs, single, double)
}

fn bitwise_code(op: BitwiseOp) -> Code {
    match op {
        BitwiseOp::And => Code::Andps_xmm_xmmm128,
        BitwiseOp::AndNot => Code::Andnps_xmm_xmmm128,
        BitwiseOp::Or => Code::Orps_xmm_xmmm128,
        BitwiseOp::Xor => Code::Xorps_xmm_xmmm128,
    }
}

fn pick(fs: FloatSize, single: Code, double: Code) -> Code {
    match fs {
        FloatSize::F32 => single,
        FloatSize::F64 => double,
    }
}

impl Assembler {
    fn emit_xx(&mut self, code: Code, dst: Xmm, src: Xmm) {
        self.emit_inst(Instruction::with2(code, xmm(dst), xmm(src)), None);
    }

    fn emit_x_mem(&mut self, code: Code, dst: Xmm, mem: Mem) {
        let reg = xmm(dst);
        self.emit_with_mem(mem, |m| Instruction::with2(code, reg, m));
    }

    fn emit_mem_x(&mut self, code: Code, mem: Mem, src: Xmm) {
        let reg = xmm(src);
        self.emit_with_mem(mem, |m| Instruction::with2(code, m, reg));
    }

    /// A 32/64-bit integer register for a conversion or a GPR-XMM move.
    fn int_reg(&mut self, size: Size, reg: Gpr, what: &str) -> Option<(Wide, Register)> {
        let wide = self.wide(size, what)?;
        Some((wide, gpr(reg, size)))
    }

    // ---- Moves ----

    /// `movaps dst, src`: copies the whole register; the move to use between XMM registers
    /// (no dependency on `dst`'s old value, unlike `movss`/`movsd`).
    pub fn movaps(&mut self, dst: Xmm, src: Xmm) {
        self.emit_xx(Code::Movaps_xmm_xmmm128, dst, src);
    }

    /// `movss`/`movsd dst, src`: replaces the low lane only, keeping the rest of `dst`.
    pub fn movs_rr(&mut self, fs: FloatSize, dst: Xmm, src: Xmm) {
        self.emit_xx(pick(fs, Code::Movss_xmm_xmmm32, Code::Movsd_xmm_xmmm64), dst, src);
    }

    /// `movss`/`movsd dst, [mem]`: loads a scalar and zeroes the rest of `dst`.
    pub fn load_float(&mut self, fs: FloatSize, dst: Xmm, mem: Mem) {
        self.emit_x_mem(pick(fs, Code::Movss_xmm_xmmm32, Code::Movsd_xmm_xmmm64), dst, mem);
    }

    /// `movss`/`movsd [mem], src`: stores the low lane.
    pub fn store_float(&mut self, fs: FloatSize, mem: Mem, src: Xmm) {
        self.emit_mem_x(pick(fs, Code::Movss_xmmm32_xmm, Code::Movsd_xmmm64_xmm), mem, src);
    }

    /// `movdqu dst, [mem]`: a 16-byte load with no alignment requirement.
    pub fn load_v128(&mut self, dst: Xmm, mem: Mem) {
        self.emit_x_mem(Code::Movdqu_xmm_xmmm128, dst, mem);
    }

    /// `movdqu [mem], src`: a 16-byte store with no alignment requirement.
    pub fn store_v128(&mut self, mem: Mem, src: Xmm) {
        self.emit_mem_x(Code::Movdqu_xmmm128_xmm, mem, src);
    }

    /// `movd`/`movq dst, src`: moves the bits of a 32- or 64-bit GPR into the low lane of
    /// `dst`, zeroing the rest.
    pub fn mov_gpr_to_xmm(&mut self, size: Size, dst: Xmm, src: Gpr) {
        let Some((wide, src)) = self.int_reg(size, src, "movd/movq") else { return };
        let code = if wide { Code::Movq_xmm_rm64 } else { Code::Movd_xmm_rm32 };
        self.emit_inst(Instruction::with2(code, xmm(dst), src), None);
    }

    /// `movd`/`movq dst, src`: moves the low 32 or 64 bits of `src` into a GPR.
    pub fn mov_xmm_to_gpr(&mut self, size: Size, dst: Gpr, src: Xmm) {
        let Some((wide, dst)) = self.int_reg(size, dst, "movd/movq") else { return };
        let code = if wide { Code::Movq_rm64_xmm } else { Code::Movd_rm32_xmm };
        self.emit_inst(Instruction::with2(code, dst, xmm(src)), None);
    }

    // ---- Arithmetic ----

    /// `addss`/`addsd`/… `dst, src` (`sqrt` reads only `src`).
    pub fn float_rr(&mut self, op: FloatOp, fs: FloatSize, dst: Xmm, src: Xmm) {
        self.emit_xx(float_code(op, fs), dst, src);
    }

    /// `addss`/`addsd`/… `dst, [mem]`.
    pub fn float_rm(&mut self, op: FloatOp, fs: FloatSize, dst: Xmm, mem: Mem) {
        self.emit_x_mem(float_code(op, fs), dst, mem);
    }

    /// AVX `vaddss`/`vaddsd`/… `dst, a, b`: the low lane of `a op b`, the other lanes of `a`.
    /// `Sqrt` is `sqrt(b)` over `a`'s upper lanes.
    pub fn avx_float_rrr(&mut self, op: FloatOp, fs: FloatSize, dst: Xmm, a: Xmm, b: Xmm) {
        self.emit_inst(Instruction::with3(avx_float_code(op, fs), xmm(dst), xmm(a), xmm(b)), None);
    }

    /// AVX `vaddss`/`vaddsd`/… `dst, a, [mem]`.
    pub fn avx_float_rrm(&mut self, op: FloatOp, fs: FloatSize, dst: Xmm, a: Xmm, mem: Mem) {
        let (code, dst, a) = (avx_float_code(op, fs), xmm(dst), xmm(a));
        self.emit_with_mem(mem, |m| Instruction::with3(code, dst, a, m));
    }

    /// `andps`/`andnps`/`orps`/`xorps dst, src` on all 128 bits (single-precision forms are a
    /// byte shorter than the `pd` ones and do the same).
    pub fn bitwise_rr(&mut self, op: BitwiseOp, dst: Xmm, src: Xmm) {
        self.emit_xx(bitwise_code(op), dst, src);
    }

    /// `andps`/… `dst, [mem]`; `mem` must be 16-byte aligned (pool constants from
    /// [`const_u128`](Assembler::const_u128) are).
    pub fn bitwise_rm(&mut self, op: BitwiseOp, dst: Xmm, mem: Mem) {
        self.emit_x_mem(bitwise_code(op), dst, mem);
    }

    /// `ucomiss`/`ucomisd a, b`: unordered compare. ZF,PF,CF = 1,1,1 if unordered; else
    /// ZF for equal and CF for `a < b` (test with [`Cond::P`](crate::Cond::P) and the
    /// unsigned conditions).
    pub fn ucomis(&mut self, fs: FloatSize, a: Xmm, b: Xmm) {
        self.emit_xx(pick(fs, Code::Ucomiss_xmm_xmmm32, Code::Ucomisd_xmm_xmmm64), a, b);
    }

    /// `ucomiss`/`ucomisd a, [mem]`.
    pub fn ucomis_rm(&mut self, fs: FloatSize, a: Xmm, mem: Mem) {
        self.emit_x_mem(pick(fs, Code::Ucomiss_xmm_xmmm32, Code::Ucomisd_xmm_xmmm64), a, mem);
    }

    /// `roundss`/`roundsd dst, src, mode` (SSE4.1).
    pub fn round(&mut self, fs: FloatSize, mode: RoundMode, dst: Xmm, src: Xmm) {
        let code = pick(fs, Code::Roundss_xmm_xmmm32_imm8, Code::Roundsd_xmm_xmmm64_imm8);
        self.emit_inst(Instruction::with3(code, xmm(dst), xmm(src), u32::from(mode.imm())), None);
    }

    // ---- Conversions ----

    /// `cvtsi2ss`/`cvtsi2sd dst, src`: a signed 32- or 64-bit integer to float. Writes only
    /// the low lane, so it depends on `dst`'s old value; zero `dst` first to break that
    /// dependency when it matters.
    pub fn cvt_int_to_float(&mut self, fs: FloatSize, int_size: Size, dst: Xmm, src: Gpr) {
        let Some((wide, src)) = self.int_reg(int_size, src, "cvtsi2s*") else { return };
        let code = match (fs, wide) {
            (FloatSize::F32, false) => Code::Cvtsi2ss_xmm_rm32,
            (FloatSize::F32, true) => Code::Cvtsi2ss_xmm_rm64,
            (FloatSize::F64, false) => Code::Cvtsi2sd_xmm_rm32,
            (FloatSize::F64, true) => Code::Cvtsi2sd_xmm_rm64,
        };
        self.emit_inst(Instruction::with2(code, xmm(dst), src), None);
    }

    /// `cvttss2si`/`cvttsd2si dst, src`: float to signed integer, truncating. Out of range
    /// and NaN give the "integer indefinite" value `MIN`.
    pub fn cvt_float_to_int(&mut self, fs: FloatSize, int_size: Size, dst: Gpr, src: Xmm) {
        let Some((wide, dst)) = self.int_reg(int_size, dst, "cvtts*2si") else { return };
        let code = match (fs, wide) {
            (FloatSize::F32, false) => Code::Cvttss2si_r32_xmmm32,
            (FloatSize::F32, true) => Code::Cvttss2si_r64_xmmm32,
            (FloatSize::F64, false) => Code::Cvttsd2si_r32_xmmm64,
            (FloatSize::F64, true) => Code::Cvttsd2si_r64_xmmm64,
        };
        self.emit_inst(Instruction::with2(code, dst, xmm(src)), None);
    }

    /// `cvtss2sd` (from `F32`) or `cvtsd2ss` (from `F64`) `dst, src`.
    pub fn cvt_float(&mut self, from: FloatSize, dst: Xmm, src: Xmm) {
        self.emit_xx(pick(from, Code::Cvtss2sd_xmm_xmmm32, Code::Cvtsd2ss_xmm_xmmm64), dst, src);
    }
}
