//! Integer arithmetic and logic: add/sub and the logical operations in their register,
//! shifted-register, extended-register and immediate forms, compares, multiply and divide.

use super::Assembler;
use crate::imm;
use crate::inst::{AluOp, Extend, Shift, Size};
use crate::regs::Gpr;

/// The `op` (bit 30) and `S` (bit 29) bits of an add/sub.
fn add_sub_bits(op: AluOp) -> u32 {
    match op {
        AluOp::Add => 0b00,
        AluOp::Adds => 0b01,
        AluOp::Sub => 0b10,
        _ => 0b11,
    }
}

/// The `opc` (bits 29..31) and `N` (bit 21, invert the second operand) of a logical operation.
fn logical_bits(op: AluOp) -> (u32, u32) {
    match op {
        AluOp::And => (0b00, 0),
        AluOp::Bic => (0b00, 1),
        AluOp::Orr => (0b01, 0),
        AluOp::Orn => (0b01, 1),
        AluOp::Eor => (0b10, 0),
        _ => (0b11, 0),
    }
}

impl Assembler {
    /// `op dst, a, b`. An add or sub involving `sp` (as `dst`, or `a`) uses the
    /// extended-register form, the only register form that can name it.
    pub fn alu_rrr(&mut self, op: AluOp, size: Size, dst: Gpr, a: Gpr, b: Gpr) {
        let dst_is_sp = dst == Gpr::Sp && !op.sets_flags();
        if op.is_arithmetic() && (dst_is_sp || a == Gpr::Sp) {
            let extend = if size == Size::S64 { Extend::Uxtx } else { Extend::Uxtw };
            self.alu_rrr_ext(op, size, dst, a, b, extend, 0);
        } else {
            self.alu_rrr_shift(op, size, dst, a, b, Shift::Lsl, 0);
        }
    }

    /// `op dst, a, b, shift #amount` (shifted register). Add and sub cannot rotate, and the
    /// amount must be below the operand width. No operand may be `sp`.
    #[allow(clippy::too_many_arguments)]
    pub fn alu_rrr_shift(&mut self, op: AluOp, size: Size, dst: Gpr, a: Gpr, b: Gpr, shift: Shift, amount: u32) {
        let what = "shifted-register operation";
        let sf = self.sf(size, what);
        let (rd, rn, rm) = (self.zr(dst, what), self.zr(a, what), self.zr(b, what));
        if amount >= size.bytes() * 8 {
            return self.fail(format!("{what}: shift amount {amount} is not below the operand width"));
        }
        let fields = sf << 31 | (shift as u32) << 22 | rm << 16 | amount << 10 | rn << 5 | rd;
        if op.is_arithmetic() {
            if shift == Shift::Ror {
                return self.fail("add/sub: the second operand cannot be rotated".into());
            }
            self.emit(0x0b00_0000 | add_sub_bits(op) << 29 | fields);
        } else {
            let (opc, n) = logical_bits(op);
            self.emit(0x0a00_0000 | opc << 29 | n << 21 | fields);
        }
    }

    /// `op dst, a, b, extend #amount` (extended register; add and sub only): `b` is extended
    /// (its `w` view for byte, half and word extends) and shifted left by 0..=4. `dst`
    /// (unless the operation sets flags) and `a` may be `sp`.
    #[allow(clippy::too_many_arguments)]
    pub fn alu_rrr_ext(&mut self, op: AluOp, size: Size, dst: Gpr, a: Gpr, b: Gpr, extend: Extend, amount: u32) {
        let what = "extended-register add/sub";
        if !op.is_arithmetic() {
            return self.fail(format!("{what}: {op:?} has no extended-register form"));
        }
        let sf = self.sf(size, what);
        let rd = if op.sets_flags() { self.zr(dst, what) } else { self.sp(dst, what) };
        let (rn, rm) = (self.sp(a, what), self.zr(b, what));
        if amount > 4 {
            return self.fail(format!("{what}: shift amount {amount} is above 4"));
        }
        let option = extend as u32;
        self.emit(
            0x0b20_0000 | sf << 31 | add_sub_bits(op) << 29 | rm << 16 | option << 13 | amount << 10 | rn << 5 | rd,
        );
    }

    /// `op dst, a, #imm`: an add/sub immediate (12 bits, optionally shifted left by 12) or a
    /// logical (bitmask) immediate; see [`imm::alu_imm_fits`] to check first. `a` may be `sp`
    /// for add/sub, `dst` may be `sp` unless the operation sets flags.
    pub fn alu_rri(&mut self, op: AluOp, size: Size, dst: Gpr, a: Gpr, imm: u64) {
        let what = "immediate operation";
        let sf = self.sf(size, what);
        let rd = if op.sets_flags() { self.zr(dst, what) } else { self.sp(dst, what) };
        if op.is_arithmetic() {
            let rn = self.sp(a, what);
            let Some((imm12, shifted)) = imm::add_sub_imm(imm) else {
                return self.fail(format!("add/sub: immediate {imm:#x} is not 12 bits, optionally shifted by 12"));
            };
            let sh = u32::from(shifted);
            self.emit(0x1100_0000 | sf << 31 | add_sub_bits(op) << 29 | sh << 22 | imm12 << 10 | rn << 5 | rd);
        } else {
            let rn = self.zr(a, what);
            if matches!(op, AluOp::Bic | AluOp::Orn) {
                return self.fail(format!("{op:?} has no immediate form"));
            }
            let Some(field) = imm::logical_imm(imm, size) else {
                return self.fail(format!("logical immediate {imm:#x} is not a {size:?} bitmask immediate"));
            };
            let (opc, _) = logical_bits(op);
            self.emit(0x1200_0000 | sf << 31 | opc << 29 | field << 10 | rn << 5 | rd);
        }
    }

