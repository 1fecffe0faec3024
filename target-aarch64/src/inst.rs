//! Operand forms shared by the instructions: sizes, addresses, labels, condition codes and
//! the operation selectors of instruction families.

use crate::regs::Gpr;

/// Width of an integer operand or memory access. Arithmetic takes `S32` (`w` registers) or
/// `S64` (`x` registers); loads and stores take all four.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Size {
    S8,
    S16,
    S32,
    S64,
}

impl Size {
    pub fn bytes(self) -> u32 {
        1 << self.log2()
    }

    /// log2 of the width in bytes: the `size` field of loads and stores.
    pub fn log2(self) -> u32 {
        match self {
            Size::S8 => 0,
            Size::S16 => 1,
            Size::S32 => 2,
            Size::S64 => 3,
        }
    }
}

/// Scalar floating-point precision.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum FloatSize {
    /// `s` registers (f32).
    F32,
    /// `d` registers (f64).
    F64,
}

/// Width of a SIMD&FP register access in memory: `s`, `d` or the whole `q` register.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum VSize {
    S,
    D,
    Q,
}

impl VSize {
    pub fn bytes(self) -> u32 {
        match self {
            VSize::S => 4,
            VSize::D => 8,
            VSize::Q => 16,
        }
    }
}

impl From<FloatSize> for VSize {
    fn from(size: FloatSize) -> VSize {
        match size {
            FloatSize::F32 => VSize::S,
            FloatSize::F64 => VSize::D,
        }
    }
}

/// A position in the code, bound once with [`Assembler::bind_label`](crate::Assembler::bind_label)
/// and referenced any number of times before or after.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Label(pub(crate) u32);

impl Label {
    /// Dense index of the label within its assembler (0, 1, 2, … in creation order).
    pub fn index(self) -> u32 {
        self.0
    }

    /// The label with dense index `index` (for tables keyed by [`Label::index`]).
    pub fn from_index(index: u32) -> Label {
        Label(index)
    }
}

/// How a register operand is shifted before use (`add x0, x1, x2, lsl #3`) and the shift
/// operations themselves.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum Shift {
    Lsl = 0,
    /// Logical (unsigned) right shift.
    Lsr = 1,
    /// Arithmetic (signed) right shift.
    Asr = 2,
    /// Rotate right (logical instructions only, as an operand shift).
    Ror = 3,
}

/// How a register operand is extended: `uxtw` zero-extends its low 32 bits, `sxtb`
/// sign-extends its low byte, `uxtx`/`sxtx` take all 64 bits (`lsl` in an address). The
/// discriminant is the 3-bit `option` field.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum Extend {
    Uxtb = 0,
    Uxth = 1,
    Uxtw = 2,
    Uxtx = 3,
    Sxtb = 4,
    Sxth = 5,
    Sxtw = 6,
    Sxtx = 7,
}

/// A memory operand. Every base register may be `Sp`; none may be `Zr`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Mem {
    /// `[base, #offset]`: encoded with the scaled unsigned 12-bit offset when `offset` is a
    /// non-negative multiple of the access size below 4096 of them, else the unscaled signed
    /// 9-bit one (`ldur`/`stur`, -256..=255); other offsets are an error.
    Offset { base: Gpr, offset: i32 },
    /// `[base, #offset]!`: `base += offset`, then access `[base]`.
    PreIndex { base: Gpr, offset: i32 },
    /// `[base], #offset`: access `[base]`, then `base += offset`.
    PostIndex { base: Gpr, offset: i32 },
    /// `[base, index, extend #shift]`: `base + extend(index) << shift`, where `shift` is 0 or
    /// log2 of the access size (`scaled`). `extend` is `Uxtw`/`Sxtw` for a 32-bit index,
    /// `Uxtx` (printed `lsl`) or `Sxtx` for a 64-bit one.
    Indexed { base: Gpr, index: Gpr, extend: Extend, scaled: bool },
    /// A literal at a label of this code, loaded pc-relative (`ldr x0, label`; loads of 32-
    /// and 64-bit integers and of `s`/`d`/`q` registers only, within ±1 MiB).
    Label(Label),
}

