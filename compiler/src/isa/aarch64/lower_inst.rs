//! Instruction selection, part 2: one IR instruction at a time, with its folded operands.

use super::inst::{
    AluOp, Amode, BitCount, Cond, FloatOp, FloatSize, FloatUnaryOp, LoadKind, MBlock, MInst, Reg, RoundMode, Shift,
    Size, StoreKind,
};
use super::lower::{size_of, Lower};
use crate::ir::{BinaryOp, ConvOp, FloatCC, Inst, InstData, IntCC, MemSize, Type, UnaryOp, Value};
use crate::regalloc::{RegClass, VReg};
use crate::{Error, Result};
use target_aarch64::imm;

impl Lower<'_> {
    /// Mark compares used only by the branch, select or trap right after them: they are
    /// emitted there as flags (or as `cbz`/`cbnz`). The users' lowering asks `sunk`.
    pub(super) fn mark_sunk(&mut self, blocks: &[crate::ir::Block]) {
        for &b in blocks {
            for &user in &self.f.blocks[b.index()].insts {
                let cond = match &self.f.insts[user.index()] {
                    InstData::Brif { cond, .. }
                    | InstData::Select { cond, .. }
                    | InstData::Trapnz { cond, .. }
                    | InstData::Trapz { cond, .. } => *cond,
                    _ => continue,
                };
                let Some(d) = self.def_inst(cond) else {
                    continue;
                };
                let local = self.f.blocks[b.index()].insts.contains(&d);
                let compare = matches!(
                    self.f.insts[d.index()],
                    InstData::Icmp { .. } | InstData::Fcmp { .. } | InstData::IsNull { .. }
                );
                if local && compare && self.use_counts[cond.index()] == 1 {
                    self.sunk[d.index()] = true;
                }
            }
        }
    }

    /// The value in a virtual register, materialising constants at this use.
    pub(super) fn put_in_vreg(&mut self, v: Value) -> Result<VReg> {
        let ty = self.f.value_type(v);
        if self.held_const(v).is_some() {
            return Ok(self.vreg(v));
        }
        if ty.is_int() {
            if let Some(c) = self.iconst(v) {
                let dst = self.new_vreg(RegClass::Int);
                self.emit(MInst::Imm { size: size_of(ty), dst: Reg::Virt(dst), imm: c });
                return Ok(dst);
            }
        }
        let float_const = match self.def_data(v) {
            Some(InstData::F32const { bits }) => Some((FloatSize::F32, u64::from(*bits))),
            Some(InstData::F64const { bits }) => Some((FloatSize::F64, *bits)),
            _ => None,
        };
        if let Some(InstData::V128const { bytes }) = self.def_data(v) {
            let dst = self.new_vreg(RegClass::Float);
            self.emit(MInst::VecConst { dst: Reg::Virt(dst), bits: *bytes });
            return Ok(dst);
        }
        if let Some((size, bits)) = float_const {
            let dst = self.new_vreg(RegClass::Float);
            self.emit(MInst::FloatConst { size, dst: Reg::Virt(dst), bits });
            return Ok(dst);
        }
        Ok(self.vreg(v))
    }

    /// A constant that a call-free loop deeper than its definition reads and that takes more
    /// than one instruction (a `movz`/`movk` sequence, a literal-pool load): defined once, in
    /// a register, where LICM put the constant before the loop, rather than at each use.
    fn held_const(&self, v: Value) -> Option<HeldConst> {
        if !self.used_deeper[v.index()] {
            return None;
        }
        match *self.def_data(v)? {
            InstData::Iconst { ty, .. } => {
                let (size, imm) = (size_of(ty), self.iconst(v)?);
                (target_aarch64::Assembler::mov_imm_len(size, imm) > 1).then_some(HeldConst::Int(size, imm))
            }
            InstData::F32const { bits } => pool_float(FloatSize::F32, u64::from(bits)),
            InstData::F64const { bits } => pool_float(FloatSize::F64, bits),
            _ => None,
        }
    }

    pub(super) fn put_in_reg(&mut self, v: Value) -> Result<Reg> {
        self.put_in_vreg(v).map(Reg::Virt)
    }

    /// `heap + zext(addr) + offset`. i32 values are zero-extended in their registers already.
    fn heap_amode(&mut self, heap: Value, addr: Value, offset: u32) -> Result<Amode> {
        let base = self.put_in_reg(heap)?;
        if let Some(a) = self.iconst(addr) {
            return Ok(Amode::Offset { base, offset: (a & 0xffff_ffff) as i64 + i64::from(offset) });
        }
        let index = self.put_in_reg(addr)?;
        Ok(Amode::Heap { base, index, offset })
    }

    pub(super) fn lower_inst(&mut self, inst: Inst) -> Result<()> {
        match self.f.insts[inst.index()] {
            // Constants are materialised at their uses, but for costly ones loops read.
            InstData::Iconst { .. } | InstData::F32const { .. } | InstData::F64const { .. } => {
                let v = self.f.results(inst)[0];
                if let Some(held) = self.held_const(v) {
                    let dst = Reg::Virt(self.vreg(v));
                    self.emit(held.define(dst));
                }
                Ok(())
            }
            InstData::RefNull => Ok(()),
            InstData::V128const { .. } => Ok(()),
            InstData::Simd { op, ref args } => self.lower_simd(inst, op, args),
            InstData::Unary { op, ty, arg } => self.lower_unary(inst, op, ty, arg),
            InstData::Binary { op, ty, args } => self.lower_binary(inst, op, ty, args),
            InstData::Icmp { .. } | InstData::Fcmp { .. } | InstData::IsNull { .. } => {
                let dst = self.result(inst, 0)?;
                let cond = self.flags_for(inst)?;
                self.emit(MInst::CSet { cond, dst });
                Ok(())
            }
            InstData::Conv { op, from, to, arg } => self.lower_conv(inst, op, from, to, arg),
            InstData::Select { ty, cond, args } => {
                let dst = self.result(inst, 0)?;
                let a = self.put_in_reg(args[0])?;
                let b = self.put_in_reg(args[1])?;
                let cond = self.lower_cond(cond)?;
                if ty == Type::V128 {
                    self.emit(MInst::VecSelect { cond, dst, a, b });
                } else if ty.is_float() {
                    self.emit(MInst::FCSel { size: fsize(ty)?, cond, dst, a, b });
                } else {
                    self.emit(MInst::CSel { size: size_of(ty), cond, dst, a, b });
                }
                Ok(())
            }
            InstData::Load { ty, size, heap, addr, offset } => {
                let kind = load_kind(ty, size)?;
                let amode = self.heap_amode(heap, addr, offset)?;
                let dst = self.result(inst, 0)?;
                self.emit(MInst::Load { kind, dst, amode, trap: true });
                Ok(())
            }
            InstData::Store { ty, size, heap, addr, offset, value } => {
                let kind = store_kind(ty, size)?;
                let amode = self.heap_amode(heap, addr, offset)?;
                self.store(kind, value, amode, true)
            }
            InstData::LoadPtr { ty, ptr, offset, .. } => {
                let kind = super::lower::load_kind_full(ty)?;
                let amode = Amode::Offset { base: self.put_in_reg(ptr)?, offset: i64::from(offset) };
                let dst = self.result(inst, 0)?;
                self.emit(MInst::Load { kind, dst, amode, trap: false });
                Ok(())
            }
            InstData::StorePtr { ty, ptr, offset, value } => {
                let kind = store_kind_full(ty)?;
                let amode = Amode::Offset { base: self.put_in_reg(ptr)?, offset: i64::from(offset) };
                self.store(kind, value, amode, false)
            }
            InstData::Call { .. } | InstData::CallIndirect { .. } | InstData::CallRuntime { .. } => {
                crate::isa::lower_call::lower_call(self, inst)
            }
            InstData::Trapnz { cond, code } => self.lower_trap_if(cond, true, code),
            InstData::Trapz { cond, code } => self.lower_trap_if(cond, false, code),
            _ => Err(Error::msg("aarch64: terminator in the middle of a block")),
        }
    }

    pub(super) fn store(&mut self, kind: StoreKind, value: Value, amode: Amode, trap: bool) -> Result<()> {
        if matches!(kind, StoreKind::Int(_)) && self.iconst(value) == Some(0) {
            self.emit(MInst::StoreZero { kind, amode, trap });
        } else {
            let src = self.put_in_reg(value)?;
            self.emit(MInst::Store { kind, src, amode, trap });
        }
        Ok(())
    }

    /// A compare with zero that `cbz`/`cbnz` can test directly: the register and whether
    /// "true" means non-zero.
    fn zero_test(&mut self, cond: Value) -> Result<Option<(Size, Reg, bool)>> {
        let Some(d) = self.def_inst(cond).filter(|d| self.sunk[d.index()]) else {
            return Ok(Some((Size::S32, self.put_in_reg(cond)?, true)));
        };
        match self.f.insts[d.index()] {
            InstData::Icmp { cond: cc @ (IntCC::Eq | IntCC::Ne), ty, args } => {
                let operand = match (self.iconst(args[0]), self.iconst(args[1])) {
                    (_, Some(0)) => args[0],
                    (Some(0), _) => args[1],
                    _ => return Ok(None),
                };
                Ok(Some((size_of(ty), self.put_in_reg(operand)?, cc == IntCC::Ne)))
            }
            InstData::IsNull { arg } => Ok(Some((Size::S64, self.put_in_reg(arg)?, false))),
            _ => Ok(None),
        }
    }

    pub(super) fn lower_brif(&mut self, cond: Value, taken: MBlock, not_taken: MBlock) -> Result<()> {
        if let Some((size, reg, nonzero)) = self.zero_test(cond)? {
            self.emit(MInst::CbzBr { size, reg, nonzero, taken, not_taken });
        } else {
            let cond = self.lower_cond(cond)?;
            self.emit(MInst::CondBr { cond, taken, not_taken });
        }
        Ok(())
    }

    /// Trap with `code` when `cond` is non-zero (`when_true`) or zero.
    fn lower_trap_if(&mut self, cond: Value, when_true: bool, code: crate::ir::TrapCode) -> Result<()> {
        if let Some((size, reg, nonzero)) = self.zero_test(cond)? {
            self.emit(MInst::TrapIfZero { size, reg, nonzero: nonzero == when_true, code });
        } else {
            let c = self.lower_cond(cond)?;
            self.emit(MInst::TrapIf { cond: if when_true { c } else { c.invert() }, code });
        }
        Ok(())
    }

    /// Set the flags for boolean `cond` and say which condition means "true".
    fn lower_cond(&mut self, cond: Value) -> Result<Cond> {
        match self.def_inst(cond) {
            Some(d) if self.sunk[d.index()] => self.flags_for(d),
            _ => {
                let a = self.put_in_reg(cond)?;
                self.emit(MInst::Tst { size: Size::S32, a });
                Ok(Cond::Ne)
            }
        }
    }

    /// Emit the compare that `inst` (an icmp, fcmp or is_null) stands for.
    fn flags_for(&mut self, inst: Inst) -> Result<Cond> {
        match self.f.insts[inst.index()] {
            InstData::Icmp { cond, ty, args } => self.int_compare(cond, ty, args),
            InstData::Fcmp { cond, ty, args } => {
                let a = self.put_in_reg(args[0])?;
                let b = self.put_in_reg(args[1])?;
                self.emit(MInst::Fcmp { size: fsize(ty)?, a, b });
                Ok(floatcc_to_cond(cond))
            }
            InstData::IsNull { arg } => {
                let a = self.put_in_reg(arg)?;
                self.emit(MInst::CmpRI { size: Size::S64, a, imm: 0, negated: false });
                Ok(Cond::Eq)
            }
            _ => Err(Error::msg("aarch64: not a comparison")),
        }
    }

    fn int_compare(&mut self, cc: IntCC, ty: Type, args: [Value; 2]) -> Result<Cond> {
        let size = size_of(ty);
        let (a, b, cc) = if self.iconst(args[0]).is_some() && self.iconst(args[1]).is_none() {
            (args[1], args[0], swap_intcc(cc))
        } else {
            (args[0], args[1], cc)
        };
        let lhs = self.put_in_reg(a)?;
        match self.iconst(b).and_then(|c| add_sub_imm_of(c, size)) {
            Some((imm, negated)) => self.emit(MInst::CmpRI { size, a: lhs, imm, negated }),
            None => {
                let rhs = self.put_in_reg(b)?;
                self.emit(MInst::CmpRR { size, a: lhs, b: rhs });
            }
        }
        Ok(intcc_to_cond(cc))
    }

    fn lower_unary(&mut self, inst: Inst, op: UnaryOp, ty: Type, arg: Value) -> Result<()> {
        let dst = self.result(inst, 0)?;
        let src = self.put_in_reg(arg)?;
        let size = size_of(ty);
        let float_unary = |op| -> Result<MInst> { Ok(MInst::FloatUnary { op, size: fsize(ty)?, dst, src }) };
        let round = |mode| -> Result<MInst> { Ok(MInst::Round { mode, size: fsize(ty)?, dst, src }) };
        let inst = match op {
            UnaryOp::Clz => MInst::BitCount { op: BitCount::Clz, size, dst, src },
            UnaryOp::Ctz => MInst::BitCount { op: BitCount::Ctz, size, dst, src },
            UnaryOp::Popcnt => MInst::BitCount { op: BitCount::Popcnt, size, dst, src },
            UnaryOp::Sext8 => MInst::Sext { from: Size::S8, to: size, dst, src },
            UnaryOp::Sext16 => MInst::Sext { from: Size::S16, to: size, dst, src },
            UnaryOp::Sext32 => MInst::Sext { from: Size::S32, to: size, dst, src },
            UnaryOp::Fabs => float_unary(FloatUnaryOp::Abs)?,
            UnaryOp::Fneg => float_unary(FloatUnaryOp::Neg)?,
            UnaryOp::Fsqrt => float_unary(FloatUnaryOp::Sqrt)?,
            UnaryOp::Fceil => round(RoundMode::Ceil)?,
            UnaryOp::Ffloor => round(RoundMode::Floor)?,
            UnaryOp::Ftrunc => round(RoundMode::Trunc)?,
            UnaryOp::Fnearest => round(RoundMode::Nearest)?,
        };
        self.emit(inst);
        Ok(())
    }

    fn lower_binary(&mut self, inst: Inst, op: BinaryOp, ty: Type, args: [Value; 2]) -> Result<()> {
        let dst = self.result(inst, 0)?;
        if ty.is_float() {
            return self.lower_float_binary(dst, op, fsize(ty)?, args);
        }
        let size = size_of(ty);
        let bits = if size == Size::S32 { 32 } else { 64 };
        let commutative = matches!(op, BinaryOp::Iadd | BinaryOp::Imul | BinaryOp::And | BinaryOp::Or | BinaryOp::Xor);
        let [a, b] = args;
        // Put a constant on the right, where the immediate forms take it.
        let (x, y) = if commutative && self.iconst(a).is_some() && self.iconst(b).is_none() { (b, a) } else { (a, b) };
        let yc = self.iconst(y);
        match op {
            BinaryOp::Iadd | BinaryOp::Isub => {
                if op == BinaryOp::Isub && self.iconst(x) == Some(0) {
                    let src = self.put_in_reg(y)?;
                    self.emit(MInst::Neg { size, dst, src });
                    return Ok(());
                }
                let add = op == BinaryOp::Iadd;
                match yc.and_then(|c| add_sub_imm_of(c, size)) {
                    Some((imm, negated)) => {
                        let op = if add != negated { AluOp::Add } else { AluOp::Sub };
                        let src = self.put_in_reg(x)?;
                        self.emit(MInst::AluRRImm { op, size, dst, a: src, imm });
                    }
                    None => self.alu_rrr(if add { AluOp::Add } else { AluOp::Sub }, size, dst, x, y)?,
                }
            }
            BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => {
                let op = match op {
                    BinaryOp::And => AluOp::And,
                    BinaryOp::Or => AluOp::Orr,
                    _ => AluOp::Eor,
                };
                match yc.filter(|&c| imm::alu_imm_fits(op, size, c)) {
                    Some(imm) => {
                        let src = self.put_in_reg(x)?;
                        self.emit(MInst::AluRRImm { op, size, dst, a: src, imm });
                    }
                    None => self.alu_rrr(op, size, dst, x, y)?,
                }
            }
            BinaryOp::Imul => {
                let (a, b) = (self.put_in_reg(x)?, self.put_in_reg(y)?);
                self.emit(MInst::Mul { size, dst, a, b });
            }
            BinaryOp::Shl | BinaryOp::Sshr | BinaryOp::Ushr | BinaryOp::Rotl | BinaryOp::Rotr => {
                let shift = match op {
                    BinaryOp::Shl => Shift::Lsl,
                    BinaryOp::Sshr => Shift::Asr,
                    BinaryOp::Ushr => Shift::Lsr,
                    _ => Shift::Ror,
                };
                let src = self.put_in_reg(a)?;
                // Wasm and AArch64 both take the count modulo the width.
                match self.iconst(b).map(|c| (c % bits) as u32) {
                    Some(0) => self.emit(MInst::Move { dst, src, float: false }),
                    Some(c) => {
                        let amount = if op == BinaryOp::Rotl { bits as u32 - c } else { c };
                        self.emit(MInst::ShiftRI { op: shift, size, dst, src, amount });
                    }
                    None => {
                        let amount = self.put_in_reg(b)?;
                        if op == BinaryOp::Rotl {
                            self.emit(MInst::RotlRR { size, dst, src, amount });
                        } else {
                            self.emit(MInst::ShiftRR { op: shift, size, dst, src, amount });
                        }
                    }
                }
            }
            BinaryOp::Sdiv | BinaryOp::Udiv | BinaryOp::Srem | BinaryOp::Urem => {
                let signed = matches!(op, BinaryOp::Sdiv | BinaryOp::Srem);
                let rem = matches!(op, BinaryOp::Srem | BinaryOp::Urem);
                let divisor = self.iconst(b).map(|c| if size == Size::S32 { c as u32 as i32 as i64 } else { c as i64 });
                // MIN % -1 needs no check: sdiv gives MIN and msub then 0, Wasm's answer.
                let checked = match divisor {
                    Some(0) | None => true,
                    Some(-1) => signed && !rem,
                    Some(_) => false,
                };
                let (a, b) = (self.put_in_reg(a)?, self.put_in_reg(b)?);
                self.emit(MInst::Div { size, signed, rem, dst, a, b, checked });
            }
            _ => return Err(Error::msg(format!("aarch64: {op:?} on {ty} is not an integer operation"))),
        }
        Ok(())
    }

    fn alu_rrr(&mut self, op: AluOp, size: Size, dst: Reg, x: Value, y: Value) -> Result<()> {
        let (a, b) = (self.put_in_reg(x)?, self.put_in_reg(y)?);
        self.emit(MInst::AluRRR { op, size, dst, a, b });
        Ok(())
    }

    fn lower_float_binary(&mut self, dst: Reg, op: BinaryOp, size: FloatSize, args: [Value; 2]) -> Result<()> {
        let a = self.put_in_reg(args[0])?;
        let b = self.put_in_reg(args[1])?;
        let fop = match op {
            BinaryOp::Fadd => FloatOp::Add,
            BinaryOp::Fsub => FloatOp::Sub,
            BinaryOp::Fmul => FloatOp::Mul,
            BinaryOp::Fdiv => FloatOp::Div,
            // AArch64's fmin/fmax already propagate NaN and order -0 below +0.
            BinaryOp::Fmin => FloatOp::Min,
            BinaryOp::Fmax => FloatOp::Max,
            BinaryOp::Fcopysign => {
                self.emit(MInst::Copysign { size, dst, a, b });
                return Ok(());
            }
            _ => return Err(Error::msg(format!("aarch64: {op:?} is not a float operation"))),
        };
        self.emit(MInst::FloatArith { op: fop, size, dst, a, b });
        Ok(())
    }

    fn lower_conv(&mut self, inst: Inst, op: ConvOp, from: Type, to: Type, arg: Value) -> Result<()> {
        // A zero-extension of a register value is the value itself (see `Lower::vreg`).
        if op == ConvOp::Uextend && self.iconst(arg).is_none() {
            return Ok(());
        }
        let dst = self.result(inst, 0)?;
        let src = self.put_in_reg(arg)?;
        let inst = match op {
            ConvOp::Wrap | ConvOp::Uextend => MInst::Zext32 { dst, src },
            ConvOp::Sextend => MInst::Sext { from: Size::S32, to: Size::S64, dst, src },
            ConvOp::FcvtToSint | ConvOp::FcvtToUint | ConvOp::FcvtToSintSat | ConvOp::FcvtToUintSat => {
                let signed = matches!(op, ConvOp::FcvtToSint | ConvOp::FcvtToSintSat);
                let sat = matches!(op, ConvOp::FcvtToSintSat | ConvOp::FcvtToUintSat);
                MInst::FloatToInt { from: fsize(from)?, to: size_of(to), signed, sat, dst, src }
            }
            ConvOp::FcvtFromSint | ConvOp::FcvtFromUint => {
                let signed = op == ConvOp::FcvtFromSint;
                MInst::IntToFloat { signed, from: size_of(from), to: fsize(to)?, dst, src }
            }
            ConvOp::Fpromote | ConvOp::Fdemote => MInst::FloatCvt { from: fsize(from)?, dst, src },
            ConvOp::Bitcast if from.is_int() => MInst::GprToFpr { size: size_of(from), dst, src },
            ConvOp::Bitcast => MInst::FprToGpr { size: size_of(to), dst, src },
        };
        self.emit(inst);
        Ok(())
    }
}

