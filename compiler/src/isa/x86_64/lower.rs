//! Instruction selection, part 1: the x86-64 side of the shared block structure and value
//! bookkeeping (`crate::isa::lower`), and the function's arguments.
//!
//! Constants are not given registers where they are defined: each use folds them as an
//! immediate or rematerialises them (cheap, and it keeps register pressure low). Compares used
//! only by the branch, select or trap that follows are emitted there as flags (see
//! `lower_inst.rs`), and a load used once by a nearby arithmetic instruction is folded into it
//! as a memory operand. Likewise an `and` used only by a compare with zero (or a branch)
//! becomes a `test`, and a shift or add used once by an add (or by a subtraction of a
//! constant) becomes part of one `lea`. A compare read only as conditions is emitted again at
//! each. A Wasm address `x + c` or `y << k` that provably cannot wrap (`passes::bounds`:
//! `x & 0x3fc`, a byte load, ...; or an access at `x` ran before, `lower_addr.rs`) becomes part
//! of the access's machine address.

use super::abi::call_layout;
use super::cpu::CpuFeatures;
use super::inst::{Amode, FixedReg, LoadKind, MBlock, MInst, Reg, Size};
use super::lower_inst::store_kind_full;
use super::regs::caller_saved;
use super::vcode::VCode;
use crate::ir::{Function, Inst, Signature, TrapCode, Type, Value};
use crate::isa::abi::CallLayout;
use crate::isa::lower::{lower_function, LowerBackend, LowerCtx};
use crate::isa::lower_call::CallTarget;
use crate::regalloc::PRegSet;
use crate::regalloc::{RegClass, VReg};
use crate::Result;

pub(super) use crate::isa::lower::class_of;

pub struct Lower<'f> {
    ctx: LowerCtx<'f, MInst>,
    /// Extensions the code may use (`--target-cpu`).
    pub(super) cpu: CpuFeatures,
    /// Compares that are materialised for their value users and also emitted again, as flags,
    /// at each condition user in their block (see `mark_sunk`).
    pub(super) recompare: Vec<bool>,
    /// 64-bit divisors that a deeper loop divides by, with the register holding their
    /// multiplier once their definition is lowered (see `lower_divconst.rs`).
    pub(super) held_magic: std::collections::HashMap<Value, Option<Reg>>,
    /// What the accesses say about address arithmetic (see `lower_addr.rs`).
    pub(super) addr_facts: super::lower_addr::AddrFacts,
}

impl<'f> std::ops::Deref for Lower<'f> {
    type Target = LowerCtx<'f, MInst>;
    fn deref(&self) -> &Self::Target {
        &self.ctx
    }
}

impl std::ops::DerefMut for Lower<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.ctx
    }
}

/// Lower `f` to machine instructions over virtual registers.
pub fn lower(f: &Function, cpu: CpuFeatures) -> Result<VCode> {
    let ctx = LowerCtx::new(f, call_layout(&f.sig)?)?;
    let recompare = vec![false; f.insts.len()];
    let mut l = Lower { ctx, cpu, recompare, held_magic: Default::default(), addr_facts: Default::default() };
    lower_function(&mut l)?;
    Ok(l.ctx.vcode)
}

impl<'f> LowerBackend<'f> for Lower<'f> {
    type Inst = MInst;
    fn ctx(&mut self) -> &mut LowerCtx<'f, MInst> {
        &mut self.ctx
    }
    fn jump(target: MBlock) -> MInst {
        MInst::Jmp { target }
    }
    fn trap(code: TrapCode) -> MInst {
        MInst::Ud2 { code }
    }
    fn args_inst(args: Vec<FixedReg>) -> MInst {
        MInst::Args { args }
    }
    fn zext32(dst: Reg, src: Reg) -> MInst {
        MInst::Zext32 { dst, src }
    }
    fn load_incoming_arg(ty: Type, dst: Reg, offset: i32) -> Result<MInst> {
        Ok(MInst::Load { kind: load_kind_full(ty)?, dst, amode: Amode::IncomingArg(offset), trap: false })
    }
    fn select_sunk(&mut self) {
        let blocks = std::mem::take(&mut self.ctx.reachable);
        self.scan_accesses();
        self.mark_sunk(&blocks);
        self.plan_held_magics(&blocks);
        self.ctx.reachable = blocks;
    }
    fn lower_body_inst(&mut self, inst: Inst) -> Result<()> {
        self.lower_inst(inst)
    }
    fn value_vreg(&mut self, v: Value) -> Result<VReg> {
        self.put_in_vreg(v)
    }
    fn lower_cond_branch(&mut self, cond: Value, taken: MBlock, not_taken: MBlock) -> Result<()> {
        let cond = self.lower_cond(cond)?;
        self.emit(MInst::Jcc { cond, taken, not_taken });
        Ok(())
    }
    fn lower_jump_table(&mut self, index: Value, targets: &[MBlock], default: MBlock) -> Result<()> {
        let index = self.put_in_reg(index)?;
        let tmp1 = Reg::Virt(self.new_vreg(RegClass::Int));
        let tmp2 = Reg::Virt(self.new_vreg(RegClass::Int));
        self.emit(MInst::JmpTable { index, tmp1, tmp2, targets: targets.to_vec(), default });
        Ok(())
    }
    fn value_reg(&mut self, v: Value) -> Result<Reg> {
        self.put_in_reg(v)
    }
    fn call_layout(&self, sig: &Signature) -> Result<CallLayout> {
        call_layout(sig)
    }
    fn call_clobbers(&self) -> PRegSet {
        caller_saved()
    }
    fn call_inst(target: CallTarget, uses: Vec<FixedReg>, defs: Vec<FixedReg>, clobbers: PRegSet) -> MInst {
        MInst::Call { target, uses, defs, clobbers }
    }
    fn ret_inst(results: Vec<FixedReg>) -> MInst {
        MInst::Ret { results }
    }
    fn frame_addr(dst: Reg, offset: i32) -> MInst {
        MInst::Lea { size: Size::S64, dst, amode: Amode::Frame(offset) }
    }
    fn load_from_frame(ty: Type, dst: Reg, offset: i32) -> Result<MInst> {
        Ok(MInst::Load { kind: load_kind_full(ty)?, dst, amode: Amode::Frame(offset), trap: false })
    }
    fn store_to_frame(&mut self, v: Value, offset: i32) -> Result<()> {
        let ty = self.f.value_type(v);
        self.store(store_kind_full(ty)?, ty, v, Amode::Frame(offset), false)
    }
    fn store_to_ret_area(&mut self, v: Value, ty: Type, base: VReg, offset: i32) -> Result<()> {
        self.store(store_kind_full(ty)?, ty, v, Amode::base_disp(Reg::Virt(base), offset), false)
    }
}

impl<'f> Lower<'f> {
    /// The result register of `inst`'s result `n`.
    pub(super) fn result(&mut self, inst: Inst, n: usize) -> Result<Reg> {
        Ok(Reg::Virt(self.result_vreg(inst, n)?))
    }
}

pub(super) fn size_of(ty: Type) -> Size {
    if ty == Type::I32 {
        Size::S32
    } else {
        Size::S64
    }
}

/// A load of a whole value of type `ty`.
pub(super) fn load_kind_full(ty: Type) -> Result<LoadKind> {
    Ok(match ty {
        Type::I32 => LoadKind::Int(Size::S32),
        Type::I64 | Type::Ref => LoadKind::Int(Size::S64),
        Type::F32 => LoadKind::Float(super::inst::FSize::F32),
        Type::F64 => LoadKind::Float(super::inst::FSize::F64),
        Type::V128 => LoadKind::V128,
    })
}
