//! The spec's validation of a decoded module: module-level rules, then each function body
//! with the operand and control stacks of the spec's appendix.
//!
//! [`validate`] checks everything. [`validate_function`] checks one body, so that callers
//! compiling functions in parallel can validate each in its own thread after
//! [`validate_module`]; [`FuncValidator`] lets SSA construction validate instruction by
//! instruction as it translates.

mod function;
mod module;

pub use function::{ControlFrame, FrameKind, FuncValidator, MaybeType};
pub use module::validate_module;

use crate::decode::Module;
use crate::error::{Error, Result};

/// Validates the whole module; `bytes` are the bytes it was decoded from.
pub fn validate(module: &Module, bytes: &[u8]) -> Result<()> {
    validate_module(module)?;
    for defined in 0..module.functions.len() as u32 {
        validate_function(module, bytes, defined)?;
    }
    Ok(())
}

/// Validates the body of the `defined`-th function defined in the module (imports not
/// counted). Assumes [`validate_module`] passed.
pub fn validate_function(module: &Module, bytes: &[u8], defined: u32) -> Result<()> {
    let body = module.function_body(bytes, defined)?;
    let mut validator = FuncValidator::new(module, defined, &body)?;
    let mut operators = body.operators;
    while !operators.is_at_end() {
        let (op, offset) = operators.read()?;
        if validator.frames().is_empty() {
            return Err(Error::at(
                offset,
                "operators remaining after end of function",
            ));
        }
        validator.visit(&op, offset)?;
    }
    validator.finish(operators.offset())
}

#[cfg(test)]
mod tests;