/// An add/sub immediate for constant `c` (zero-extended i32 or i64) at `size`: the value
/// itself, or its negation (`negated`) for `cmn` or the opposite operation.
fn add_sub_imm_of(c: u64, size: Size) -> Option<(u64, bool)> {
    let neg = if size == Size::S32 { u64::from((c as u32).wrapping_neg()) } else { c.wrapping_neg() };
    if imm::add_sub_imm(c).is_some() {
        Some((c, false))
    } else if neg != 0 && imm::add_sub_imm(neg).is_some() {
        Some((neg, true))
    } else {
        None
    }
}

/// A constant kept in a register (see `Lower::held_const`).
enum HeldConst {
    Int(Size, u64),
    Float(FloatSize, u64),
}

impl HeldConst {
    fn define(self, dst: Reg) -> MInst {
        match self {
            HeldConst::Int(size, imm) => MInst::Imm { size, dst, imm },
            HeldConst::Float(size, bits) => MInst::FloatConst { size, dst, bits },
        }
    }
}

/// A float constant the emitter loads from the literal pool: not zero, not an `fmov`
/// immediate.
fn pool_float(size: FloatSize, bits: u64) -> Option<HeldConst> {
    (bits != 0 && imm::fmov_imm(size, bits).is_none()).then_some(HeldConst::Float(size, bits))
}

