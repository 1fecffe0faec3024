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

use std::fs;
use std::path::{Path, PathBuf};
use wasmc::decode::{self, ExternKind, Module};
use wasmc::ir::{print::print_function, verify::verify};
use wasmc::translate;
use wasmc::vmctx::VmctxLayout;

const MARKER: &str = ";; ---- expected IR ----";

fn layout_of(module: &Module) -> VmctxLayout {
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
    let expected: String = expected.lines().skip(1).map(|l| format!("{}\n", l.strip_prefix(";; ").unwrap_or(l.trim_start_matches(";;")))).collect();
    if actual == expected {
        return None;
    }
    if bless {
        let commented: String = actual.lines().map(|l| if l.is_empty() { ";;\n".to_string() } else { format!(";; {l}\n") }).collect();
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

/// Counts over the spec suite.
#[derive(Default)]
struct SpecTally {
    modules: usize,
    skipped_modules: usize,
    functions: usize,
    simd_functions: usize,
    trampolines: usize,
    failures: Vec<String>,
}

/// Translate and verify every function and export trampoline of one module.
fn translate_spec_module(here: &str, bytes: &[u8], tally: &mut SpecTally) {
    let Ok(module) = decode::parse(bytes) else { return tally.skipped_modules += 1 };
    if wasmc::validate::validate(&module, bytes).is_err() {
        return tally.skipped_modules += 1;
    }
    tally.modules += 1;
    let layout = layout_of(&module);
    // Whether the function translated and verified; failures are recorded.
    let mut check = |what: String, result: std::thread::Result<Result<wasmc::ir::Function, wasmc::Error>>| match result {
        Err(_) => tally.failures.push(format!("{here}: {what}: panic")),
        Ok(Err(e)) if e.message == "SIMD is not supported yet" => tally.simd_functions += 1,
        Ok(Err(e)) => tally.failures.push(format!("{here}: {what}: {e}")),
        Ok(Ok(func)) => match verify(&func) {
            Ok(()) if what.starts_with("function") => tally.functions += 1,
            Ok(()) => tally.trampolines += 1,
            Err(e) => tally.failures.push(format!("{here}: {what}: verify: {e}\n{}", print_function(&func))),
        },
    };
    for defined in 0..module.functions.len() as u32 {
        let result = std::panic::catch_unwind(|| translate::translate_function(&module, bytes, defined, &layout));
        check(format!("function {defined}"), result);
    }
    for export in module.exports.iter().filter(|e| e.kind == ExternKind::Func) {
        let result = std::panic::catch_unwind(|| Ok(translate::array_call_trampoline(&module, export.index, &layout)));
        check(format!("trampoline of {}", export.name), result);
    }
}

/// Every function of every module of the spec suite translates to IR that verifies (SIMD
/// functions are reported as unsupported, and counted).
#[test]
fn spec_suite_functions_translate_and_verify() {
    use wast::{lexer::Lexer, parser, QuoteWat, Wast, WastDirective};
    let dir = Path::new("/work/shared/spec/wasm-2.0");
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "wast"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no spec scripts in {}", dir.display());
    let mut tally = SpecTally::default();
    for path in &paths {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let mut lexer = Lexer::new(&text);
        lexer.allow_confusing_unicode(true);
        let Ok(buffer) = parser::ParseBuffer::new_with_lexer(lexer) else { continue };
        let Ok(wast) = parser::parse::<Wast>(&buffer) else { continue };
        for directive in wast.directives {
            let (line, _) = directive.span().linecol_in(&text);
            let here = format!("{name}:{}", line + 1);
            let mut module: QuoteWat = match directive {
                WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => m,
                _ => continue,
            };
            if let Ok(bytes) = module.encode() {
                translate_spec_module(&here, &bytes, &mut tally);
            }
        }
    }
    println!(
        "{} scripts: {} modules translated ({} skipped by the frontend), {} functions and {} trampolines verified, {} SIMD functions unsupported, {} failures",
        paths.len(),
        tally.modules,
        tally.skipped_modules,
        tally.functions,
        tally.trampolines,
        tally.simd_functions,
        tally.failures.len()
    );
    assert!(tally.modules > 0, "no spec module was accepted by the frontend");
    assert!(tally.failures.is_empty(), "{} failures:\n{}", tally.failures.len(), tally.failures.join("\n"));
}

#[path = "translate/interp.rs"]
mod interp;
#[path = "translate/spec_run.rs"]
mod spec_run;

/// The translated IR computes what the spec says: every `assert_return`, `assert_trap` and
/// `assert_exhaustion` of the suite that the IR interpreter can host passes.
#[test]
fn spec_suite_assertions_hold_on_translated_ir() {
    // The interpreter recurses once per Wasm call; give deep recursion room.
    let run = std::thread::Builder::new().stack_size(1 << 29).spawn(|| {
        let dir = Path::new("/work/shared/spec/wasm-2.0");
        let mut paths: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "wast"))
            .collect();
        paths.sort();
        let mut tally = spec_run::RunTally::default();
        for path in &paths {
            spec_run::run_script(path, &mut tally);
        }
        tally
    });
    let tally = run.expect("spawn").join().expect("interpreter thread");
    println!("{} assertions passed on translated IR, {} skipped, {} failed", tally.passed, tally.skipped, tally.failures.len());
    assert!(tally.passed > 1000, "only {} assertions ran", tally.passed);
    assert!(tally.failures.is_empty(), "{} failures:\n{}", tally.failures.len(), tally.failures.join("\n"));
}

