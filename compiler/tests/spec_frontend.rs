//! Runs the decoder and validator over every module of the official spec test suite
//! (`/work/shared/spec/wasm-2.0/*.wast`): modules the suite defines must be accepted,
//! `assert_malformed` and `assert_invalid` modules must be rejected.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective};

const SPEC_DIR: &str = "/work/shared/spec/wasm-2.0";

/// Decodes and validates, turning a panic into an error so one bug cannot hide the others.
fn check(bytes: &[u8]) -> Result<(), String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let module = wasmc::decode::parse(bytes)?;
        wasmc::validate::validate(&module, bytes)
    }));
    match result {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err("PANIC".to_string()),
    }
}

#[derive(Default)]
struct Tally {
    accepted: usize,
    /// The bytes of every accepted module, as seeds for mutation.
    valid_modules: Vec<Vec<u8>>,
    rejected_malformed: usize,
    rejected_invalid: usize,
    mismatches: Vec<String>,
}

fn run_file(path: &Path, tally: &mut Tally) {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    // names.wast deliberately uses bidirectional and invisible characters in names.
    let mut lexer = Lexer::new(&text);
    lexer.allow_confusing_unicode(true);
    let buffer = ParseBuffer::new_with_lexer(lexer).unwrap();
    let wast = match parser::parse::<Wast>(&buffer) {
        Ok(wast) => wast,
        Err(e) => {
            tally.mismatches.push(format!(
                "{name}: the wast crate cannot parse the script: {e}"
            ));
            return;
        }
    };
    for directive in wast.directives {
        let (line, _) = directive.span().linecol_in(&text);
        let here = format!("{name}:{}", line + 1);
        match directive {
            WastDirective::Module(mut module) | WastDirective::ModuleDefinition(mut module) => {
                expect_accepted(&here, &mut module, tally)
            }
            WastDirective::AssertUnlinkable { mut module, .. } => {
                let mut module = QuoteWat::Wat(std::mem::replace(&mut module, dummy_wat()));
                expect_accepted(&here, &mut module, tally)
            }
            WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => {
                // Text the `wat` crate itself refuses counts as rejected.
                if let Ok(bytes) = module.encode() {
                    match check(&bytes) {
                        Err(e) if e != "PANIC" => {
                            tally.rejected_malformed += 1;
                            explain(&here, message, &e);
                        }
                        Err(_) => tally
                            .mismatches
                            .push(format!("{here}: panic on malformed module")),
                        Ok(()) => tally
                            .mismatches
                            .push(format!("{here}: accepted malformed module ({message})")),
                    }
                } else {
                    tally.rejected_malformed += 1;
                }
            }
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => {
                let bytes = match module.encode() {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        tally
                            .mismatches
                            .push(format!("{here}: cannot encode invalid module: {e}"));
                        continue;
                    }
                };
                match check(&bytes) {
                    Err(e) if e != "PANIC" => {
                        tally.rejected_invalid += 1;
                        explain(&here, message, &e);
                    }
                    Err(_) => tally
                        .mismatches
                        .push(format!("{here}: panic on invalid module")),
                    Ok(()) => tally
                        .mismatches
                        .push(format!("{here}: accepted invalid module ({message})")),
                }
            }
            _ => {}
        }
    }
}

/// With `WASMC_SPEC_VERBOSE` set, shows the spec's expected message next to ours.
fn explain(here: &str, expected: &str, actual: &str) {
    if std::env::var_os("WASMC_SPEC_VERBOSE").is_some() {
        println!("REJECTED {here}: expected {expected:?}, got {actual:?}");
    }
}

fn dummy_wat() -> wast::Wat<'static> {
    // Only a placeholder left behind by `mem::replace`; never encoded.
    wast::Wat::Module(wast::core::Module {
        span: wast::token::Span::from_offset(0),
        id: None,
        name: None,
        kind: wast::core::ModuleKind::Text(Vec::new()),
    })
}

fn expect_accepted(here: &str, module: &mut QuoteWat, tally: &mut Tally) {
    let bytes = match module.encode() {
        Ok(bytes) => bytes,
        Err(e) => {
            tally
                .mismatches
                .push(format!("{here}: cannot encode module: {e}"));
            return;
        }
    };
    match check(&bytes) {
        Ok(()) => {
            tally.accepted += 1;
            tally.valid_modules.push(bytes);
        }
        Err(e) => tally
            .mismatches
            .push(format!("{here}: rejected valid module: {e}")),
    }
}

fn run_suite() -> (usize, Tally) {
    let mut paths: Vec<_> = std::fs::read_dir(SPEC_DIR)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "wast"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no spec scripts in {SPEC_DIR}");
    let mut tally = Tally::default();
    for path in &paths {
        run_file(path, &mut tally);
    }
    (paths.len(), tally)
}

#[test]
fn spec_suite_modules_are_accepted_or_rejected_as_the_spec_says() {
    let (scripts, tally) = run_suite();
    println!(
        "{} scripts: {} modules accepted, {} malformed and {} invalid modules rejected, {} mismatches",
        scripts,
        tally.accepted,
        tally.rejected_malformed,
        tally.rejected_invalid,
        tally.mismatches.len()
    );
    for mismatch in &tally.mismatches {
        println!("MISMATCH {mismatch}");
    }
    assert!(
        tally.mismatches.is_empty(),
        "{} mismatches",
        tally.mismatches.len()
    );
}

/// Every valid module of the suite, damaged a few deterministic ways (truncated, one bit
/// flipped, one byte replaced): decoding and validation return, they never panic.
#[test]
fn damaged_spec_modules_never_panic() {
    let (_, tally) = run_suite();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut random = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let mut cases = 0;
    let mut panics = Vec::new();
    for (index, original) in tally.valid_modules.iter().enumerate() {
        for round in 0..3 {
            let mut bytes = original.clone();
            let at = random(bytes.len());
            match round {
                0 => bytes.truncate(at),
                1 => bytes[at] ^= 1 << random(8),
                _ => bytes[at] = random(256) as u8,
            }
            cases += 1;
            if check(&bytes) == Err("PANIC".to_string()) {
                panics.push(format!("module {index}, round {round}, byte {at}"));
            }
        }
    }
    println!("{cases} damaged modules, {} panics", panics.len());
    assert!(cases > 3000);
    assert!(panics.is_empty(), "panics: {panics:?}");
}
