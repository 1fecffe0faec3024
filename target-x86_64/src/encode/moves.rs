//! Integer data movement: register moves and immediates, loads with zero or sign extension,
//! stores, `lea`, and the stack.

use iced_x86::{Code, Instruction};

use super::iced_map::{gpr, gpr64};
use super::Assembler;
use crate::inst::{Mem, Size};
use crate::regs::Gpr;

impl Assembler {
    // ---- Moves, loads, stores ----

    /// `mov dst, src`. A 32-bit move zeroes the upper half of `dst`.
    pub fn mov_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        if self.direct_mov_rr(size, dst, src) {
            return;
        }
        let Some(wide) = self.wide(size, "mov") else { return };
        let code = if wide { Code::Mov_rm64_r64 } else { Code::Mov_rm32_r32 };
        self.emit_rr(code, gpr(dst, size), gpr(src, size));
    }

    /// Sets all 64 bits of `dst` to `value` with the shortest `mov`: `mov r32, imm32` when the
    /// value zero-extends from 32 bits, `mov r64, simm32` when it sign-extends, else `movabs`.
    /// Leaves the flags alone (unlike [`zero`](Assembler::zero)).
    pub fn mov_imm(&mut self, dst: Gpr, value: u64) {
        if self.direct_mov_imm(dst, value) {
            return;
        }
        let inst = if let Ok(v) = u32::try_from(value) {
            Instruction::with2(Code::Mov_r32_imm32, gpr(dst, Size::S32), v)
        } else if let Ok(v) = i32::try_from(value as i64) {
            Instruction::with2(Code::Mov_rm64_imm32, gpr64(dst), v)
        } else {
            Instruction::with2(Code::Mov_r64_imm64, gpr64(dst), value)
        };
        self.emit_inst(inst, None);
    }

    /// Loads `size` bytes from `mem` into `dst`, zero-extending to 64 bits
    /// (`movzx` for 8 and 16 bits, a 32-bit `mov` for 32, a 64-bit `mov` for 64).
    pub fn load_zx(&mut self, size: Size, dst: Gpr, mem: Mem) {
        if self.direct_load_zx(size, dst, mem) {
            return;
        }
        let (code, reg) = match size {
            Size::S8 => (Code::Movzx_r32_rm8, gpr(dst, Size::S32)),
            Size::S16 => (Code::Movzx_r32_rm16, gpr(dst, Size::S32)),
            Size::S32 => (Code::Mov_r32_rm32, gpr(dst, Size::S32)),
            Size::S64 => (Code::Mov_r64_rm64, gpr64(dst)),
        };
        self.emit_with_mem(mem, |m| Instruction::with2(code, reg, m));
    }

    /// Loads `from` bytes from `mem` into `dst`, sign-extending to `to` bits (32 or 64; a
    /// 32-bit result zeroes the upper half, as every 32-bit write does).
    pub fn load_sx(&mut self, from: Size, to: Size, dst: Gpr, mem: Mem) {
        let Some(code) = self.movsx_code(from, to) else { return };
        let reg = gpr(dst, to);
        self.emit_with_mem(mem, |m| Instruction::with2(code, reg, m));
    }

    /// `movzx dst32, src8/src16` (zero-extends to 64 bits); `from` is 8 or 16.
    pub fn movzx_rr(&mut self, from: Size, dst: Gpr, src: Gpr) {
        let code = match from {
            Size::S8 => Code::Movzx_r32_rm8,
            Size::S16 => Code::Movzx_r32_rm16,
            Size::S32 | Size::S64 => {
                return self.fail(format!("movzx from {from:?}: use a 32-bit mov_rr"));
            }
        };
        self.emit_rr(code, gpr(dst, Size::S32), gpr(src, from));
    }

    /// `movsx`/`movsxd dst, src`: sign-extends the low `from` bits of `src` to `to` bits.
    pub fn movsx_rr(&mut self, from: Size, to: Size, dst: Gpr, src: Gpr) {
        let Some(code) = self.movsx_code(from, to) else { return };
        self.emit_rr(code, gpr(dst, to), gpr(src, from));
    }

    fn movsx_code(&mut self, from: Size, to: Size) -> Option<Code> {
        let code = match (from, to) {
            (Size::S8, Size::S32) => Code::Movsx_r32_rm8,
            (Size::S16, Size::S32) => Code::Movsx_r32_rm16,
            (Size::S8, Size::S64) => Code::Movsx_r64_rm8,
            (Size::S16, Size::S64) => Code::Movsx_r64_rm16,
            (Size::S32, Size::S64) => Code::Movsxd_r64_rm32,
            _ => {
                self.fail(format!("no sign extension from {from:?} to {to:?}"));
                return None;
            }
        };
        Some(code)
    }

    /// Stores the low `size` bytes of `src` to `mem`.
    pub fn store(&mut self, size: Size, mem: Mem, src: Gpr) {
        if self.direct_store(size, mem, src) {
            return;
        }
        let code = match size {
            Size::S8 => Code::Mov_rm8_r8,
            Size::S16 => Code::Mov_rm16_r16,
            Size::S32 => Code::Mov_rm32_r32,
            Size::S64 => Code::Mov_rm64_r64,
        };
        let reg = gpr(src, size);
        self.emit_with_mem(mem, |m| Instruction::with2(code, m, reg));
    }

    /// Stores an immediate of `size` bytes to `mem`; for 64 bits the immediate is
    /// sign-extended from 32. For 8 and 16 bits, `imm` must fit the size (signed or unsigned).
    pub fn store_imm(&mut self, size: Size, mem: Mem, imm: i32) {
        let fits = match size {
            Size::S8 => (-0x80..=0xff).contains(&imm),
            Size::S16 => (-0x8000..=0xffff).contains(&imm),
            Size::S32 | Size::S64 => true,
        };
        if !fits {
            return self.fail(format!("store_imm: {imm} does not fit in {size:?}"));
        }
        if self.direct_store_imm(size, mem, imm) {
            return;
        }
        let inst = |code, m| match size {
            Size::S8 => Instruction::with2(code, m, imm as u8 as u32),
            Size::S16 => Instruction::with2(code, m, imm as u16 as u32),
            Size::S32 | Size::S64 => Instruction::with2(code, m, imm),
        };
        let code = match size {
            Size::S8 => Code::Mov_rm8_imm8,
            Size::S16 => Code::Mov_rm16_imm16,
            Size::S32 => Code::Mov_rm32_imm32,
            Size::S64 => Code::Mov_rm64_imm32,
        };
        self.emit_with_mem(mem, |m| inst(code, m));
    }

    /// `lea dst, [mem]`: the address arithmetic, at 32 or 64 bits.
    pub fn lea(&mut self, size: Size, dst: Gpr, mem: Mem) {
        if self.direct_lea(size, dst, mem) {
            return;
        }
        let Some(wide) = self.wide(size, "lea") else { return };
        let code = if wide { Code::Lea_r64_m } else { Code::Lea_r32_m };
        let reg = gpr(dst, size);
        self.emit_with_mem(mem, |m| Instruction::with2(code, reg, m));
    }

    // ---- Stack ----

    /// `push src` (64-bit).
    pub fn push(&mut self, src: Gpr) {
        self.emit_inst(Instruction::with1(Code::Push_r64, gpr64(src)), None);
    }

    /// `pop dst` (64-bit).
    pub fn pop(&mut self, dst: Gpr) {
        self.emit_inst(Instruction::with1(Code::Pop_r64, gpr64(dst)), None);
    }
}
