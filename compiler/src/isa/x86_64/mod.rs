//! The x86-64 backend: IR → machine instructions over virtual registers (`lower*.rs`, with the
//! instruction forms in `inst.rs`) → register allocation (`crate::regalloc`) → machine code
//! (`emit.rs`, through the `target-x86_64` assembler), following the System V calling
//! convention and frame layout of `abi.rs`.
//!
//! The baseline is x86-64 with SSE4.1 (`roundsd`); bit counting uses bsr/bsf, not lzcnt/tzcnt.
//! `v128` values live in xmm registers like floats; vector operations are selected in
//! `lower_simd.rs` as SSE4.1 sequences (`inst_simd.rs`, `emit_simd.rs`), with no SSE4.2.
//! `--target-cpu` ([`CpuFeatures`], decided at compile time) adds `popcnt` and `pcmpgtq`
//! (x86-64-v2), then `lzcnt`/`tzcnt`, BMI `andn`/`shlx`/`shrx`/`sarx`/`rorx`, the AVX
//! three-operand forms of the two-address SSE instructions and AVX2 broadcasts (x86-64-v3).

mod abi;
mod cpu;
mod divconst;
mod emit;
mod emit_seq;
mod emit_simd;
mod inst;
mod inst_simd;
mod lower;
mod lower_addr;
mod lower_divconst;
mod lower_inst;
mod lower_simd;
mod lower_simd_table;
#[cfg(test)]
mod lower_tests;
#[cfg(test)]
mod lower_simd_tests;
mod regs;
mod vcode;

use crate::ir;
use crate::isa::CompiledFunction;
use crate::{Error, Result};

pub use cpu::CpuFeatures;
pub use regs::machine_env;

/// Compile one IR function to x86-64 machine code. Thread-safe: it shares no state.
pub fn compile_function(func: &ir::Function, cpu: CpuFeatures) -> Result<CompiledFunction> {
    let vcode = lower::lower(func, cpu)?;
    let ra = crate::regalloc::allocate(&vcode, &machine_env())
        .map_err(|e| Error::msg(format!("function {}: register allocation: {}", func.name, e.0)))?;
    emit::emit(&vcode, &ra)
}
