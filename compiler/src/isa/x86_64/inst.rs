//! Machine instructions over virtual registers.
//!
//! Each [`MInst`] is one unit for the register allocator: it names its registers as [`Reg`]s
//! and describes them, with their constraints, in [`MInst::visit_operands`]. The same visitor
//! walk both collects the allocator's operands and, after allocation, rewrites every virtual
//! register to its physical location, so the two can never disagree on operand order.
//! Some instructions are short fixed sequences (division with its checks, float-to-int
//! conversions): they must stay indivisible because they branch internally.

use crate::ir::TrapCode;
use crate::regalloc::{Operand, OperandConstraint, OperandKind, OperandPos, PReg, PRegSet, SpillSlot};

pub use crate::isa::reg::{FixedReg, Reg};

/// A memory address.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Amode {
    /// `base + index * scale + disp`.
    Regs { base: Reg, index: Option<(Reg, u8)>, disp: i32 },
    /// `index * scale + disp`, no base (a constant plus a scaled value, in a `lea`).
    Scaled { index: Reg, scale: u8, disp: i32 },
    /// `rsp + offset` inside the fixed part of the frame (outgoing arguments, return areas).
    Frame(i32),
    /// The caller's stack arguments: `rbp + 16 + offset`.
    IncomingArg(i32),
    /// A spill slot chosen by the allocator.
    Slot(SpillSlot),
}

impl Amode {
    pub fn base_disp(base: Reg, disp: i32) -> Amode {
        Amode::Regs { base, index: None, disp }
    }
}

/// An operand that may live in a register or in memory.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum RegMem {
    /// A register; before allocation it may be satisfied by a spill slot (constraint `Any`).
    Reg(Reg),
    /// A folded load. `trap` marks a linear-memory access that may fault.
    Mem { amode: Amode, trap: bool },
}

/// A register, a memory operand, or a 32-bit immediate (sign-extended for 64-bit operations).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum RegMemImm {
    Rm(RegMem),
    Imm(i32),
}

/// Operand size of an integer operation.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Size {
    S32,
    S64,
}

impl Size {
    pub fn bits(self) -> u32 {
        match self {
            Size::S32 => 32,
            Size::S64 => 64,
        }
    }
}

/// Precision of a scalar float operation.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum FSize {
    F32,
    F64,
}

/// x86 condition codes.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum CC {
    O,
    NO,
    B,
    AE,
    E,
    NE,
    BE,
    A,
    S,
    NS,
    P,
    NP,
    L,
    GE,
    LE,
    G,
}

impl CC {
    pub fn invert(self) -> CC {
        use CC::*;
        match self {
            O => NO,
            NO => O,
            B => AE,
            AE => B,
            E => NE,
            NE => E,
            BE => A,
            A => BE,
            S => NS,
            NS => S,
            P => NP,
            NP => P,
            L => GE,
            GE => L,
            LE => G,
            G => LE,
        }
    }
}

/// A condition on the flags. Float equality needs two flags (`ucomis` reports unordered
/// operands as ZF=PF=CF=1), so it gets its own forms.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Cond {
    Simple(CC),
    /// ZF=1 and PF=0: ordered and equal.
    EqOrdered,
    /// ZF=0 or PF=1: unequal or unordered.
    NeOrUnordered,
}

impl Cond {
    pub fn invert(self) -> Cond {
        match self {
            Cond::Simple(cc) => Cond::Simple(cc.invert()),
            Cond::EqOrdered => Cond::NeOrUnordered,
            Cond::NeOrUnordered => Cond::EqOrdered,
        }
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum AluOp {
    Add,
    Sub,
    And,
    Or,
    Xor,
    Imul,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ShiftOp {
    Shl,
    Shr,
    Sar,
    Rol,
    Ror,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum UnaryIntOp {
    Neg,
}

/// Width of a sign or zero extension's source.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ExtFrom {
    B8,
    B16,
    B32,
}

/// What a load reads and how it extends it.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum LoadKind {
    /// Plain integer load of 32 or 64 bits (32-bit loads zero the upper half).
    Int(Size),
    /// Zero-extending load of 8 or 16 bits.
    Zext(ExtFrom),
    /// Sign-extending load into a register of the given size.
    Sext(ExtFrom, Size),
    Float(FSize),
    /// A whole `v128` (`movdqu`).
    V128,
}

/// What a store writes.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum StoreKind {
    Int8,
    Int16,
    Int32,
    Int64,
    Float(FSize),
    /// A whole `v128` (`movdqu`).
    V128,
}

/// Scalar SSE arithmetic.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum FloatOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// Packed bitwise SSE operations, used on scalars for sign manipulation.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum BitOp {
    And,
    Andn,
    Or,
    Xor,
}

