//! Advanced SIMD (NEON) vector instructions: the forms Wasm's `v128` operations need.
//!
//! Each family is one encoding class of the architecture, its operations told apart by the
//! `U` bit and an opcode field; a [`VArr`] gives the lane arrangement (`size` and `Q`).

use super::{v, Assembler};
use crate::inst::{VArr, VecOp, VecShiftOp, VecUnaryOp};
use crate::regs::{Gpr, Vreg};

impl VArr {
    /// The `size` field (log2 of the lane bytes).
    fn size(self) -> u32 {
        match self {
            VArr::B8 | VArr::B16 => 0,
            VArr::H4 | VArr::H8 => 1,
            VArr::S2 | VArr::S4 => 2,
            VArr::D1 | VArr::D2 => 3,
        }
    }

    /// The `Q` bit at 30: the whole register (1) or its low half (0).
    fn q(self) -> u32 {
        match self {
            VArr::B16 | VArr::H8 | VArr::S4 | VArr::D2 => 1 << 30,
            VArr::B8 | VArr::H4 | VArr::S2 | VArr::D1 => 0,
        }
    }

    /// Lane width in bits.
    pub fn lane_bits(self) -> u32 {
        8 << self.size()
    }

    /// The `sz` bit (22) of a float operation: f32 lanes (0) or f64 lanes (1).
    fn float_sz(self) -> u32 {
        u32::from(self.size() == 3) << 22
    }

    /// `imm5` naming lane `index` of this arrangement's lane size.
    fn lane_imm5(self, index: u8) -> u32 {
        let s = self.size();
        (u32::from(index) << (s + 1) | 1 << s) & 0x1f
    }
}

/// How an operation's encoding is built.
enum Class {
    /// Three registers, same arrangement: `U`, opcode (bits 11..16).
    Same(u32, u32),
    /// Logical three-same: `U`, the `size` field chosen by the operation.
    Logical(u32, u32),
    /// Float three-same: `U`, bit 23, opcode.
    FloatSame(u32, u32, u32),
    /// Three registers, long result: `U`, opcode (bits 12..16).
    Different(u32, u32),
    /// Permutes: opcode (bits 12..15).
    Permute(u32),
}

fn class(op: VecOp) -> Class {
    use Class::*;
    match op {
        VecOp::Add => Same(0, 0b10000),
        VecOp::Sub => Same(1, 0b10000),
        VecOp::Mul => Same(0, 0b10011),
        VecOp::Cmeq => Same(1, 0b10001),
        VecOp::Cmgt => Same(0, 0b00110),
        VecOp::Cmhi => Same(1, 0b00110),
        VecOp::Cmge => Same(0, 0b00111),
        VecOp::Cmhs => Same(1, 0b00111),
        VecOp::Sqadd => Same(0, 0b00001),
        VecOp::Uqadd => Same(1, 0b00001),
        VecOp::Sqsub => Same(0, 0b00101),
        VecOp::Uqsub => Same(1, 0b00101),
        VecOp::Smax => Same(0, 0b01100),
        VecOp::Umax => Same(1, 0b01100),
        VecOp::Smin => Same(0, 0b01101),
        VecOp::Umin => Same(1, 0b01101),
        VecOp::Urhadd => Same(1, 0b00010),
        VecOp::Sshl => Same(0, 0b01000),
        VecOp::Ushl => Same(1, 0b01000),
        VecOp::Sqrdmulh => Same(1, 0b10110),
        VecOp::Addp => Same(0, 0b10111),
        VecOp::And => Logical(0, 0b00),
        VecOp::Bic => Logical(0, 0b01),
        VecOp::Orr => Logical(0, 0b10),
        VecOp::Eor => Logical(1, 0b00),
        VecOp::Bsl => Logical(1, 0b01),
        VecOp::Fadd => FloatSame(0, 0, 0b11010),
        VecOp::Fsub => FloatSame(0, 1, 0b11010),
        VecOp::Fmul => FloatSame(1, 0, 0b11011),
        VecOp::Fdiv => FloatSame(1, 0, 0b11111),
        VecOp::Fmax => FloatSame(0, 0, 0b11110),
        VecOp::Fmin => FloatSame(0, 1, 0b11110),
        VecOp::Fcmeq => FloatSame(0, 0, 0b11100),
        VecOp::Fcmge => FloatSame(1, 0, 0b11100),
        VecOp::Fcmgt => FloatSame(1, 1, 0b11100),
        VecOp::Smull => Different(0, 0b1100),
        VecOp::Umull => Different(1, 0b1100),
        VecOp::Uzp1 => Permute(0b001),
        VecOp::Zip1 => Permute(0b011),
        VecOp::Uzp2 => Permute(0b101),
        VecOp::Zip2 => Permute(0b111),
    }
}

