//! Instruction selection, part 3: calls, returns and block terminators.

use super::abi::{call_layout, ret_area_bytes, ArgLoc, RetLoc};
use super::inst::{Amode, CallTarget, FixedReg, MInst, Reg};
use super::lower::{load_kind_full, Lower};
use super::lower_inst::store_kind_full;
use super::regs::caller_saved;
use crate::ir::{Inst, InstData, Signature, Type, Value};
use crate::regalloc::RegClass;
use crate::vmctx::VAL_SIZE;
use crate::{Error, Result};

impl Lower<'_> {
    pub(super) fn lower_call(&mut self, inst: Inst) -> Result<()> {
        let (target, sig, args, from_outside): (CallTarget, Signature, &[Value], bool) = match &self.f.insts[inst.index()] {
            InstData::Call { func, sig, args } => (CallTarget::Func(*func), self.signature(*sig)?, args, false),
            InstData::CallIndirect { sig, callee, args } => {
                let sig = self.signature(*sig)?;
                (CallTarget::Reg(self.put_in_reg(*callee)?), sig, args, true)
            }
            InstData::CallRuntime { func, args } => (CallTarget::Symbol(func.symbol()), func.signature(), args, true),
            _ => return Err(Error::msg("x86_64: not a call")),
        };
        if args.len() != sig.params.len() || self.f.results(inst).len() != sig.results.len() {
            return Err(Error::msg(format!("function {}: call does not match its signature", self.f.name)));
        }
        let layout = call_layout(&sig)?;
        let mut uses = Vec::new();
        for (&arg, &loc) in args.iter().zip(&layout.args) {
            match loc {
                ArgLoc::Reg(preg) => uses.push(FixedReg { reg: self.put_in_reg(arg)?, preg }),
                ArgLoc::Stack(off) => {
                    let ty = self.f.value_type(arg);
                    self.store(store_kind_full(ty)?, ty, arg, Amode::Frame(off), false)?;
                }
            }
        }
        let area = layout.stack_bytes as i32;
        if let Some(preg) = layout.ret_area_ptr {
            let ptr = Reg::Virt(self.new_vreg(RegClass::Int));
            self.emit(MInst::Lea { size: super::inst::Size::S64, dst: ptr, amode: Amode::Frame(area) });
            uses.push(FixedReg { reg: ptr, preg });
        }
        let area_bytes = match &layout.rets {
            RetLoc::Area(tys) => ret_area_bytes(tys.len()),
            _ => 0,
        };
        let frame = &mut self.vcode.frame;
        frame.fixed_area = frame.fixed_area.max(layout.stack_bytes + area_bytes);

        let results: Vec<Value> = self.f.results(inst).to_vec();
        let mut defs = Vec::new();
        let mut after = Vec::new();
        match &layout.rets {
            RetLoc::None => {}
            RetLoc::Reg(preg) => {
                let res = results[0];
                let dst = self.vreg(res);
                // C callees leave the upper half of an int32_t result undefined.
                if from_outside && self.f.value_type(res) == Type::I32 {
                    let t = self.new_vreg(RegClass::Int);
                    defs.push(FixedReg { reg: Reg::Virt(t), preg: *preg });
                    after.push(MInst::Zext32 { dst: Reg::Virt(dst), src: Reg::Virt(t) });
                } else {
                    defs.push(FixedReg { reg: Reg::Virt(dst), preg: *preg });
                }
            }
            RetLoc::Area(tys) => {
                for (i, (&res, &ty)) in results.iter().zip(tys).enumerate() {
                    let dst = Reg::Virt(self.vreg(res));
                    let amode = Amode::Frame(area + (VAL_SIZE as i32) * i as i32);
                    after.push(MInst::Load { kind: load_kind_full(ty)?, dst, amode, trap: false });
                }
            }
        }
        let mut clobbers = caller_saved();
        for d in &defs {
            match d.preg.class {
                RegClass::Int => clobbers.int &= !(1u64 << d.preg.hw),
                RegClass::Float => clobbers.float &= !(1u64 << d.preg.hw),
            }
        }
        self.emit(MInst::Call { target, uses, defs, clobbers });
        for i in after {
            self.emit(i);
        }
        Ok(())
    }

    fn signature(&self, sig: crate::ir::SigRef) -> Result<Signature> {
        self.f.sigs.get(sig.0 as usize).cloned().ok_or_else(|| Error::msg(format!("function {}: unknown signature", self.f.name)))
    }

    pub(super) fn lower_return(&mut self, args: &[Value]) -> Result<()> {
        if args.len() != self.f.sig.results.len() {
            return Err(Error::msg(format!("function {}: return does not match the signature", self.f.name)));
        }
        let mut results = Vec::new();
        match self.ret_layout() {
            RetLoc::None => {}
            RetLoc::Reg(preg) => results.push(FixedReg { reg: self.put_in_reg(args[0])?, preg }),
            RetLoc::Area(tys) => {
                let area = self.ret_area.ok_or_else(|| Error::msg("x86_64: missing return area"))?;
                for (i, (&a, &ty)) in args.iter().zip(&tys).enumerate() {
                    let amode = Amode::base_disp(Reg::Virt(area), (VAL_SIZE as i32) * i as i32);
                    self.store(store_kind_full(ty)?, ty, a, amode, false)?;
                }
            }
        }
        self.emit(MInst::Ret { results });
        Ok(())
    }
}
