//! The vectorize pass end to end: `tests/vectorize/pairs.wast` holds loops shaped like clang's
//! two-way unrolled array loops, and calls that make the pass's run-time checks matter (arrays
//! that overlap, a last pair half out of bounds, a trip count the counter never meets). Its
//! expected values are the scalar semantics (computed with wasmtime). The script must pass on
//! x86-64 (with and without AVX) and on aarch64 (under qemu), and every loop in it must really
//! have been vectorized, or the script would test nothing. `tests/vectorize/folded_loads.wast`
//! checks what the x86-64 AVX code makes of the vector loads: memory operands that must fault
//! as out-of-bounds accesses.

use std::path::PathBuf;
use std::process::Command;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectorize/pairs.wast")
}

fn run_script(args: &[&str]) {
    run(args, script())
}

fn run(args: &[&str], script: PathBuf) {
    let out = Command::new(env!("CARGO_BIN_EXE_wasmc"))
        .arg("wast")
        .args(args)
        .arg(script)
        .output()
        .expect("run wasmc wast");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.lines().last().is_some_and(|l| l.ends_with(" 0 failed")),
        "{args:?}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pairs_script_passes_on_x86_64() {
    run_script(&["--target", "x86_64-linux"]);
}

#[test]
fn pairs_script_passes_on_x86_64_v3() {
    run_script(&["--target", "x86_64-linux", "--target-cpu", "x86-64-v3"]);
}

#[test]
fn pairs_script_passes_on_aarch64() {
    run_script(&["--target", "aarch64-linux"]);
}

/// Loads folded into AVX operations as memory operands fault as out-of-bounds accesses.
#[test]
fn folded_vector_loads_trap_out_of_bounds_on_x86_64_v3() {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectorize/folded_loads.wast");
    run(&["--target", "x86_64-linux", "--target-cpu", "x86-64-v3"], script);
}

/// The script's module, compiled with `--dump-after vectorize`: each of its four loops became
/// vector code.
#[test]
fn every_loop_of_the_script_is_vectorized() {
    let text = std::fs::read_to_string(script()).expect("read the script");
    let module = &text[..text.find(";; end of module").expect("the module's end marker")];
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vectorize-dump");
    std::fs::create_dir_all(&dir).unwrap();
    let wat = dir.join("pairs.wat");
    std::fs::write(&wat, module).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wasmc"))
        .arg(&wat)
        .args(["--emit", "obj", "--dump-after", "vectorize", "-o"])
        .arg(dir.join("pairs.o"))
        .output()
        .expect("run wasmc");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dump = String::from_utf8_lossy(&out.stderr);
    let vector_stores = dump.lines().filter(|l| l.contains("store.v128")).count();
    assert_eq!(vector_stores, 4, "one vector store per loop expected:\n{dump}");
}
