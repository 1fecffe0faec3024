//! The multi-instruction sequences behind single machine instructions: division with Wasm's
//! traps, copysign, and the range checks of trapping float-to-int conversions.

use super::emit::{Emitter, V31, X16};
use crate::ir::TrapCode;
use target_aarch64::{Cond, FloatSize, Gpr, Shift, Size, VSize, Vreg};

impl Emitter {
    /// `d = a / b` or `a % b`. Traps on a zero divisor and, for signed division, on MIN / -1;
    /// `sdiv`/`udiv` themselves never trap (they return 0 and MIN). The remainder is
    /// `a - (a / b) * b`, computed with the quotient in `x16`.
    pub(super) fn div(&mut self, size: Size, signed: bool, rem: bool, checked: bool, (d, a, b): (Gpr, Gpr, Gpr)) {
        if checked {
            let divz = self.stub(TrapCode::IntegerDivideByZero);
            self.asm.cbz(size, b, divz);
            if signed && !rem {
                // b == -1 and a == MIN: `a - 1` overflows exactly for MIN.
                let ovf = self.stub(TrapCode::IntegerOverflow);
                let ok = self.asm.new_label();
                self.asm.cmn_ri(size, b, 1);
                self.asm.b_cond(Cond::Ne, ok);
                self.asm.cmp_ri(size, a, 1);
                self.asm.b_cond(Cond::Vs, ovf);
                self.asm.bind_label(ok);
            }
        }
        let q = if rem { X16 } else { d };
        if signed {
            self.asm.sdiv(size, q, a, b);
        } else {
            self.asm.udiv(size, q, a, b);
        }
        if rem {
            self.asm.msub(size, d, q, b, a);
        }
    }

    /// `d` = magnitude of `a` with the sign of `b`, through the general scratch registers:
    /// the sign bit of `b` is inserted into the bits of `a`.
    pub(super) fn copysign(&mut self, size: FloatSize, d: Vreg, a: Vreg, b: Vreg) {
        let (isize, top) = match size {
            FloatSize::F32 => (Size::S32, 31),
            FloatSize::F64 => (Size::S64, 63),
        };
        let x17 = Gpr::X17;
        self.asm.fmov_to_gpr(isize, X16, a);
        self.asm.fmov_to_gpr(isize, x17, b);
        self.asm.shift_rri(Shift::Lsr, isize, x17, x17, top);
        // bfi x16, x17, #top, #1
        self.asm.bfm(isize, X16, x17, 1, 0);
        self.asm.fmov_from_gpr(isize, d, X16);
    }

    /// Traps unless truncating `s` gives an integer of `to` bits: InvalidConversion for NaN,
    /// IntegerOverflow out of range. The bounds are exact in the source precision.
    pub(super) fn float_to_int_checks(&mut self, from: FloatSize, to: Size, signed: bool, s: Vreg) {
        let bad = self.stub(TrapCode::InvalidConversion);
        self.asm.fcmp(from, s, s);
        self.asm.b_cond(Cond::Vs, bad);
        let bits = if to == Size::S32 { 32 } else { 64 };
        // (lower bound, whether the bound itself converts) and the exclusive upper bound.
        let (lo, lo_valid, hi) = if signed {
            let min = -(2f64.powi(bits - 1));
            if to == Size::S32 && from == FloatSize::F64 {
                (min - 1.0, false, -min)
            } else {
                // MIN - 1 is not representable: MIN itself is the last valid value.
                (min, true, -min)
            }
        } else {
            (-1.0, false, 2f64.powi(bits))
        };
        let ovf = self.stub(TrapCode::IntegerOverflow);
        self.load_float_const(from, V31, lo);
        self.asm.fcmp(from, s, V31);
        // Ordered from here: `mi` is "less than", `ls` "less or equal".
        self.asm.b_cond(if lo_valid { Cond::Mi } else { Cond::Ls }, ovf);
        self.load_float_const(from, V31, hi);
        self.asm.fcmp(from, s, V31);
        self.asm.b_cond(Cond::Ge, ovf);
    }

    fn load_float_const(&mut self, size: FloatSize, d: Vreg, v: f64) {
        let m = match size {
            FloatSize::F32 => self.asm.const_u32((v as f32).to_bits()),
            FloatSize::F64 => self.asm.const_u64(v.to_bits()),
        };
        self.asm.load_fp(VSize::from(size), d, m);
    }
}
