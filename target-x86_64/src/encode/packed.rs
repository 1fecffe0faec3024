//! Packed (`v128`) SSE instructions: table-driven forms, lane insertion and extraction.

use iced_x86::{Code, Instruction};

use super::iced_map::{gpr, xmm};
use super::Assembler;
use crate::inst::{Mem, Size};
use crate::packed::{MoveMaskOp, PackedImmOp, PackedOp, PackedShiftOp};
use crate::regs::{Gpr, Xmm};

impl Assembler {
    /// `op dst, src` for a [`PackedOp`].
    pub fn packed_rr(&mut self, op: PackedOp, dst: Xmm, src: Xmm) {
        self.emit_inst(Instruction::with2(op.code(), xmm(dst), xmm(src)), None);
    }

    /// `op dst, [mem]` for a [`PackedOp`]. Legacy SSE requires 16-byte alignment of a
    /// 128-bit memory operand; use [`load_v128`](Assembler::load_v128) first otherwise.
    pub fn packed_rm(&mut self, op: PackedOp, dst: Xmm, mem: Mem) {
        let (code, dst) = (op.code(), xmm(dst));
        self.emit_with_mem(mem, |m| Instruction::with2(code, dst, m));
    }

    /// `op dst, src, imm` for a [`PackedImmOp`].
    pub fn packed_rri(&mut self, op: PackedImmOp, dst: Xmm, src: Xmm, imm: u8) {
        self.emit_inst(Instruction::with3(op.code(), xmm(dst), xmm(src), u32::from(imm)), None);
    }

    /// `op dst, [mem], imm` for a [`PackedImmOp`].
    pub fn packed_rmi(&mut self, op: PackedImmOp, dst: Xmm, mem: Mem, imm: u8) {
        let (code, dst) = (op.code(), xmm(dst));
        self.emit_with_mem(mem, |m| Instruction::with3(code, dst, m, u32::from(imm)));
    }

    /// `op dst, imm`: shift every lane (or, for `pslldq`/`psrldq`, the register) by `count`.
    pub fn packed_shift_ri(&mut self, op: PackedShiftOp, dst: Xmm, count: u8) {
        self.emit_inst(Instruction::with2(op.code(), xmm(dst), u32::from(count)), None);
    }

    /// AVX `vop dst, a, b` for a [`PackedOp`] with a VEX form: `dst = a op b`, the sources
    /// left intact.
    pub fn avx_rrr(&mut self, op: PackedOp, dst: Xmm, a: Xmm, b: Xmm) {
        let Some(code) = self.vex_code(op.vex_code(), op) else { return };
        self.emit_inst(Instruction::with3(code, xmm(dst), xmm(a), xmm(b)), None);
    }

    /// AVX `vop dst, a, [mem]`: like [`avx_rrr`](Assembler::avx_rrr) with `b` in memory,
    /// which (unlike legacy SSE's) need not be 16-byte aligned.
    pub fn avx_rrm(&mut self, op: PackedOp, dst: Xmm, a: Xmm, mem: Mem) {
        let Some(code) = self.vex_code(op.vex_code(), op) else { return };
        let (dst, a) = (xmm(dst), xmm(a));
        self.emit_with_mem(mem, |m| Instruction::with3(code, dst, a, m));
    }

    /// AVX `vop dst, a, b, imm` for a [`PackedImmOp`] with a VEX form.
    pub fn avx_rrri(&mut self, op: PackedImmOp, dst: Xmm, a: Xmm, b: Xmm, imm: u8) {
        let Some(code) = self.vex_code(op.vex_code(), op) else { return };
        self.emit_inst(Instruction::with4(code, xmm(dst), xmm(a), xmm(b), u32::from(imm)), None);
    }

    /// AVX `vop dst, src, imm`: `src` shifted into `dst`.
    pub fn avx_shift_rri(&mut self, op: PackedShiftOp, dst: Xmm, src: Xmm, count: u8) {
        let Some(code) = self.vex_code(op.vex_code(), op) else { return };
        self.emit_inst(Instruction::with3(code, xmm(dst), xmm(src), u32::from(count)), None);
    }

    fn vex_code(&mut self, code: Option<Code>, op: impl std::fmt::Debug) -> Option<Code> {
        if code.is_none() {
            self.fail(format!("{op:?} has no three-operand AVX form"));
        }
        code
    }

    /// `movmskps`/`movmskpd`/`pmovmskb dst32, src`.
    pub fn move_mask(&mut self, op: MoveMaskOp, dst: Gpr, src: Xmm) {
        self.emit_inst(Instruction::with2(op.code(), gpr(dst, Size::S32), xmm(src)), None);
    }

    /// `pinsrb`/`pinsrw`/`pinsrd`/`pinsrq dst, src, lane`: replaces lane `lane` (of width
    /// `size`) of `dst` with the low bits of `src`.
    pub fn insert_lane(&mut self, size: Size, dst: Xmm, src: Gpr, lane: u8) {
        let Some(lane) = self.lane_index(size, lane) else { return };
        let (code, src) = match size {
            Size::S8 => (Code::Pinsrb_xmm_r32m8_imm8, gpr(src, Size::S32)),
            Size::S16 => (Code::Pinsrw_xmm_r32m16_imm8, gpr(src, Size::S32)),
            Size::S32 => (Code::Pinsrd_xmm_rm32_imm8, gpr(src, Size::S32)),
            Size::S64 => (Code::Pinsrq_xmm_rm64_imm8, gpr(src, Size::S64)),
        };
        self.emit_inst(Instruction::with3(code, xmm(dst), src, lane), None);
    }

    /// `pextrb`/`pextrw`/`pextrd`/`pextrq dst, src, lane`: lane `lane` of `src`,
    /// zero-extended into `dst` (to 64 bits for `S64`, else to 32 and thus 64).
    pub fn extract_lane(&mut self, size: Size, dst: Gpr, src: Xmm, lane: u8) {
        let Some(lane) = self.lane_index(size, lane) else { return };
        let (code, dst) = match size {
            Size::S8 => (Code::Pextrb_r32m8_xmm_imm8, gpr(dst, Size::S32)),
            Size::S16 => (Code::Pextrw_r32_xmm_imm8, gpr(dst, Size::S32)),
            Size::S32 => (Code::Pextrd_rm32_xmm_imm8, gpr(dst, Size::S32)),
            Size::S64 => (Code::Pextrq_rm64_xmm_imm8, gpr(dst, Size::S64)),
        };
        self.emit_inst(Instruction::with3(code, dst, xmm(src), lane), None);
    }

    /// `lane` checked against the number of `size` lanes in 128 bits.
    fn lane_index(&mut self, size: Size, lane: u8) -> Option<u32> {
        let lanes = 16 / size.bytes();
        if u32::from(lane) < lanes {
            Some(u32::from(lane))
        } else {
            self.fail(format!("lane {lane} out of range for {lanes} lanes of {size:?}"));
            None
        }
    }
}
