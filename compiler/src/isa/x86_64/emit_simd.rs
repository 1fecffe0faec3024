//! Allocated vector instructions (`inst_simd.rs`) → bytes.

use super::emit::Emitter;
use super::inst::Reg;
use super::inst_simd::VecInst;
use target_x86_64::{PackedOp, Xmm};

impl Emitter {
    pub(super) fn vec_inst(&mut self, inst: &VecInst) {
        match *inst {
            VecInst::Binary { op, dst, lhs, rhs } => {
                let (d, s) = (self.two_address(dst, lhs), self.xmm(rhs));
                self.asm.packed_rr(op, d, s);
            }
            VecInst::AvxBinary { op, dst, lhs, rhs } => {
                let (d, l, r) = (self.xmm(dst), self.xmm(lhs), self.xmm(rhs));
                self.asm.avx_rrr(op, d, l, r);
            }
            VecInst::AvxBinaryMem { op, dst, lhs, amode, trap } => {
                let (d, l) = (self.xmm(dst), self.xmm(lhs));
                let m = self.mem(amode);
                self.mark_trap(trap);
                self.asm.avx_rrm(op, d, l, m);
            }
            VecInst::AvxBinaryImm { op, dst, lhs, rhs, imm } => {
                let (d, l, r) = (self.xmm(dst), self.xmm(lhs), self.xmm(rhs));
                self.asm.avx_rrri(op, d, l, r, imm);
            }
            VecInst::AvxShiftImm { op, dst, src, imm } => {
                let (d, s) = (self.xmm(dst), self.xmm(src));
                self.asm.avx_shift_rri(op, d, s, imm);
            }
            VecInst::Unary { op, dst, src } => {
                let (d, s) = (self.xmm(dst), self.xmm(src));
                self.asm.packed_rr(op, d, s);
            }
            VecInst::BinaryImm { op, dst, lhs, rhs, imm } => {
                let (d, s) = (self.two_address(dst, lhs), self.xmm(rhs));
                self.asm.packed_rri(op, d, s, imm);
            }
            VecInst::UnaryImm { op, dst, src, imm } => {
                let (d, s) = (self.xmm(dst), self.xmm(src));
                self.asm.packed_rri(op, d, s, imm);
            }
            VecInst::ShiftImm { op, dst, src, imm } => {
                let d = self.two_address(dst, src);
                self.asm.packed_shift_ri(op, d, imm);
            }
            VecInst::Const { dst, bits } => {
                let d = self.xmm(dst);
                match bits {
                    0 => self.asm.packed_rr(PackedOp::Pxor, d, d),
                    u128::MAX => self.asm.packed_rr(PackedOp::Pcmpeqd, d, d),
                    _ => {
                        let m = self.asm.const_u128(bits);
                        self.asm.load_v128(d, m);
                    }
                }
            }
            VecInst::Insert { size, dst, lhs, src, lane } => {
                let (d, s) = (self.two_address(dst, lhs), self.gpr(src));
                self.asm.insert_lane(size, d, s, lane);
            }
            VecInst::Extract { size, dst, src, lane } => {
                let (d, s) = (self.gpr(dst), self.xmm(src));
                self.asm.extract_lane(size, d, s, lane);
            }
            VecInst::MoveMask { op, dst, src } => {
                let (d, s) = (self.gpr(dst), self.xmm(src));
                self.asm.move_mask(op, d, s);
            }
            VecInst::Ptest { a, b } => {
                let (a, b) = (self.xmm(a), self.xmm(b));
                self.asm.packed_rr(PackedOp::Ptest, a, b);
            }
        }
    }

    /// The register of a two-address instruction's `dst`, which must be `lhs`'s.
    fn two_address(&mut self, dst: Reg, lhs: Reg) -> Xmm {
        let d = self.xmm(dst);
        if d != self.xmm(lhs) {
            self.fail("two-address operand not reused");
        }
        d
    }
}
