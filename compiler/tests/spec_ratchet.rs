//! The conformance ratchet: runs the whole WebAssembly 2.0 core suite through `wasmc wast` and
//! fails if any script passes fewer assertions than `tests/spec/STATUS.md` records.
//! To record progress: `scripts/spec.sh --bless` (never lower a number by hand).

use std::path::PathBuf;
use std::process::Command;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn spec_suite_does_not_regress() {
    let root = repo_root();
    let suite = root.join("../shared/spec/wasm-2.0");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&suite)
        .unwrap_or_else(|e| panic!("the spec suite is expected at {}: {e}", suite.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wast"))
        .collect();
    scripts.sort();
    assert_eq!(scripts.len(), 147, "the Wasm 2.0 suite has 147 scripts");
    let status = root.join("tests/spec/STATUS.md");
    let out = Command::new(env!("CARGO_BIN_EXE_wasmc"))
        .arg("wast")
        .arg("--status")
        .arg(&status)
        .arg("--max-failures")
        .arg("0")
        .args(&scripts)
        .output()
        .expect("run wasmc wast");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let totals = stdout.lines().last().unwrap_or("");
    println!("spec suite: {totals}");
    let regressions: Vec<&str> = stdout.lines().filter(|l| l.starts_with("REGRESSION")).collect();
    assert!(
        out.status.success() && regressions.is_empty(),
        "conformance regressed:\n{}\n{}",
        regressions.join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
}