/// `roundss`/`roundsd` immediate modes.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum RoundMode {
    Nearest = 0,
    Floor = 1,
    Ceil = 2,
    Trunc = 3,
}

/// Bit counting done with baseline instructions (bsr/bsf, shifts and masks).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum BitCount {
    Clz,
    Ctz,
    Popcnt,
}

pub use crate::isa::lower_call::CallTarget;

/// A machine block index (position in the function's block order).
pub type MBlock = u32;

#[derive(Clone, PartialEq, Debug)]
pub enum MInst {
    /// Entry pseudo-instruction: the register arguments arrive in their ABI registers.
    Args { args: Vec<FixedReg> },
    /// `mov dst, src` (64-bit for integers, `movaps` for floats); the allocator may coalesce it.
    Move { dst: Reg, src: Reg, float: bool },
    /// `mov r32, r32`: zero the upper half (after values from outside our own lowering).
    Zext32 { dst: Reg, src: Reg },
    /// Load an integer constant (`xor` for zero: it clobbers the flags).
    Imm { size: Size, dst: Reg, imm: u64 },
    /// Two-address ALU operation `dst = lhs op rhs`; `dst` reuses `lhs`'s register.
    Alu { op: AluOp, size: Size, dst: Reg, lhs: Reg, rhs: RegMemImm },
    /// `op [amode], src`: a load, an ALU operation and a store back to the same address
    /// (never `Imul`; `src` is a register or an immediate).
    AluMem { op: AluOp, size: Size, amode: Amode, src: RegMemImm, trap: bool },
    /// `imul dst, src, imm`.
    ImulImm { size: Size, dst: Reg, src: RegMem, imm: i32 },
    Lea { size: Size, dst: Reg, amode: Amode },
    /// Shift by an immediate, or by `cl` when `count` is set.
    Shift { op: ShiftOp, size: Size, dst: Reg, src: Reg, count: Option<Reg>, imm: u8 },
    /// BMI2 `shlx`/`shrx`/`sarx dst, src, count` (`op` is one of those three): any registers,
    /// no `cl`, flags untouched.
    ShiftX { op: ShiftOp, size: Size, dst: Reg, src: Reg, count: Reg },
    /// BMI2 `rorx dst, src, imm`: a rotate by a constant into any register.
    Rorx { size: Size, dst: Reg, src: Reg, imm: u8 },
    /// BMI1 `andn dst, inverted, other`: `!inverted & other`.
    Andn { size: Size, dst: Reg, inverted: Reg, other: Reg },
    UnaryInt { op: UnaryIntOp, size: Size, dst: Reg, src: Reg },
    /// Sign extension to `size`.
    Movsx { from: ExtFrom, size: Size, dst: Reg, src: RegMem },
    /// `movzx dst32, src8/src16`: `x & 0xff` or `x & 0xffff` without a copy of `x` (never B32).
    Movzx { from: ExtFrom, dst: Reg, src: Reg },
    /// `cmp lhs, rhs` (sets the flags for `lhs - rhs`).
    Cmp { size: Size, lhs: Reg, rhs: RegMemImm },
    /// `test lhs, rhs`.
    Test { size: Size, lhs: Reg, rhs: RegMemImm },
    /// Integer division or remainder with Wasm's traps; dividend in rax, quotient out of rax,
    /// remainder out of rdx. `checked` is false when the divisor is a known safe constant.
    Div { size: Size, signed: bool, rem: bool, dividend: Reg, divisor: Reg, quot: Reg, rem_out: Reg, checked: bool },
    /// `mul rhs`: the high half of the unsigned 128-bit product `lhs * rhs` (lhs in rax, the
    /// high half out of rdx, the low half `lo` out of rax).
    MulHigh { lhs: Reg, rhs: Reg, hi: Reg, lo: Reg },
    /// `dst = cond ? 1 : 0` from the flags.
    Setcc { cond: Cond, dst: Reg, tmp: Option<Reg> },
    /// `dst = cond ? cons : alt`; `dst` reuses `alt`'s register. `cond` is never `EqOrdered`.
    Cmov { size: Size, cond: Cond, dst: Reg, alt: Reg, cons: RegMem },
    /// Float select by a short branch; `dst` reuses `alt`'s register.
    XmmCmove { cond: Cond, dst: Reg, alt: Reg, cons: Reg },
    Load { kind: LoadKind, dst: Reg, amode: Amode, trap: bool },
    Store { kind: StoreKind, src: Reg, amode: Amode, trap: bool },
    /// Store of an immediate (`kind` is an integer kind).
    StoreImm { kind: StoreKind, imm: i32, amode: Amode, trap: bool },
    /// Scalar float arithmetic, two-address: `dst` reuses `lhs`.
    FloatArith { op: FloatOp, size: FSize, dst: Reg, lhs: Reg, rhs: RegMem },
    /// AVX `vaddss`/…: scalar float arithmetic into any register, `lhs` left intact.
    AvxFloatArith { op: FloatOp, size: FSize, dst: Reg, lhs: Reg, rhs: RegMem },
    /// Packed bitwise operation on xmm registers, two-address: `dst` reuses `lhs`.
    XmmBits { op: BitOp, dst: Reg, lhs: Reg, rhs: Reg },
    Sqrt { size: FSize, dst: Reg, src: Reg },
    Round { size: FSize, mode: RoundMode, dst: Reg, src: Reg },
    /// Wasm fmin/fmax (NaN propagation, -0 < +0); `dst` reuses `rhs`.
    FMinMax { min: bool, size: FSize, dst: Reg, lhs: Reg, rhs: Reg },
    /// `ucomiss`/`ucomisd lhs, rhs`.
    Ucomis { size: FSize, lhs: Reg, rhs: Reg },
    /// `xorps dst, dst`.
    XmmZero { dst: Reg },
    /// A float constant from the constant pool (`bits` of an f32 or f64).
    FloatConst { size: FSize, dst: Reg, bits: u64 },
    /// movd/movq from a general register (`size` is the integer width).
    GprToXmm { size: Size, dst: Reg, src: Reg },
    /// movd/movq to a general register.
    XmmToGpr { size: Size, dst: Reg, src: Reg },
    /// Float precision change (cvtss2sd / cvtsd2ss) to `to`.
    FloatCvt { to: FSize, dst: Reg, src: Reg },
    /// Signed integer to float (`cvtsi2ss`/`cvtsi2sd`), zeroing `dst` first.
    IntToFloat { from: Size, to: FSize, dst: Reg, src: Reg },
    /// Unsigned 64-bit integer to float.
    U64ToFloat { to: FSize, dst: Reg, src: Reg, tmp1: Reg, tmp2: Reg },
    /// Float to integer, trapping or saturating as Wasm requires.
    FloatToInt { from: FSize, to: Size, signed: bool, sat: bool, dst: Reg, src: Reg, tmp_x: Reg, tmp_g: Reg },
    /// clz/ctz/popcnt on `size` bits with baseline instructions.
    BitCount { op: BitCount, size: Size, dst: Reg, src: Reg, tmp: Reg, tmp2: Reg },
    /// clz/ctz/popcnt as one `lzcnt`/`tzcnt`/`popcnt` (LZCNT, BMI1, POPCNT).
    BitCountInst { op: BitCount, size: Size, dst: Reg, src: Reg },
    /// Direct or indirect call; `clobbers` are the registers the callee may overwrite.
    Call { target: CallTarget, uses: Vec<FixedReg>, defs: Vec<FixedReg>, clobbers: PRegSet },
    /// Jump to an out-of-line `ud2` stub if `cond` holds.
    TrapIf { cond: Cond, code: TrapCode },
    /// Terminators.
    Jmp { target: MBlock },
    Jcc { cond: Cond, taken: MBlock, not_taken: MBlock },
    /// Jump through a table of `targets`, to `default` when `index` (a zero-extended i32) is out
    /// of range.
    JmpTable { index: Reg, tmp1: Reg, tmp2: Reg, targets: Vec<MBlock>, default: MBlock },
    Ret { results: Vec<FixedReg> },
    Ud2 { code: TrapCode },
    /// A vector instruction (see `inst_simd.rs`).
    Vec(super::inst_simd::VecInst),
}

