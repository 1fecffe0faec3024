//! Golden tests for Wasm-to-IR translation: every `tests/translate/*.wat`.
//!
//! A file holds one module in the text format, then the expected IR of each defined function
//! (and of the array-call trampoline of each exported function) as `;;` comment lines after
//! a marker, so the file stays a valid `.wat`:
//! ```text
//! (module ...)
//! ;; ---- expected IR ----
//! ;; function %f0(...) { ... }
//! ```
//! Every translated function must pass the IR verifier; a verifier or translation failure is
//! printed into the output, so it shows up as a mismatch. `WASMC_BLESS=1 cargo test --test
//! translate_golden` rewrites the expectations from the actual results.
//!
//! The modules below add the whole spec suite (every function translates and verifies; its
//! assertions hold when the IR is interpreted) and robustness tests (mutated bodies, deep
//! nesting).

use std::fs;
use std::path::{Path, PathBuf};
use wasmc::decode::{self, ExternKind, Module};
use wasmc::ir::{print::print_function, verify::verify};
use wasmc::translate;
use wasmc::vmctx::VmctxLayout;

// Shared with ir_golden, which uses the sandbox half.
#[allow(dead_code, unused_imports)]
#[path = "common/ir_interp/mod.rs"]
mod interp;
#[path = "translate/robustness.rs"]
mod robustness;
#[path = "translate/spec_corpus.rs"]
mod spec_corpus;
#[path = "translate/spec_run.rs"]
mod spec_run;

const MARKER: &str = ";; ---- expected IR ----";

pub fn layout_of(module: &Module) -> VmctxLayout {
    VmctxLayout::new(module.types.len() as u32, module.num_funcs(), module.num_tables(), module.num_globals())
}

/// The IR text for every defined function and export trampoline of `bytes`.
fn translate_all(bytes: &[u8]) -> Result<String, String> {
    let module = decode::parse(bytes).map_err(|e| format!("decode: {e}"))?;
    wasmc::validate::validate(&module, bytes).map_err(|e| format!("validate: {e}"))?;
    let layout = layout_of(&module);
    let mut out = String::new();
    let mut emit = |func: wasmc::ir::Function| {
        out.push_str(&print_function(&func));
        if let Err(e) = verify(&func) {
            out.push_str(&format!("verify error: {e}\n"));
        }
    };
    for defined in 0..module.functions.len() as u32 {
        match translate::translate_function(&module, bytes, defined, &layout) {
            Ok(func) => emit(func),
            Err(e) => return Err(format!("translate function {defined}: {e}")),
        }
    }
    for export in module.exports.iter().filter(|e| e.kind == ExternKind::Func) {
        emit(translate::array_call_trampoline(&module, export.index, &layout));
    }
    Ok(out)
}

fn run_file(path: &Path, bless: bool) -> Option<String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let (source, expected) = match text.find(MARKER) {
        Some(at) => (&text[..at], &text[at + MARKER.len()..]),
        None => (text.as_str(), ""),
    };
    let bytes = match wat::parse_str(source) {
        Ok(b) => b,
        Err(e) => return Some(format!("{}: bad module: {e}", path.display())),
    };
    let actual = translate_all(&bytes).unwrap_or_else(|e| format!("error: {e}\n"));
    let expected: String = expected
        .lines()
        .skip(1)
        .map(|l| format!("{}\n", l.strip_prefix(";; ").unwrap_or(l.trim_start_matches(";;"))))
        .collect();
    if actual == expected {
        return None;
    }
    if bless {
        let commented: String =
            actual.lines().map(|l| if l.is_empty() { ";;\n".to_string() } else { format!(";; {l}\n") }).collect();
        let new_text = format!("{}{MARKER}\n{commented}", source.trim_end().to_string() + "\n");
        fs::write(path, new_text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        return None;
    }
    Some(format!("{}: output differs\n--- expected\n{expected}--- actual\n{actual}", path.display()))
}

#[test]
fn translate_golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/translate");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "wat"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no golden files in {}", dir.display());
    let bless = std::env::var_os("WASMC_BLESS").is_some();
    let failures: Vec<String> = files.iter().filter_map(|f| run_file(f, bless)).collect();
    assert!(failures.is_empty(), "{} of {} golden files failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}
