//! Tables for vector instruction selection: which SIMD operations map onto one SSE
//! instruction (directly, with swapped operands, or after moving the high half low), and the
//! per-shape instructions that the multi-instruction sequences of `lower_simd.rs` share.

use crate::ir::SimdOp;
use target_x86_64::{PackedImmOp as PI, PackedOp as P, PackedShiftOp as PS};

/// `cmpps`/`cmppd` predicates.
pub(super) const CMP_EQ: u8 = 0;
pub(super) const CMP_LT: u8 = 1;
pub(super) const CMP_LE: u8 = 2;
pub(super) const CMP_UNORD: u8 = 3;
pub(super) const CMP_NEQ: u8 = 4;

/// One float shape's instructions, so f32x4 and f64x2 share their sequences.
pub(super) struct FloatShape {
    pub(super) sub: P,
    pub(super) min: P,
    pub(super) max: P,
    pub(super) andn: P,
    pub(super) or: P,
    pub(super) xor: P,
    pub(super) cmp: PI,
    /// Logical right shift of a lane, and by how much a NaN mask shifts to leave the bits
    /// that a canonical NaN clears.
    pub(super) nan_shift: (PS, u8),
    pub(super) sign_mask: u128,
}

pub(super) const F32X4: FloatShape = FloatShape {
    sub: P::Subps,
    min: P::Minps,
    max: P::Maxps,
    andn: P::Andnps,
    or: P::Orps,
    xor: P::Xorps,
    cmp: PI::Cmpps,
    nan_shift: (PS::Psrld, 10),
    sign_mask: splat32(0x8000_0000),
};

pub(super) const F64X2: FloatShape = FloatShape {
    sub: P::Subpd,
    min: P::Minpd,
    max: P::Maxpd,
    andn: P::Andnpd,
    or: P::Orpd,
    xor: P::Xorpd,
    cmp: PI::Cmppd,
    nan_shift: (PS::Psrlq, 13),
    sign_mask: splat64(0x8000_0000_0000_0000),
};

/// One integer shape's compare and min/max instructions.
pub(super) struct IntShape {
    pub(super) eq: P,
    pub(super) min_s: P,
    pub(super) min_u: P,
    pub(super) max_s: P,
    pub(super) max_u: P,
}

pub(super) const I8X16: IntShape =
    IntShape { eq: P::Pcmpeqb, min_s: P::Pminsb, min_u: P::Pminub, max_s: P::Pmaxsb, max_u: P::Pmaxub };
pub(super) const I16X8: IntShape =
    IntShape { eq: P::Pcmpeqw, min_s: P::Pminsw, min_u: P::Pminuw, max_s: P::Pmaxsw, max_u: P::Pmaxuw };
pub(super) const I32X4: IntShape =
    IntShape { eq: P::Pcmpeqd, min_s: P::Pminsd, min_u: P::Pminud, max_s: P::Pmaxsd, max_u: P::Pmaxud };

pub(super) const fn splat16(x: u16) -> u128 {
    splat32((x as u32) << 16 | x as u32)
}
pub(super) const fn splat32(x: u32) -> u128 {
    splat64((x as u64) << 32 | x as u64)
}
pub(super) const fn splat64(x: u64) -> u128 {
    (x as u128) << 64 | x as u128
}
pub(super) const fn splat8(x: u8) -> u128 {
    u128::from_le_bytes([x; 16])
}

/// Instructions that compute `op(x, y)` directly, two-address (`dst = x op y`).
/// The operands of `op` that may be a memory operand, second one first: those of a
/// [`direct_binary`] operation with an AVX form (the second; the first too where the
/// operation commutes).
pub(super) fn avx_memory_slots(op: SimdOp) -> &'static [usize] {
    use SimdOp as S;
    match direct_binary(op) {
        Some(p) if p.has_avx_form() => match op {
            S::I8x16Add | S::I16x8Add | S::I32x4Add | S::I64x2Add | S::I16x8Mul | S::I32x4Mul => &[1, 0],
            S::F32x4Add | S::F32x4Mul | S::F64x2Add | S::F64x2Mul => &[1, 0],
            S::V128And | S::V128Or | S::V128Xor => &[1, 0],
            _ => &[1],
        },
        _ => &[],
    }
}

