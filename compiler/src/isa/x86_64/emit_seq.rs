//! The multi-instruction sequences behind single machine instructions: division with Wasm's
//! traps, fmin/fmax, conversions between floats and integers, and bit counting on the
//! baseline instruction set.

use super::emit::Emitter;
use super::inst::{FSize, Reg, Size};
use crate::ir::TrapCode;
use target_x86_64 as asm;
use target_x86_64::{AluOp, Cond, FloatSize, Gpr, Xmm};

fn isize(s: Size) -> asm::Size {
    match s {
        Size::S32 => asm::Size::S32,
        Size::S64 => asm::Size::S64,
    }
}

/// The bits of float constant `v` at precision `fs`, for the constant pool.
fn float_bits(fs: FSize, v: f64) -> u64 {
    match fs {
        FSize::F32 => (v as f32).to_bits() as u64,
        FSize::F64 => v.to_bits(),
    }
}

/// Registers of a float-to-int conversion: result, source, float and integer temporaries.
pub type ConvRegs = (Gpr, Xmm, Xmm, Gpr);

impl Emitter {
    fn fconst(&mut self, fs: FSize, v: f64) -> asm::Mem {
        match fs {
            FSize::F32 => self.asm.const_u32(float_bits(fs, v) as u32),
            FSize::F64 => self.asm.const_u64(float_bits(fs, v)),
        }
    }

    fn fs(fs: FSize) -> FloatSize {
        match fs {
            FSize::F32 => FloatSize::F32,
            FSize::F64 => FloatSize::F64,
        }
    }

    /// Quotient in rax, remainder in rdx, dividend in rax. Traps on a zero divisor; signed
    /// MIN / -1 traps while MIN % -1 is 0 (x86 would fault on both).
    pub(super) fn div(&mut self, sz: Size, signed: bool, rem: bool, divisor: Reg, checked: bool) {
        let s = isize(sz);
        let d = self.gpr(divisor);
        if checked {
            let divz = self.stub(TrapCode::IntegerDivideByZero);
            self.asm.alu_rr(AluOp::Test, s, d, d);
            self.asm.jcc(Cond::E, divz);
        }
        if !signed {
            self.asm.zero(Gpr::Rdx);
            self.asm.div(s, d);
            return;
        }
        let done = self.asm.new_label();
        if checked {
            let do_div = self.asm.new_label();
            self.asm.alu_ri(AluOp::Cmp, s, d, -1);
            self.asm.jcc(Cond::NE, do_div);
            if rem {
                self.asm.zero(Gpr::Rdx);
            } else {
                // x / -1 = -x, which overflows exactly for MIN.
                let ovf = self.stub(TrapCode::IntegerOverflow);
                self.asm.neg(s, Gpr::Rax);
                self.asm.jcc(Cond::O, ovf);
            }
            self.asm.jmp(done);
            self.asm.bind_label(do_div);
        }
        self.asm.sign_extend_rax(s);
        self.asm.idiv(s, d);
        self.asm.bind_label(done);
    }

    /// Wasm fmin/fmax into `dst` (which holds the right operand): NaN if either operand is,
    /// and -0 below +0, which `minss`/`maxss` alone do not give.
    pub(super) fn min_max(&mut self, min: bool, fs: FloatSize, dst: Reg, lhs: Reg) {
        let (d, l) = (self.xmm(dst), self.xmm(lhs));
        let (ordered_ne, nan, done) = (self.asm.new_label(), self.asm.new_label(), self.asm.new_label());
        self.asm.ucomis(fs, l, d);
        self.asm.jcc(Cond::NE, ordered_ne);
        self.asm.jcc(Cond::P, nan);
        // Equal: only the zeros' signs can differ; or-ing the bits picks -0, and-ing +0.
        let op = if min { asm::BitwiseOp::Or } else { asm::BitwiseOp::And };
        self.asm.bitwise_rr(op, d, l);
        self.asm.jmp(done);
        self.asm.bind_label(nan);
        self.asm.float_rr(asm::FloatOp::Add, fs, d, l);
        self.asm.jmp(done);
        self.asm.bind_label(ordered_ne);
        let op = if min { asm::FloatOp::Min } else { asm::FloatOp::Max };
        self.asm.float_rr(op, fs, d, l);
        self.asm.bind_label(done);
    }

    pub(super) fn u64_to_float(&mut self, fs: FloatSize, dst: Reg, src: Reg, tmp1: Reg, tmp2: Reg) {
        let (d, s, t1, t2) = (self.xmm(dst), self.gpr(src), self.gpr(tmp1), self.gpr(tmp2));
        let (big, done) = (self.asm.new_label(), self.asm.new_label());
        self.asm.bitwise_rr(asm::BitwiseOp::Xor, d, d);
        self.asm.alu_rr(AluOp::Test, asm::Size::S64, s, s);
        self.asm.jcc(Cond::S, big);
        self.asm.cvt_int_to_float(fs, asm::Size::S64, d, s);
        self.asm.jmp(done);
        // Halve (keeping the low bit so rounding stays correct), convert, double.
        self.asm.bind_label(big);
        self.asm.mov_rr(asm::Size::S64, t1, s);
        self.asm.shift_ri(asm::ShiftOp::Shr, asm::Size::S64, t1, 1);
        self.asm.mov_rr(asm::Size::S64, t2, s);
        self.asm.alu_ri(AluOp::And, asm::Size::S64, t2, 1);
        self.asm.alu_rr(AluOp::Or, asm::Size::S64, t1, t2);
        self.asm.cvt_int_to_float(fs, asm::Size::S64, d, t1);
        self.asm.float_rr(asm::FloatOp::Add, fs, d, d);
        self.asm.bind_label(done);
    }

