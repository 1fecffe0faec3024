//! Instruction selection for vector operations (`InstData::Simd`), SSE4.1 baseline.
//!
//! Each operation becomes a straight-line sequence of [`VecInst`]s with exact Wasm semantics.
//! Where SSE has no instruction the sequence emulates it: byte shifts through word shifts and
//! masks, `i64x2` signed compares and arithmetic shifts through sign tricks (`pcmpgtq` is
//! SSE4.2), `i64x2.mul` from 32-bit halves, float min/max with NaN and signed-zero fix-ups
//! (Cranelift's sequences), saturating float-to-int conversions with explicit clamps.

use super::inst::{AluOp, Cond, ExtFrom, MInst, Reg, RegMem, RegMemImm, Size, CC};
use super::inst_simd::VecInst;
use super::lower::{class_of, Lower};
use super::lower_simd_table::*;
use crate::ir::{Inst, SimdOp, Value};
use crate::regalloc::{RegClass, VReg};
use crate::{Error, Result};
use target_x86_64::{MoveMaskOp, PackedImmOp as PI, PackedOp as P, PackedShiftOp as PS, RoundMode, Size as Lane};

/// A shift count: a constant, or the count (already reduced) in an xmm register.
#[derive(Copy, Clone)]
enum Count {
    Imm(u8),
    Reg(Reg),
}