/// Receives every register operand of an instruction, in a fixed order.
pub trait OperandVisitor {
    fn reg(&mut self, reg: &mut Reg, constraint: OperandConstraint, kind: OperandKind, pos: OperandPos);
    /// A use that may also be satisfied by a spill slot.
    fn reg_or_slot(&mut self, rm: &mut RegMem);
}

/// Shorthands over [`OperandVisitor`] for the usual constraint shapes.
pub(super) trait VisitExt: OperandVisitor {
    fn use_(&mut self, r: &mut Reg) {
        self.reg(r, OperandConstraint::Reg, OperandKind::Use, OperandPos::Early)
    }
    /// Read while the defs are written: cannot share a register with them.
    fn late_use(&mut self, r: &mut Reg) {
        self.reg(r, OperandConstraint::Reg, OperandKind::Use, OperandPos::Late)
    }
    fn def(&mut self, r: &mut Reg) {
        self.reg(r, OperandConstraint::Reg, OperandKind::Def, OperandPos::Late)
    }
    /// A def or temporary written before the uses are read: cannot share their registers.
    fn early_def(&mut self, r: &mut Reg) {
        self.reg(r, OperandConstraint::Reg, OperandKind::Def, OperandPos::Early)
    }
    fn fixed_use(&mut self, r: &mut Reg, p: PReg) {
        self.reg(r, OperandConstraint::FixedReg(p), OperandKind::Use, OperandPos::Early)
    }
    fn fixed_def(&mut self, r: &mut Reg, p: PReg) {
        self.reg(r, OperandConstraint::FixedReg(p), OperandKind::Def, OperandPos::Late)
    }
    /// Visit a use operand first (as operand `n`), then a def reusing its register.
    fn reuse_def(&mut self, r: &mut Reg, n: usize) {
        self.reg(r, OperandConstraint::Reuse(n), OperandKind::Def, OperandPos::Late)
    }
    fn amode(&mut self, a: &mut Amode) {
        match a {
            Amode::Regs { base, index, .. } => {
                self.use_(base);
                if let Some((i, _)) = index {
                    self.use_(i);
                }
            }
            Amode::Scaled { index, .. } => self.use_(index),
            Amode::Frame(_) | Amode::IncomingArg(_) | Amode::Slot(_) => {}
        }
    }
    fn rm(&mut self, rm: &mut RegMem) {
        match rm {
            RegMem::Reg(_) => self.reg_or_slot(rm),
            RegMem::Mem { amode, .. } => self.amode(amode),
        }
    }
    fn rmi(&mut self, rmi: &mut RegMemImm) {
        if let RegMemImm::Rm(rm) = rmi {
            self.rm(rm)
        }
    }
}