pub(super) fn fsize(ty: Type) -> Result<FloatSize> {
    match ty {
        Type::F32 => Ok(FloatSize::F32),
        Type::F64 => Ok(FloatSize::F64),
        _ => Err(Error::msg(format!("aarch64: expected a float type, got {ty}"))),
    }
}

fn load_kind(ty: Type, size: MemSize) -> Result<LoadKind> {
    let s = size_of(ty);
    Ok(match (ty, size) {
        (_, MemSize::Full) => super::lower::load_kind_full(ty)?,
        (Type::I32 | Type::I64, MemSize::S8) => LoadKind::Sext(Size::S8, s),
        (Type::I32 | Type::I64, MemSize::S16) => LoadKind::Sext(Size::S16, s),
        (Type::I64, MemSize::S32) => LoadKind::Sext(Size::S32, Size::S64),
        (Type::I32 | Type::I64, MemSize::U8) => LoadKind::Int(Size::S8),
        (Type::I32 | Type::I64, MemSize::U16) => LoadKind::Int(Size::S16),
        (Type::I32 | Type::I64, MemSize::U32) => LoadKind::Int(Size::S32),
        _ => return Err(Error::msg(format!("aarch64: no {size:?} load of {ty}"))),
    })
}

fn store_kind(ty: Type, size: MemSize) -> Result<StoreKind> {
    Ok(match (size.bytes(ty), ty) {
        (16, Type::V128) => StoreKind::V128,
        (4, Type::F32) => StoreKind::Float(FloatSize::F32),
        (8, Type::F64) => StoreKind::Float(FloatSize::F64),
        (1, _) => StoreKind::Int(Size::S8),
        (2, _) => StoreKind::Int(Size::S16),
        (4, _) => StoreKind::Int(Size::S32),
        (8, _) => StoreKind::Int(Size::S64),
        _ => return Err(Error::msg(format!("aarch64: no {size:?} store of {ty}"))),
    })
}

