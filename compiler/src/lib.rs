//! wasmc: an ahead-of-time WebAssembly compiler.
//!
//! Pipeline (see `../shared/DESIGN.md`):
//! `decode` → `validate` → `translate` (SSA) → `passes` → `isa::<arch>` (lowering, `regalloc`,
//! encoding) → `object` → link.

pub mod decode;
pub mod error;
pub mod ir;
pub mod isa;
pub mod object;
pub mod passes;
pub mod regalloc;
pub mod translate;
pub mod validate;
pub mod vmctx;
pub mod driver;
pub mod link;
pub mod wast;

pub use error::{Error, Result};