/// Translation must not panic even on bodies the validator would reject: mutate bytes of
/// the function bodies of spec modules (deterministically) and translate without validating.
#[test]
fn translation_never_panics_on_unvalidated_bodies() {
    use wast::{lexer::Lexer, parser, QuoteWat, Wast, WastDirective};
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut cases, mut translated) = (0usize, 0usize);
    let mut panics = Vec::new();
    for name in ["block", "loop", "if", "br_table", "call_indirect", "local_tee", "select", "memory_grow", "bulk", "ref_func", "unreached-valid"] {
        let path = format!("/work/shared/spec/wasm-2.0/{name}.wast");
        let Ok(text) = fs::read_to_string(&path) else { continue };
        let mut lexer = Lexer::new(&text);
        lexer.allow_confusing_unicode(true);
        let Ok(buffer) = parser::ParseBuffer::new_with_lexer(lexer) else { continue };
        let Ok(script) = parser::parse::<Wast>(&buffer) else { continue };
        for directive in script.directives {
            let WastDirective::Module(mut module): WastDirective = directive else { continue };
            let module: &mut QuoteWat = &mut module;
            let Ok(bytes) = module.encode() else { continue };
            let Ok(original) = decode::parse(&bytes) else { continue };
            for (defined, range) in original.code.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
                let defined = defined as u32;
                for _ in 0..30 {
                    let mut mutated = bytes.clone();
                    for _ in 0..1 + next() % 3 {
                        let at = range.start + (next() as usize) % range.len();
                        mutated[at] = next() as u8;
                    }
                    let Ok(m) = decode::parse(&mutated) else { continue };
                    let layout = layout_of(&m);
                    cases += 1;
                    match std::panic::catch_unwind(|| translate::translate_function(&m, &mutated, defined, &layout)) {
                        Ok(Ok(_)) => translated += 1,
                        Ok(Err(_)) => {}
                        Err(_) => panics.push(format!("{path}: function {defined} of a mutated module panicked")),
                    }
                }
            }
        }
    }
    println!("{cases} mutated functions, {translated} translated without validation, {} panics", panics.len());
    assert!(cases > 1000, "only {cases} cases");
    assert!(panics.is_empty(), "{}", panics.join("\n"));
}

/// Deep nesting is translated without recursion: 20000 nested `if`s, each writing a local.
#[test]
fn deeply_nested_control_translates() {
    const DEPTH: usize = 20_000;
    let mut body = String::new();
    for i in 0..DEPTH {
        body.push_str(&format!("(if (local.get 0) (then (local.set 1 (i32.const {i}))"));
    }
    body.push_str(&"))".repeat(DEPTH));
    let wat = format!("(module (func (param i32) (result i32) (local i32) {body} (local.get 1)))");
    let bytes = wat::parse_str(&wat).expect("valid text");
    let module = decode::parse(&bytes).expect("decodes");
    let func = translate::translate_function(&module, &bytes, 0, &layout_of(&module)).expect("translates");
    // Each `if` adds its arm and its join; each join merges two values of local 1.
    assert_eq!(func.layout.len(), 1 + 2 * DEPTH);
    let joins_with_param = func.layout.iter().filter(|b| func.blocks[b.index()].params.len() == 1).count();
    assert_eq!(joins_with_param, DEPTH);
}
