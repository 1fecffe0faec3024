//! AAPCS64 as wasmc uses it (Linux, and Apple's arm64 variant), and the frame layout.
//!
//! Frame, from high to low addresses:
//! ```text
//!   caller's stack arguments      x29 + 16 ...
//!   saved x29, x30                x29 + 0   (the frame record)
//!   saved callee-saved registers  16 bytes per pair, pushed below the frame record
//!   spill slots (16 bytes each)   sp + spill_base ...
//!   outgoing args, return areas   sp + 0 ... fixed_area
//! ```

use super::regs::{float_args, int_args, V0, X0};
use crate::ir::{Signature, Type};
use crate::regalloc::{PReg, PRegSet, RegClass};
use crate::{Error, Result};

/// Which flavour of AAPCS64 to follow. They differ only in how arguments beyond the eight
/// registers of each class are laid out on the stack.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Aarch64Abi {
    /// AAPCS64 proper: every stack argument takes an 8-byte slot.
    Linux,
    /// Apple's arm64 variant: stack arguments packed at their natural size and alignment.
    Apple,
}

pub use crate::isa::abi::{ArgLoc, CallLayout, RetLoc};


pub fn call_layout(sig: &Signature, abi: Aarch64Abi) -> Result<CallLayout> {
    let (int_regs, float_regs) = (int_args(), float_args());
    let (mut next_int, mut next_float, mut stack) = (0usize, 0usize, 0u32);
    let mut args = Vec::with_capacity(sig.params.len());
    let mut ret_area_ptr = None;
    for (i, ty) in sig.params.iter().enumerate() {
        if i == 1 && sig.results.len() > 1 {
            ret_area_ptr = Some(int_regs[next_int]);
            next_int += 1;
        }
        let reg = if ty.is_int() {
            next_int += 1;
            int_regs.get(next_int - 1)
        } else {
            next_float += 1;
            float_regs.get(next_float - 1)
        };
        args.push(match reg {
            Some(&r) => ArgLoc::Reg(r),
            None => {
                // A v128 takes a 16-byte aligned slot under both.
                let size = match abi {
                    _ if *ty == Type::V128 => 16,
                    Aarch64Abi::Linux => 8,
                    Aarch64Abi::Apple => ty.bytes(),
                };
                stack = stack.div_ceil(size) * size;
                stack += size;
                ArgLoc::Stack((stack - size) as i32)
            }
        });
    }
    if sig.results.len() > 1 && ret_area_ptr.is_none() {
        // No parameter follows vmctx: the pointer still goes right after it.
        ret_area_ptr = Some(int_regs[next_int]);
    }
    let rets = match sig.results.as_slice() {
        [] => RetLoc::None,
        [t] if t.is_int() => RetLoc::Reg(X0),
        [_] => RetLoc::Reg(V0),
        many => RetLoc::Area(many.to_vec()),
    };
    Ok(CallLayout { args, ret_area_ptr, rets, stack_bytes: stack.div_ceil(16) * 16 })
}

/// The frame of one compiled function, known once registers are allocated.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Callee-saved general registers to preserve, in save order (pushed in pairs).
    pub saved_int: Vec<PReg>,
    /// Callee-saved float registers (their low 64 bits), pushed in pairs after the integers.
    pub saved_float: Vec<PReg>,
    /// Bytes reserved below the saved registers: fixed area and spill slots, 16-aligned.
    pub size: u32,
    /// Offset of spill slot 0 from `sp`.
    pub spill_base: u32,
}

impl Frame {
    pub fn new(fixed_area: u32, num_spillslots: u32, used: PRegSet) -> Result<Frame> {
        let too_large = || Error::msg("aarch64: frame too large");
        let saved: Vec<PReg> = super::regs::callee_saved().filter(|r| used.contains(*r)).collect();
        let (saved_int, saved_float) = saved.into_iter().partition(|r| r.class == RegClass::Int);
        let spill_base = fixed_area.div_ceil(16) * 16;
        let spills = num_spillslots.checked_mul(16).ok_or_else(too_large)?;
        let size = spill_base.checked_add(spills).ok_or_else(too_large)?;
        if size > (1 << 30) {
            return Err(too_large());
        }
        Ok(Frame { saved_int, saved_float, size, spill_base })
    }
}