    /// `cmp a, b`: the flags of `a - b`.
    pub fn cmp_rr(&mut self, size: Size, a: Gpr, b: Gpr) {
        self.alu_rrr(AluOp::Subs, size, Gpr::Zr, a, b);
    }

    /// `cmp a, #imm` (an add/sub immediate).
    pub fn cmp_ri(&mut self, size: Size, a: Gpr, imm: u64) {
        self.alu_rri(AluOp::Subs, size, Gpr::Zr, a, imm);
    }

    /// `cmn a, #imm`: the flags of `a + imm` (compare with `-imm`).
    pub fn cmn_ri(&mut self, size: Size, a: Gpr, imm: u64) {
        self.alu_rri(AluOp::Adds, size, Gpr::Zr, a, imm);
    }

    /// `tst a, b`: N and Z of `a & b`, C and V cleared.
    pub fn tst_rr(&mut self, size: Size, a: Gpr, b: Gpr) {
        self.alu_rrr(AluOp::Ands, size, Gpr::Zr, a, b);
    }

    /// `tst a, #imm` (a bitmask immediate).
    pub fn tst_ri(&mut self, size: Size, a: Gpr, imm: u64) {
        self.alu_rri(AluOp::Ands, size, Gpr::Zr, a, imm);
    }

    /// `neg dst, src`: `0 - src`.
    pub fn neg(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.alu_rrr(AluOp::Sub, size, dst, Gpr::Zr, src);
    }

    /// `mvn dst, src`: `!src`.
    pub fn mvn(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.alu_rrr(AluOp::Orn, size, dst, Gpr::Zr, src);
    }

    /// `madd dst, a, b, addend`: `addend + a * b`.
    pub fn madd(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr, addend: Gpr) {
        self.multiply(size, 0, dst, a, b, addend);
    }

    /// `msub dst, a, b, minuend`: `minuend - a * b` (a remainder from a quotient).
    pub fn msub(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr, minuend: Gpr) {
        self.multiply(size, 1, dst, a, b, minuend);
    }

    /// `mul dst, a, b`: the low half of the product.
    pub fn mul(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr) {
        self.madd(size, dst, a, b, Gpr::Zr);
    }

    fn multiply(&mut self, size: Size, o0: u32, dst: Gpr, a: Gpr, b: Gpr, acc: Gpr) {
        let what = "madd/msub";
        let sf = self.sf(size, what);
        let (rd, rn, rm, ra) = (self.zr(dst, what), self.zr(a, what), self.zr(b, what), self.zr(acc, what));
        self.emit(0x1b00_0000 | sf << 31 | rm << 16 | o0 << 15 | ra << 10 | rn << 5 | rd);
    }

    /// `smulh dst, a, b`: the high 64 bits of the signed 128-bit product.
    pub fn smulh(&mut self, dst: Gpr, a: Gpr, b: Gpr) {
        self.multiply_high(0x9b40_0000, dst, a, b);
    }

    /// `umulh dst, a, b`: the high 64 bits of the unsigned 128-bit product.
    pub fn umulh(&mut self, dst: Gpr, a: Gpr, b: Gpr) {
        self.multiply_high(0x9bc0_0000, dst, a, b);
    }

    fn multiply_high(&mut self, opcode: u32, dst: Gpr, a: Gpr, b: Gpr) {
        let what = "smulh/umulh";
        let (rd, rn, rm) = (self.zr(dst, what), self.zr(a, what), self.zr(b, what));
        self.emit(opcode | rm << 16 | 31 << 10 | rn << 5 | rd);
    }

    /// `sdiv dst, a, b`: signed quotient rounded toward zero. The hardware returns 0 for a
    /// zero divisor and `MIN` for `MIN / -1`; it never traps.
    pub fn sdiv(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr) {
        self.two_source(0b000011, size, dst, a, b, "sdiv");
    }

    /// `udiv dst, a, b`: unsigned quotient (0 for a zero divisor).
    pub fn udiv(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr) {
        self.two_source(0b000010, size, dst, a, b, "udiv");
    }

    /// A data-processing (2 source) instruction: divides and shifts by register.
    pub(super) fn two_source(&mut self, opcode: u32, size: Size, dst: Gpr, a: Gpr, b: Gpr, what: &str) {
        let sf = self.sf(size, what);
        let (rd, rn, rm) = (self.zr(dst, what), self.zr(a, what), self.zr(b, what));
        self.emit(0x1ac0_0000 | sf << 31 | rm << 16 | opcode << 10 | rn << 5 | rd);
    }
}