impl Mem {
    /// `[base]`
    pub fn base(base: Gpr) -> Mem {
        Mem::Offset { base, offset: 0 }
    }

    /// `[base, #offset]`
    pub fn offset(base: Gpr, offset: i32) -> Mem {
        Mem::Offset { base, offset }
    }

    /// `[base, index, lsl #shift]` with a 64-bit index, scaled by the access size or not.
    pub fn indexed(base: Gpr, index: Gpr, scaled: bool) -> Mem {
        Mem::Indexed { base, index, extend: Extend::Uxtx, scaled }
    }

    /// `[base, windex, uxtw]`: a 64-bit base plus a zero-extended 32-bit index (a Wasm heap
    /// access: heap base + the i32 address).
    pub fn uxtw(base: Gpr, index: Gpr) -> Mem {
        Mem::Indexed { base, index, extend: Extend::Uxtw, scaled: false }
    }
}

/// A condition code, as tested by `b.cond`, `csel` and friends. The discriminant is the 4-bit
/// `cond` field.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum Cond {
    /// Equal (Z set).
    Eq = 0x0,
    Ne = 0x1,
    /// Unsigned higher or same (C set; also "carry set").
    Hs = 0x2,
    /// Unsigned lower (C clear).
    Lo = 0x3,
    /// Negative (N set).
    Mi = 0x4,
    /// Positive or zero.
    Pl = 0x5,
    /// Overflow (V set).
    Vs = 0x6,
    Vc = 0x7,
    /// Unsigned higher.
    Hi = 0x8,
    /// Unsigned lower or same.
    Ls = 0x9,
    /// Signed greater or equal.
    Ge = 0xa,
    /// Signed less.
    Lt = 0xb,
    /// Signed greater.
    Gt = 0xc,
    /// Signed less or equal.
    Le = 0xd,
    /// Always.
    Al = 0xe,
    /// Also always (reserved: do not use).
    Nv = 0xf,
}

impl Cond {
    pub const ALL: [Cond; 16] = [
        Cond::Eq,
        Cond::Ne,
        Cond::Hs,
        Cond::Lo,
        Cond::Mi,
        Cond::Pl,
        Cond::Vs,
        Cond::Vc,
        Cond::Hi,
        Cond::Ls,
        Cond::Ge,
        Cond::Lt,
        Cond::Gt,
        Cond::Le,
        Cond::Al,
        Cond::Nv,
    ];

    /// The 4-bit condition field.
    pub fn bits(self) -> u32 {
        u32::from(self as u8)
    }

    /// The condition that holds exactly when `self` does not (paired by the low bit; `Al`
    /// and `Nv` both mean "always" and have no inverse).
    pub fn invert(self) -> Cond {
        Cond::ALL[(self.bits() ^ 1) as usize]
    }
}

/// Two-operand integer operations with register, shifted-register and immediate forms.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum AluOp {
    Add,
    /// `add` setting the flags.
    Adds,
    Sub,
    /// `sub` setting the flags (`cmp` when the destination is `Zr`).
    Subs,
    And,
    /// `and` setting N and Z (`tst` when the destination is `Zr`).
    Ands,
    Orr,
    Eor,
    /// `a & !b` (no immediate form).
    Bic,
    /// `a | !b` (no immediate form).
    Orn,
}

impl AluOp {
    /// Add and subtract, as opposed to the logical operations.
    pub fn is_arithmetic(self) -> bool {
        matches!(self, AluOp::Add | AluOp::Adds | AluOp::Sub | AluOp::Subs)
    }

    /// Whether the operation writes the flags (its destination field then means `Zr`, not
    /// `Sp`).
    pub fn sets_flags(self) -> bool {
        matches!(self, AluOp::Adds | AluOp::Subs | AluOp::Ands)
    }
}

/// Single-register bit operations (data-processing, one source).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum BitOp {
    /// Count leading zeros.
    Clz,
    /// Count leading sign bits (not counting the sign bit itself).
    Cls,
    /// Reverse the bit order (`rbit` + `clz` counts trailing zeros).
    Rbit,
    /// Reverse the byte order.
    Rev,
}

