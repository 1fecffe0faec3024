//! The harness's only entry into wasmc: compiling a module to a native executable.

use std::path::Path;
use std::sync::Mutex;

use wasmc::driver::{compile_file, Options};
use wasmc::object::Target;

/// Compiles `module` (`.wasm` or `.wat`) to the native executable `output` with wasmc's
/// default options (an x86-64 Linux executable) at optimization level `opt_level`.
///
/// Calls the library directly, not a binary on disk, so the tests always exercise the
/// code under test.
pub fn compile(module: &Path, output: &Path, opt_level: u8) -> Result<(), String> {
    compile_for(Target::X86_64Linux, module, output, opt_level)
}

/// [`compile`] for another `target`.
pub fn compile_for(target: Target, module: &Path, output: &Path, opt_level: u8) -> Result<(), String> {
    let options = Options {
        target,
        opt_level,
        ..Options::default()
    };
    // The first link builds wasmc's runtime archive into a cache directory named after the
    // process, which parallel tests of one process would share and trip over. So compile
    // one at a time until a link has succeeded; after that the archive is cached.
    static RUNTIME_CACHED: Mutex<bool> = Mutex::new(false);
    let mut cached = RUNTIME_CACHED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if !*cached {
        let result = compile_file(module, output, &options);
        *cached = result.is_ok();
        return result.map_err(|e| e.to_string());
    }
    drop(cached);
    compile_file(module, output, &options).map_err(|e| e.to_string())
}