    /// Trapping float → signed int. `cvtts*2si` returns MIN for NaN and out-of-range inputs;
    /// only then are the exact checks needed.
    pub(super) fn float_to_sint(&mut self, from: FSize, to: Size, (d, s, _, _): ConvRegs) {
        let (fs, is) = (Self::fs(from), isize(to));
        let done = self.asm.new_label();
        self.asm.cvt_float_to_int(fs, is, d, s);
        // `cmp d, 1` overflows exactly when d is MIN.
        self.asm.alu_ri(AluOp::Cmp, is, d, 1);
        self.asm.jcc(Cond::NO, done);
        let bad = self.stub(TrapCode::InvalidConversion);
        self.asm.ucomis(fs, s, s);
        self.asm.jcc(Cond::P, bad);
        let ovf = self.stub(TrapCode::IntegerOverflow);
        // MIN is a genuine result iff MIN - 1 < s (for i32 from f64, where MIN - 1 is
        // representable), or MIN <= s otherwise (the float below MIN truncates below it too).
        let min = -(2f64.powi(to.bits() as i32 - 1));
        if to == Size::S32 && from == FSize::F64 {
            let m = self.fconst(from, min - 1.0);
            self.asm.ucomis_rm(fs, s, m);
            self.asm.jcc(Cond::BE, ovf);
        } else {
            let m = self.fconst(from, min);
            self.asm.ucomis_rm(fs, s, m);
            self.asm.jcc(Cond::B, ovf);
        }
        // Non-negative inputs that gave MIN were too large.
        let zero = self.fconst(from, 0.0);
        self.asm.ucomis_rm(fs, s, zero);
        self.asm.jcc(Cond::AE, ovf);
        self.asm.bind_label(done);
    }

    pub(super) fn float_to_sint_sat(&mut self, from: FSize, to: Size, (d, s, _, _): ConvRegs) {
        let (fs, is) = (Self::fs(from), isize(to));
        let (done, not_nan) = (self.asm.new_label(), self.asm.new_label());
        self.asm.cvt_float_to_int(fs, is, d, s);
        self.asm.alu_ri(AluOp::Cmp, is, d, 1);
        self.asm.jcc(Cond::NO, done);
        self.asm.ucomis(fs, s, s);
        self.asm.jcc(Cond::NP, not_nan);
        self.asm.zero(d);
        self.asm.jmp(done);
        self.asm.bind_label(not_nan);
        // Negative overflow already saturated to MIN; positive overflow becomes MAX = !MIN.
        let zero = self.fconst(from, 0.0);
        self.asm.ucomis_rm(fs, s, zero);
        self.asm.jcc(Cond::B, done);
        self.asm.not(is, d);
        self.asm.bind_label(done);
    }

    pub(super) fn float_to_uint(&mut self, from: FSize, to: Size, (d, s, tx, tg): ConvRegs) {
        let fs = Self::fs(from);
        let bad = self.stub(TrapCode::InvalidConversion);
        let ovf = self.stub(TrapCode::IntegerOverflow);
        self.asm.ucomis(fs, s, s);
        self.asm.jcc(Cond::P, bad);
        if to == Size::S32 {
            // Convert to i64: valid results are exactly those in [0, 2^32).
            self.asm.cvt_float_to_int(fs, asm::Size::S64, d, s);
            self.asm.mov_rr(asm::Size::S64, tg, d);
            self.asm.shift_ri(asm::ShiftOp::Shr, asm::Size::S64, tg, 32);
            self.asm.jcc(Cond::NE, ovf);
            return;
        }
        let (big, done) = (self.asm.new_label(), self.asm.new_label());
        let two63 = self.fconst(from, 2f64.powi(63));
        self.asm.ucomis_rm(fs, s, two63);
        self.asm.jcc(Cond::AE, big);
        // Below 2^63: a negative result means s <= -1.
        self.asm.cvt_float_to_int(fs, asm::Size::S64, d, s);
        self.asm.alu_rr(AluOp::Test, asm::Size::S64, d, d);
        self.asm.jcc(Cond::S, ovf);
        self.asm.jmp(done);
        // From 2^63: convert s - 2^63 and set the top bit; MIN means s >= 2^64.
        self.asm.bind_label(big);
        self.asm.movaps(tx, s);
        self.asm.float_rm(asm::FloatOp::Sub, fs, tx, two63);
        self.asm.cvt_float_to_int(fs, asm::Size::S64, d, tx);
        self.asm.alu_rr(AluOp::Test, asm::Size::S64, d, d);
        self.asm.jcc(Cond::S, ovf);
        self.asm.mov_imm(tg, 1 << 63);
        self.asm.alu_rr(AluOp::Or, asm::Size::S64, d, tg);
        self.asm.bind_label(done);
    }

