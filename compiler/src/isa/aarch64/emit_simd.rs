//! Vector operations → NEON. Most Wasm operations are one instruction; the rest are short
//! sequences working in `v31` (and `x16`/`x17` for the 64-bit lane multiply), with the
//! result written last or into `dst`, which never shares a register with an operand (an
//! early def, see `MInst::Simd`).

use super::emit::{Emitter, V31, X16};
use super::inst::{Cond, Reg, Size};
use super::lower_simd::shift_shape;
use crate::ir::{SimdOp, Type};
use target_aarch64::{AluOp, Gpr, VArr, VSize, VecOp, VecShiftOp, VecUnaryOp, Vreg};

use SimdOp as S;
use VArr::{B16, B8, D2, H4, H8, S2, S4};

/// An operand or result: a vector register or a general one, by its IR type.
#[derive(Copy, Clone)]
enum Loc {
    V(Vreg),
    G(Gpr),
}

impl Emitter {
    fn loc(&mut self, r: Reg, ty: Type) -> Loc {
        if ty.is_int() {
            Loc::G(self.gpr(r))
        } else {
            Loc::V(self.vreg(r))
        }
    }

    /// `dst = bits` through the literal pool.
    fn load_vec_const(&mut self, dst: Vreg, bits: u128) {
        let m = self.asm.const_u128(bits);
        self.asm.load_fp(VSize::Q, dst, m);
    }

    pub(super) fn vec_const(&mut self, dst: Vreg, bits: u128) {
        if bits == 0 {
            self.asm.movi_zero(dst);
        } else {
            self.load_vec_const(dst, bits);
        }
    }

    pub(super) fn simd(&mut self, op: SimdOp, dst: Reg, args: &[Reg], tmp: Option<Reg>) {
        let types = op.operand_types();
        if args.len() != types.len() {
            return self.fail_simd(op, "operand count");
        }
        let locs: Vec<Loc> = args.iter().zip(types).map(|(&r, &t)| self.loc(r, t)).collect();
        let out = self.loc(dst, op.result_type());
        let tmp = tmp.map(|t| self.vreg(t));
        match (out, locs.as_slice()) {
            (Loc::V(d), [Loc::V(a), Loc::V(b)]) => self.simd_binary(op, d, *a, *b),
            (Loc::V(d), [Loc::V(a), Loc::V(b), Loc::V(c)]) if op == S::V128Bitselect => {
                self.asm.mov_v128(d, *c);
                self.asm.vec_rrr(VecOp::Bsl, B16, d, *a, *b);
            }
            (Loc::V(d), [Loc::V(a)]) => self.simd_unary(op, d, *a),
            (Loc::V(d), [Loc::V(a), Loc::G(g)]) => self.simd_vec_gpr(op, d, *a, *g),
            (Loc::V(d), [Loc::G(g)]) => self.simd_from_gpr(op, d, *g),
            (Loc::G(g), [Loc::V(a)]) => self.simd_to_gpr(op, g, *a, tmp),
            _ => self.fail_simd(op, "operand kinds"),
        }
    }

    fn fail_simd(&mut self, op: SimdOp, what: &str) {
        self.fail(&format!("{}: unexpected {what}", op.name()));
    }

