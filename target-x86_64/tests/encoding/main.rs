//! Encoding tests: every instruction form is assembled, decoded with iced-x86's decoder and
//! compared with the expected Intel-syntax text.

mod addressing;
mod common;
mod control;
mod int;
mod sse;
