//! Builds the embedded C runtime with the host C compiler and runs the C tests in tests/c/
//! against it: hand-made module metadata whose "functions" are C functions and asm stubs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory, removed when the test ends, whether it passed or not.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the embedded sources and headers to a fresh directory, as wasmc does.
fn extract_runtime(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("wasmc-rt-test-{}-{}", name, std::process::id()));
    for (path, text) in runtime_lib::SOURCES.iter().chain(runtime_lib::HEADERS) {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    Scratch(dir)
}

/// Compiles the runtime (warnings are errors) plus one test file into an executable.
fn build(name: &str, with_main: bool) -> (Scratch, PathBuf) {
    let dir = extract_runtime(name);
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c");
    let exe = dir.0.join(name);
    let mut cc = Command::new("cc");
    cc.current_dir(&dir.0)
        .args(runtime_lib::CFLAGS)
        .arg("-Werror")
        .arg("-I")
        .arg(&tests);
    for (path, _) in runtime_lib::SOURCES {
        if with_main || !path.ends_with("main.c") {
            cc.arg(path);
        }
    }
    cc.arg(tests.join(format!("{name}.c"))).arg("-o").arg(&exe);
    let out = cc.output().expect("running cc");
    assert!(
        out.status.success(),
        "cc failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, exe)
}

fn exe_output(cmd: &mut Command) -> Output {
    cmd.output().expect("running the test program")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn embedding_api_memories_tables_traps_and_wasi() {
    let (_dir, exe) = build("runtime_test", false);
    let out = exe_output(&mut Command::new(&exe));
    assert!(
        out.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("hello from wasi\n"));
    assert!(text(&out.stdout).contains(" passed, 0 failed"));
}

#[test]
fn command_main_exit_codes_and_trap_report() {
    let (_dir, exe) = build("command_test", true);

    let out = exe_output(Command::new(&exe).env_remove("FAKE_MODE"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "hi\n");

    let out = exe_output(Command::new(&exe).env("FAKE_MODE", "exit"));
    assert_eq!(
        out.status.code(),
        Some(7),
        "proc_exit(7) is the exit status"
    );
    assert_eq!(text(&out.stdout), "hi\n");

    let out = exe_output(Command::new(&exe).env("FAKE_MODE", "trap"));
    assert_eq!(out.status.code(), Some(134));
    assert_eq!(
        text(&out.stderr),
        "wasm trap: unreachable\n    at start_fn (wasm offset 0x2a)\n"
    );
}