    /// Two vector operands (and the lane replacements of float lanes).
    fn simd_binary(&mut self, op: SimdOp, d: Vreg, a: Vreg, b: Vreg) {
        if let Some((vop, arr, swap)) = three_same(op) {
            let (a, b) = if swap { (b, a) } else { (a, b) };
            return self.asm.vec_rrr(vop, arr, d, a, b);
        }
        if let Some((vop, arr)) = not_equal(op) {
            self.asm.vec_rrr(vop, arr, d, a, b);
            return self.asm.vec_unary(VecUnaryOp::Not, B16, d, d);
        }
        match op {
            S::I8x16Swizzle => self.asm.tbl(d, a, b),
            S::I8x16Shuffle(lanes) => self.shuffle(d, a, b, lanes),
            S::I8x16NarrowI16x8S => self.narrow(VecUnaryOp::Sqxtn, B8, B16, d, a, b),
            S::I8x16NarrowI16x8U => self.narrow(VecUnaryOp::Sqxtun, B8, B16, d, a, b),
            S::I16x8NarrowI32x4S => self.narrow(VecUnaryOp::Sqxtn, H4, H8, d, a, b),
            S::I16x8NarrowI32x4U => self.narrow(VecUnaryOp::Sqxtun, H4, H8, d, a, b),
            S::I32x4DotI16x8S => {
                self.asm.vec_rrr(VecOp::Smull, H4, V31, a, b);
                self.asm.vec_rrr(VecOp::Smull, H8, d, a, b);
                self.asm.vec_rrr(VecOp::Addp, S4, d, V31, d);
            }
            S::I64x2Mul => {
                // No 64-bit lane multiply in NEON: one lane at a time through x16/x17.
                for lane in 0..2 {
                    self.asm.umov(D2, X16, a, lane);
                    self.asm.umov(D2, Gpr::X17, b, lane);
                    self.asm.mul(Size::S64, X16, X16, Gpr::X17);
                    self.asm.ins_gpr(D2, d, lane, X16);
                }
            }
            // Pseudo-min/max pick an operand by one compare: b < a ? b : a, a < b ? b : a.
            S::F32x4Pmin | S::F64x2Pmin | S::F32x4Pmax | S::F64x2Pmax => {
                let arr = if matches!(op, S::F32x4Pmin | S::F32x4Pmax) { S4 } else { D2 };
                let (x, y) = if matches!(op, S::F32x4Pmin | S::F64x2Pmin) { (a, b) } else { (b, a) };
                self.asm.vec_rrr(VecOp::Fcmgt, arr, d, x, y);
                self.asm.vec_rrr(VecOp::Bsl, B16, d, b, a);
            }
            S::F32x4ReplaceLane(lane) => self.replace_lane_from_vec(S4, d, a, lane, b),
            S::F64x2ReplaceLane(lane) => self.replace_lane_from_vec(D2, d, a, lane, b),
            _ => self.fail_simd(op, "binary operation"),
        }
    }

    fn replace_lane_from_vec(&mut self, arr: VArr, d: Vreg, v: Vreg, lane: u8, x: Vreg) {
        self.asm.mov_v128(d, v);
        self.asm.ins_lane(arr, d, lane, x, 0);
    }

    /// `op` narrows `a` into the low half and `b` into the high half.
    fn narrow(&mut self, op: VecUnaryOp, low: VArr, high: VArr, d: Vreg, a: Vreg, b: Vreg) {
        self.asm.vec_unary(op, low, d, a);
        self.asm.vec_unary(op, high, d, b);
    }

    /// `tbl` returns 0 for an index above 15: each operand picks its own bytes and the two
    /// halves are or-ed, no two-register table (and so no consecutive registers) needed.
    fn shuffle(&mut self, d: Vreg, a: Vreg, b: Vreg, lanes: [u8; 16]) {
        let pick = |from: u8| -> u128 {
            lanes.iter().enumerate().fold(0u128, |acc, (i, &l)| {
                let byte = if (from..from + 16).contains(&l) { l - from } else { 0xff };
                acc | u128::from(byte) << (8 * i)
            })
        };
        let (from_a, from_b) = (lanes.iter().any(|&l| l < 16), lanes.iter().any(|&l| l >= 16));
        if !from_b {
            self.load_vec_const(V31, pick(0));
            self.asm.tbl(d, a, V31);
        } else if !from_a {
            self.load_vec_const(V31, pick(16));
            self.asm.tbl(d, b, V31);
        } else {
            self.load_vec_const(V31, pick(0));
            self.asm.tbl(d, a, V31);
            self.load_vec_const(V31, pick(16));
            self.asm.tbl(V31, b, V31);
            self.asm.vec_rrr(VecOp::Orr, B16, d, d, V31);
        }
    }

