//! Shifts, bitfield moves (and their `lsl`/`lsr`/`asr`/`sxt*`/`uxt*` aliases), bit counting and
//! reversal, and conditional selects.

use super::Assembler;
use crate::inst::{BitOp, Cond, Shift, Size};
use crate::regs::Gpr;

impl Assembler {
    /// `lslv`/`lsrv`/`asrv`/`rorv dst, a, b`: shift by `b` modulo the operand width (exactly
    /// Wasm's shift semantics).
    pub fn shift_rrr(&mut self, shift: Shift, size: Size, dst: Gpr, a: Gpr, b: Gpr) {
        self.two_source(0b00_1000 | shift as u32, size, dst, a, b, "shift by register");
    }

    /// `lsl`/`lsr`/`asr`/`ror dst, src, #amount`, with `amount` below the operand width.
    pub fn shift_rri(&mut self, shift: Shift, size: Size, dst: Gpr, src: Gpr, amount: u32) {
        let width = size.bytes() * 8;
        if amount >= width {
            return self.fail(format!("shift amount {amount} is not below the operand width {width}"));
        }
        let top = width - 1;
        match shift {
            Shift::Lsl => self.ubfm(size, dst, src, (width - amount) % width, top - amount),
            Shift::Lsr => self.ubfm(size, dst, src, amount, top),
            Shift::Asr => self.sbfm(size, dst, src, amount, top),
            Shift::Ror => self.extr(size, dst, src, src, amount),
        }
    }

    /// `extr dst, hi, lo, #lsb`: bits `lsb..lsb+width` of the concatenation `hi:lo`.
    pub fn extr(&mut self, size: Size, dst: Gpr, hi: Gpr, lo: Gpr, lsb: u32) {
        let what = "extr";
        let sf = self.sf(size, what);
        let (rd, rn, rm) = (self.zr(dst, what), self.zr(hi, what), self.zr(lo, what));
        if lsb >= size.bytes() * 8 {
            return self.fail(format!("extr: bit {lsb} is not below the operand width"));
        }
        self.emit(0x1380_0000 | sf << 31 | sf << 22 | rm << 16 | lsb << 10 | rn << 5 | rd);
    }

    /// `ubfm dst, src, #immr, #imms`: unsigned bitfield move (the base of `lsl`, `lsr`,
    /// `ubfx`, `ubfiz`, `uxtb`, `uxth`).
    pub fn ubfm(&mut self, size: Size, dst: Gpr, src: Gpr, immr: u32, imms: u32) {
        self.bitfield(0b10, size, dst, src, immr, imms);
    }

    /// `sbfm dst, src, #immr, #imms`: signed bitfield move (the base of `asr`, `sbfx`,
    /// `sxtb`, `sxth`, `sxtw`).
    pub fn sbfm(&mut self, size: Size, dst: Gpr, src: Gpr, immr: u32, imms: u32) {
        self.bitfield(0b00, size, dst, src, immr, imms);
    }

    /// `bfm dst, src, #immr, #imms`: bitfield insert, keeping `dst`'s other bits (`bfi`, `bfxil`).
    pub fn bfm(&mut self, size: Size, dst: Gpr, src: Gpr, immr: u32, imms: u32) {
        self.bitfield(0b01, size, dst, src, immr, imms);
    }

    fn bitfield(&mut self, opc: u32, size: Size, dst: Gpr, src: Gpr, immr: u32, imms: u32) {
        let what = "bitfield move";
        let sf = self.sf(size, what);
        let (rd, rn) = (self.zr(dst, what), self.zr(src, what));
        let width = size.bytes() * 8;
        if immr >= width || imms >= width {
            return self.fail(format!("{what}: immr {immr} / imms {imms} not below the operand width {width}"));
        }
        self.emit(0x1300_0000 | sf << 31 | opc << 29 | sf << 22 | immr << 16 | imms << 10 | rn << 5 | rd);
    }

