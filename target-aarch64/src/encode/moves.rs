//! Register moves and constant materialisation: `mov`, `movz`/`movn`/`movk` sequences,
//! `adr`.

use super::{Assembler, FixupKind};
use crate::imm;
use crate::inst::{AluOp, Label, Size};
use crate::regs::Gpr;

/// The `opc` field of the move-wide instructions.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum MoveWide {
    /// `movn`: the inverted, shifted immediate.
    N = 0b00,
    /// `movz`: the shifted immediate, other bits zero.
    Z = 0b10,
    /// `movk`: replace one 16-bit half, keep the rest.
    K = 0b11,
}

impl Assembler {
    /// `mov dst, src`. With `sp` on either side this is `add dst, src, #0` (`orr`, the usual
    /// encoding, would read 31 as the zero register).
    pub fn mov_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        if dst == Gpr::Sp || src == Gpr::Sp {
            self.alu_rri(AluOp::Add, size, dst, src, 0);
        } else {
            self.alu_rrr(AluOp::Orr, size, dst, Gpr::Zr, src);
        }
    }

    /// How many instructions `mov_imm` takes for `value` at `size` (1 to 4).
    pub fn mov_imm_len(size: Size, value: u64) -> u32 {
        let halves: u32 = if size == Size::S32 { 2 } else { 4 };
        let value = if halves == 2 { value & 0xffff_ffff } else { value };
        let half = |i: u32| (value >> (16 * i)) & 0xffff;
        let zero_halves = (0..halves).filter(|&i| half(i) == 0).count() as u32;
        let ones_halves = (0..halves).filter(|&i| half(i) == 0xffff).count() as u32;
        if zero_halves >= halves - 1 || ones_halves >= halves - 1 || imm::logical_imm(value, size).is_some() {
            return 1;
        }
        halves - zero_halves.max(ones_halves)
    }

    /// `dst = value` in at most four instructions: one `movz`, `movn` or `orr` with a bitmask
    /// immediate when any fits, else a `movz` (or `movn`, when most 16-bit halves are all
    /// ones) followed by a `movk` per remaining half. For `S32` only the low 32 bits of
    /// `value` count. `dst` must be `x0`..`x30`.
    pub fn mov_imm(&mut self, size: Size, dst: Gpr, value: u64) {
        if matches!(dst, Gpr::Sp | Gpr::Zr) {
            return self.fail(format!("mov_imm: destination must be x0..x30, not {dst:?}"));
        }
        let halves: u32 = match size {
            Size::S32 => 2,
            Size::S64 => 4,
            _ => return self.fail(format!("mov_imm: only 32- and 64-bit moves, not {size:?}")),
        };
        let value = if halves == 2 { value & 0xffff_ffff } else { value };
        let half = |i: u32| ((value >> (16 * i)) & 0xffff) as u32;
        let zero_halves = (0..halves).filter(|&i| half(i) == 0).count();
        let ones_halves = (0..halves).filter(|&i| half(i) == 0xffff).count();
        if zero_halves as u32 >= halves - 1 {
            let top = (0..halves).rev().find(|&i| half(i) != 0).unwrap_or(0);
            return self.move_wide(MoveWide::Z, size, dst, half(top), top * 16);
        }
        if ones_halves as u32 >= halves - 1 {
            let other = (0..halves).find(|&i| half(i) != 0xffff).unwrap_or(0);
            return self.move_wide(MoveWide::N, size, dst, !half(other) & 0xffff, other * 16);
        }
        if imm::logical_imm(value, size).is_some() {
            return self.alu_rri(AluOp::Orr, size, dst, Gpr::Zr, value);
        }
        // Start from all ones when that leaves fewer halves to patch.
        let (first_op, filler) = if ones_halves > zero_halves { (MoveWide::N, 0xffff) } else { (MoveWide::Z, 0) };
        let mut first = true;
        for i in (0..halves).filter(|&i| half(i) != filler) {
            if first {
                let imm16 = if first_op == MoveWide::N { !half(i) & 0xffff } else { half(i) };
                self.move_wide(first_op, size, dst, imm16, i * 16);
                first = false;
            } else {
                self.move_wide(MoveWide::K, size, dst, half(i), i * 16);
            }
        }
    }

    /// `movz dst, #imm16, lsl #shift` (`shift` 0 or 16, or for `S64` also 32 or 48).
    pub fn movz(&mut self, size: Size, dst: Gpr, imm16: u16, shift: u32) {
        self.move_wide(MoveWide::Z, size, dst, u32::from(imm16), shift);
    }

    /// `movn dst, #imm16, lsl #shift`: `dst = !(imm16 << shift)`.
    pub fn movn(&mut self, size: Size, dst: Gpr, imm16: u16, shift: u32) {
        self.move_wide(MoveWide::N, size, dst, u32::from(imm16), shift);
    }

    /// `movk dst, #imm16, lsl #shift`: replaces one 16-bit half of `dst`.
    pub fn movk(&mut self, size: Size, dst: Gpr, imm16: u16, shift: u32) {
        self.move_wide(MoveWide::K, size, dst, u32::from(imm16), shift);
    }

    fn move_wide(&mut self, op: MoveWide, size: Size, dst: Gpr, imm16: u32, shift: u32) {
        let what = "movz/movn/movk";
        let sf = self.sf(size, what);
        let rd = self.zr(dst, what);
        if !shift.is_multiple_of(16) || shift >= size.bytes() * 8 {
            return self.fail(format!("{what}: shift {shift} is not a multiple of 16 within the register"));
        }
        let hw = shift / 16;
        self.emit(0x1280_0000 | sf << 31 | (op as u32) << 29 | hw << 21 | (imm16 & 0xffff) << 5 | rd);
    }

    /// `adr dst, label`: the label's address (within ±1 MiB).
    pub fn adr(&mut self, dst: Gpr, label: Label) {
        let rd = self.zr(dst, "adr");
        self.emit_with_label(0x1000_0000 | rd, FixupKind::Adr, label);
    }
}