    fn simd_unary(&mut self, op: SimdOp, d: Vreg, a: Vreg) {
        if let Some((vop, arr)) = unary(op) {
            return self.asm.vec_unary(vop, arr, d, a);
        }
        if let Some((vop, arr)) = extend(op) {
            return self.asm.vec_shift_imm(vop, arr, d, a, 0);
        }
        match op {
            S::F32x4Splat => self.asm.dup_lane(S4, d, a, 0),
            S::F64x2Splat => self.asm.dup_lane(D2, d, a, 0),
            S::F32x4ExtractLane(lane) => self.asm.mov_lane_to_scalar(S4, d, a, lane),
            S::F64x2ExtractLane(lane) => self.asm.mov_lane_to_scalar(D2, d, a, lane),
            // Convert to 64-bit lanes (saturating), then narrow saturating; the high half is
            // zeroed by the narrowing write.
            S::I32x4TruncSatF64x2SZero => {
                self.asm.vec_unary(VecUnaryOp::Fcvtzs, D2, V31, a);
                self.asm.vec_unary(VecUnaryOp::Sqxtn, S2, d, V31);
            }
            S::I32x4TruncSatF64x2UZero => {
                self.asm.vec_unary(VecUnaryOp::Fcvtzu, D2, V31, a);
                self.asm.vec_unary(VecUnaryOp::Uqxtn, S2, d, V31);
            }
            S::F64x2ConvertLowI32x4S => {
                self.asm.vec_shift_imm(VecShiftOp::Sshll, S2, V31, a, 0);
                self.asm.vec_unary(VecUnaryOp::Scvtf, D2, d, V31);
            }
            S::F64x2ConvertLowI32x4U => {
                self.asm.vec_shift_imm(VecShiftOp::Ushll, S2, V31, a, 0);
                self.asm.vec_unary(VecUnaryOp::Ucvtf, D2, d, V31);
            }
            _ => self.fail_simd(op, "unary operation"),
        }
    }

    /// A vector and a general register: shifts and integer lane replacement.
    fn simd_vec_gpr(&mut self, op: SimdOp, d: Vreg, a: Vreg, g: Gpr) {
        let replace = match op {
            S::I8x16ReplaceLane(l) => Some((B16, l)),
            S::I16x8ReplaceLane(l) => Some((H8, l)),
            S::I32x4ReplaceLane(l) => Some((S4, l)),
            S::I64x2ReplaceLane(l) => Some((D2, l)),
            _ => None,
        };
        if let Some((arr, lane)) = replace {
            self.asm.mov_v128(d, a);
            return self.asm.ins_gpr(arr, d, lane, g);
        }
        let Some((arr, signed, right)) = shift_shape(op) else {
            return self.fail_simd(op, "vector and scalar operation");
        };
        // Wasm takes the count modulo the lane width; sshl/ushl shift right by a negative
        // count, per lane.
        self.asm.alu_rri(AluOp::And, Size::S32, X16, g, u64::from(arr.lane_bits() - 1));
        self.asm.dup_gpr(arr, V31, X16);
        if right {
            self.asm.vec_unary(VecUnaryOp::Neg, arr, V31, V31);
        }
        self.asm.vec_rrr(if signed { VecOp::Sshl } else { VecOp::Ushl }, arr, d, a, V31);
    }

