//! The one error type of the compiler: what went wrong and, for bad input, where.

use std::fmt;

/// An error with the byte offset in the input module where it was found, if any.
/// The CLI prints it as `wasmc: error: FILE:0xOFFSET: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub offset: Option<usize>,
    pub message: String,
}

impl Error {
    /// An error at a byte offset of the input.
    pub fn at(offset: usize, message: impl Into<String>) -> Error {
        Error { offset: Some(offset), message: message.into() }
    }
    /// An error not tied to a position (I/O, linking, unsupported target).
    pub fn msg(message: impl Into<String>) -> Error {
        Error { offset: None, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.offset {
            Some(o) => write!(f, "0x{:x}: {}", o, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
