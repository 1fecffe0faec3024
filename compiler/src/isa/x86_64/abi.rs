//! System V AMD64 calling convention as wasmc uses it, and the frame layout.
//!
//! Frame, from high to low addresses:
//! ```text
//!   caller's stack arguments      rbp + 16 ...
//!   return address, saved rbp     rbp + 8, rbp
//!   saved callee-saved registers  rbp - 8 ...
//!   padding to 16 bytes
//!   spill slots (16 bytes each)   rsp + fixed_area ...
//!   outgoing args, return areas   rsp + 0 ... fixed_area
//! ```

use super::regs::{FLOAT_ARGS, INT_ARGS, RAX, XMM0};
use crate::ir::{Signature, Type};
use crate::regalloc::PReg;
use crate::{Error, Result};

pub use crate::isa::abi::{ArgLoc, CallLayout, RetLoc};


pub fn call_layout(sig: &Signature) -> Result<CallLayout> {
    let (mut next_int, mut next_float, mut stack) = (0usize, 0usize, 0i32);
    let mut args = Vec::with_capacity(sig.params.len());
    let mut ret_area_ptr = None;
    for (i, ty) in sig.params.iter().enumerate() {
        if i == 1 && sig.results.len() > 1 {
            ret_area_ptr = Some(INT_ARGS[next_int]);
            next_int += 1;
        }
        let reg = if ty.is_int() {
            next_int += 1;
            INT_ARGS.get(next_int - 1)
        } else {
            next_float += 1;
            FLOAT_ARGS.get(next_float - 1)
        };
        args.push(match reg {
            Some(&r) => ArgLoc::Reg(r),
            None => {
                // A v128 takes a 16-byte aligned slot, as System V passes `__m128`.
                let size = if *ty == Type::V128 { 16 } else { 8 };
                stack = (stack + size - 1) / size * size + size;
                ArgLoc::Stack(stack - size)
            }
        });
    }
    if sig.results.len() > 1 && ret_area_ptr.is_none() {
        // No parameter follows vmctx: the pointer still goes right after it.
        ret_area_ptr = Some(INT_ARGS[next_int]);
    }
    let rets = match sig.results.as_slice() {
        [] => RetLoc::None,
        [t] if t.is_int() => RetLoc::Reg(RAX),
        [_] => RetLoc::Reg(XMM0),
        many => RetLoc::Area(many.to_vec()),
    };
    let stack_bytes = (stack as u32).div_ceil(16) * 16;
    Ok(CallLayout { args, ret_area_ptr, rets, stack_bytes })
}

/// The frame of one compiled function, known once registers are allocated.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Callee-saved registers to preserve, in push order.
    pub saved: Vec<PReg>,
    /// Bytes reserved below the saved registers: fixed area, spill slots, alignment.
    pub size: u32,
    /// Offset of spill slot 0 from `rsp`.
    pub spill_base: u32,
}

impl Frame {
    pub fn new(fixed_area: u32, num_spillslots: u32, used: crate::regalloc::PRegSet) -> Result<Frame> {
        let saved: Vec<PReg> = super::regs::CALLEE_SAVED.iter().copied().filter(|r| used.contains(*r)).collect();
        let spill_base = fixed_area.div_ceil(16) * 16;
        let spills = num_spillslots.checked_mul(16).ok_or_else(|| Error::msg("x86_64: frame too large"))?;
        let mut size = spill_base.checked_add(spills).ok_or_else(|| Error::msg("x86_64: frame too large"))?;
        // After `push rbp` rsp is 16-byte aligned; keep it so below the saved registers.
        if (size + 8 * saved.len() as u32) % 16 != 0 {
            size += 8;
        }
        if size > i32::MAX as u32 / 2 {
            return Err(Error::msg("x86_64: frame too large"));
        }
        Ok(Frame { saved, size, spill_base })
    }
}
