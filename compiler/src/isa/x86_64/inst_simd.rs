//! Machine instructions on 128-bit vectors (`v128` values in xmm registers).
//!
//! A handful of generic forms over the assembler's packed-instruction tables: every Wasm SIMD
//! operation is lowered to a short straight-line sequence of them (`lower_simd.rs`), so the
//! register allocator sees each step and no form needs hidden temporaries. With AVX the
//! two-address forms have three-operand twins (`Avx*`) that spare the allocator's copies.

use super::inst::{Amode, Counting, OperandVisitor, Reg, VisitExt};
use target_x86_64::{MoveMaskOp, PackedImmOp, PackedOp, PackedShiftOp, Size as LaneSize};

#[derive(Clone, PartialEq, Debug)]
pub enum VecInst {
    /// `op dst, rhs`, two-address: `dst` reuses `lhs`'s register.
    Binary { op: PackedOp, dst: Reg, lhs: Reg, rhs: Reg },
    /// AVX `vop dst, lhs, rhs` (an op with [`PackedOp::has_avx_form`]): any `dst`.
    AvxBinary { op: PackedOp, dst: Reg, lhs: Reg, rhs: Reg },
    /// AVX `vop dst, lhs, [amode]`: a 16-byte load folded into the operation; `trap` marks a
    /// linear-memory access that may fault.
    AvxBinaryMem { op: PackedOp, dst: Reg, lhs: Reg, amode: Amode, trap: bool },
    /// `op dst, src` for instructions that do not read `dst` (conversions, `pabs*`,
    /// `pmov*x*`, square roots).
    Unary { op: PackedOp, dst: Reg, src: Reg },
    /// `op dst, rhs, imm`, two-address.
    BinaryImm { op: PackedImmOp, dst: Reg, lhs: Reg, rhs: Reg, imm: u8 },
    /// AVX `vop dst, lhs, rhs, imm`: any `dst`.
    AvxBinaryImm { op: PackedImmOp, dst: Reg, lhs: Reg, rhs: Reg, imm: u8 },
    /// `op dst, src, imm` for instructions that do not read `dst` (`pshufd`, `roundps`, ...).
    UnaryImm { op: PackedImmOp, dst: Reg, src: Reg, imm: u8 },
    /// Shift every lane (or the register, for `pslldq`/`psrldq`) by a constant; two-address.
    ShiftImm { op: PackedShiftOp, dst: Reg, src: Reg, imm: u8 },
    /// AVX `vop dst, src, imm`: the shift into any register.
    AvxShiftImm { op: PackedShiftOp, dst: Reg, src: Reg, imm: u8 },
    /// A 128-bit constant (`pxor`/`pcmpeqd` for all zeros/ones, else from the constant pool).
    Const { dst: Reg, bits: u128 },
    /// `pinsr* dst, src, lane`: lane `lane` of `lhs` replaced by general register `src`.
    Insert { size: LaneSize, dst: Reg, lhs: Reg, src: Reg, lane: u8 },
    /// `pextr* dst, src, lane`: one lane, zero-extended into a general register.
    Extract { size: LaneSize, dst: Reg, src: Reg, lane: u8 },
    /// `movmskps`/`movmskpd`/`pmovmskb`: lane sign bits into a general register.
    MoveMask { op: MoveMaskOp, dst: Reg, src: Reg },
    /// `ptest a, b`: ZF is set when `a & b` is zero.
    Ptest { a: Reg, b: Reg },
}

impl VecInst {
    pub(super) fn visit_operands<V: OperandVisitor + ?Sized>(&mut self, v: &mut Counting<'_, V>) {
        match self {
            VecInst::Binary { dst, lhs, rhs, .. } | VecInst::BinaryImm { dst, lhs, rhs, .. } => {
                v.use_(rhs);
                v.use_then_reuse(lhs, dst);
            }
            VecInst::AvxBinary { dst, lhs, rhs, .. } | VecInst::AvxBinaryImm { dst, lhs, rhs, .. } => {
                v.use_(lhs);
                v.use_(rhs);
                v.def(dst);
            }
            VecInst::AvxBinaryMem { dst, lhs, amode, .. } => {
                v.amode(amode);
                v.use_(lhs);
                v.def(dst);
            }
            VecInst::Unary { dst, src, .. }
            | VecInst::AvxShiftImm { dst, src, .. }
            | VecInst::UnaryImm { dst, src, .. }
            | VecInst::Extract { dst, src, .. }
            | VecInst::MoveMask { dst, src, .. } => {
                v.use_(src);
                v.def(dst);
            }
            VecInst::ShiftImm { dst, src, .. } => v.use_then_reuse(src, dst),
            VecInst::Const { dst, .. } => v.def(dst),
            VecInst::Insert { dst, lhs, src, .. } => {
                v.use_(src);
                v.use_then_reuse(lhs, dst);
            }
            VecInst::Ptest { a, b } => {
                v.use_(a);
                v.use_(b);
            }
        }
    }
}