pub(super) fn store_kind_full(ty: Type) -> Result<StoreKind> {
    store_kind(ty, MemSize::Full)
}

fn intcc_to_cond(cc: IntCC) -> Cond {
    match cc {
        IntCC::Eq => Cond::Eq,
        IntCC::Ne => Cond::Ne,
        IntCC::Slt => Cond::Lt,
        IntCC::Sle => Cond::Le,
        IntCC::Sgt => Cond::Gt,
        IntCC::Sge => Cond::Ge,
        IntCC::Ult => Cond::Lo,
        IntCC::Ule => Cond::Ls,
        IntCC::Ugt => Cond::Hi,
        IntCC::Uge => Cond::Hs,
    }
}

/// After `fcmp`, the conditions that are false for unordered operands (all but `ne`).
fn floatcc_to_cond(cc: FloatCC) -> Cond {
    match cc {
        FloatCC::Eq => Cond::Eq,
        FloatCC::Ne => Cond::Ne,
        FloatCC::Lt => Cond::Mi,
        FloatCC::Le => Cond::Ls,
        FloatCC::Gt => Cond::Gt,
        FloatCC::Ge => Cond::Ge,
    }
}

/// The condition that holds for `(b, a)` when `cc` holds for `(a, b)`.
fn swap_intcc(cc: IntCC) -> IntCC {
    match cc {
        IntCC::Eq => IntCC::Eq,
        IntCC::Ne => IntCC::Ne,
        IntCC::Slt => IntCC::Sgt,
        IntCC::Sle => IntCC::Sge,
        IntCC::Sgt => IntCC::Slt,
        IntCC::Sge => IntCC::Sle,
        IntCC::Ult => IntCC::Ugt,
        IntCC::Ule => IntCC::Uge,
        IntCC::Ugt => IntCC::Ult,
        IntCC::Uge => IntCC::Ule,
    }
}