impl Lower<'_> {
    pub(super) fn lower_simd(&mut self, inst: Inst, op: SimdOp, args: &[Value]) -> Result<()> {
        if args.len() != op.operand_types().len() || !op.immediate_in_range() {
            return Err(Error::msg(format!("x86_64: malformed {op}")));
        }
        let r = self.simd_value(op, args)?;
        let dst = self.result(inst, 0)?;
        let float = class_of(op.result_type()) == RegClass::Float;
        self.emit(MInst::Move { dst, src: r, float });
        Ok(())
    }

    /// `args` has `op`'s arity (checked by the caller), so the operand indexing below holds.
    fn simd_value(&mut self, op: SimdOp, args: &[Value]) -> Result<Reg> {
        use SimdOp as S;
        // Shifts first: a constant count becomes an immediate, never a register.
        if let Some(r) = self.lower_shift(op, args)? {
            return Ok(r);
        }
        if let Some(r) = self.avx_with_memory_operand(op, args)? {
            return Ok(r);
        }
        let regs = args.iter().map(|&a| self.put_in_reg(a)).collect::<Result<Vec<_>>>()?;
        let x = regs[0];
        if let Some(p) = direct_binary(op) {
            return Ok(self.bin(p, x, regs[1]));
        }
        if let Some(p) = swapped_binary(op) {
            return Ok(self.bin(p, regs[1], x));
        }
        if let Some(p) = direct_unary(op) {
            return Ok(self.un(p, x));
        }
        if let Some(p) = extend_high(op) {
            let high = self.un_imm(PI::Pshufd, x, 0xee);
            return Ok(self.un(p, high));
        }
        if let Some((shape, pred, swap)) = float_compare(op) {
            let (a, b) = if swap { (regs[1], x) } else { (x, regs[1]) };
            return Ok(self.bin_imm(shape.cmp, a, b, pred));
        }
        if let Some((shape, cmp)) = int_compare(op) {
            return Ok(self.vector_int_compare(shape, cmp, x, regs[1]));
        }
        if let Some(r) = self.lower_lanes(op, &regs) {
            return Ok(r);
        }
        if let Some(r) = self.lower_float(op, &regs) {
            return Ok(r);
        }
        Ok(match op {
            S::V128Not => self.not(x),
            S::V128Bitselect => {
                let from_x = self.bin(P::Pand, x, regs[2]);
                let from_y = self.bin(P::Pandn, regs[2], regs[1]);
                self.bin(P::Por, from_x, from_y)
            }
            S::V128AnyTrue => {
                self.emit(MInst::Vec(VecInst::Ptest { a: x, b: x }));
                self.setcc(CC::NE)
            }
            S::I8x16AllTrue => self.all_true(P::Pcmpeqb, x),
            S::I16x8AllTrue => self.all_true(P::Pcmpeqw, x),
            S::I32x4AllTrue => self.all_true(P::Pcmpeqd, x),
            S::I64x2AllTrue => self.all_true(P::Pcmpeqq, x),
            S::I8x16Bitmask => self.move_mask(MoveMaskOp::Pmovmskb, x),
            S::I16x8Bitmask => {
                // Saturating to bytes keeps each lane's sign; both halves hold the same lanes.
                let bytes = self.bin(P::Packsswb, x, x);
                let m = self.move_mask(MoveMaskOp::Pmovmskb, bytes);
                let dst = self.greg();
                self.emit(MInst::Alu { op: AluOp::And, size: Size::S32, dst, lhs: m, rhs: RegMemImm::Imm(0xff) });
                dst
            }
            S::I32x4Bitmask => self.move_mask(MoveMaskOp::Movmskps, x),
            S::I64x2Bitmask => self.move_mask(MoveMaskOp::Movmskpd, x),
            S::I8x16Neg => self.neg(P::Psubb, x),
            S::I16x8Neg => self.neg(P::Psubw, x),
            S::I32x4Neg => self.neg(P::Psubd, x),
            S::I64x2Neg => self.neg(P::Psubq, x),
            S::I64x2Abs => {
                let sign = self.i64_sign_mask(x);
                let flipped = self.bin(P::Pxor, x, sign);
                self.bin(P::Psubq, flipped, sign)
            }
            S::I64x2Mul => self.i64x2_mul(x, regs[1]),
            S::I64x2LtS => self.i64_lt(x, regs[1]),
            S::I64x2GtS => self.i64_lt(regs[1], x),
            S::I64x2LeS => {
                let gt = self.i64_lt(regs[1], x);
                self.not(gt)
            }
            S::I64x2GeS => {
                let lt = self.i64_lt(x, regs[1]);
                self.not(lt)
            }
            S::I64x2Ne => {
                let eq = self.bin(P::Pcmpeqq, x, regs[1]);
                self.not(eq)
            }
            S::I8x16Popcnt => self.popcnt(x),
            S::I8x16Swizzle => {
                // Indices of 16 and more saturate to 0x80 and up, which pshufb turns into 0.
                let bias = self.vconst(splat8(0x70));
                let index = self.bin(P::Paddusb, regs[1], bias);
                self.bin(P::Pshufb, x, index)
            }
            S::I8x16Shuffle(lanes) => self.shuffle(&lanes, args[0] == args[1], x, regs[1]),
            S::I16x8Q15mulrSatS => {
                // pmulhrsw gives 0x8000 for 0x8000 * 0x8000, where Wasm saturates to 0x7fff.
                let product = self.bin(P::Pmulhrsw, x, regs[1]);
                let min = self.vconst(splat16(0x8000));
                let overflow = self.bin(P::Pcmpeqw, product, min);
                self.bin(P::Pxor, product, overflow)
            }
            S::I16x8ExtmulLowI8x16S => self.extmul(false, P::Pmovsxbw, P::Pmullw, x, regs[1]),
            S::I16x8ExtmulHighI8x16S => self.extmul(true, P::Pmovsxbw, P::Pmullw, x, regs[1]),
            S::I16x8ExtmulLowI8x16U => self.extmul(false, P::Pmovzxbw, P::Pmullw, x, regs[1]),
            S::I16x8ExtmulHighI8x16U => self.extmul(true, P::Pmovzxbw, P::Pmullw, x, regs[1]),
            S::I32x4ExtmulLowI16x8S => self.extmul(false, P::Pmovsxwd, P::Pmulld, x, regs[1]),
            S::I32x4ExtmulHighI16x8S => self.extmul(true, P::Pmovsxwd, P::Pmulld, x, regs[1]),
            S::I32x4ExtmulLowI16x8U => self.extmul(false, P::Pmovzxwd, P::Pmulld, x, regs[1]),
            S::I32x4ExtmulHighI16x8U => self.extmul(true, P::Pmovzxwd, P::Pmulld, x, regs[1]),
            S::I64x2ExtmulLowI32x4S | S::I64x2ExtmulHighI32x4S | S::I64x2ExtmulLowI32x4U | S::I64x2ExtmulHighI32x4U => {
                // pmuldq/pmuludq multiply the even 32-bit lanes into 64-bit products.
                let order = if matches!(op, S::I64x2ExtmulLowI32x4S | S::I64x2ExtmulLowI32x4U) { 0x50 } else { 0xfa };
                let signed = matches!(op, S::I64x2ExtmulLowI32x4S | S::I64x2ExtmulHighI32x4S);
                let a = self.un_imm(PI::Pshufd, x, order);
                let b = self.un_imm(PI::Pshufd, regs[1], order);
                self.bin(if signed { P::Pmuldq } else { P::Pmuludq }, a, b)
            }
            S::I16x8ExtaddPairwiseI8x16S => self.extadd_pairwise(x, PS::Psllw, PS::Psraw, 8, P::Paddw),
            S::I16x8ExtaddPairwiseI8x16U => self.extadd_pairwise(x, PS::Psllw, PS::Psrlw, 8, P::Paddw),
            S::I32x4ExtaddPairwiseI16x8S => self.extadd_pairwise(x, PS::Pslld, PS::Psrad, 16, P::Paddd),
            S::I32x4ExtaddPairwiseI16x8U => self.extadd_pairwise(x, PS::Pslld, PS::Psrld, 16, P::Paddd),
            _ => return Err(Error::msg(format!("x86_64: {op} is not supported yet"))),
        })
    }

    /// Splats, lane accesses, scalar-to-vector.
    fn lower_lanes(&mut self, op: SimdOp, regs: &[Reg]) -> Option<Reg> {
        use SimdOp as S;
        let x = regs[0];
        Some(match op {
            S::I8x16Splat if self.cpu.avx2 => {
                let v = self.gpr_to_xmm(Size::S32, x);
                self.un(P::Vpbroadcastb, v)
            }
            S::I16x8Splat if self.cpu.avx2 => {
                let v = self.gpr_to_xmm(Size::S32, x);
                self.un(P::Vpbroadcastw, v)
            }
            S::I8x16Splat => {
                let v = self.gpr_to_xmm(Size::S32, x);
                let zero = self.vconst(0);
                self.bin(P::Pshufb, v, zero)
            }
            S::I16x8Splat => {
                let v = self.gpr_to_xmm(Size::S32, x);
                let low = self.un_imm(PI::Pshuflw, v, 0);
                self.un_imm(PI::Pshufd, low, 0)
            }
            S::I32x4Splat => {
                let v = self.gpr_to_xmm(Size::S32, x);
                self.un_imm(PI::Pshufd, v, 0)
            }
            S::I64x2Splat => {
                let v = self.gpr_to_xmm(Size::S64, x);
                self.un_imm(PI::Pshufd, v, 0x44)
            }
            S::F32x4Splat => self.un_imm(PI::Pshufd, x, 0),
            S::F64x2Splat => self.un_imm(PI::Pshufd, x, 0x44),
            S::I32x4ScalarToVector => self.gpr_to_xmm(Size::S32, x),
            S::I64x2ScalarToVector => self.gpr_to_xmm(Size::S64, x),
            S::I8x16ExtractLaneS(l) => self.extract_signed(Lane::S8, ExtFrom::B8, x, l),
            S::I16x8ExtractLaneS(l) => self.extract_signed(Lane::S16, ExtFrom::B16, x, l),
            S::I8x16ExtractLaneU(l) => self.extract(Lane::S8, x, l),
            S::I16x8ExtractLaneU(l) => self.extract(Lane::S16, x, l),
            S::I32x4ExtractLane(l) => self.extract(Lane::S32, x, l),
            S::I64x2ExtractLane(l) => self.extract(Lane::S64, x, l),
            // The upper lanes of a scalar float register are don't-cares.
            S::F32x4ExtractLane(0) | S::F64x2ExtractLane(0) => x,
            S::F32x4ExtractLane(l) => self.un_imm(PI::Pshufd, x, l),
            S::F64x2ExtractLane(_) => self.un_imm(PI::Pshufd, x, 0xee),
            S::I8x16ReplaceLane(l) => self.insert(Lane::S8, x, regs[1], l),
            S::I16x8ReplaceLane(l) => self.insert(Lane::S16, x, regs[1], l),
            S::I32x4ReplaceLane(l) => self.insert(Lane::S32, x, regs[1], l),
            S::I64x2ReplaceLane(l) => self.insert(Lane::S64, x, regs[1], l),
            S::F32x4ReplaceLane(l) => self.bin_imm(PI::Insertps, x, regs[1], l << 4),
            S::F64x2ReplaceLane(0) => self.bin_imm(PI::Blendpd, x, regs[1], 1),
            S::F64x2ReplaceLane(_) => self.bin(P::Unpcklpd, x, regs[1]),
            _ => return None,
        })
    }

    /// Lane shifts by a scalar count (taken modulo the lane width).
    fn lower_shift(&mut self, op: SimdOp, args: &[Value]) -> Result<Option<Reg>> {
        use SimdOp as S;
        let (word, bits) = match op {
            S::I16x8Shl => ((PS::Psllw, P::Psllw), 16),
            S::I16x8ShrS => ((PS::Psraw, P::Psraw), 16),
            S::I16x8ShrU => ((PS::Psrlw, P::Psrlw), 16),
            S::I32x4Shl => ((PS::Pslld, P::Pslld), 32),
            S::I32x4ShrS => ((PS::Psrad, P::Psrad), 32),
            S::I32x4ShrU => ((PS::Psrld, P::Psrld), 32),
            S::I64x2Shl => ((PS::Psllq, P::Psllq), 64),
            S::I64x2ShrU => ((PS::Psrlq, P::Psrlq), 64),
            S::I8x16Shl | S::I8x16ShrS | S::I8x16ShrU => return self.byte_shift(op, args).map(Some),
            S::I64x2ShrS => {
                let x = self.put_in_reg(args[0])?;
                let count = self.shift_count(args[1], 64, 0)?;
                // ((x >>u n) ^ m) - m with m = sign bit >>u n sign-extends from the shifted sign.
                let sign = self.vconst(splat64(1 << 63));
                let m = self.shift(PS::Psrlq, P::Psrlq, sign, count);
                let shifted = self.shift(PS::Psrlq, P::Psrlq, x, count);
                let flipped = self.bin(P::Pxor, shifted, m);
                return Ok(Some(self.bin(P::Psubq, flipped, m)));
            }
            _ => return Ok(None),
        };
        let x = self.put_in_reg(args[0])?;
        let count = self.shift_count(args[1], bits, 0)?;
        Ok(Some(self.shift(word.0, word.1, x, count)))
    }

    /// i8x16 shifts: x86 has no byte shifts. Logical shifts shift words and mask off the bits
    /// that crossed into the neighbouring byte; arithmetic shifts widen to words and narrow back.
    fn byte_shift(&mut self, op: SimdOp, args: &[Value]) -> Result<Reg> {
        let x = self.put_in_reg(args[0])?;
        if op == SimdOp::I8x16ShrS {
            // Each word holds its byte twice (b << 8 | b): shift right by 8 more, then pack.
            let count = self.shift_count(args[1], 8, 8)?;
            let low = self.bin(P::Punpcklbw, x, x);
            let high = self.bin(P::Punpckhbw, x, x);
            let low = self.shift(PS::Psraw, P::Psraw, low, count);
            let high = self.shift(PS::Psraw, P::Psraw, high, count);
            return Ok(self.bin(P::Packsswb, low, high));
        }
        let left = op == SimdOp::I8x16Shl;
        let (imm_op, reg_op) = if left { (PS::Psllw, P::Psllw) } else { (PS::Psrlw, P::Psrlw) };
        let count = self.shift_count(args[1], 8, 0)?;
        let shifted = self.shift(imm_op, reg_op, x, count);
        let mask = match count {
            Count::Imm(n) => self.vconst(splat8(if left { 0xff << n } else { 0xff >> n })),
            Count::Reg(_) => {
                // Shift 0x00ff words the same way; byte 0 is then the mask, broadcast by pshufb.
                let ff = self.vconst(splat16(0x00ff));
                let m = self.shift(imm_op, reg_op, ff, count);
                let zero = self.vconst(0);
                self.bin(P::Pshufb, m, zero)
            }
        };
        Ok(self.bin(P::Pand, shifted, mask))
    }

    /// Float arithmetic that needs more than one instruction.
    fn lower_float(&mut self, op: SimdOp, regs: &[Reg]) -> Option<Reg> {
        use SimdOp as S;
        let shape = match op {
            S::F32x4Abs | S::F32x4Neg | S::F32x4Min | S::F32x4Max => &F32X4,
            S::F64x2Abs | S::F64x2Neg | S::F64x2Min | S::F64x2Max => &F64X2,
            _ => return self.lower_rounding_and_conversion(op, regs[0]),
        };
        let x = regs[0];
        Some(match op {
            S::F32x4Abs | S::F64x2Abs => {
                let m = self.vconst(shape.sign_mask);
                self.bin(shape.andn, m, x)
            }
            S::F32x4Neg | S::F64x2Neg => {
                let m = self.vconst(shape.sign_mask);
                self.bin(shape.xor, x, m)
            }
            S::F32x4Min | S::F64x2Min => self.float_min(shape, x, regs[1]),
            _ => self.float_max(shape, x, regs[1]),
        })
    }

    fn lower_rounding_and_conversion(&mut self, op: SimdOp, x: Reg) -> Option<Reg> {
        use SimdOp as S;
        let round = |mode: RoundMode| mode.imm();
        Some(match op {
            S::F32x4Ceil => self.un_imm(PI::Roundps, x, round(RoundMode::Ceil)),
            S::F32x4Floor => self.un_imm(PI::Roundps, x, round(RoundMode::Floor)),
            S::F32x4Trunc => self.un_imm(PI::Roundps, x, round(RoundMode::Trunc)),
            S::F32x4Nearest => self.un_imm(PI::Roundps, x, round(RoundMode::Nearest)),
            S::F64x2Ceil => self.un_imm(PI::Roundpd, x, round(RoundMode::Ceil)),
            S::F64x2Floor => self.un_imm(PI::Roundpd, x, round(RoundMode::Floor)),
            S::F64x2Trunc => self.un_imm(PI::Roundpd, x, round(RoundMode::Trunc)),
            S::F64x2Nearest => self.un_imm(PI::Roundpd, x, round(RoundMode::Nearest)),
            S::F32x4ConvertI32x4U => {
                // Convert the low 16 bits and the rest (halved, so it is positive) separately;
                // both convert exactly, and the final sum rounds once.
                let zero = self.vconst(0);
                let low = self.bin_imm(PI::Pblendw, x, zero, 0xaa);
                let high = self.bin(P::Psubd, x, low);
                let low_f = self.un(P::Cvtdq2ps, low);
                let half = self.shift_imm(PS::Psrld, high, 1);
                let half_f = self.un(P::Cvtdq2ps, half);
                let high_f = self.bin(P::Addps, half_f, half_f);
                self.bin(P::Addps, high_f, low_f)
            }
            S::I32x4TruncSatF32x4S => {
                // NaN lanes to 0; cvttps2dq gives 0x80000000 on overflow, which the sign of the
                // input turns into 0x7fffffff for positive lanes.
                let ordered = self.bin_imm(PI::Cmpps, x, x, CMP_EQ);
                let clean = self.bin(P::Andps, x, ordered);
                let positive = self.bin(P::Pxor, ordered, clean);
                let converted = self.un(P::Cvttps2dq, clean);
                let overflow = self.bin(P::Pand, positive, converted);
                let fix = self.shift_imm(PS::Psrad, overflow, 31);
                self.bin(P::Pxor, converted, fix)
            }
            S::I32x4TruncSatF32x4U => {
                let zero = self.vconst(0);
                let clamped = self.bin(P::Maxps, x, zero);
                let two31 = self.vconst(splat32(0x4f00_0000));
                let above = self.bin(P::Subps, clamped, two31);
                let too_big = self.bin_imm(PI::Cmpps, two31, above, CMP_LE);
                let above_i = self.un(P::Cvttps2dq, above);
                let above_i = self.bin(P::Pxor, above_i, too_big);
                let zero2 = self.vconst(0);
                let above_i = self.bin(P::Pmaxsd, above_i, zero2);
                let base = self.un(P::Cvttps2dq, clamped);
                self.bin(P::Paddd, base, above_i)
            }
            S::I32x4TruncSatF64x2SZero => {
                let ordered = self.bin_imm(PI::Cmppd, x, x, CMP_EQ);
                let max = self.vconst(splat64(2147483647.0f64.to_bits()));
                let limit = self.bin(P::Andpd, ordered, max);
                let clamped = self.bin(P::Minpd, x, limit);
                self.un(P::Cvttpd2dq, clamped)
            }
            S::I32x4TruncSatF64x2UZero => {
                // Clamp to [0, 2^32 - 1], truncate, and read the integer out of the low bits
                // of 2^52 + value.
                let zero = self.vconst(0);
                let clamped = self.bin(P::Maxpd, x, zero);
                let max = self.vconst(splat64(4294967295.0f64.to_bits()));
                let clamped = self.bin(P::Minpd, clamped, max);
                let whole = self.un_imm(PI::Roundpd, clamped, round(RoundMode::Trunc));
                let two52 = self.vconst(splat64(0x4330_0000_0000_0000));
                let biased = self.bin(P::Addpd, whole, two52);
                let zero2 = self.vconst(0);
                self.bin_imm(PI::Shufps, biased, zero2, 0x88)
            }
            S::F64x2ConvertLowI32x4U => {
                // 2^52 + u as f64 has u in its low bits: build that, then subtract 2^52.
                let high = self.vconst(splat32(0x4330_0000));
                let biased = self.bin(P::Unpcklps, x, high);
                let two52 = self.vconst(splat64(0x4330_0000_0000_0000));
                self.bin(P::Subpd, biased, two52)
            }
            _ => return None,
        })
    }

    /// Wasm min: NaN if either operand is NaN (canonical), and -0 < +0. `minps` returns its
    /// second operand for NaNs and equal zeros, so min both ways and combine.
    fn float_min(&mut self, s: &FloatShape, x: Reg, y: Reg) -> Reg {
        let a = self.bin(s.min, x, y);
        let b = self.bin(s.min, y, x);
        let either = self.bin(s.or, a, b);
        let nan = self.bin_imm(s.cmp, either, b, CMP_UNORD);
        let all = self.bin(s.or, either, nan);
        let payload = self.shift_imm(s.nan_shift.0, nan, s.nan_shift.1);
        self.bin(s.andn, payload, all)
    }

    /// Wasm max, like [`Self::float_min`]: the difference of the two orders is the sign of
    /// +0/-0 (removed by a subtraction) or a NaN (kept and made canonical).
    fn float_max(&mut self, s: &FloatShape, x: Reg, y: Reg) -> Reg {
        let a = self.bin(s.max, x, y);
        let b = self.bin(s.max, y, x);
        let diff = self.bin(s.xor, a, b);
        let blended = self.bin(s.or, a, diff);
        let positive = self.bin(s.sub, blended, diff);
        let nan = self.bin_imm(s.cmp, blended, blended, CMP_UNORD);
        let payload = self.shift_imm(s.nan_shift.0, nan, s.nan_shift.1);
        self.bin(s.andn, payload, positive)
    }

    fn vector_int_compare(&mut self, s: &IntShape, cmp: IntCmp, x: Reg, y: Reg) -> Reg {
        // x <= y exactly when min(x, y) == x; x >= y when max(x, y) == x.
        let holds_when_x_is = |this: &mut Self, op: P| {
            let m = this.bin(op, x, y);
            this.bin(s.eq, m, x)
        };
        match cmp {
            IntCmp::Ne => {
                let eq = self.bin(s.eq, x, y);
                self.not(eq)
            }
            IntCmp::LeS => holds_when_x_is(self, s.min_s),
            IntCmp::GeS => holds_when_x_is(self, s.max_s),
            IntCmp::LeU => holds_when_x_is(self, s.min_u),
            IntCmp::GeU => holds_when_x_is(self, s.max_u),
            IntCmp::GtU => {
                let le = holds_when_x_is(self, s.min_u);
                self.not(le)
            }
            IntCmp::LtU => {
                let ge = holds_when_x_is(self, s.max_u);
                self.not(ge)
            }
        }
    }

    /// Signed 64-bit `a < b` per lane: SSE4.2's `pcmpgtq`, else the sign of `a - b`,
    /// corrected where the subtraction overflowed, spread over the lane.
    fn i64_lt(&mut self, a: Reg, b: Reg) -> Reg {
        if self.cpu.sse42 {
            return self.bin(P::Pcmpgtq, b, a);
        }
        let diff = self.bin(P::Psubq, a, b);
        let signs_differ = self.bin(P::Pxor, a, b);
        let diff_vs_a = self.bin(P::Pxor, diff, a);
        let overflow = self.bin(P::Pand, signs_differ, diff_vs_a);
        let lt = self.bin(P::Pxor, diff, overflow);
        self.i64_sign_mask(lt)
    }

    /// All ones in each 64-bit lane whose sign bit is set.
    fn i64_sign_mask(&mut self, x: Reg) -> Reg {
        let high = self.shift_imm(PS::Psrad, x, 31);
        self.un_imm(PI::Pshufd, high, 0xf5)
    }

    /// Low 64 bits of each product, from 32-bit halves:
    /// `lo(a)*lo(b) + ((hi(a)*lo(b) + lo(a)*hi(b)) << 32)`.
    fn i64x2_mul(&mut self, a: Reg, b: Reg) -> Reg {
        let a_hi = self.shift_imm(PS::Psrlq, a, 32);
        let cross1 = self.bin(P::Pmuludq, a_hi, b);
        let b_hi = self.shift_imm(PS::Psrlq, b, 32);
        let cross2 = self.bin(P::Pmuludq, b_hi, a);
        let cross = self.bin(P::Paddq, cross1, cross2);
        let cross = self.shift_imm(PS::Psllq, cross, 32);
        let low = self.bin(P::Pmuludq, a, b);
        self.bin(P::Paddq, low, cross)
    }

    /// Count the bits of each byte with a 16-entry nibble table (`pshufb` as the lookup).
    fn popcnt(&mut self, x: Reg) -> Reg {
        const NIBBLE_COUNTS: [u8; 16] = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];
        let nibble = self.vconst(splat8(0x0f));
        let low = self.bin(P::Pand, x, nibble);
        let shifted = self.shift_imm(PS::Psrlw, x, 4);
        let high = self.bin(P::Pand, shifted, nibble);
        let table = self.vconst(u128::from_le_bytes(NIBBLE_COUNTS));
        let low_count = self.bin(P::Pshufb, table, low);
        let high_count = self.bin(P::Pshufb, table, high);
        self.bin(P::Paddb, low_count, high_count)
    }

    /// `pshufb` of each operand with a mask that zeroes the bytes taken from the other.
    fn shuffle(&mut self, lanes: &[u8; 16], same_operands: bool, x: Reg, y: Reg) -> Reg {
        if same_operands {
            let mask = u128::from_le_bytes(lanes.map(|l| l & 15));
            let m = self.vconst(mask);
            return self.bin(P::Pshufb, x, m);
        }
        let from_x = u128::from_le_bytes(lanes.map(|l| if l < 16 { l } else { 0x80 }));
        let from_y = u128::from_le_bytes(lanes.map(|l| if l >= 16 { l - 16 } else { 0x80 }));
        let (mx, my) = (self.vconst(from_x), self.vconst(from_y));
        let a = self.bin(P::Pshufb, x, mx);
        let b = self.bin(P::Pshufb, y, my);
        self.bin(P::Por, a, b)
    }

    /// Widen the low (or high) halves of both operands, then multiply.
    fn extmul(&mut self, high: bool, widen: P, mul: P, x: Reg, y: Reg) -> Reg {
        let mut halves = [x, y];
        for h in &mut halves {
            let src = if high { self.un_imm(PI::Pshufd, *h, 0xee) } else { *h };
            *h = self.un(widen, src);
        }
        self.bin(mul, halves[0], halves[1])
    }

    /// Sum of adjacent lane pairs, widened: even lanes are isolated by shifting left then
    /// right (`right` sign- or zero-extends), odd lanes by shifting right.
    fn extadd_pairwise(&mut self, x: Reg, left: PS, right: PS, half: u8, add: P) -> Reg {
        let up = self.shift_imm(left, x, half);
        let even = self.shift_imm(right, up, half);
        let odd = self.shift_imm(right, x, half);
        self.bin(add, even, odd)
    }

    fn all_true(&mut self, eq: P, x: Reg) -> Reg {
        let zero = self.vconst(0);
        let zero_lanes = self.bin(eq, zero, x);
        self.emit(MInst::Vec(VecInst::Ptest { a: zero_lanes, b: zero_lanes }));
        self.setcc(CC::E)
    }

    fn neg(&mut self, sub: P, x: Reg) -> Reg {
        let zero = self.vconst(0);
        self.bin(sub, zero, x)
    }

    fn not(&mut self, x: Reg) -> Reg {
        let ones = self.vconst(u128::MAX);
        self.bin(P::Pxor, x, ones)
    }

    /// The count of a shift of `bits`-bit lanes (modulo `bits`), plus `extra`.
    fn shift_count(&mut self, v: Value, bits: u32, extra: u32) -> Result<Count> {
        if let Some(c) = self.iconst(v) {
            return Ok(Count::Imm((c % u64::from(bits) + u64::from(extra)) as u8));
        }
        let g = self.put_in_reg(v)?;
        let masked = self.greg();
        self.emit(MInst::Alu {
            op: AluOp::And,
            size: Size::S32,
            dst: masked,
            lhs: g,
            rhs: RegMemImm::Imm(bits as i32 - 1),
        });
        let count = if extra == 0 {
            masked
        } else {
            let sum = self.greg();
            let amode = super::inst::Amode::base_disp(masked, extra as i32);
            self.emit(MInst::Lea { size: Size::S32, dst: sum, amode });
            sum
        };
        Ok(Count::Reg(self.gpr_to_xmm(Size::S32, count)))
    }

    fn shift(&mut self, imm_op: PS, reg_op: P, x: Reg, count: Count) -> Reg {
        match count {
            Count::Imm(n) => self.shift_imm(imm_op, x, n),
            Count::Reg(c) => self.bin(reg_op, x, c),
        }
    }

    // ---- One instruction each, into a fresh virtual register ----

    fn xreg(&mut self) -> Reg {
        Reg::Virt(self.new_vreg(RegClass::Float))
    }

    fn greg(&mut self) -> Reg {
        Reg::Virt(self.new_vreg(RegClass::Int))
    }

    /// A `v128` constant, materialised at each use like the scalar constants.
    pub(super) fn v128_const(&mut self, bits: u128) -> VReg {
        let dst = self.new_vreg(RegClass::Float);
        self.emit(MInst::Vec(VecInst::Const { dst: Reg::Virt(dst), bits }));
        dst
    }

    fn vconst(&mut self, bits: u128) -> Reg {
        Reg::Virt(self.v128_const(bits))
    }

    /// `vop dst, x, [mem]` when `mark_sunk` folded an operand's load into `op`.
    fn avx_with_memory_operand(&mut self, op: SimdOp, args: &[Value]) -> Result<Option<Reg>> {
        let Some(slot) = avx_memory_slots(op).iter().copied().find(|&s| self.is_folded_load(args[s])) else {
            return Ok(None);
        };
        let p = direct_binary(op).expect("avx_memory_slots only names direct binary operations");
        let lhs = self.put_in_reg(args[1 - slot])?;
        let Some(RegMem::Mem { amode, trap }) = self.folded_load(args[slot])? else {
            return Err(Error::msg("x86_64: a folded vector load without an address"));
        };
        let dst = self.xreg();
        self.emit(MInst::Vec(VecInst::AvxBinaryMem { op: p, dst, lhs, amode, trap }));
        Ok(Some(dst))
    }

    fn bin(&mut self, op: P, lhs: Reg, rhs: Reg) -> Reg {
        let dst = self.xreg();
        if self.cpu.avx && op.has_avx_form() {
            self.emit(MInst::Vec(VecInst::AvxBinary { op, dst, lhs, rhs }));
        } else {
            self.emit(MInst::Vec(VecInst::Binary { op, dst, lhs, rhs }));
        }
        dst
    }

    fn un(&mut self, op: P, src: Reg) -> Reg {
        let dst = self.xreg();
        self.emit(MInst::Vec(VecInst::Unary { op, dst, src }));
        dst
    }

    fn bin_imm(&mut self, op: PI, lhs: Reg, rhs: Reg, imm: u8) -> Reg {
        let dst = self.xreg();
        if self.cpu.avx && op.has_avx_form() {
            self.emit(MInst::Vec(VecInst::AvxBinaryImm { op, dst, lhs, rhs, imm }));
        } else {
            self.emit(MInst::Vec(VecInst::BinaryImm { op, dst, lhs, rhs, imm }));
        }
        dst
    }

    fn un_imm(&mut self, op: PI, src: Reg, imm: u8) -> Reg {
        let dst = self.xreg();
        self.emit(MInst::Vec(VecInst::UnaryImm { op, dst, src, imm }));
        dst
    }

    fn shift_imm(&mut self, op: PS, src: Reg, imm: u8) -> Reg {
        let dst = self.xreg();
        if self.cpu.avx {
            self.emit(MInst::Vec(VecInst::AvxShiftImm { op, dst, src, imm }));
        } else {
            self.emit(MInst::Vec(VecInst::ShiftImm { op, dst, src, imm }));
        }
        dst
    }

    fn gpr_to_xmm(&mut self, size: Size, src: Reg) -> Reg {
        let dst = self.xreg();
        self.emit(MInst::GprToXmm { size, dst, src });
        dst
    }

    fn extract(&mut self, size: Lane, src: Reg, lane: u8) -> Reg {
        let dst = self.greg();
        self.emit(MInst::Vec(VecInst::Extract { size, dst, src, lane }));
        dst
    }

    fn extract_signed(&mut self, size: Lane, from: ExtFrom, src: Reg, lane: u8) -> Reg {
        let raw = self.extract(size, src, lane);
        let dst = self.greg();
        self.emit(MInst::Movsx { from, size: Size::S32, dst, src: RegMem::Reg(raw) });
        dst
    }

    fn insert(&mut self, size: Lane, lhs: Reg, src: Reg, lane: u8) -> Reg {
        let dst = self.xreg();
        self.emit(MInst::Vec(VecInst::Insert { size, dst, lhs, src, lane }));
        dst
    }

    fn move_mask(&mut self, op: MoveMaskOp, src: Reg) -> Reg {
        let dst = self.greg();
        self.emit(MInst::Vec(VecInst::MoveMask { op, dst, src }));
        dst
    }

    fn setcc(&mut self, cc: CC) -> Reg {
        let dst = self.greg();
        self.emit(MInst::Setcc { cond: Cond::Simple(cc), dst, tmp: None });
        dst
    }
}