/// Scalar floating-point operations of two sources.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum FloatOp {
    Add,
    Sub,
    Mul,
    Div,
    /// IEEE 754-2008 minimum with NaN propagation (Wasm `min`): NaN if either is NaN,
    /// -0 below +0.
    Min,
    /// Like `Min`, for the maximum.
    Max,
    /// `fminnm`: a quiet NaN operand loses to a number.
    MinNm,
    /// `fmaxnm`: a quiet NaN operand loses to a number.
    MaxNm,
}

/// Scalar floating-point operations of one source.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum FloatUnaryOp {
    Abs,
    Neg,
    Sqrt,
}

/// Rounding to an integral value (`frint*`), without raising Inexact.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum RoundMode {
    /// To nearest, ties to even (Wasm `nearest`, `frintn`).
    Nearest,
    /// Toward negative infinity (`floor`, `frintm`).
    Floor,
    /// Toward positive infinity (`ceil`, `frintp`).
    Ceil,
    /// Toward zero (`trunc`, `frintz`).
    Trunc,
}

/// A vector arrangement: lane size and count (`16b` = 16 byte lanes, the whole register;
/// `8b` = 8 byte lanes, the low half).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum VArr {
    B8,
    B16,
    H4,
    H8,
    S2,
    S4,
    D1,
    D2,
}

/// Three-register vector operations ([`Assembler::vec_rrr`](crate::Assembler::vec_rrr)).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum VecOp {
    Add,
    Sub,
    Mul,
    /// Compares: all-ones lanes where true. `gt`/`ge` signed, `hi`/`hs` unsigned.
    Cmeq,
    Cmgt,
    Cmhi,
    Cmge,
    Cmhs,
    /// Saturating add and subtract.
    Sqadd,
    Uqadd,
    Sqsub,
    Uqsub,
    Smax,
    Umax,
    Smin,
    Umin,
    /// Unsigned rounding average.
    Urhadd,
    /// Shift by the signed low byte of each lane of the second operand (negative: right).
    Sshl,
    Ushl,
    /// Saturating rounding doubling multiply, high half.
    Sqrdmulh,
    /// Pairwise add of the concatenation `a:b`.
    Addp,
    And,
    /// `a & !b`.
    Bic,
    Orr,
    Eor,
    /// Bitwise select: `dst = (dst & a) | (!dst & b)`.
    Bsl,
    Fadd,
    Fsub,
    Fmul,
    Fdiv,
    /// NaN-propagating maximum and minimum.
    Fmax,
    Fmin,
    Fcmeq,
    Fcmge,
    Fcmgt,
    /// Widening multiply.
    Smull,
    Umull,
    Uzp1,
    Uzp2,
    Zip1,
    Zip2,
}

/// Two-register and across-lanes vector operations
/// ([`Assembler::vec_unary`](crate::Assembler::vec_unary)).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum VecUnaryOp {
    Cnt,
    Not,
    Abs,
    Neg,
    /// Compare with zero: all-ones lanes where zero.
    CmeqZero,
    /// Widening pairwise add.
    Saddlp,
    Uaddlp,
    /// Narrowing: truncate, or saturate signed→signed, unsigned→unsigned, signed→unsigned.
    Xtn,
    Sqxtn,
    Uqxtn,
    Sqxtun,
    Fabs,
    Fneg,
    Fsqrt,
    /// Round to nearest even, toward -inf, toward +inf, toward zero.
    Frintn,
    Frintm,
    Frintp,
    Frintz,
    /// Float to integer toward zero, saturating (NaN → 0).
    Fcvtzs,
    Fcvtzu,
    Scvtf,
    Ucvtf,
    /// f64 lanes to f32 (low half, upper half zeroed), f32 (low half) to f64.
    Fcvtn,
    Fcvtl,
    /// Across lanes, into lane 0 of a scalar register (the rest zeroed).
    Addv,
    Umaxv,
    Uminv,
}

/// Vector shifts by an immediate ([`Assembler::vec_shift_imm`](crate::Assembler::vec_shift_imm)).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum VecShiftOp {
    Shl,
    Sshr,
    Ushr,
    /// Widening shift left (`#0`: `sxtl`/`uxtl`).
    Sshll,
    Ushll,
}
