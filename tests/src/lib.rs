//! The end-to-end harness: every program under `tests/programs/` is compiled to Wasm with
//! clang, run under wasmtime (the reference), compiled to a native executable with wasmc,
//! run again, and the two runs must agree on stdout and exit status (or trap kind).
//!
//! `tests/tests/e2e.rs` lists the programs; this crate holds the machinery:
//! - [`tools`]: finding clang and Python's wasmtime, with a pointer to `scripts/setup.sh`,
//! - [`wasm_build`]: C to Wasm, cached under the target directory by content hash,
//! - [`process`]: running a command with arguments, stdin, captured output and a timeout,
//! - [`native`]: the one place that calls into wasmc,
//! - [`program`]: what a program expects, and the comparison itself.

pub mod native;
pub mod process;
pub mod program;
pub mod tools;
pub mod wasm_build;

pub use program::{Expect, Program};
