//! The harness's only entry into wasmc: compiling a module to a native executable.

use std::path::Path;

use wasmc::driver::{compile_file, Options};

/// Compiles `module` (`.wasm` or `.wat`) to the native executable `output` with wasmc's
/// default options (an x86-64 Linux executable at -O2).
///
/// Calls the library directly, not a binary on disk, so the tests always exercise the
/// code under test.
pub fn compile(module: &Path, output: &Path) -> Result<(), String> {
    compile_file(module, output, &Options::default()).map_err(|e| e.to_string())
}