pub(super) fn direct_binary(op: SimdOp) -> Option<P> {
    use SimdOp as S;
    Some(match op {
        S::I8x16Add => P::Paddb,
        S::I16x8Add => P::Paddw,
        S::I32x4Add => P::Paddd,
        S::I64x2Add => P::Paddq,
        S::I8x16Sub => P::Psubb,
        S::I16x8Sub => P::Psubw,
        S::I32x4Sub => P::Psubd,
        S::I64x2Sub => P::Psubq,
        S::I8x16AddSatS => P::Paddsb,
        S::I8x16AddSatU => P::Paddusb,
        S::I16x8AddSatS => P::Paddsw,
        S::I16x8AddSatU => P::Paddusw,
        S::I8x16SubSatS => P::Psubsb,
        S::I8x16SubSatU => P::Psubusb,
        S::I16x8SubSatS => P::Psubsw,
        S::I16x8SubSatU => P::Psubusw,
        S::I16x8Mul => P::Pmullw,
        S::I32x4Mul => P::Pmulld,
        S::I8x16MinS => P::Pminsb,
        S::I8x16MinU => P::Pminub,
        S::I8x16MaxS => P::Pmaxsb,
        S::I8x16MaxU => P::Pmaxub,
        S::I16x8MinS => P::Pminsw,
        S::I16x8MinU => P::Pminuw,
        S::I16x8MaxS => P::Pmaxsw,
        S::I16x8MaxU => P::Pmaxuw,
        S::I32x4MinS => P::Pminsd,
        S::I32x4MinU => P::Pminud,
        S::I32x4MaxS => P::Pmaxsd,
        S::I32x4MaxU => P::Pmaxud,
        S::I8x16AvgrU => P::Pavgb,
        S::I16x8AvgrU => P::Pavgw,
        S::V128And => P::Pand,
        S::V128Or => P::Por,
        S::V128Xor => P::Pxor,
        S::F32x4Add => P::Addps,
        S::F32x4Sub => P::Subps,
        S::F32x4Mul => P::Mulps,
        S::F32x4Div => P::Divps,
        S::F64x2Add => P::Addpd,
        S::F64x2Sub => P::Subpd,
        S::F64x2Mul => P::Mulpd,
        S::F64x2Div => P::Divpd,
        S::I8x16Eq => P::Pcmpeqb,
        S::I16x8Eq => P::Pcmpeqw,
        S::I32x4Eq => P::Pcmpeqd,
        S::I64x2Eq => P::Pcmpeqq,
        S::I8x16GtS => P::Pcmpgtb,
        S::I16x8GtS => P::Pcmpgtw,
        S::I32x4GtS => P::Pcmpgtd,
        S::I8x16NarrowI16x8S => P::Packsswb,
        S::I8x16NarrowI16x8U => P::Packuswb,
        S::I16x8NarrowI32x4S => P::Packssdw,
        S::I16x8NarrowI32x4U => P::Packusdw,
        S::I32x4DotI16x8S => P::Pmaddwd,
        _ => return None,
    })
}

/// Instructions that compute `op(x, y)` as `dst = y op x`.
pub(super) fn swapped_binary(op: SimdOp) -> Option<P> {
    use SimdOp as S;
    Some(match op {
        // pandn: dst = !dst & src.
        S::V128Andnot => P::Pandn,
        S::I8x16LtS => P::Pcmpgtb,
        S::I16x8LtS => P::Pcmpgtw,
        S::I32x4LtS => P::Pcmpgtd,
        // Wasm's pmin is `y < x ? y : x`, exactly `minps` with y first (and likewise pmax).
        S::F32x4Pmin => P::Minps,
        S::F32x4Pmax => P::Maxps,
        S::F64x2Pmin => P::Minpd,
        S::F64x2Pmax => P::Maxpd,
        _ => return None,
    })
}

