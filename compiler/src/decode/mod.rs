//! The WebAssembly 2.0 binary format, decoded by hand.
//!
//! [`parse`] reads every section but the function bodies, which
//! [`Module::function_body`] decodes on demand, one at a time, so functions can be
//! validated and compiled in parallel (`Module` is `Sync`). A `Module` refers to the input by
//! byte ranges: keep the bytes and pass them to `function_body` and `DataSegment::bytes`.

pub mod body;
pub mod module;
pub mod operators;
pub(crate) mod reader;
mod sections;
pub mod types;

pub use body::{FunctionBody, OperatorReader, MAX_LOCALS};
pub use module::{
    ConstExpr, ConstOp, DataMode, DataSegment, ElementItems, ElementMode, ElementSegment, Export,
    ExternKind, Global, Import, ImportKind, Module, Names,
};
pub use operators::{MemArg, OpcodePrefix, Operator};
pub use types::{BlockType, FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};

use crate::error::{Error, Result};

/// Decodes a binary module: the section structure and every section but function bodies.
/// Errors carry the byte offset of the malformed item.
pub fn parse(bytes: &[u8]) -> Result<Module> {
    sections::parse(bytes)
}

/// The binary form of a module given as binary or as text (`.wat`): text is anything that
/// does not start with the binary magic `\0asm`.
pub fn parse_wat_or_wasm(bytes: &[u8]) -> Result<Vec<u8>> {
    if bytes.starts_with(b"\0asm") {
        return Ok(bytes.to_vec());
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::at(e.valid_up_to(), "malformed UTF-8 in module text"))?;
    wat::parse_str(text).map_err(|e| Error::msg(e.to_string()))
}

#[cfg(test)]
mod tests;
