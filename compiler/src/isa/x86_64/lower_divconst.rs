//! Instruction selection of division and remainder by a constant. Unsigned ones follow the
//! plans of `divconst.rs`: a 64-bit quotient takes the high half of a widening `mul`, many
//! times faster than `div r64`. i32 operands sit zero-extended in 64-bit registers, where one
//! `imul` is exact. Signed ones by a positive power of two (`i % 32768` on a C `int`) are
//! shifts with a rounding bias.

use super::divconst::{udiv_plan, UdivPlan};
use super::inst::{AluOp, MInst, Reg, RegMem, RegMemImm, ShiftOp, Size};
use super::lower::Lower;
use crate::ir::{BinaryOp, InstData, Type, Value};
use crate::regalloc::RegClass;
use crate::Result;

impl Lower<'_> {
    /// Finds the 64-bit constant divisors whose multiplier a loop deeper than the constant's
    /// definition needs: that `movabs` is emitted once, with the constant (which LICM put
    /// before the loop), rather than on every iteration.
    pub(super) fn plan_held_magics(&mut self, blocks: &[crate::ir::Block]) {
        for &b in blocks {
            for &i in &self.f.blocks[b.index()].insts {
                let InstData::Binary { op: BinaryOp::Udiv | BinaryOp::Urem, ty: Type::I64, args: [_, d] } =
                    self.f.insts[i.index()]
                else {
                    continue;
                };
                let wide_magic = self.iconst(d).and_then(|c| udiv_plan(c, 64)).is_some_and(|p| !matches!(p, UdivPlan::Shift(_)));
                if wide_magic && self.used_deeper[d.index()] && matches!(self.def_data(d), Some(InstData::Iconst { .. })) {
                    self.held_magic.insert(d, None);
                }
            }
        }
    }

    /// At the definition of a divisor `plan_held_magics` chose: its multiplier in a register.
    pub(super) fn define_held_magic(&mut self, d: Value) {
        let (Some(None), Some(c)) = (self.held_magic.get(&d), self.iconst(d)) else { return };
        let magic = match udiv_plan(c, 64) {
            Some(UdivPlan::Mul { magic, .. } | UdivPlan::MulAdd { magic, .. }) => magic,
            _ => return,
        };
        let r = self.int_temp();
        self.emit(MInst::Imm { size: Size::S64, dst: r, imm: magic });
        self.held_magic.insert(d, Some(r));
    }

    /// Emit `dst = n / d` (or `n % d` when `rem`) for an unsigned `n` of `size`; false when
    /// `d` has no plan and the caller must use `div`.
    pub(super) fn lower_udiv_const(&mut self, dst: Reg, n: Value, divisor: Value, d: u64, size: Size, rem: bool) -> Result<bool> {
        let width = size.bits();
        let held = self.held_magic.get(&divisor).copied().flatten();
        let Some(plan) = udiv_plan(d, width) else { return Ok(false) };
        let n = self.put_in_reg(n)?;
        if let UdivPlan::Shift(k) = plan {
            if rem {
                let mask = self.constant_operand(d - 1, size);
                self.emit(MInst::Alu { op: AluOp::And, size, dst, lhs: n, rhs: mask });
            } else {
                self.emit(MInst::Shift { op: ShiftOp::Shr, size, dst, src: n, count: None, imm: k as u8 });
            }
            return Ok(true);
        }
        let q = if rem { self.int_temp() } else { dst };
        match (plan, width) {
            (UdivPlan::Mul { pre, magic, post }, 32) => {
                let shifted = self.shift_right(n, pre, Size::S64);
                let product = self.mul_const(shifted, magic);
                self.emit(MInst::Shift { op: ShiftOp::Shr, size: Size::S64, dst: q, src: product, count: None, imm: (32 + post) as u8 });
            }
            (UdivPlan::MulAdd { magic, post }, 32) => {
                let product = self.mul_const(n, magic);
                let t = self.shift_right(product, 32, Size::S64);
                let sum = self.int_temp();
                self.emit(MInst::Alu { op: AluOp::Add, size: Size::S64, dst: sum, lhs: t, rhs: RegMemImm::Rm(RegMem::Reg(n)) });
                self.emit(MInst::Shift { op: ShiftOp::Shr, size: Size::S64, dst: q, src: sum, count: None, imm: post as u8 });
            }
            (UdivPlan::Mul { pre, magic, post }, _) => {
                let shifted = self.shift_right(n, pre, Size::S64);
                let hi = self.mul_high64(shifted, magic, held);
                self.emit(MInst::Shift { op: ShiftOp::Shr, size: Size::S64, dst: q, src: hi, count: None, imm: post as u8 });
            }
            (UdivPlan::MulAdd { magic, post }, _) => {
                // n + t may need 65 bits: (((n - t) >> 1) + t) >> (post - 1) does not.
                let t = self.mul_high64(n, magic, held);
                let diff = self.int_temp();
                self.emit(MInst::Alu { op: AluOp::Sub, size: Size::S64, dst: diff, lhs: n, rhs: RegMemImm::Rm(RegMem::Reg(t)) });
                let half = self.shift_right(diff, 1, Size::S64);
                let sum = self.int_temp();
                self.emit(MInst::Alu { op: AluOp::Add, size: Size::S64, dst: sum, lhs: half, rhs: RegMemImm::Rm(RegMem::Reg(t)) });
                self.emit(MInst::Shift { op: ShiftOp::Shr, size: Size::S64, dst: q, src: sum, count: None, imm: post.saturating_sub(1) as u8 });
            }
            (UdivPlan::Shift(_), _) => return Ok(false),
        }
        if rem {
            // n - q * d; q * d < 2^width, so a product of `size` is exact.
            let qd = self.int_temp();
            match i32::try_from(d) {
                Ok(imm) => self.emit(MInst::ImulImm { size, dst: qd, src: RegMem::Reg(q), imm }),
                Err(_) if size == Size::S32 => self.emit(MInst::ImulImm { size, dst: qd, src: RegMem::Reg(q), imm: d as u32 as i32 }),
                Err(_) => {
                    let dreg = self.int_temp();
                    self.emit(MInst::Imm { size, dst: dreg, imm: d });
                    self.emit(MInst::Alu { op: AluOp::Imul, size, dst: qd, lhs: dreg, rhs: RegMemImm::Rm(RegMem::Reg(q)) });
                }
            }
            self.emit(MInst::Alu { op: AluOp::Sub, size, dst, lhs: n, rhs: RegMemImm::Rm(RegMem::Reg(qd)) });
        }
        Ok(true)
    }

    /// Emit `dst = n / d` (or `n % d` when `rem`) for a signed `n` of `size`; false when `d`
    /// is not `2^k` with `0 < k < width - 1` and the caller must use `idiv`. Signed division
    /// rounds toward zero, so a negative `n` is biased by `d - 1` before the arithmetic shift:
    /// `q = (n + bias) >> k`, `r = ((n + bias) & (d - 1)) - bias`.
    pub(super) fn lower_sdiv_pow2(&mut self, dst: Reg, n: Value, d: u64, size: Size, rem: bool) -> Result<bool> {
        let width = size.bits();
        let d = if size == Size::S32 { d & 0xffff_ffff } else { d };
        let k = d.trailing_zeros();
        if !d.is_power_of_two() || k == 0 || k >= width - 1 {
            return Ok(false);
        }
        let n = self.put_in_reg(n)?;
        let sign = self.int_temp();
        self.emit(MInst::Shift { op: ShiftOp::Sar, size, dst: sign, src: n, count: None, imm: (width - 1) as u8 });
        let bias = self.int_temp();
        self.emit(MInst::Shift { op: ShiftOp::Shr, size, dst: bias, src: sign, count: None, imm: (width - k) as u8 });
        let biased = self.int_temp();
        self.emit(MInst::Alu { op: AluOp::Add, size, dst: biased, lhs: n, rhs: RegMemImm::Rm(RegMem::Reg(bias)) });
        if rem {
            let mask = self.constant_operand(d - 1, size);
            let low = self.int_temp();
            self.emit(MInst::Alu { op: AluOp::And, size, dst: low, lhs: biased, rhs: mask });
            self.emit(MInst::Alu { op: AluOp::Sub, size, dst, lhs: low, rhs: RegMemImm::Rm(RegMem::Reg(bias)) });
        } else {
            self.emit(MInst::Shift { op: ShiftOp::Sar, size, dst, src: biased, count: None, imm: k as u8 });
        }
        Ok(true)
    }

    /// The high 64 bits of the unsigned product `n * m`, from one widening `mul`; `held` is
    /// a register already holding `m`.
    fn mul_high64(&mut self, n: Reg, m: u64, held: Option<Reg>) -> Reg {
        let magic = held.unwrap_or_else(|| {
            let r = self.int_temp();
            self.emit(MInst::Imm { size: Size::S64, dst: r, imm: m });
            r
        });
        let (hi, lo) = (self.int_temp(), self.int_temp());
        self.emit(MInst::MulHigh { lhs: n, rhs: magic, hi, lo });
        hi
    }

    /// `x * c` in 64 bits, for `c < 2^32`.
    fn mul_const(&mut self, x: Reg, c: u64) -> Reg {
        let dst = self.int_temp();
        match i32::try_from(c) {
            Ok(imm) => self.emit(MInst::ImulImm { size: Size::S64, dst, src: RegMem::Reg(x), imm }),
            Err(_) => {
                let creg = self.int_temp();
                self.emit(MInst::Imm { size: Size::S64, dst: creg, imm: c });
                self.emit(MInst::Alu { op: AluOp::Imul, size: Size::S64, dst, lhs: creg, rhs: RegMemImm::Rm(RegMem::Reg(x)) });
            }
        }
        dst
    }

    /// `x >> k` (logical), or `x` itself when `k` is 0.
    fn shift_right(&mut self, x: Reg, k: u32, size: Size) -> Reg {
        if k == 0 {
            return x;
        }
        let dst = self.int_temp();
        self.emit(MInst::Shift { op: ShiftOp::Shr, size, dst, src: x, count: None, imm: k as u8 });
        dst
    }

    /// `c` as an ALU operand of `size`: an immediate when it fits, else a register.
    fn constant_operand(&mut self, c: u64, size: Size) -> RegMemImm {
        match (size, i32::try_from(c)) {
            (_, Ok(imm)) => RegMemImm::Imm(imm),
            (Size::S32, Err(_)) => RegMemImm::Imm(c as u32 as i32),
            _ => {
                let r = self.int_temp();
                self.emit(MInst::Imm { size, dst: r, imm: c });
                RegMemImm::Rm(RegMem::Reg(r))
            }
        }
    }

    fn int_temp(&mut self) -> Reg {
        Reg::Virt(self.new_vreg(RegClass::Int))
    }
}
