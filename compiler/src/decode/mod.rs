//! The WebAssembly 2.0 binary format, decoded by hand.
//!
//! [`parse`] reads every section but the function bodies, which
//! [`Module::function_body`] decodes on demand, one at a time, so functions can be
//! validated and compiled in parallel (`Module` is `Sync`).

pub mod module;
pub mod operators;
pub(crate) mod reader;
pub mod types;

pub use module::{
    ConstExpr, ConstOp, DataMode, DataSegment, ElementItems, ElementMode, ElementSegment, Export,
    ExternKind, Global, Import, ImportKind, Module, Names,
};
pub use operators::{MemArg, OpcodePrefix, Operator};
pub use types::{BlockType, FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};

use crate::error::{Error, Result};

/// Decodes a binary module.
pub fn parse(_bytes: &[u8]) -> Result<Module> {
    Err(Error::msg("decoding is not supported yet"))
}