    fn simd_from_gpr(&mut self, op: SimdOp, d: Vreg, g: Gpr) {
        match op {
            S::I8x16Splat => self.asm.dup_gpr(B16, d, g),
            S::I16x8Splat => self.asm.dup_gpr(H8, d, g),
            S::I32x4Splat => self.asm.dup_gpr(S4, d, g),
            S::I64x2Splat => self.asm.dup_gpr(D2, d, g),
            // `fmov` zeroes the rest of the register.
            S::I32x4ScalarToVector => self.asm.fmov_from_gpr(Size::S32, d, g),
            S::I64x2ScalarToVector => self.asm.fmov_from_gpr(Size::S64, d, g),
            _ => self.fail_simd(op, "operation from a scalar"),
        }
    }

    fn simd_to_gpr(&mut self, op: SimdOp, g: Gpr, a: Vreg, tmp: Option<Vreg>) {
        match op {
            S::I8x16ExtractLaneS(l) => self.asm.smov(B16, g, a, l),
            S::I8x16ExtractLaneU(l) => self.asm.umov(B16, g, a, l),
            S::I16x8ExtractLaneS(l) => self.asm.smov(H8, g, a, l),
            S::I16x8ExtractLaneU(l) => self.asm.umov(H8, g, a, l),
            S::I32x4ExtractLane(l) => self.asm.umov(S4, g, a, l),
            S::I64x2ExtractLane(l) => self.asm.umov(D2, g, a, l),
            S::V128AnyTrue => {
                self.asm.vec_unary(VecUnaryOp::Umaxv, B16, V31, a);
                self.flag_to_bool(g, Cond::Ne);
            }
            S::I8x16AllTrue | S::I16x8AllTrue | S::I32x4AllTrue | S::I64x2AllTrue => {
                let arr = match op {
                    S::I8x16AllTrue => B16,
                    S::I16x8AllTrue => H8,
                    S::I32x4AllTrue => S4,
                    _ => D2,
                };
                // A zero lane becomes all-ones; all true when no byte is set.
                self.asm.vec_unary(VecUnaryOp::CmeqZero, arr, V31, a);
                self.asm.vec_unary(VecUnaryOp::Umaxv, B16, V31, V31);
                self.flag_to_bool(g, Cond::Eq);
            }
            S::I8x16Bitmask | S::I16x8Bitmask | S::I32x4Bitmask | S::I64x2Bitmask => match tmp {
                Some(t) => self.bitmask(op, g, a, t),
                None => self.fail_simd(op, "missing scratch register"),
            },
            _ => self.fail_simd(op, "operation to a scalar"),
        }
    }

    /// `g = (low byte of v31 != 0)` under `cond` (`Ne`: non-zero, `Eq`: zero).
    fn flag_to_bool(&mut self, g: Gpr, cond: Cond) {
        self.asm.fmov_to_gpr(Size::S32, g, V31);
        self.asm.cmp_ri(Size::S32, g, 0);
        self.asm.cset(Size::S32, g, cond);
    }

    /// Each lane's sign as all-ones or zero, and-ed with its bit's weight, summed across.
    fn bitmask(&mut self, op: SimdOp, g: Gpr, a: Vreg, t: Vreg) {
        let (arr, weights) = match op {
            S::I8x16Bitmask => (B16, lane_weights(8)),
            S::I16x8Bitmask => (H8, lane_weights(16)),
            S::I32x4Bitmask => (S4, lane_weights(32)),
            _ => (D2, lane_weights(64)),
        };
        self.asm.vec_shift_imm(VecShiftOp::Sshr, arr, V31, a, arr.lane_bits() - 1);
        self.load_vec_const(t, weights);
        self.asm.vec_rrr(VecOp::And, B16, V31, V31, t);
        match arr {
            B16 => {
                // Bytes 0-7 hold bits 0-7 and bytes 8-15 bits 8-15 (weights repeat): pair
                // byte i with byte i + 8 into halfword i, then sum the halfwords.
                self.asm.ext(t, V31, V31, 8);
                self.asm.vec_rrr(VecOp::Zip1, B16, V31, V31, t);
                self.asm.vec_unary(VecUnaryOp::Addv, H8, V31, V31);
            }
            D2 => self.asm.addp_scalar(V31, V31),
            _ => self.asm.vec_unary(VecUnaryOp::Addv, arr, V31, V31),
        }
        self.asm.fmov_to_gpr(Size::S32, g, V31);
    }
}