impl<T: OperandVisitor + ?Sized> VisitExt for T {}

/// Counts the operands visited so far, so two-address defs can name the use they reuse.
pub(super) struct Counting<'a, V: OperandVisitor + ?Sized> {
    inner: &'a mut V,
    n: usize,
}

impl<V: OperandVisitor + ?Sized> OperandVisitor for Counting<'_, V> {
    fn reg(&mut self, reg: &mut Reg, c: OperandConstraint, k: OperandKind, p: OperandPos) {
        self.n += 1;
        self.inner.reg(reg, c, k, p)
    }
    fn reg_or_slot(&mut self, rm: &mut RegMem) {
        self.n += 1;
        self.inner.reg_or_slot(rm)
    }
}

impl<V: OperandVisitor + ?Sized> Counting<'_, V> {
    /// Visit `src` as a use and `dst` as a def in the same register.
    pub(super) fn use_then_reuse(&mut self, src: &mut Reg, dst: &mut Reg) {
        let n = self.n;
        self.use_(src);
        self.reuse_def(dst, n);
    }
}

impl MInst {
    /// Visit every register operand with its constraint. Uses that a def reuses come first.
    pub fn visit_operands(&mut self, visitor: &mut impl OperandVisitor) {
        use crate::isa::x86_64::regs::{RAX, RCX, RDX};
        let v = &mut Counting { inner: visitor, n: 0 };
        match self {
            MInst::Args { args } => args.iter_mut().for_each(|a| v.fixed_def(&mut a.reg, a.preg)),
            MInst::Move { dst, src, .. } | MInst::Zext32 { dst, src } => {
                v.use_(src);
                v.def(dst);
            }
            MInst::Imm { dst, .. } | MInst::XmmZero { dst } | MInst::FloatConst { dst, .. } => v.def(dst),
            MInst::Alu { dst, lhs, rhs, .. } => {
                v.rmi(rhs);
                v.use_then_reuse(lhs, dst);
            }
            MInst::ImulImm { dst, src, .. } => {
                v.rm(src);
                v.def(dst);
            }
            MInst::Lea { dst, amode, .. } => {
                v.amode(amode);
                v.def(dst);
            }
            MInst::Shift { dst, src, count, .. } => {
                if let Some(c) = count {
                    v.fixed_use(c, RCX);
                }
                v.use_then_reuse(src, dst);
            }
            MInst::ShiftX { dst, src, count, .. } => {
                v.use_(src);
                v.use_(count);
                v.def(dst);
            }
            MInst::Andn { dst, inverted, other, .. } => {
                v.use_(inverted);
                v.use_(other);
                v.def(dst);
            }
            MInst::Rorx { dst, src, .. } => {
                v.use_(src);
                v.def(dst);
            }
            MInst::UnaryInt { dst, src, .. } => v.use_then_reuse(src, dst),
            MInst::Movsx { dst, src, .. } => {
                v.rm(src);
                v.def(dst);
            }
            MInst::Movzx { dst, src, .. } => {
                v.use_(src);
                v.def(dst);
            }
            MInst::Cmp { lhs, rhs, .. } | MInst::Test { lhs, rhs, .. } => {
                v.use_(lhs);
                v.rmi(rhs);
            }
            MInst::Div { dividend, divisor, quot, rem_out, .. } => {
                v.fixed_use(dividend, RAX);
                // Read after `cqo` has written rdx, so it must avoid rax and rdx.
                v.late_use(divisor);
                v.fixed_def(quot, RAX);
                v.fixed_def(rem_out, RDX);
            }
            MInst::MulHigh { lhs, rhs, hi, lo } => {
                v.fixed_use(lhs, RAX);
                v.use_(rhs);
                v.fixed_def(hi, RDX);
                v.fixed_def(lo, RAX);
            }
            MInst::Setcc { dst, tmp, .. } => {
                if let Some(t) = tmp {
                    v.early_def(t);
                }
                v.def(dst);
            }
            MInst::Cmov { dst, alt, cons, .. } => {
                v.rm(cons);
                v.use_then_reuse(alt, dst);
            }
            MInst::XmmCmove { dst, alt, cons, .. } => {
                v.use_(cons);
                v.use_then_reuse(alt, dst);
            }
            MInst::Load { dst, amode, .. } => {
                v.amode(amode);
                v.def(dst);
            }
            MInst::Store { src, amode, .. } => {
                v.use_(src);
                v.amode(amode);
            }
            MInst::StoreImm { amode, .. } => v.amode(amode),
            MInst::AluMem { amode, src, .. } => {
                if let RegMemImm::Rm(RegMem::Reg(r)) = src {
                    v.use_(r);
                }
                v.amode(amode);
            }
            MInst::FloatArith { dst, lhs, rhs, .. } => {
                v.rm(rhs);
                v.use_then_reuse(lhs, dst);
            }
            MInst::AvxFloatArith { dst, lhs, rhs, .. } => {
                v.rm(rhs);
                v.use_(lhs);
                v.def(dst);
            }
            MInst::XmmBits { dst, lhs, rhs, .. } => {
                v.use_(rhs);
                v.use_then_reuse(lhs, dst);
            }
            MInst::Sqrt { dst, src, .. } | MInst::Round { dst, src, .. } | MInst::FloatCvt { dst, src, .. } => {
                v.use_(src);
                v.def(dst);
            }
            MInst::FMinMax { dst, lhs, rhs, .. } => {
                v.use_(lhs);
                v.use_then_reuse(rhs, dst);
            }
            MInst::Ucomis { lhs, rhs, .. } => {
                v.use_(lhs);
                v.use_(rhs);
            }
            MInst::GprToXmm { dst, src, .. } | MInst::XmmToGpr { dst, src, .. } => {
                v.use_(src);
                v.def(dst);
            }
            MInst::IntToFloat { dst, src, .. } => {
                v.use_(src);
                v.def(dst);
            }
            MInst::U64ToFloat { dst, src, tmp1, tmp2, .. } => {
                v.use_(src);
                v.early_def(tmp1);
                v.early_def(tmp2);
                v.early_def(dst);
            }
            MInst::FloatToInt { dst, src, tmp_x, tmp_g, .. } => {
                v.use_(src);
                v.early_def(tmp_x);
                v.early_def(tmp_g);
                v.early_def(dst);
            }
            MInst::BitCount { dst, src, tmp, tmp2, .. } => {
                v.use_(src);
                v.early_def(tmp);
                v.early_def(tmp2);
                v.def(dst);
            }
            MInst::BitCountInst { dst, src, .. } => {
                v.use_(src);
                v.def(dst);
            }
            MInst::Call { target, uses, defs, .. } => {
                if let CallTarget::Reg(r) = target {
                    v.use_(r);
                }
                uses.iter_mut().for_each(|u| v.fixed_use(&mut u.reg, u.preg));
                defs.iter_mut().for_each(|d| v.fixed_def(&mut d.reg, d.preg));
            }
            MInst::JmpTable { index, tmp1, tmp2, .. } => {
                v.use_(index);
                v.early_def(tmp1);
                v.early_def(tmp2);
            }
            MInst::Ret { results } => results.iter_mut().for_each(|r| v.fixed_use(&mut r.reg, r.preg)),
            MInst::Vec(inst) => inst.visit_operands(v),
            MInst::TrapIf { .. } | MInst::Jmp { .. } | MInst::Jcc { .. } | MInst::Ud2 { .. } => {}
        }
    }

    /// Registers overwritten beyond the defs.
    pub fn clobbers(&self) -> PRegSet {
        match self {
            MInst::Call { clobbers, .. } => *clobbers,
            _ => PRegSet::default(),
        }
    }

    pub fn is_terminator(&self) -> bool {
        matches!(self, MInst::Jmp { .. } | MInst::Jcc { .. } | MInst::JmpTable { .. } | MInst::Ret { .. } | MInst::Ud2 { .. })
    }
}

/// Collects the allocator's operand list.
pub struct OperandCollector<'a>(pub &'a mut Vec<Operand>);

impl OperandVisitor for OperandCollector<'_> {
    fn reg(&mut self, reg: &mut Reg, constraint: OperandConstraint, kind: OperandKind, pos: OperandPos) {
        if let Reg::Virt(vreg) = *reg {
            self.0.push(Operand { vreg, constraint, kind, pos });
        }
    }
    fn reg_or_slot(&mut self, rm: &mut RegMem) {
        if let RegMem::Reg(Reg::Virt(vreg)) = *rm {
            self.0.push(Operand { vreg, constraint: OperandConstraint::Any, kind: OperandKind::Use, pos: OperandPos::Early });
        }
    }
}
