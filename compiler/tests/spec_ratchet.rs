//! The conformance ratchet: runs the whole WebAssembly 2.0 core suite through `wasmc wast`, for
//! x86-64 natively (at the baseline and at `--target-cpu x86-64-v3`) and for aarch64 under
//! qemu, and fails if any script passes fewer assertions than `tests/spec/STATUS.md` records
//! for that column.
//! To record progress: `scripts/spec.sh --bless` (never lower a number by hand).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The 147 scripts of the suite, sorted.
fn spec_scripts(root: &Path) -> Vec<PathBuf> {
    let suite = root.join("../shared/spec/wasm-2.0");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&suite)
        .unwrap_or_else(|e| panic!("the spec suite is expected at {}: {e}", suite.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wast"))
        .collect();
    scripts.sort();
    assert_eq!(scripts.len(), 147, "the Wasm 2.0 suite has 147 scripts");
    scripts
}

/// Runs the whole suite for `target` (with `cpu_args`) against the recorded status; fails on
/// any regression.
fn check_no_regression(target: &str, cpu_args: &[&str]) {
    let root = repo_root();
    let scripts = spec_scripts(&root);
    let status = root.join("tests/spec/STATUS.md");
    let out = Command::new(env!("CARGO_BIN_EXE_wasmc"))
        .arg("wast")
        .args(["--target", target])
        .args(cpu_args)
        .arg("--status")
        .arg(&status)
        .arg("--max-failures")
        .arg("0")
        .args(&scripts)
        .output()
        .expect("run wasmc wast");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let totals = stdout.lines().last().unwrap_or("");
    println!("spec suite on {target}: {totals}");
    let regressions: Vec<&str> = stdout.lines().filter(|l| l.starts_with("REGRESSION")).collect();
    assert!(
        out.status.success() && regressions.is_empty(),
        "conformance regressed on {target}:\n{}\n{}",
        regressions.join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn spec_suite_does_not_regress() {
    check_no_regression("x86_64-linux", &[]);
}

/// The AVX, BMI and LZCNT forms (column `x86_64-linux/x86-64-v3`); needs a machine that has them.
#[test]
fn spec_suite_does_not_regress_at_x86_64_v3() {
    // Code for x86-64-v3 refuses to start on an older CPU (exit 132): there is nothing to run.
    #[cfg(target_arch = "x86_64")]
    if !(std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("bmi2")
        && std::arch::is_x86_feature_detected!("lzcnt"))
    {
        eprintln!("this CPU lacks x86-64-v3 (AVX2, BMI2, LZCNT): the v3 column is not checked here");
        return;
    }
    check_no_regression("x86_64-linux", &["--target-cpu", "x86-64-v3"]);
}

/// Each script runs as one aarch64 executable under `qemu-aarch64` (from `scripts/setup.sh`).
#[test]
fn spec_suite_does_not_regress_on_aarch64() {
    check_no_regression("aarch64-linux", &[]);
}
