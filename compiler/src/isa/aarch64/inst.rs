//! Machine instructions over virtual registers.
//!
//! Each [`MInst`] is one unit for the register allocator: it names its registers as [`Reg`]s
//! and describes them, with their constraints, in [`MInst::visit_operands`]. The same visitor
//! walk both collects the allocator's operands and, after allocation, rewrites every virtual
//! register to its physical location, so the two can never disagree on operand order.
//! AArch64 is a three-operand load/store machine: no operand is tied to another and none lives
//! in memory. A few instructions are short fixed sequences (division with its checks, trapping
//! float-to-int conversions) that branch internally; they use `x16`/`x17`/`v31` as scratch.

use crate::ir::{SimdOp, TrapCode};
use crate::regalloc::{Operand, OperandConstraint, OperandKind, OperandPos, PReg, PRegSet};
pub use target_aarch64::{AluOp, Cond, FloatOp, FloatSize, FloatUnaryOp, RoundMode, Shift, Size, VArr, VecShiftOp};

pub use crate::isa::reg::{FixedReg, Reg};

/// A memory address. Offsets out of an instruction's reach are materialised by the emitter.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Amode {
    /// `base + offset`.
    Offset { base: Reg, offset: i64 },
    /// `base + zext(index) + offset`: a linear-memory access with a 32-bit Wasm address.
    Heap { base: Reg, index: Reg, offset: u32 },
    /// `sp + offset` inside the fixed part of the frame (outgoing arguments, return areas).
    Frame(i32),
    /// The caller's stack arguments: `x29 + 16 + offset`.
    IncomingArg(i32),
}

/// What a load reads and how it extends it.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum LoadKind {
    /// Zero-extending integer load of 1, 2, 4 or 8 bytes.
    Int(Size),
    /// Sign-extending load of `from` bytes into a register of size `to`.
    Sext(Size, Size),
    Float(FloatSize),
    /// A whole `q` register.
    V128,
}

/// What a store writes.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum StoreKind {
    Int(Size),
    Float(FloatSize),
    V128,
}

/// Bit counting.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum BitCount {
    Clz,
    /// `rbit` + `clz`.
    Ctz,
    /// Through `cnt`/`addv` on the float scratch register.
    Popcnt,
}

pub use crate::isa::lower_call::CallTarget;

/// A machine block index (position in the function's block order).
pub type MBlock = u32;

