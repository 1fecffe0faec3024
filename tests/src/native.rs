//! The harness's only entry into wasmc: compiling a module to a native executable.

use std::path::Path;

/// Compiles `module` (`.wasm` or `.wat`) to the native executable `output` with wasmc's
/// default options (an x86-64 Linux executable at -O2).
///
/// Calls the library directly, not a binary on disk, so the tests always exercise the
/// code under test.
pub fn compile(module: &Path, output: &Path) -> Result<(), String> {
    // `wasmc::driver::compile_file` is not in the crate yet; until it lands, every native
    // check fails here with this message (after the reference run has been verified).
    let _ = (module, output);
    Err("wasmc::driver::compile_file is not available yet".to_string())
}
