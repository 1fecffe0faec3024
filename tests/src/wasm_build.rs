//! C programs to Wasm modules, cached by content hash so that re-running the tests does not
//! re-run clang. Hand-written `.wat` programs are used as they are: wasmtime and wasmc both
//! read the text format.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::tools;

/// How every C program is compiled.
pub const CLANG_FLAGS: &[&str] = &["--target=wasm32-wasi", "-O2", "-lm"];

/// Returns the Wasm module for `source`, compiling a `.c` file into `cache_dir` unless an
/// identical compilation is already there.
pub fn module_for(source: &Path, cache_dir: &Path) -> Result<PathBuf, String> {
    match source.extension().and_then(|e| e.to_str()) {
        Some("wat") | Some("wasm") => Ok(source.to_path_buf()),
        Some("c") => compile_c(source, cache_dir),
        _ => Err(format!("{}: expected a .c, .wat or .wasm program", source.display())),
    }
}

fn compile_c(source: &Path, cache_dir: &Path) -> Result<PathBuf, String> {
    let text = std::fs::read(source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    // The key covers what decides the output: the source, the flags and the compiler.
    // (Headers are the installed wasi-libc's, which comes with the compiler.)
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    CLANG_FLAGS.hash(&mut hasher);
    tools::clang_version()?.hash(&mut hasher);
    let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("program");
    let cached = cache_dir.join(format!("{stem}-{:016x}.wasm", hasher.finish()));
    if cached.exists() {
        return Ok(cached);
    }

    std::fs::create_dir_all(cache_dir).map_err(|e| format!("cannot create {}: {e}", cache_dir.display()))?;
    // Compile under a name no other test process uses, then rename into place: a reader
    // never sees a half-written module.
    let partial = cache_dir.join(format!("{stem}.{}.{}.partial", std::process::id(), unique()));
    let out = Command::new(tools::CLANG)
        .args(CLANG_FLAGS)
        .arg(source)
        .arg("-o")
        .arg(&partial)
        .output()
        .map_err(|e| tools::with_setup_hint(format!("cannot run {}: {e}", tools::CLANG)))?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&partial);
        return Err(tools::with_setup_hint(format!(
            "clang failed on {}:\n{}",
            source.display(),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    std::fs::rename(&partial, &cached).map_err(|e| format!("cannot move {} into the cache: {e}", partial.display()))?;
    Ok(cached)
}

fn unique() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