#[derive(Clone, PartialEq, Debug)]
pub enum MInst {
    /// Entry pseudo-instruction: the register arguments arrive in their ABI registers.
    Args {
        args: Vec<FixedReg>,
    },
    /// `mov xd, xn` or `fmov dd, dn`; the allocator may coalesce it.
    Move {
        dst: Reg,
        src: Reg,
        float: bool,
    },
    /// `mov wd, wn`: zero the upper half (after values from outside our own lowering).
    Zext32 {
        dst: Reg,
        src: Reg,
    },
    /// Load an integer constant (`movz`/`movn`/`orr`/`movk`).
    Imm {
        size: Size,
        dst: Reg,
        imm: u64,
    },
    /// `op dst, a, b`.
    AluRRR {
        op: AluOp,
        size: Size,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `op dst, a, #imm`; `imm` is encodable for `op` (`imm::alu_imm_fits`).
    AluRRImm {
        op: AluOp,
        size: Size,
        dst: Reg,
        a: Reg,
        imm: u64,
    },
    /// `add dst, sp, #offset`: an address in the fixed part of the frame.
    FrameAddr {
        dst: Reg,
        offset: i32,
    },
    /// `neg dst, src`.
    Neg {
        size: Size,
        dst: Reg,
        src: Reg,
    },
    /// `mul dst, a, b`.
    Mul {
        size: Size,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// Shift or rotate right by a register (taken modulo the width by the hardware).
    ShiftRR {
        op: Shift,
        size: Size,
        dst: Reg,
        src: Reg,
        amount: Reg,
    },
    /// Shift or rotate right by an immediate below the width.
    ShiftRI {
        op: Shift,
        size: Size,
        dst: Reg,
        src: Reg,
        amount: u32,
    },
    /// Rotate left by a register: `neg` then `ror`.
    RotlRR {
        size: Size,
        dst: Reg,
        src: Reg,
        amount: Reg,
    },
    /// Sign-extend the low `from` bytes to `to`.
    Sext {
        from: Size,
        to: Size,
        dst: Reg,
        src: Reg,
    },
    BitCount {
        op: BitCount,
        size: Size,
        dst: Reg,
        src: Reg,
    },
    /// Integer division or remainder with Wasm's traps. `checked` is false when the divisor
    /// is a constant that can neither be zero nor (for signed division) -1.
    Div {
        size: Size,
        signed: bool,
        rem: bool,
        dst: Reg,
        a: Reg,
        b: Reg,
        checked: bool,
    },
    /// `cmp a, b`.
    CmpRR {
        size: Size,
        a: Reg,
        b: Reg,
    },
    /// `cmp a, #imm`, or `cmn a, #imm` when `negated` (compare with `-imm`).
    CmpRI {
        size: Size,
        a: Reg,
        imm: u64,
        negated: bool,
    },
    /// `tst a, a`.
    Tst {
        size: Size,
        a: Reg,
    },
    /// `dst = cond ? 1 : 0`.
    CSet {
        cond: Cond,
        dst: Reg,
    },
    /// `dst = cond ? a : b`.
    CSel {
        size: Size,
        cond: Cond,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    FCSel {
        size: FloatSize,
        cond: Cond,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Load {
        kind: LoadKind,
        dst: Reg,
        amode: Amode,
        trap: bool,
    },
    Store {
        kind: StoreKind,
        src: Reg,
        amode: Amode,
        trap: bool,
    },
    /// Store zeros (`wzr`/`xzr`) of the integer kind.
    StoreZero {
        kind: StoreKind,
        amode: Amode,
        trap: bool,
    },
    FloatArith {
        op: FloatOp,
        size: FloatSize,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    FloatUnary {
        op: FloatUnaryOp,
        size: FloatSize,
        dst: Reg,
        src: Reg,
    },
    Round {
        mode: RoundMode,
        size: FloatSize,
        dst: Reg,
        src: Reg,
    },
    /// Magnitude of `a`, sign of `b`.
    Copysign {
        size: FloatSize,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `fcmp a, b`.
    Fcmp {
        size: FloatSize,
        a: Reg,
        b: Reg,
    },
    /// A float constant (`bits` of an f32 or f64): `fmov` immediate, from `xzr`, or the pool.
    FloatConst {
        size: FloatSize,
        dst: Reg,
        bits: u64,
    },
    /// `fmov` from a general register (`size` is the integer width).
    GprToFpr {
        size: Size,
        dst: Reg,
        src: Reg,
    },
    /// `fmov` to a general register.
    FprToGpr {
        size: Size,
        dst: Reg,
        src: Reg,
    },
    /// Precision change (`fcvt`) from `from` to the other precision.
    FloatCvt {
        from: FloatSize,
        dst: Reg,
        src: Reg,
    },
    /// `scvtf`/`ucvtf`.
    IntToFloat {
        signed: bool,
        from: Size,
        to: FloatSize,
        dst: Reg,
        src: Reg,
    },
    /// Float to integer: saturating (`fcvtzs`/`fcvtzu` alone) or trapping (range checks first).
    FloatToInt {
        from: FloatSize,
        to: Size,
        signed: bool,
        sat: bool,
        dst: Reg,
        src: Reg,
    },
    /// A `v128` constant: `movi` for zero, else a load from the literal pool.
    VecConst {
        dst: Reg,
        bits: u128,
    },
    /// `dst = cond ? a : b` of whole vector registers (through `x16`/`v31`).
    VecSelect {
        cond: Cond,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// Shift every lane by `amount`, below the lane width (and above 0).
    VecShiftImm {
        op: VecShiftOp,
        arr: VArr,
        dst: Reg,
        src: Reg,
        amount: u32,
    },
    /// A Wasm vector operation (`emit_simd.rs` expands it). `dst` is written before the
    /// operands are last read, so it never shares their register; `tmp` is a second vector
    /// scratch for the few sequences that need one besides `v31`.
    Simd {
        op: SimdOp,
        dst: Reg,
        args: Vec<Reg>,
        tmp: Option<Reg>,
    },
    /// Direct or indirect call; `clobbers` are the registers the callee may overwrite.
    Call {
        target: CallTarget,
        uses: Vec<FixedReg>,
        defs: Vec<FixedReg>,
        clobbers: PRegSet,
    },
    /// Branch to an out-of-line `udf` stub if `cond` holds.
    TrapIf {
        cond: Cond,
        code: TrapCode,
    },
    /// `cbz`/`cbnz` to an out-of-line `udf` stub: traps if `reg` is zero (or non-zero).
    TrapIfZero {
        size: Size,
        reg: Reg,
        nonzero: bool,
        code: TrapCode,
    },
    /// Terminators.
    Jmp {
        target: MBlock,
    },
    CondBr {
        cond: Cond,
        taken: MBlock,
        not_taken: MBlock,
    },
    /// `cbnz reg` (or `cbz` when `!nonzero`) to `taken`.
    CbzBr {
        size: Size,
        reg: Reg,
        nonzero: bool,
        taken: MBlock,
        not_taken: MBlock,
    },
    /// Jump through a table of `targets`, to `default` when `index` (a zero-extended i32) is
    /// out of range (the dispatch works in `x16`/`x17`).
    JmpTable {
        index: Reg,
        targets: Vec<MBlock>,
        default: MBlock,
    },
    Ret {
        results: Vec<FixedReg>,
    },
    Udf {
        code: TrapCode,
    },
}

/// Receives every register operand of an instruction, in a fixed order.
pub trait OperandVisitor {
    fn reg(&mut self, reg: &mut Reg, constraint: OperandConstraint, kind: OperandKind, pos: OperandPos);
}

/// Shorthands over [`OperandVisitor`] for the usual constraint shapes.
trait VisitExt: OperandVisitor {
    fn use_(&mut self, r: &mut Reg) {
        self.reg(r, OperandConstraint::Reg, OperandKind::Use, OperandPos::Early)
    }
    fn def(&mut self, r: &mut Reg) {
        self.reg(r, OperandConstraint::Reg, OperandKind::Def, OperandPos::Late)
    }
    fn early_def(&mut self, r: &mut Reg) {
        self.reg(r, OperandConstraint::Reg, OperandKind::Def, OperandPos::Early)
    }
    fn fixed_use(&mut self, r: &mut Reg, p: PReg) {
        self.reg(r, OperandConstraint::FixedReg(p), OperandKind::Use, OperandPos::Early)
    }
    fn fixed_def(&mut self, r: &mut Reg, p: PReg) {
        self.reg(r, OperandConstraint::FixedReg(p), OperandKind::Def, OperandPos::Late)
    }
    fn amode(&mut self, a: &mut Amode) {
        match a {
            Amode::Offset { base, .. } => self.use_(base),
            Amode::Heap { base, index, .. } => {
                self.use_(base);
                self.use_(index);
            }
            Amode::Frame(_) | Amode::IncomingArg(_) => {}
        }
    }
}

impl<T: OperandVisitor + ?Sized> VisitExt for T {}

impl MInst {
    /// Visit every register operand with its constraint.
    pub fn visit_operands(&mut self, v: &mut impl OperandVisitor) {
        match self {
            MInst::Args { args } => args.iter_mut().for_each(|a| v.fixed_def(&mut a.reg, a.preg)),
            MInst::Move { dst, src, .. }
            | MInst::Zext32 { dst, src }
            | MInst::Neg { dst, src, .. }
            | MInst::ShiftRI { dst, src, .. }
            | MInst::Sext { dst, src, .. }
            | MInst::BitCount { dst, src, .. }
            | MInst::FloatUnary { dst, src, .. }
            | MInst::Round { dst, src, .. }
            | MInst::GprToFpr { dst, src, .. }
            | MInst::FprToGpr { dst, src, .. }
            | MInst::FloatCvt { dst, src, .. }
            | MInst::IntToFloat { dst, src, .. }
            | MInst::FloatToInt { dst, src, .. }
            | MInst::VecShiftImm { dst, src, .. }
            | MInst::AluRRImm { dst, a: src, .. } => {
                v.use_(src);
                v.def(dst);
            }
            MInst::Imm { dst, .. }
            | MInst::FrameAddr { dst, .. }
            | MInst::FloatConst { dst, .. }
            | MInst::VecConst { dst, .. }
            | MInst::CSet { dst, .. } => v.def(dst),
            MInst::AluRRR { dst, a, b, .. }
            | MInst::Mul { dst, a, b, .. }
            | MInst::ShiftRR { dst, src: a, amount: b, .. }
            | MInst::RotlRR { dst, src: a, amount: b, .. }
            | MInst::Div { dst, a, b, .. }
            | MInst::CSel { dst, a, b, .. }
            | MInst::FCSel { dst, a, b, .. }
            | MInst::FloatArith { dst, a, b, .. }
            | MInst::VecSelect { dst, a, b, .. }
            | MInst::Copysign { dst, a, b, .. } => {
                v.use_(a);
                v.use_(b);
                v.def(dst);
            }
            MInst::Simd { dst, args, tmp, .. } => {
                args.iter_mut().for_each(|a| v.use_(a));
                v.early_def(dst);
                if let Some(t) = tmp {
                    v.early_def(t);
                }
            }
            MInst::CmpRR { a, b, .. } | MInst::Fcmp { a, b, .. } => {
                v.use_(a);
                v.use_(b);
            }
            MInst::CmpRI { a, .. } | MInst::Tst { a, .. } => v.use_(a),
            MInst::Load { dst, amode, .. } => {
                v.amode(amode);
                v.def(dst);
            }
            MInst::Store { src, amode, .. } => {
                v.use_(src);
                v.amode(amode);
            }
            MInst::StoreZero { amode, .. } => v.amode(amode),
            MInst::Call { target, uses, defs, .. } => {
                if let CallTarget::Reg(r) = target {
                    v.use_(r);
                }
                uses.iter_mut().for_each(|u| v.fixed_use(&mut u.reg, u.preg));
                defs.iter_mut().for_each(|d| v.fixed_def(&mut d.reg, d.preg));
            }
            MInst::TrapIfZero { reg, .. } | MInst::CbzBr { reg, .. } => v.use_(reg),
            MInst::JmpTable { index, .. } => v.use_(index),
            MInst::Ret { results } => results.iter_mut().for_each(|r| v.fixed_use(&mut r.reg, r.preg)),
            MInst::TrapIf { .. } | MInst::Jmp { .. } | MInst::CondBr { .. } | MInst::Udf { .. } => {}
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
        matches!(
            self,
            MInst::Jmp { .. }
                | MInst::CondBr { .. }
                | MInst::CbzBr { .. }
                | MInst::JmpTable { .. }
                | MInst::Ret { .. }
                | MInst::Udf { .. }
        )
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
}
