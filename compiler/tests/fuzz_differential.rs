//! Differential fuzzing in CI, bounded and deterministic: a fixed list of wasm-smith seeds, each
//! module run by wasmtime (the reference, `fuzz/oracle.py`) and by wasmc (`wasmc wast`), plus
//! every reduced reproducer of an earlier finding under `fuzz/regressions/` (scripts with their
//! expected results baked in, so they need no wasmtime). The open-ended campaign is
//! `fuzz/run.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Seeds checked on every run: about 75 s on two cores shared with a dozen other jobs, well
/// under a minute on an idle machine. A seed that finds a bug is reduced into
/// `fuzz/regressions/`; this list stays as it is.
const SEEDS: std::ops::Range<u64> = 0..16;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The tools the differential half needs; failing (never skipping) when one is missing.
fn require_fuzz_tools() {
    let smith = Command::new("wasm-tools").arg("--version").output();
    assert!(
        smith.is_ok_and(|o| o.status.success()),
        "`wasm-tools` is missing: run scripts/setup.sh"
    );
    let wasmtime = Command::new("python3").args(["-c", "import wasmtime"]).output();
    assert!(
        wasmtime.is_ok_and(|o| o.status.success()),
        "python's `wasmtime` module is missing: run scripts/setup.sh"
    );
}

/// `fuzz/case.py SEED`'s one-line verdict: `SEED pass`, `SEED skip …` or `SEED CLASS detail`.
fn run_case(seed: u64, cases: &Path) -> String {
    let out = Command::new("python3")
        .arg(repo_root().join("fuzz/case.py"))
        .arg(seed.to_string())
        .arg("--wasmc")
        .arg(env!("CARGO_BIN_EXE_wasmc"))
        .arg("--dir")
        .arg(cases)
        .output()
        .expect("run fuzz/case.py");
    assert!(out.status.success(), "fuzz/case.py {seed} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn generated_modules_behave_as_in_wasmtime() {
    require_fuzz_tools();
    let cases = std::env::temp_dir().join(format!("wasmc-fuzz-{}", std::process::id()));
    // Two at a time: each case is mostly a C compiler and a linker waiting on each other.
    let seeds: Vec<u64> = SEEDS.collect();
    let verdicts: Vec<String> = std::thread::scope(|s| {
        let halves: Vec<_> = seeds
            .chunks(seeds.len().div_ceil(2))
            .map(|chunk| s.spawn(|| chunk.iter().map(|&seed| run_case(seed, &cases)).collect::<Vec<_>>()))
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let verdict = |line: &String| line.split_whitespace().nth(1).unwrap_or("").to_string();
    let passed = verdicts.iter().filter(|l| verdict(l) == "pass").count();
    let findings: Vec<&String> = verdicts.iter().filter(|l| !matches!(verdict(l).as_str(), "pass" | "skip")).collect();
    assert!(
        findings.is_empty(),
        "wasmc differs from wasmtime (cases kept in {}):\n{}",
        cases.display(),
        findings.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n")
    );
    // Most seeds make a module both sides run; if not, the generator's setup is broken.
    assert!(passed * 2 >= seeds.len(), "only {passed} of {} seeds produced a comparable module", seeds.len());
    let _ = std::fs::remove_dir_all(&cases);
}

#[test]
fn reduced_reproducers_pass() {
    let dir = repo_root().join("fuzz/regressions");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wast"))
        .collect();
    scripts.sort();
    assert!(!scripts.is_empty(), "no reproducers in {}", dir.display());
    let out = Command::new(env!("CARGO_BIN_EXE_wasmc")).arg("wast").args(&scripts).output().expect("run wasmc wast");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "a fixed fuzz finding is back:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let totals = stdout.lines().last().unwrap_or("");
    assert!(totals.ends_with(" 0 failed") && !totals.starts_with("0 passed"), "unexpected totals: {totals}");
}
