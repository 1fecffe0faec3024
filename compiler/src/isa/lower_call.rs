//! Calls and returns, the part both backends share: arguments into their registers or
//! outgoing stack slots, the return area for several results, results out of their registers
//! (zero-extending i32 results of C callees) and the clobbers of a call. The backend supplies
//! its calling convention's [`CallLayout`] and the instructions through [`LowerBackend`].

use crate::ir::{Inst, InstData, Signature, Type, Value};
use crate::isa::abi::{ret_area_bytes, ArgLoc, CallLayout, RetLoc};
use crate::isa::lower::LowerBackend;
use crate::isa::reg::{FixedReg, Reg};
use crate::regalloc::{PRegSet, RegClass};
use crate::vmctx::VAL_SIZE;
use crate::{Error, Result};

/// Who a call goes to.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CallTarget {
    /// A function of this module, by Wasm function index.
    Func(u32),
    /// A runtime-lib function.
    Symbol(&'static str),
    /// An address in a register (`call_indirect`).
    Reg(Reg),
}

/// Lower a `call`, `call_indirect` or runtime call.
pub fn lower_call<'f, B: LowerBackend<'f>>(b: &mut B, inst: Inst) -> Result<()> {
    let f = b.ctx().f;
    let (target, sig, args, from_outside): (CallTarget, Signature, &[Value], bool) = match &f.insts[inst.index()] {
        InstData::Call { func, sig, args } => (CallTarget::Func(*func), signature(b, *sig)?, args, false),
        InstData::CallIndirect { sig, callee, args } => {
            let sig = signature(b, *sig)?;
            (CallTarget::Reg(b.value_reg(*callee)?), sig, args, true)
        }
        InstData::CallRuntime { func, args } => (CallTarget::Symbol(func.symbol()), func.signature(), args, true),
        _ => return Err(Error::msg(format!("function {}: not a call", f.name))),
    };
    let results = f.results(inst);
    if args.len() != sig.params.len() || results.len() != sig.results.len() {
        return Err(Error::msg(format!("function {}: call does not match its signature", f.name)));
    }
    let layout: CallLayout = b.call_layout(&sig)?;
    let mut uses = Vec::new();
    for (&arg, &loc) in args.iter().zip(&layout.args) {
        match loc {
            ArgLoc::Reg(preg) => uses.push(FixedReg { reg: b.value_reg(arg)?, preg }),
            ArgLoc::Stack(offset) => b.store_to_frame(arg, offset)?,
        }
    }
    // The return area sits right above the outgoing stack arguments.
    let area = layout.stack_bytes as i32;
    if let Some(preg) = layout.ret_area_ptr {
        let ptr = Reg::Virt(b.ctx().new_vreg(RegClass::Int));
        b.ctx().emit(B::frame_addr(ptr, area));
        uses.push(FixedReg { reg: ptr, preg });
    }
    let area_bytes = match &layout.rets {
        RetLoc::Area(tys) => ret_area_bytes(tys.len()),
        _ => 0,
    };
    let frame = &mut b.ctx().vcode.frame;
    frame.fixed_area = frame.fixed_area.max(layout.stack_bytes + area_bytes);

    let ctx = b.ctx();
    let mut defs = Vec::new();
    let mut after = Vec::new();
    match &layout.rets {
        RetLoc::None => {}
        &RetLoc::Reg(preg) => {
            let res = results[0];
            let dst = ctx.vreg(res);
            // C callees leave the upper half of an int32_t result undefined.
            if from_outside && f.value_type(res) == Type::I32 {
                let t = ctx.new_vreg(RegClass::Int);
                defs.push(FixedReg { reg: Reg::Virt(t), preg });
                after.push(B::zext32(Reg::Virt(dst), Reg::Virt(t)));
            } else {
                defs.push(FixedReg { reg: Reg::Virt(dst), preg });
            }
        }
        RetLoc::Area(tys) => {
            for (i, (&res, &ty)) in results.iter().zip(tys).enumerate() {
                let dst = Reg::Virt(ctx.vreg(res));
                after.push(B::load_from_frame(ty, dst, area + (VAL_SIZE as i32) * i as i32)?);
            }
        }
    }
    let mut clobbers: PRegSet = b.call_clobbers();
    for d in &defs {
        match d.preg.class {
            RegClass::Int => clobbers.int &= !(1u64 << d.preg.hw),
            RegClass::Float => clobbers.float &= !(1u64 << d.preg.hw),
        }
    }
    let ctx = b.ctx();
    ctx.emit(B::call_inst(target, uses, defs, clobbers));
    for inst in after {
        ctx.emit(inst);
    }
    Ok(())
}

fn signature<'f, B: LowerBackend<'f>>(b: &mut B, sig: crate::ir::SigRef) -> Result<Signature> {
    let f = b.ctx().f;
    f.sigs.get(sig.0 as usize).cloned().ok_or_else(|| Error::msg(format!("function {}: unknown signature", f.name)))
}

/// Lower a `return`: the result in its register, or each result into the caller's area.
pub fn lower_return<'f, B: LowerBackend<'f>>(b: &mut B, args: &[Value]) -> Result<()> {
    let f = b.ctx().f;
    if args.len() != f.sig.results.len() {
        return Err(Error::msg(format!("function {}: return does not match the signature", f.name)));
    }
    let mut results = Vec::new();
    match b.ctx().layout.rets.clone() {
        RetLoc::None => {}
        RetLoc::Reg(preg) => results.push(FixedReg { reg: b.value_reg(args[0])?, preg }),
        RetLoc::Area(tys) => {
            let area =
                b.ctx().ret_area.ok_or_else(|| Error::msg(format!("function {}: missing return area", f.name)))?;
            for (i, (&a, &ty)) in args.iter().zip(&tys).enumerate() {
                b.store_to_ret_area(a, ty, area, VAL_SIZE as i32 * i as i32)?;
            }
        }
    }
    b.ctx().emit(B::ret_inst(results));
    Ok(())
}
