//! Encoding tests: every instruction form is assembled, disassembled with LLVM's AArch64
//! disassembler (`llvm-mc --disassemble`) and compared with the expected assembly text;
//! `exec` also runs assembled routines under `qemu-aarch64` and compares their results with
//! Rust's.

mod common;
mod control;
mod exec;
mod float;
mod int;
mod memory;
mod neon;
