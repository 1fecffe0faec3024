//! The spec-conformance runner: `wasmc wast FILE.wast…`.
//!
//! A script becomes one native test program: every module in it is compiled by wasmc into an
//! object with its own symbol prefix, linked with runtime-lib and a small driver, and the steps
//! of the script (instantiate, register, invoke, get) are fed to that program on stdin, one per
//! line; it answers one line per step. A crash in compiled code therefore cannot take the runner
//! down, and the same mechanism runs under qemu for other targets.

pub mod plan;
pub mod values;
pub mod cli;
pub mod harness;
pub mod status;

pub use harness::{run_script, Report};