/// Lane `i` of `bits`-bit lanes holds `1 << i` (for bytes: `1 << (i % 8)`).
fn lane_weights(bits: u32) -> u128 {
    let lanes = 128 / bits;
    (0..lanes).fold(0u128, |acc, i| acc | 1u128 << ((i % 8) + i * bits))
}

/// One three-register instruction; `swap` when the operands go in the other order
/// (`a < b` is `b > a`).
fn three_same(op: SimdOp) -> Option<(VecOp, VArr, bool)> {
    use VecOp::*;
    let (v, arr) = match op {
        S::I8x16Add => (Add, B16),
        S::I8x16AddSatS => (Sqadd, B16),
        S::I8x16AddSatU => (Uqadd, B16),
        S::I8x16Sub => (Sub, B16),
        S::I8x16SubSatS => (Sqsub, B16),
        S::I8x16SubSatU => (Uqsub, B16),
        S::I8x16MinS => (Smin, B16),
        S::I8x16MinU => (Umin, B16),
        S::I8x16MaxS => (Smax, B16),
        S::I8x16MaxU => (Umax, B16),
        S::I8x16AvgrU => (Urhadd, B16),
        S::I16x8Add => (Add, H8),
        S::I16x8AddSatS => (Sqadd, H8),
        S::I16x8AddSatU => (Uqadd, H8),
        S::I16x8Sub => (Sub, H8),
        S::I16x8SubSatS => (Sqsub, H8),
        S::I16x8SubSatU => (Uqsub, H8),
        S::I16x8Mul => (Mul, H8),
        S::I16x8MinS => (Smin, H8),
        S::I16x8MinU => (Umin, H8),
        S::I16x8MaxS => (Smax, H8),
        S::I16x8MaxU => (Umax, H8),
        S::I16x8AvgrU => (Urhadd, H8),
        // (2ab + 2^15) >> 16 saturated is Wasm's (ab + 2^14) >> 15 saturated.
        S::I16x8Q15mulrSatS => (Sqrdmulh, H8),
        S::I32x4Add => (Add, S4),
        S::I32x4Sub => (Sub, S4),
        S::I32x4Mul => (Mul, S4),
        S::I32x4MinS => (Smin, S4),
        S::I32x4MinU => (Umin, S4),
        S::I32x4MaxS => (Smax, S4),
        S::I32x4MaxU => (Umax, S4),
        S::I64x2Add => (Add, D2),
        S::I64x2Sub => (Sub, D2),
        S::V128And => (And, B16),
        S::V128Or => (Orr, B16),
        S::V128Xor => (Eor, B16),
        S::V128Andnot => (Bic, B16),
        // NEON's fmin/fmax propagate NaN and order -0 below +0, as Wasm's do.
        S::F32x4Add => (Fadd, S4),
        S::F32x4Sub => (Fsub, S4),
        S::F32x4Mul => (Fmul, S4),
        S::F32x4Div => (Fdiv, S4),
        S::F32x4Min => (Fmin, S4),
        S::F32x4Max => (Fmax, S4),
        S::F64x2Add => (Fadd, D2),
        S::F64x2Sub => (Fsub, D2),
        S::F64x2Mul => (Fmul, D2),
        S::F64x2Div => (Fdiv, D2),
        S::F64x2Min => (Fmin, D2),
        S::F64x2Max => (Fmax, D2),
        // Widening multiplies: the low halves (`8b`…) or the high ones (`16b`…, `smull2`).
        S::I16x8ExtmulLowI8x16S => (Smull, B8),
        S::I16x8ExtmulHighI8x16S => (Smull, B16),
        S::I16x8ExtmulLowI8x16U => (Umull, B8),
        S::I16x8ExtmulHighI8x16U => (Umull, B16),
        S::I32x4ExtmulLowI16x8S => (Smull, H4),
        S::I32x4ExtmulHighI16x8S => (Smull, H8),
        S::I32x4ExtmulLowI16x8U => (Umull, H4),
        S::I32x4ExtmulHighI16x8U => (Umull, H8),
        S::I64x2ExtmulLowI32x4S => (Smull, S2),
        S::I64x2ExtmulHighI32x4S => (Smull, S4),
        S::I64x2ExtmulLowI32x4U => (Umull, S2),
        S::I64x2ExtmulHighI32x4U => (Umull, S4),
        _ => return compare(op),
    };
    Some((v, arr, false))
}

