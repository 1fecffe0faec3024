//! x86-64 ISA: registers, instruction forms, encoding. Knows nothing of Wasm or the IR.