impl Assembler {
    /// `op dst.T, a.T, b.T`. For `Smull`/`Umull`, `arr` is the sources' arrangement (`8b`
    /// is the low halves, `16b` the `smull2` high halves); for the logical operations only
    /// `Q` matters (they print as `16b`/`8b`).
    pub fn vec_rrr(&mut self, op: VecOp, arr: VArr, dst: Vreg, a: Vreg, b: Vreg) {
        let regs = v(b) << 16 | v(a) << 5 | v(dst);
        let word = match class(op) {
            Class::Same(u, opcode) => 0x0e20_0400 | u << 29 | arr.size() << 22 | opcode << 11,
            Class::Logical(u, size) => 0x0e20_0400 | u << 29 | size << 22 | 0b00011 << 11,
            Class::FloatSame(u, bit23, opcode) => 0x0e20_0400 | u << 29 | bit23 << 23 | arr.float_sz() | opcode << 11,
            Class::Different(u, opcode) => 0x0e20_0000 | u << 29 | arr.size() << 22 | opcode << 12,
            Class::Permute(opcode) => 0x0e00_0800 | arr.size() << 22 | opcode << 12,
        };
        self.emit(word | arr.q() | regs);
    }

    /// `op dst, src` of the two-register and across-lanes families. For the narrowing
    /// operations (`Xtn`, `Sqxtn`, `Uqxtn`, `Sqxtun`) `arr` is the destination's (`8b` the
    /// low half, `16b` the `…2` high half, the rest kept); for `Fcvtn` it is `2s` (from
    /// `2d`), for `Fcvtl` `2s` (to `2d`); for the pairwise and across-lanes operations it is
    /// the source's.
    pub fn vec_unary(&mut self, op: VecUnaryOp, arr: VArr, dst: Vreg, src: Vreg) {
        let misc = |u: u32, opcode: u32| 0x0e20_0800 | u << 29 | arr.size() << 22 | opcode << 12;
        let float =
            |u: u32, bit23: u32, opcode: u32| 0x0e20_0800 | u << 29 | bit23 << 23 | arr.float_sz() | opcode << 12;
        let across = |u: u32, opcode: u32| 0x0e30_0800 | u << 29 | arr.size() << 22 | opcode << 12;
        let word = match op {
            VecUnaryOp::Cnt => 0x0e20_0800 | 0b00101 << 12,
            VecUnaryOp::Not => 0x2e20_0800 | 0b00101 << 12,
            VecUnaryOp::Abs => misc(0, 0b01011),
            VecUnaryOp::Neg => misc(1, 0b01011),
            VecUnaryOp::CmeqZero => misc(0, 0b01001),
            VecUnaryOp::Saddlp => misc(0, 0b00010),
            VecUnaryOp::Uaddlp => misc(1, 0b00010),
            VecUnaryOp::Xtn => misc(0, 0b10010),
            VecUnaryOp::Sqxtun => misc(1, 0b10010),
            VecUnaryOp::Sqxtn => misc(0, 0b10100),
            VecUnaryOp::Uqxtn => misc(1, 0b10100),
            VecUnaryOp::Fabs => float(0, 1, 0b01111),
            VecUnaryOp::Fneg => float(1, 1, 0b01111),
            VecUnaryOp::Fsqrt => float(1, 1, 0b11111),
            VecUnaryOp::Frintn => float(0, 0, 0b11000),
            VecUnaryOp::Frintm => float(0, 0, 0b11001),
            VecUnaryOp::Frintp => float(0, 1, 0b11000),
            VecUnaryOp::Frintz => float(0, 1, 0b11001),
            VecUnaryOp::Fcvtzs => float(0, 1, 0b11011),
            VecUnaryOp::Fcvtzu => float(1, 1, 0b11011),
            VecUnaryOp::Scvtf => float(0, 0, 0b11101),
            VecUnaryOp::Ucvtf => float(1, 0, 0b11101),
            VecUnaryOp::Fcvtn => 0x0e20_0800 | 1 << 22 | 0b10110 << 12,
            VecUnaryOp::Fcvtl => 0x0e20_0800 | 1 << 22 | 0b10111 << 12,
            VecUnaryOp::Addv => across(0, 0b11011),
            VecUnaryOp::Umaxv => across(1, 0b01010),
            VecUnaryOp::Uminv => across(1, 0b11010),
        };
        self.emit(word | arr.q() | v(src) << 5 | v(dst));
    }

    /// Shift each lane by an immediate: `shl`/`sshr`/`ushr` (`arr` the lanes', `amount`
    /// below the lane width, and above 0 for right shifts), or widen with
    /// `sshll`/`ushll` (`arr` the source's: `8b` the low half, `16b` the `…2` high half).
    pub fn vec_shift_imm(&mut self, op: VecShiftOp, arr: VArr, dst: Vreg, src: Vreg, amount: u32) {
        let esize = arr.lane_bits();
        let (u, opcode, right) = match op {
            VecShiftOp::Shl => (0, 0b01010, false),
            VecShiftOp::Sshr => (0, 0b00000, true),
            VecShiftOp::Ushr => (1, 0b00000, true),
            VecShiftOp::Sshll => (0, 0b10100, false),
            VecShiftOp::Ushll => (1, 0b10100, false),
        };
        let long = matches!(op, VecShiftOp::Sshll | VecShiftOp::Ushll);
        let valid = if right { (1..=esize).contains(&amount) } else { amount < esize && !(long && esize == 64) };
        if !valid {
            return self.fail(format!("vector shift by {amount} of {esize}-bit lanes"));
        }
        let immhb = if right { 2 * esize - amount } else { esize + amount };
        self.emit(0x0f00_0400 | arr.q() | u << 29 | immhb << 16 | opcode << 11 | v(src) << 5 | v(dst));
    }

