//! The spec's validation of a decoded module: module-level rules, then each function body
//! with the operand and control stacks of the spec's appendix.
//!
//! [`validate`] checks everything. [`validate_function`] checks one body, so that callers
//! compiling functions in parallel can validate each in its own thread after
//! [`validate_module`]; [`ValidatedOperators`] validates a body operator by operator as a
//! translator reads it.

mod function;
mod module;

pub use function::{ControlFrame, FrameKind, FuncValidator, MaybeType};
pub use module::validate_module;

use crate::decode::body::{FunctionBody, OperatorReader};
use crate::decode::operators::Operator;
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
    for item in ValidatedOperators::new(module, defined, body)? {
        item?;
    }
    Ok(())
}

/// The operators of one function body, each validated before it is handed on, so that a
/// compiler can translate a body while it validates it and decode it once (decoding was
/// half of what a separate validation pass cost). After the last operator, the end of the
/// body is checked too. The first error ends the sequence.
pub struct ValidatedOperators<'m, 'a> {
    validator: FuncValidator<'m>,
    operators: OperatorReader<'a>,
    done: bool,
}

impl<'m, 'a> ValidatedOperators<'m, 'a> {
    /// The operators of `body`, the body of the `defined`-th function defined in `module`.
    pub fn new(module: &'m Module, defined: u32, body: FunctionBody<'a>) -> Result<Self> {
        let validator = FuncValidator::new(module, defined, &body)?;
        Ok(ValidatedOperators { validator, operators: body.operators, done: false })
    }

    fn validate_next(&mut self) -> Result<(Operator, usize)> {
        let (op, offset) = self.operators.read()?;
        if self.validator.frames().is_empty() {
            return Err(Error::at(offset, "operators remaining after end of function"));
        }
        self.validator.visit(&op, offset)?;
        Ok((op, offset))
    }
}

impl Iterator for ValidatedOperators<'_, '_> {
    type Item = Result<(Operator, usize)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.operators.is_at_end() {
            self.done = true;
            return self.validator.finish(self.operators.offset()).err().map(Err);
        }
        let item = self.validate_next();
        self.done = item.is_err();
        Some(item)
    }
}

#[cfg(test)]
mod tests;
