//! Golden tests for the IR text form, the verifier and the passes: every `tests/ir/**/*.ir`.
//!
//! A file holds a header naming what to run, an input function, and the expected output:
//! ```text
//! ; test: roundtrip | verify | pass NAME [NAME ...]
//! function %f(...) { ... }
//! ; expect:
//! <expected output, verbatim>
//! ```
//! - `roundtrip`: the printed form of the parsed input (which must itself round-trip);
//! - `verify`: `ok` or the verifier's message;
//! - `pass ...`: the named passes run in order, then the verifier; the printed result. The
//!   input and the result also run in the reference interpreter (`common/ir_interp`) on a set of
//!   arguments, and must return the same values or trap the same way.
//!
//! A parse or verify failure is part of the output, so rejections are tested the same way.
//! `WASMC_BLESS=1 cargo test --test ir_golden` rewrites the expectations from actual results.

use std::fs;
use std::path::{Path, PathBuf};
use wasmc::ir::parse::parse_function;
use wasmc::ir::print::print_function;
use wasmc::ir::verify::verify;
use wasmc::ir::{Function, Type};
use wasmc::passes;

#[path = "ir/gen.rs"]
mod gen;
// Shared with translate_golden, which uses the instance half.
#[allow(dead_code, unused_imports)]
#[path = "common/ir_interp/mod.rs"]
mod interp;
#[path = "ir/spec.rs"]
mod spec;
use interp::{Stop, Val};

const EXPECT_MARKER: &str = "; expect:";

fn collect_ir_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {}", dir.display(), e))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_ir_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "ir") {
            out.push(path);
        }
    }
}

/// What the test produces for `input`, according to the `; test:` command.
fn run_command(command: &str, input: &str) -> Result<String, String> {
    let mut func = match parse_function(input) {
        Ok(f) => f,
        Err(e) => return Ok(format!("parse error: {}\n", e)),
    };
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["roundtrip"] => {
            let printed = print_function(&func);
            let reparsed = parse_function(&printed)
                .map_err(|e| format!("printed form does not parse: {}", e))?;
            let reprinted = print_function(&reparsed);
            if reprinted != printed {
                return Err(format!(
                    "printing is not stable:\n{}\nthen\n{}",
                    printed, reprinted
                ));
            }
            Ok(printed)
        }
        ["verify"] => Ok(match verify(&func) {
            Ok(()) => "ok\n".to_string(),
            Err(e) => format!("{}\n", e),
        }),
        ["pass", names @ ..] if !names.is_empty() => {
            if let Err(e) = verify(&func) {
                return Err(format!("input does not verify: {}", e));
            }
            // One set of analyses for the whole sequence, as in the pipeline: a pass that
            // changes the control flow without invalidating them fails the check.
            let mut analyses = passes::Analyses::default();
            for name in names {
                let pass = passes::find(name).ok_or_else(|| format!("unknown pass '{}'", name))?;
                pass(&mut func, &mut analyses);
                analyses.check(&func).map_err(|e| format!("after {name}: {e}"))?;
                if let Err(e) = verify(&func) {
                    return Ok(format!(
                        "verify error after {}: {}\n{}",
                        name,
                        e,
                        print_function(&func)
                    ));
                }
            }
            let original = parse_function(input).map_err(|e| e.to_string())?;
            same_behaviour(&original, &func)?;
            Ok(print_function(&func))
        }
        _ => Err(format!("unknown test command '{}'", command)),
    }
}

/// Interesting bits for arguments: zeros of both signs, small and extreme integers, NaN,
/// infinities, non-integral floats.
const SEEDS: [u64; 12] = [
    0,
    1,
    7,
    u64::MAX,
    0x8000_0000,
    0x8000_0000_0000_0000,
    100,
    0x3ff8_0000_0000_0000, // 1.5 as f64
    0x7ff8_0000_0000_0000, // NaN as f64
    0x7ff0_0000_0000_0000, // +inf as f64
    0xbf80_0000,           // -1.0 as f32
    0x4f80_0000,           // 2^32 as f32
];

/// The function before and after the passes behaves the same on every argument vector.
fn same_behaviour(before: &Function, after: &Function) -> Result<(), String> {
    for k in 0..SEEDS.len() {
        let args: Vec<Val> = before
            .sig
            .params
            .iter()
            .enumerate()
            .map(|(i, &ty): (usize, &Type)| Val::of_type(ty, SEEDS[(k + 5 * i) % SEEDS.len()]))
            .collect();
        let expected = interp::run(before, &args, 10_000);
        if matches!(expected, Err(Stop::Unsupported(_) | Stop::OutOfFuel)) {
            continue;
        }
        let actual = interp::run(after, &args, 10_000);
        if actual != expected {
            return Err(format!(
                "behaviour changed on {:?}: {:?} before, {:?} after",
                args, expected, actual
            ));
        }
    }
    Ok(())
}