/// Lane compares: NEON has `=`, `>` and `>=`; `<` and `<=` swap the operands.
fn compare(op: SimdOp) -> Option<(VecOp, VArr, bool)> {
    use VecOp::*;
    Some(match op {
        S::I8x16Eq => (Cmeq, B16, false),
        S::I8x16GtS => (Cmgt, B16, false),
        S::I8x16GtU => (Cmhi, B16, false),
        S::I8x16GeS => (Cmge, B16, false),
        S::I8x16GeU => (Cmhs, B16, false),
        S::I8x16LtS => (Cmgt, B16, true),
        S::I8x16LtU => (Cmhi, B16, true),
        S::I8x16LeS => (Cmge, B16, true),
        S::I8x16LeU => (Cmhs, B16, true),
        S::I16x8Eq => (Cmeq, H8, false),
        S::I16x8GtS => (Cmgt, H8, false),
        S::I16x8GtU => (Cmhi, H8, false),
        S::I16x8GeS => (Cmge, H8, false),
        S::I16x8GeU => (Cmhs, H8, false),
        S::I16x8LtS => (Cmgt, H8, true),
        S::I16x8LtU => (Cmhi, H8, true),
        S::I16x8LeS => (Cmge, H8, true),
        S::I16x8LeU => (Cmhs, H8, true),
        S::I32x4Eq => (Cmeq, S4, false),
        S::I32x4GtS => (Cmgt, S4, false),
        S::I32x4GtU => (Cmhi, S4, false),
        S::I32x4GeS => (Cmge, S4, false),
        S::I32x4GeU => (Cmhs, S4, false),
        S::I32x4LtS => (Cmgt, S4, true),
        S::I32x4LtU => (Cmhi, S4, true),
        S::I32x4LeS => (Cmge, S4, true),
        S::I32x4LeU => (Cmhs, S4, true),
        S::I64x2Eq => (Cmeq, D2, false),
        S::I64x2GtS => (Cmgt, D2, false),
        S::I64x2GeS => (Cmge, D2, false),
        S::I64x2LtS => (Cmgt, D2, true),
        S::I64x2LeS => (Cmge, D2, true),
        S::F32x4Eq => (Fcmeq, S4, false),
        S::F32x4Gt => (Fcmgt, S4, false),
        S::F32x4Ge => (Fcmge, S4, false),
        S::F32x4Lt => (Fcmgt, S4, true),
        S::F32x4Le => (Fcmge, S4, true),
        S::F64x2Eq => (Fcmeq, D2, false),
        S::F64x2Gt => (Fcmgt, D2, false),
        S::F64x2Ge => (Fcmge, D2, false),
        S::F64x2Lt => (Fcmgt, D2, true),
        S::F64x2Le => (Fcmge, D2, true),
        _ => return None,
    })
}

