//! Encoding tests: every instruction form is assembled, decoded with iced-x86's decoder and
//! compared with the expected Intel-syntax text; on Linux x86-64 hosts, assembled code is
//! also run and its results compared with Rust's.

mod addressing;
mod common;
mod control;
mod int;
mod packed;
mod sse;

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
mod exec;
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
mod jit;