/// Instructions that compute `op(x)` directly (`dst` not read).
pub(super) fn direct_unary(op: SimdOp) -> Option<P> {
    use SimdOp as S;
    Some(match op {
        S::I8x16Abs => P::Pabsb,
        S::I16x8Abs => P::Pabsw,
        S::I32x4Abs => P::Pabsd,
        S::F32x4Sqrt => P::Sqrtps,
        S::F64x2Sqrt => P::Sqrtpd,
        S::F32x4ConvertI32x4S => P::Cvtdq2ps,
        S::F64x2ConvertLowI32x4S => P::Cvtdq2pd,
        S::F32x4DemoteF64x2Zero => P::Cvtpd2ps,
        S::F64x2PromoteLowF32x4 => P::Cvtps2pd,
        S::I16x8ExtendLowI8x16S => P::Pmovsxbw,
        S::I16x8ExtendLowI8x16U => P::Pmovzxbw,
        S::I32x4ExtendLowI16x8S => P::Pmovsxwd,
        S::I32x4ExtendLowI16x8U => P::Pmovzxwd,
        S::I64x2ExtendLowI32x4S => P::Pmovsxdq,
        S::I64x2ExtendLowI32x4U => P::Pmovzxdq,
        _ => return None,
    })
}

/// Widening from the high half: move it low (`pshufd`), then widen.
pub(super) fn extend_high(op: SimdOp) -> Option<P> {
    use SimdOp as S;
    Some(match op {
        S::I16x8ExtendHighI8x16S => P::Pmovsxbw,
        S::I16x8ExtendHighI8x16U => P::Pmovzxbw,
        S::I32x4ExtendHighI16x8S => P::Pmovsxwd,
        S::I32x4ExtendHighI16x8U => P::Pmovzxwd,
        S::I64x2ExtendHighI32x4S => P::Pmovsxdq,
        S::I64x2ExtendHighI32x4U => P::Pmovzxdq,
        _ => return None,
    })
}

/// `cmpps`/`cmppd` predicate and whether the operands swap, for a float comparison.
pub(super) fn float_compare(op: SimdOp) -> Option<(&'static FloatShape, u8, bool)> {
    use SimdOp as S;
    Some(match op {
        S::F32x4Eq => (&F32X4, CMP_EQ, false),
        S::F32x4Ne => (&F32X4, CMP_NEQ, false),
        S::F32x4Lt => (&F32X4, CMP_LT, false),
        S::F32x4Le => (&F32X4, CMP_LE, false),
        S::F32x4Gt => (&F32X4, CMP_LT, true),
        S::F32x4Ge => (&F32X4, CMP_LE, true),
        S::F64x2Eq => (&F64X2, CMP_EQ, false),
        S::F64x2Ne => (&F64X2, CMP_NEQ, false),
        S::F64x2Lt => (&F64X2, CMP_LT, false),
        S::F64x2Le => (&F64X2, CMP_LE, false),
        S::F64x2Gt => (&F64X2, CMP_LT, true),
        S::F64x2Ge => (&F64X2, CMP_LE, true),
        _ => return None,
    })
}

/// The integer comparisons not computed by one instruction.
#[derive(Copy, Clone)]
pub(super) enum IntCmp {
    Ne,
    LeS,
    GeS,
    LtU,
    GtU,
    LeU,
    GeU,
}

pub(super) fn int_compare(op: SimdOp) -> Option<(&'static IntShape, IntCmp)> {
    use IntCmp::*;
    use SimdOp as S;
    Some(match op {
        S::I8x16Ne => (&I8X16, Ne),
        S::I8x16LeS => (&I8X16, LeS),
        S::I8x16GeS => (&I8X16, GeS),
        S::I8x16LtU => (&I8X16, LtU),
        S::I8x16GtU => (&I8X16, GtU),
        S::I8x16LeU => (&I8X16, LeU),
        S::I8x16GeU => (&I8X16, GeU),
        S::I16x8Ne => (&I16X8, Ne),
        S::I16x8LeS => (&I16X8, LeS),
        S::I16x8GeS => (&I16X8, GeS),
        S::I16x8LtU => (&I16X8, LtU),
        S::I16x8GtU => (&I16X8, GtU),
        S::I16x8LeU => (&I16X8, LeU),
        S::I16x8GeU => (&I16X8, GeU),
        S::I32x4Ne => (&I32X4, Ne),
        S::I32x4LeS => (&I32X4, LeS),
        S::I32x4GeS => (&I32X4, GeS),
        S::I32x4LtU => (&I32X4, LtU),
        S::I32x4GtU => (&I32X4, GtU),
        S::I32x4LeU => (&I32X4, LeU),
        S::I32x4GeU => (&I32X4, GeU),
        _ => return None,
    })
}
