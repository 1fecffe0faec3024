//! The AArch64 backend, the twin of `x86_64/`: IR → machine instructions over virtual
//! registers (`lower*.rs`, with the instruction forms in `inst.rs`) → register allocation
//! (`crate::regalloc`) → machine code (`emit*.rs`, through the `target-aarch64` assembler),
//! following AAPCS64 (Linux) or Apple's arm64 variant and the frame layout of `abi.rs`.
//!
//! The baseline is ARMv8.0-A: popcnt goes through the SIMD `cnt`, no FEAT_CSSC.

mod abi;
mod emit;
mod emit_seq;
mod emit_simd;
mod inst;
mod lower;
mod lower_inst;
mod lower_simd;
#[cfg(test)]
mod lower_tests;
mod regs;
mod vcode;

use crate::ir;
use crate::isa::CompiledFunction;
use crate::{Error, Result};

pub use abi::Aarch64Abi;
pub use regs::machine_env;

/// Compile one IR function to AArch64 machine code. Thread-safe: it shares no state.
pub fn compile_function(func: &ir::Function, target: Aarch64Abi) -> Result<CompiledFunction> {
    let vcode = lower::lower(func, target)?;
    let ra = crate::regalloc::allocate(&vcode, &machine_env())
        .map_err(|e| Error::msg(format!("function {}: register allocation: {}", func.name, e.0)))?;
    emit::emit(&vcode, &ra)
}
