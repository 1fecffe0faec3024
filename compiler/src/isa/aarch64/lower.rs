//! Instruction selection, part 1: the aarch64 side of the shared block structure and value
//! bookkeeping (`crate::isa::lower`), and the function's arguments.
//!
//! Constants are not given registers where they are defined: each use folds them as an
//! immediate or rematerialises them. Compares used only by the branch, select or trap that
//! follows are emitted there as flags (see `lower_inst.rs`).

use super::abi::{call_layout, Aarch64Abi, ArgLoc, CallLayout, RetLoc};
use super::inst::{Amode, FixedReg, FloatSize, LoadKind, MBlock, MInst, Reg, Size};
use super::vcode::VCode;
use crate::ir::{Function, Inst, TrapCode, Type, Value};
use crate::isa::lower::{lower_function, LowerBackend, LowerCtx};
use crate::regalloc::{RegClass, VReg};
use crate::{Error, Result};


pub struct Lower<'f> {
    ctx: LowerCtx<'f, MInst>,
    pub(super) layout: CallLayout,
    pub(super) abi: Aarch64Abi,
    /// The caller's return-area pointer, when this function returns several results.
    pub(super) ret_area: Option<VReg>,
    /// Whether any value is a `v128`: then calls clobber all of `v8`..`v15` (AAPCS64 keeps
    /// only their low 64 bits).
    pub(super) has_v128: bool,
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
pub fn lower(f: &Function, abi: Aarch64Abi) -> Result<VCode> {
    let ctx = LowerCtx::new(f)?;
    let layout = call_layout(&f.sig, abi)?;
    let has_v128 = f.values.iter().any(|v| v.ty == Type::V128);
    let mut l = Lower { ctx, layout, abi, ret_area: None, has_v128 };
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
        MInst::Udf { code }
    }
    fn select_sunk(&mut self) {
        let blocks = std::mem::take(&mut self.ctx.reachable);
        self.mark_sunk(&blocks);
        self.ctx.reachable = blocks;
    }
    fn lower_entry_args(&mut self) -> Result<Vec<VReg>> {
        self.lower_args()
    }
    fn lower_body_inst(&mut self, inst: Inst) -> Result<()> {
        self.lower_inst(inst)
    }
    fn value_vreg(&mut self, v: Value) -> Result<VReg> {
        self.put_in_vreg(v)
    }
    fn lower_cond_branch(&mut self, cond: Value, taken: MBlock, not_taken: MBlock) -> Result<()> {
        self.lower_brif(cond, taken, not_taken)
    }
    fn lower_jump_table(&mut self, index: Value, targets: &[MBlock], default: MBlock) -> Result<()> {
        let index = self.put_in_reg(index)?;
        self.emit(MInst::JmpTable { index, targets: targets.to_vec(), default });
        Ok(())
    }
    fn lower_ret(&mut self, args: &[Value]) -> Result<()> {
        self.lower_return(args)
    }
}

impl<'f> Lower<'f> {
    /// Define the function's parameters at entry; returns the entry block parameters' vregs.
    fn lower_args(&mut self) -> Result<Vec<VReg>> {
        let f = self.f;
        let params = &f.blocks[f.entry().index()].params;
        if params.len() != self.layout.args.len() {
            return Err(Error::msg(format!(
                "function {}: entry block parameters differ from the signature",
                self.f.name
            )));
        }
        let mut fixed = Vec::new();
        let mut after = Vec::new();
        if let Some(p) = self.layout.ret_area_ptr {
            let v = self.new_vreg(RegClass::Int);
            self.ret_area = Some(v);
            fixed.push(FixedReg { reg: Reg::Virt(v), preg: p });
        }
        let mut vregs = Vec::new();
        for (&param, &loc) in params.iter().zip(&self.layout.args.clone()) {
            let ty = self.f.value_type(param);
            let dst = self.vreg(param);
            vregs.push(dst);
            match loc {
                // i32 arguments may come from C with garbage in the upper half.
                ArgLoc::Reg(preg) if ty == Type::I32 => {
                    let t = self.new_vreg(RegClass::Int);
                    fixed.push(FixedReg { reg: Reg::Virt(t), preg });
                    after.push(MInst::Zext32 { dst: Reg::Virt(dst), src: Reg::Virt(t) });
                }
                ArgLoc::Reg(preg) => fixed.push(FixedReg { reg: Reg::Virt(dst), preg }),
                ArgLoc::Stack(off) => {
                    let kind = load_kind_full(ty)?;
                    after.push(MInst::Load { kind, dst: Reg::Virt(dst), amode: Amode::IncomingArg(off), trap: false });
                }
            }
        }
        self.emit(MInst::Args { args: fixed });
        for i in after {
            self.emit(i);
        }
        Ok(vregs)
    }

    /// The result register of `inst`'s result `n`.
    pub(super) fn result(&mut self, inst: Inst, n: usize) -> Result<Reg> {
        Ok(Reg::Virt(self.result_vreg(inst, n)?))
    }

    pub(super) fn ret_layout(&self) -> RetLoc {
        self.layout.rets.clone()
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
        Type::F32 => LoadKind::Float(FloatSize::F32),
        Type::F64 => LoadKind::Float(FloatSize::F64),
        Type::V128 => LoadKind::V128,
    })
}