    pub(super) fn float_to_uint_sat(&mut self, from: FSize, to: Size, (d, s, tx, tg): ConvRegs) {
        let fs = Self::fs(from);
        let (positive, done) = (self.asm.new_label(), self.asm.new_label());
        // NaN, zeros and negatives all give 0.
        let zero = self.fconst(from, 0.0);
        self.asm.ucomis_rm(fs, s, zero);
        self.asm.jcc(Cond::A, positive);
        self.asm.zero(d);
        self.asm.jmp(done);
        self.asm.bind_label(positive);
        if to == Size::S32 {
            // Out of i64 range gives MIN, which as unsigned is above u32::MAX too.
            self.asm.cvt_float_to_int(fs, asm::Size::S64, d, s);
            self.asm.mov_imm(tg, u32::MAX as u64);
            self.asm.alu_rr(AluOp::Cmp, asm::Size::S64, d, tg);
            self.asm.cmov(Cond::A, asm::Size::S64, d, tg);
            self.asm.bind_label(done);
            return;
        }
        let (big, saturate) = (self.asm.new_label(), self.asm.new_label());
        let two63 = self.fconst(from, 2f64.powi(63));
        self.asm.ucomis_rm(fs, s, two63);
        self.asm.jcc(Cond::AE, big);
        self.asm.cvt_float_to_int(fs, asm::Size::S64, d, s);
        self.asm.jmp(done);
        self.asm.bind_label(big);
        self.asm.movaps(tx, s);
        self.asm.float_rm(asm::FloatOp::Sub, fs, tx, two63);
        self.asm.cvt_float_to_int(fs, asm::Size::S64, d, tx);
        self.asm.alu_rr(AluOp::Test, asm::Size::S64, d, d);
        self.asm.jcc(Cond::S, saturate);
        self.asm.mov_imm(tg, 1 << 63);
        self.asm.alu_rr(AluOp::Or, asm::Size::S64, d, tg);
        self.asm.jmp(done);
        self.asm.bind_label(saturate);
        self.asm.mov_imm(d, u64::MAX);
        self.asm.bind_label(done);
    }

    /// clz = (bits - 1) - bsr(x), with bsr(0) taken as -1.
    pub(super) fn clz(&mut self, sz: Size, d: Gpr, s: Gpr, t: Gpr) {
        let is = isize(sz);
        self.asm.bit_count(asm::BitCountOp::Bsr, is, t, s);
        self.asm.mov_imm(d, if sz == Size::S32 { u32::MAX as u64 } else { u64::MAX });
        self.asm.cmov(Cond::NE, is, d, t);
        self.asm.neg(is, d);
        self.asm.alu_ri(AluOp::Add, is, d, sz.bits() as i32 - 1);
    }

    /// ctz = bsf(x), with bsf(0) taken as the width.
    pub(super) fn ctz(&mut self, sz: Size, d: Gpr, s: Gpr, t: Gpr) {
        let is = isize(sz);
        self.asm.bit_count(asm::BitCountOp::Bsf, is, t, s);
        self.asm.mov_imm(d, sz.bits() as u64);
        self.asm.cmov(Cond::NE, is, d, t);
    }

    /// Population count by summing bits in ever wider fields (no `popcnt` in the baseline).
    pub(super) fn popcnt(&mut self, sz: Size, d: Gpr, s: Gpr, t: Gpr, t2: Gpr) {
        let is = isize(sz);
        let mask = |bits: u64| if sz == Size::S32 { bits & 0xffff_ffff } else { bits };
        let and_const = |e: &mut Self, r: Gpr, m: u64| {
            e.asm.mov_imm(t2, mask(m));
            e.asm.alu_rr(AluOp::And, is, r, t2);
        };
        self.asm.mov_rr(is, d, s);
        self.asm.mov_rr(is, t, d);
        self.asm.shift_ri(asm::ShiftOp::Shr, is, t, 1);
        and_const(self, t, 0x5555_5555_5555_5555);
        self.asm.alu_rr(AluOp::Sub, is, d, t);
        self.asm.mov_rr(is, t, d);
        self.asm.shift_ri(asm::ShiftOp::Shr, is, t, 2);
        and_const(self, t, 0x3333_3333_3333_3333);
        and_const(self, d, 0x3333_3333_3333_3333);
        self.asm.alu_rr(AluOp::Add, is, d, t);
        self.asm.mov_rr(is, t, d);
        self.asm.shift_ri(asm::ShiftOp::Shr, is, t, 4);
        self.asm.alu_rr(AluOp::Add, is, d, t);
        and_const(self, d, 0x0f0f_0f0f_0f0f_0f0f);
        self.asm.mov_imm(t2, mask(0x0101_0101_0101_0101));
        self.asm.imul_rr(is, d, t2);
        self.asm.shift_ri(asm::ShiftOp::Shr, is, d, sz.bits() as u8 - 8);
    }
}
