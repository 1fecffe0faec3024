//! The assembler's error: an instruction form that cannot be encoded, a branch out of range,
//! or a label misuse.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AsmError {
    /// Code offset at which the problem was found.
    pub offset: u32,
    pub message: String,
    /// A label too far for the instruction that refers to it: emitting the same code again
    /// in [long-range mode](crate::Assembler::set_long_range) avoids it.
    pub out_of_range: bool,
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "aarch64 assembler: at code offset {:#x}: {}", self.offset, self.message)
    }
}

impl std::error::Error for AsmError {}
