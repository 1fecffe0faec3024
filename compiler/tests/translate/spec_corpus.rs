//! The whole spec suite through translation: every function of every module translates to
//! IR that verifies, and the suite's assertions hold when that IR is interpreted.

use crate::{layout_of, spec_run};
use std::fs;
use std::path::PathBuf;
use wasmc::decode::{self, ExternKind};
use wasmc::ir::{print::print_function, verify::verify};
use wasmc::translate;

const SPEC_DIR: &str = "/work/shared/spec/wasm-2.0";

fn spec_scripts() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(SPEC_DIR)
        .unwrap_or_else(|e| panic!("reading {SPEC_DIR}: {e}"))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "wast"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no spec scripts in {SPEC_DIR}");
    paths
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
    let mut check = |what: String, result: std::thread::Result<Result<wasmc::ir::Function, wasmc::Error>>| match result
    {
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
    let paths = spec_scripts();
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

/// Run the suite's assertions on the translated IR (optimised at `opt_level` if given).
fn run_suite(opt_level: Option<u8>) -> spec_run::RunTally {
    // The interpreter recurses once per Wasm call; give deep recursion room.
    let run = std::thread::Builder::new().stack_size(1 << 29).spawn(move || {
        let mut tally = spec_run::RunTally::default();
        for path in &spec_scripts() {
            spec_run::run_script(path, opt_level, &mut tally);
        }
        tally
    });
    let tally = run.expect("spawn").join().expect("interpreter thread");
    let what = opt_level.map_or("translated IR".to_string(), |l| format!("IR optimised at -O{l}"));
    println!("{} assertions passed on {what}, {} skipped, {} failed", tally.passed, tally.skipped, tally.failures.len());
    tally
}

/// The translated IR computes what the spec says: every `assert_return`, `assert_trap` and
/// `assert_exhaustion` of the suite that the IR interpreter can host passes.
#[test]
fn spec_suite_assertions_hold_on_translated_ir() {
    let tally = run_suite(None);
    assert!(tally.passed > 1000, "only {} assertions ran", tally.passed);
    assert!(tally.failures.is_empty(), "{} failures:\n{}", tally.failures.len(), tally.failures.join("\n"));
}

/// The same assertions after the optimisation pipeline: the passes preserve what the
/// translated IR computes.
#[test]
fn spec_suite_assertions_hold_after_the_passes() {
    let tally = run_suite(Some(2));
    assert!(tally.passed > 1000, "only {} assertions ran", tally.passed);
    assert!(tally.failures.is_empty(), "{} failures:\n{}", tally.failures.len(), tally.failures.join("\n"));
}