/// Runs one file; returns a failure description, or `None` when it passed.
fn run_file(path: &Path, bless: bool) -> Option<String> {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {}", path.display(), e));
    let Some(command) = text.lines().next().and_then(|l| l.strip_prefix("; test:")) else {
        return Some("the first line must be '; test: <command>'".to_string());
    };
    let (input, expected) = match text.find(&format!("\n{}\n", EXPECT_MARKER)) {
        Some(at) => (&text[..at + 1], Some(&text[at + EXPECT_MARKER.len() + 2..])),
        None => (&text[..], None),
    };
    let actual = match run_command(command.trim(), input) {
        Ok(actual) => actual,
        Err(e) => return Some(e),
    };
    if expected == Some(actual.as_str()) {
        return None;
    }
    if bless {
        let blessed = format!("{}{}\n{}", input, EXPECT_MARKER, actual);
        fs::write(path, blessed).unwrap_or_else(|e| panic!("writing {}: {}", path.display(), e));
        return None;
    }
    match expected {
        Some(expected) => Some(format!("expected:\n{}\nactual:\n{}", expected, actual)),
        None => Some(format!("no '{}' section; actual:\n{}", EXPECT_MARKER, actual)),
    }
}

#[test]
fn golden_ir_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ir");
    let mut files = Vec::new();
    collect_ir_files(&root, &mut files);
    assert!(!files.is_empty(), "no .ir files under {}", root.display());
    let bless = std::env::var_os("WASMC_BLESS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for path in &files {
        if let Some(why) = run_file(path, bless) {
            failures.push(format!(
                "--- {}\n{}",
                path.strip_prefix(&root).unwrap_or(path).display(),
                why
            ));
        }
    }
    if !failures.is_empty() {
        panic!(
            "{} of {} golden files failed (WASMC_BLESS=1 to accept the actual output):\n{}",
            failures.len(),
            files.len(),
            failures.join("\n")
        );
    }
}

/// The whole pipeline, at each optimization level, on random functions: the result verifies,
/// prints and parses back identically, and behaves like the original.
#[test]
fn random_functions_keep_behaviour_through_the_pipeline() {
    for seed in 0..500 {
        let original = gen::random_function(&mut gen::Rng::new(seed));
        let context = || format!("seed {}:\n{}", seed, print_function(&original));
        verify(&original)
            .unwrap_or_else(|e| panic!("generated function is invalid: {}\n{}", e, context()));
        for opt_level in [1, 2] {
            let mut func = original.clone();
            if let Err(e) = passes::run(&mut func, opt_level, None) {
                panic!("-O{}: {}\n{}", opt_level, e, context());
            }
            verify(&func).unwrap_or_else(|e| panic!("-O{}: {}\n{}", opt_level, e, context()));
            let printed = print_function(&func);
            let reparsed =
                parse_function(&printed).unwrap_or_else(|e| panic!("{}\n{}", e, printed));
            assert_eq!(print_function(&reparsed), printed);
            if let Err(e) = same_behaviour(&original, &func) {
                panic!("-O{}: {}\n{}\nafter:\n{}", opt_level, e, context(), printed);
            }
        }
    }
}

/// Every function of the spec suite, as translated, through the pipeline at -O2: the result
/// verifies, round-trips through the text form, and behaves like the translator's output.
#[test]
fn spec_suite_functions_keep_behaviour_through_the_pipeline() {
    let functions = spec::spec_functions();
    assert!(
        functions.len() > 1000,
        "only {} spec functions translated",
        functions.len()
    );
    let mut failures = Vec::new();
    let (mut before, mut after) = (0, 0);
    for (label, original) in &functions {
        let mut func = original.clone();
        let result = passes::run(&mut func, 2, None)
            .map_err(|e| e.to_string())
            .and_then(|()| verify(&func).map_err(|e| e.to_string()))
            .and_then(|()| {
                let printed = print_function(&func);
                match parse_function(&printed).map(|f| print_function(&f)) {
                    Ok(reprinted) if reprinted == printed => Ok(()),
                    Ok(_) => Err("printing is not stable".to_string()),
                    Err(e) => Err(format!("printed form does not parse: {}", e)),
                }
            })
            .and_then(|()| same_behaviour(original, &func));
        if let Err(e) = result {
            failures.push(format!("{}: {}\n{}", label, e, print_function(original)));
        }
        let count = |f: &Function| {
            f.layout
                .iter()
                .map(|b| f.blocks[b.index()].insts.len())
                .sum::<usize>()
        };
        before += count(original);
        after += count(&func);
    }
    println!(
        "{} spec functions: {} instructions before the passes, {} after",
        functions.len(),
        before,
        after
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