    /// `dup dst.T, src`: every lane from a general register (`w`, or `x` for `2d`).
    pub fn dup_gpr(&mut self, arr: VArr, dst: Vreg, src: Gpr) {
        let rn = self.zr(src, "dup");
        self.emit(0x0e00_0c00 | arr.q() | arr.lane_imm5(0) << 16 | rn << 5 | v(dst));
    }

    /// `dup dst.T, src.T[lane]`: every lane from one lane.
    pub fn dup_lane(&mut self, arr: VArr, dst: Vreg, src: Vreg, lane: u8) {
        if !self.lane_ok(arr, lane) {
            return;
        }
        self.emit(0x0e00_0400 | arr.q() | arr.lane_imm5(lane) << 16 | v(src) << 5 | v(dst));
    }

    /// `mov sdst/ddst, src.T[lane]` (scalar `dup`): one float lane into a scalar register,
    /// zeroing the rest.
    pub fn mov_lane_to_scalar(&mut self, arr: VArr, dst: Vreg, src: Vreg, lane: u8) {
        if !self.lane_ok(arr, lane) {
            return;
        }
        self.emit(0x5e00_0400 | arr.lane_imm5(lane) << 16 | v(src) << 5 | v(dst));
    }

    /// `mov dst.T[lane], src` (`ins` from a general register), the other lanes kept.
    pub fn ins_gpr(&mut self, arr: VArr, dst: Vreg, lane: u8, src: Gpr) {
        let rn = self.zr(src, "ins");
        if self.lane_ok(arr, lane) {
            self.emit(0x4e00_1c00 | arr.lane_imm5(lane) << 16 | rn << 5 | v(dst));
        }
    }

    /// `mov dst.T[lane], src.T[src_lane]` (`ins` from a lane), the other lanes kept.
    pub fn ins_lane(&mut self, arr: VArr, dst: Vreg, lane: u8, src: Vreg, src_lane: u8) {
        if self.lane_ok(arr, lane) && self.lane_ok(arr, src_lane) {
            let imm4 = u32::from(src_lane) << arr.size();
            self.emit(0x6e00_0400 | arr.lane_imm5(lane) << 16 | imm4 << 11 | v(src) << 5 | v(dst));
        }
    }

    /// `umov wdst, src.T[lane]` (`x` for `d` lanes): a lane, zero-extended.
    pub fn umov(&mut self, arr: VArr, dst: Gpr, src: Vreg, lane: u8) {
        let rd = self.zr(dst, "umov");
        if self.lane_ok(arr, lane) {
            let q = u32::from(arr.size() == 3) << 30;
            self.emit(0x0e00_3c00 | q | arr.lane_imm5(lane) << 16 | v(src) << 5 | rd);
        }
    }

    /// `smov wdst, src.T[lane]` of a `b` or `h` lane: sign-extended to 32 bits.
    pub fn smov(&mut self, arr: VArr, dst: Gpr, src: Vreg, lane: u8) {
        let rd = self.zr(dst, "smov");
        if arr.size() > 1 {
            return self.fail("smov to a w register takes b or h lanes".into());
        }
        if self.lane_ok(arr, lane) {
            self.emit(0x0e00_2c00 | arr.lane_imm5(lane) << 16 | v(src) << 5 | rd);
        }
    }

    /// `tbl dst.16b, {table.16b}, index.16b`: byte `i` is `table[index[i]]`, or 0 for an
    /// index above 15.
    pub fn tbl(&mut self, dst: Vreg, table: Vreg, index: Vreg) {
        self.emit(0x4e00_0000 | v(index) << 16 | v(table) << 5 | v(dst));
    }

    /// `ext dst.16b, a.16b, b.16b, #bytes`: bytes `bytes..bytes+16` of `b:a`.
    pub fn ext(&mut self, dst: Vreg, a: Vreg, b: Vreg, bytes: u8) {
        if bytes > 15 {
            return self.fail(format!("ext by {bytes} bytes"));
        }
        self.emit(0x6e00_0000 | v(b) << 16 | u32::from(bytes) << 11 | v(a) << 5 | v(dst));
    }

    /// `movi dst.2d, #0`.
    pub fn movi_zero(&mut self, dst: Vreg) {
        self.emit(0x6f00_e400 | v(dst));
    }

    /// `addp ddst, src.2d`: the sum of the two 64-bit lanes, in a scalar register.
    pub fn addp_scalar(&mut self, dst: Vreg, src: Vreg) {
        self.emit(0x5ef1_b800 | v(src) << 5 | v(dst));
    }

    fn lane_ok(&mut self, arr: VArr, lane: u8) -> bool {
        let ok = u32::from(lane) < 128 / arr.lane_bits();
        if !ok {
            self.fail(format!("lane {lane} of {}-bit lanes", arr.lane_bits()));
        }
        ok
    }
}