/// `ne`: the equality compare, then `not` (for floats too: NaN lanes are unequal).
fn not_equal(op: SimdOp) -> Option<(VecOp, VArr)> {
    Some(match op {
        S::I8x16Ne => (VecOp::Cmeq, B16),
        S::I16x8Ne => (VecOp::Cmeq, H8),
        S::I32x4Ne => (VecOp::Cmeq, S4),
        S::I64x2Ne => (VecOp::Cmeq, D2),
        S::F32x4Ne => (VecOp::Fcmeq, S4),
        S::F64x2Ne => (VecOp::Fcmeq, D2),
        _ => return None,
    })
}

fn unary(op: SimdOp) -> Option<(VecUnaryOp, VArr)> {
    use VecUnaryOp::*;
    Some(match op {
        S::V128Not => (Not, B16),
        S::I8x16Abs => (Abs, B16),
        S::I8x16Neg => (Neg, B16),
        S::I8x16Popcnt => (Cnt, B16),
        S::I16x8Abs => (Abs, H8),
        S::I16x8Neg => (Neg, H8),
        S::I32x4Abs => (Abs, S4),
        S::I32x4Neg => (Neg, S4),
        S::I64x2Abs => (Abs, D2),
        S::I64x2Neg => (Neg, D2),
        S::F32x4Abs => (Fabs, S4),
        S::F32x4Neg => (Fneg, S4),
        S::F32x4Sqrt => (Fsqrt, S4),
        S::F32x4Ceil => (Frintp, S4),
        S::F32x4Floor => (Frintm, S4),
        S::F32x4Trunc => (Frintz, S4),
        S::F32x4Nearest => (Frintn, S4),
        S::F64x2Abs => (Fabs, D2),
        S::F64x2Neg => (Fneg, D2),
        S::F64x2Sqrt => (Fsqrt, D2),
        S::F64x2Ceil => (Frintp, D2),
        S::F64x2Floor => (Frintm, D2),
        S::F64x2Trunc => (Frintz, D2),
        S::F64x2Nearest => (Frintn, D2),
        S::I16x8ExtaddPairwiseI8x16S => (Saddlp, B16),
        S::I16x8ExtaddPairwiseI8x16U => (Uaddlp, B16),
        S::I32x4ExtaddPairwiseI16x8S => (Saddlp, H8),
        S::I32x4ExtaddPairwiseI16x8U => (Uaddlp, H8),
        // fcvtzs/fcvtzu saturate and give 0 for NaN: exactly trunc_sat.
        S::I32x4TruncSatF32x4S => (Fcvtzs, S4),
        S::I32x4TruncSatF32x4U => (Fcvtzu, S4),
        S::F32x4ConvertI32x4S => (Scvtf, S4),
        S::F32x4ConvertI32x4U => (Ucvtf, S4),
        S::F32x4DemoteF64x2Zero => (Fcvtn, S2),
        S::F64x2PromoteLowF32x4 => (Fcvtl, S2),
        _ => return None,
    })
}

/// Widening: `sxtl`/`uxtl` of the low half, `sxtl2`/`uxtl2` of the high half.
fn extend(op: SimdOp) -> Option<(VecShiftOp, VArr)> {
    use VecShiftOp::{Sshll, Ushll};
    Some(match op {
        S::I16x8ExtendLowI8x16S => (Sshll, B8),
        S::I16x8ExtendHighI8x16S => (Sshll, B16),
        S::I16x8ExtendLowI8x16U => (Ushll, B8),
        S::I16x8ExtendHighI8x16U => (Ushll, B16),
        S::I32x4ExtendLowI16x8S => (Sshll, H4),
        S::I32x4ExtendHighI16x8S => (Sshll, H8),
        S::I32x4ExtendLowI16x8U => (Ushll, H4),
        S::I32x4ExtendHighI16x8U => (Ushll, H8),
        S::I64x2ExtendLowI32x4S => (Sshll, S2),
        S::I64x2ExtendHighI32x4S => (Sshll, S4),
        S::I64x2ExtendLowI32x4U => (Ushll, S2),
        S::I64x2ExtendHighI32x4U => (Ushll, S4),
        _ => return None,
    })
}
