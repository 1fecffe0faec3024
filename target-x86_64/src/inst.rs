//! Operand forms shared by the instructions: sizes, memory addresses, labels, condition codes
//! and the operation selectors of instruction families.

use crate::regs::Gpr;

/// Width of an integer operand or memory access.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Size {
    S8,
    S16,
    S32,
    S64,
}

impl Size {
    pub fn bytes(self) -> u32 {
        match self {
            Size::S8 => 1,
            Size::S16 => 2,
            Size::S32 => 4,
            Size::S64 => 8,
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

/// Index scale factor of an address.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Scale {
    X1,
    X2,
    X4,
    X8,
}

impl Scale {
    pub fn factor(self) -> u32 {
        match self {
            Scale::X1 => 1,
            Scale::X2 => 2,
            Scale::X4 => 4,
            Scale::X8 => 8,
        }
    }
}

/// What an address is relative to.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Base {
    /// A register.
    Reg(Gpr),
    /// A label of this code, addressed RIP-relative (constants, jump tables). Such an address
    /// takes no index register.
    Label(Label),
    /// No base register: `[index * scale + disp32]` (an index is required).
    None,
}

/// A memory operand: `[base + index * scale + disp]`.
///
/// Any register works as a base (the encoder adds the SIB byte `rsp`/`r12` need and the zero
/// displacement `rbp`/`r13` need); `rsp` cannot be an index (x86 has no encoding for it), which
/// the assembler reports as an error.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Mem {
    pub base: Base,
    pub index: Option<(Gpr, Scale)>,
    pub disp: i32,
}

impl Mem {
    /// `[base]`
    pub fn base(base: Gpr) -> Mem {
        Mem { base: Base::Reg(base), index: None, disp: 0 }
    }

    /// `[base + disp]`
    pub fn base_disp(base: Gpr, disp: i32) -> Mem {
        Mem { base: Base::Reg(base), index: None, disp }
    }

    /// `[base + index * scale + disp]`
    pub fn indexed(base: Gpr, index: Gpr, scale: Scale, disp: i32) -> Mem {
        Mem { base: Base::Reg(base), index: Some((index, scale)), disp }
    }

    /// `[index * scale + disp]`, always with a 4-byte displacement (x86 has no shorter form
    /// without a base).
    pub fn scaled(index: Gpr, scale: Scale, disp: i32) -> Mem {
        Mem { base: Base::None, index: Some((index, scale)), disp }
    }

    /// `[rip + label]`
    pub fn label(label: Label) -> Mem {
        Mem { base: Base::Label(label), index: None, disp: 0 }
    }

    /// The same address `bytes` further on (e.g. the high half of a 16-byte slot); `None` if
    /// the displacement would overflow.
    pub fn offset_by(self, bytes: i32) -> Option<Mem> {
        Some(Mem { disp: self.disp.checked_add(bytes)?, ..self })
    }
}

/// A condition code, as tested by `jcc`, `setcc` and `cmovcc`. The discriminant is the
/// 4-bit `cc` field of the opcode.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum Cond {
    /// Overflow.
    O = 0x0,
    NO = 0x1,
    /// Unsigned below (carry set).
    B = 0x2,
    /// Unsigned above or equal (carry clear).
    AE = 0x3,
    /// Equal (zero set).
    E = 0x4,
    NE = 0x5,
    /// Unsigned below or equal.
    BE = 0x6,
    /// Unsigned above.
    A = 0x7,
    /// Sign set.
    S = 0x8,
    NS = 0x9,
    /// Parity set (after `ucomis*`: unordered).
    P = 0xa,
    NP = 0xb,
    /// Signed less.
    L = 0xc,
    /// Signed greater or equal.
    GE = 0xd,
    /// Signed less or equal.
    LE = 0xe,
    /// Signed greater.
    G = 0xf,
}

impl Cond {
    pub const ALL: [Cond; 16] = [
        Cond::O,
        Cond::NO,
        Cond::B,
        Cond::AE,
        Cond::E,
        Cond::NE,
        Cond::BE,
        Cond::A,
        Cond::S,
        Cond::NS,
        Cond::P,
        Cond::NP,
        Cond::L,
        Cond::GE,
        Cond::LE,
        Cond::G,
    ];

    /// The 4-bit condition field of the opcode.
    pub fn bits(self) -> u8 {
        self as u8
    }

    /// The condition that holds exactly when `self` does not (x86 pairs them by the low bit).
    pub fn invert(self) -> Cond {
        Cond::ALL[usize::from(self.bits() ^ 1)]
    }
}

/// Two-operand integer ALU operations that share one encoding pattern.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum AluOp {
    Add,
    Sub,
    And,
    Or,
    Xor,
    /// Like `Sub` but only sets flags.
    Cmp,
    /// Like `And` but only sets flags.
    Test,
}

/// Shifts and rotates.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum ShiftOp {
    Shl,
    /// Logical (unsigned) right shift.
    Shr,
    /// Arithmetic (signed) right shift.
    Sar,
    Rol,
    Ror,
}

/// Bit-counting operations (`popcnt`, `lzcnt`, `tzcnt` need the matching CPU features;
/// `bsr`/`bsf` leave the destination undefined for a zero source).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum BitCountOp {
    Bsf,
    Bsr,
    Lzcnt,
    Tzcnt,
    Popcnt,
}

/// Scalar floating-point precision.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum FloatSize {
    /// `ss` forms (f32).
    F32,
    /// `sd` forms (f64).
    F64,
}

/// Scalar SSE arithmetic (`addss`/`addsd`, …).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum FloatOp {
    Add,
    Sub,
    Mul,
    Div,
    /// x86 semantics: returns the second operand if either is NaN or both are zero.
    Min,
    /// x86 semantics: returns the second operand if either is NaN or both are zero.
    Max,
    Sqrt,
}

/// Packed bitwise operations on whole XMM registers, used with masks for abs/neg/copysign.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum BitwiseOp {
    /// `andps`
    And,
    /// `andnps`: `dst = !dst & src`
    AndNot,
    /// `orps`
    Or,
    /// `xorps`
    Xor,
}

/// Rounding mode of `roundss`/`roundsd` (SSE4.1). Precision exceptions are suppressed.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum RoundMode {
    /// Round to nearest, ties to even (Wasm `nearest`).
    Nearest,
    /// Toward negative infinity (`floor`).
    Floor,
    /// Toward positive infinity (`ceil`).
    Ceil,
    /// Toward zero (`trunc`).
    Trunc,
}

impl RoundMode {
    /// The instruction's immediate: rounding-control bits plus bit 3 (suppress precision).
    pub fn imm(self) -> u8 {
        let rc = match self {
            RoundMode::Nearest => 0,
            RoundMode::Floor => 1,
            RoundMode::Ceil => 2,
            RoundMode::Trunc => 3,
        };
        rc | 0b1000
    }
}
