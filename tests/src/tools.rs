//! The external tools the harness needs. A missing tool is an error naming the fix, never a
//! reason to skip a test.

use std::process::Command;
use std::sync::OnceLock;

const SETUP_HINT: &str = "run scripts/setup.sh to install the test toolchain";

/// The C compiler that targets wasm32-wasi.
pub const CLANG: &str = "clang";
/// The interpreter that runs `tests/run_wasmtime.py`.
pub const PYTHON: &str = "python3";

/// `clang --version`, which also goes into the Wasm cache key: a new clang makes new
/// binaries. Errors if clang cannot run.
pub fn clang_version() -> Result<&'static str, String> {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    VERSION
        .get_or_init(|| {
            let out = Command::new(CLANG)
                .arg("--version")
                .output()
                .map_err(|e| format!("cannot run `{CLANG}`: {e}; {SETUP_HINT}"))?;
            if !out.status.success() {
                return Err(format!("`{CLANG} --version` failed; {SETUP_HINT}"));
            }
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        })
        .as_deref()
        .map_err(Clone::clone)
}

/// Checks once that Python can import the `wasmtime` package.
pub fn require_wasmtime() -> Result<(), String> {
    static AVAILABLE: OnceLock<Result<(), String>> = OnceLock::new();
    AVAILABLE
        .get_or_init(|| {
            let out = Command::new(PYTHON)
                .args(["-c", "import wasmtime"])
                .output()
                .map_err(|e| format!("cannot run `{PYTHON}`: {e}; {SETUP_HINT}"))?;
            if !out.status.success() {
                return Err(format!(
                    "Python cannot import wasmtime ({}); {SETUP_HINT}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            Ok(())
        })
        .clone()
}

/// Adds the set-up hint to a tool's failure message.
pub fn with_setup_hint(message: String) -> String {
    format!("{message}\n(if the toolchain is incomplete: {SETUP_HINT})")
}
