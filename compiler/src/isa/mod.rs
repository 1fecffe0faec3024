//! Target-independent view of a compiled function, and the per-ISA lowerings.

pub mod aarch64;
pub mod abi;
pub mod emit;
pub mod emit_plan;
pub mod lower;
pub mod lower_call;
pub mod reg;
pub mod vcode;
pub mod x86_64;

use crate::ir::TrapCode;

/// Where a relocation points.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum RelocTarget {
    /// Defined function of this module, by Wasm function index.
    Func(u32),
    /// A runtime-lib symbol (e.g. `wasmc_rt_memory_grow`).
    Symbol(String),
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum RelocKind {
    /// x86-64: 32-bit PC-relative (call rel32, RIP-relative), addend applied as in ELF.
    X86PcRel4,
    /// x86-64: PLT-relative call.
    X86CallPlt4,
    /// AArch64: 26-bit branch (bl).
    Arm64Call26,
    /// Absolute 64-bit address.
    Abs8,
}

#[derive(Clone, Debug)]
pub struct Reloc {
    /// Byte offset in the function's code.
    pub offset: u32,
    pub kind: RelocKind,
    pub target: RelocTarget,
    pub addend: i64,
}

/// Machine code for one function, position-independent apart from `relocs`.
#[derive(Clone, Debug, Default)]
pub struct CompiledFunction {
    pub code: Vec<u8>,
    pub relocs: Vec<Reloc>,
    /// (code offset of a faulting or trapping instruction, why it traps).
    pub traps: Vec<(u32, TrapCode)>,
    /// (code offset, Wasm byte offset) pairs, ascending, for debug info and trap reports.
    pub srclocs: Vec<(u32, u32)>,
}