    /// `sxtb`/`sxth`/`sxtw dst, src`: sign-extends the low `from` bits of `src` to `to`
    /// (`S32` or `S64`, wider than `from`).
    pub fn sign_extend(&mut self, from: Size, to: Size, dst: Gpr, src: Gpr) {
        if from >= to || from == Size::S64 {
            return self.fail(format!("sign_extend: cannot extend {from:?} to {to:?}"));
        }
        self.sbfm(to, dst, src, 0, from.bytes() * 8 - 1);
    }

    /// `uxtb`/`uxth dst, src` or, from `S32`, `mov wdst, wsrc`: zero-extends the low `from`
    /// bits of `src` to all 64 bits of `dst` (a 32-bit write clears the upper half).
    pub fn zero_extend(&mut self, from: Size, dst: Gpr, src: Gpr) {
        match from {
            Size::S8 | Size::S16 => self.ubfm(Size::S32, dst, src, 0, from.bytes() * 8 - 1),
            Size::S32 => self.mov_rr(Size::S32, dst, src),
            Size::S64 => self.fail("zero_extend: a 64-bit value has nothing to extend".into()),
        }
    }

    /// `clz`/`cls`/`rbit`/`rev dst, src`.
    pub fn bit_op(&mut self, op: BitOp, size: Size, dst: Gpr, src: Gpr) {
        let what = "clz/cls/rbit/rev";
        let sf = self.sf(size, what);
        let (rd, rn) = (self.zr(dst, what), self.zr(src, what));
        let opcode = match op {
            BitOp::Rbit => 0b000000,
            BitOp::Rev => 0b000010 | sf,
            BitOp::Clz => 0b000100,
            BitOp::Cls => 0b000101,
        };
        self.emit(0x5ac0_0000 | sf << 31 | opcode << 10 | rn << 5 | rd);
    }

    /// `csel dst, a, b, cond`: `cond ? a : b`.
    pub fn csel(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr, cond: Cond) {
        self.cond_select(0, 0, size, dst, a, b, cond);
    }

    /// `csinc dst, a, b, cond`: `cond ? a : b + 1`.
    pub fn csinc(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr, cond: Cond) {
        self.cond_select(0, 1, size, dst, a, b, cond);
    }

    /// `csinv dst, a, b, cond`: `cond ? a : !b`.
    pub fn csinv(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr, cond: Cond) {
        self.cond_select(1, 0, size, dst, a, b, cond);
    }

    /// `csneg dst, a, b, cond`: `cond ? a : -b`.
    pub fn csneg(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr, cond: Cond) {
        self.cond_select(1, 1, size, dst, a, b, cond);
    }

    /// `cset dst, cond`: 1 if `cond` holds, else 0.
    pub fn cset(&mut self, size: Size, dst: Gpr, cond: Cond) {
        if let Some(inverse) = self.invertible(cond) {
            self.csinc(size, dst, Gpr::Zr, Gpr::Zr, inverse);
        }
    }

    /// `csetm dst, cond`: all ones if `cond` holds, else 0.
    pub fn csetm(&mut self, size: Size, dst: Gpr, cond: Cond) {
        if let Some(inverse) = self.invertible(cond) {
            self.csinv(size, dst, Gpr::Zr, Gpr::Zr, inverse);
        }
    }

    /// The inverse of `cond`, for the aliases that encode it; "always" has none.
    fn invertible(&mut self, cond: Cond) -> Option<Cond> {
        if matches!(cond, Cond::Al | Cond::Nv) {
            self.fail(format!("cset/csetm: condition {cond:?} cannot be inverted"));
            return None;
        }
        Some(cond.invert())
    }

    #[allow(clippy::too_many_arguments)]
    fn cond_select(&mut self, op: u32, o2: u32, size: Size, dst: Gpr, a: Gpr, b: Gpr, cond: Cond) {
        let what = "conditional select";
        let sf = self.sf(size, what);
        let (rd, rn, rm) = (self.zr(dst, what), self.zr(a, what), self.zr(b, what));
        self.emit(0x1a80_0000 | sf << 31 | op << 30 | rm << 16 | cond.bits() << 12 | o2 << 10 | rn << 5 | rd);
    }
}
