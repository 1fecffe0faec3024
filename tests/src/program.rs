//! One test program, what it must do, and the two checks run on it: the reference run under
//! wasmtime must meet the program's expectation, and the wasmc-compiled executable must
//! behave exactly like the reference.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::{self, Outcome, Status};
use crate::{native, tools, wasm_build};
use wasmc::object::Target;

/// The status of a trapping run: wasmc's runtime exits like `abort`, and the reference
/// runner mimics it.
pub const TRAP_EXIT_STATUS: i32 = 134;
const SIGABRT: i32 = 6;
const TRAP_PREFIX: &str = "wasm trap: ";
/// Generous: the machine is small and shared, and a hang must still end.
const TIMEOUT: Duration = Duration::from_secs(120);

/// How a program must end.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// Exits with this status.
    Exit(i32),
    /// Traps; the message names this kind, in the spec's words ("integer divide by zero").
    Trap(&'static str),
}

/// A program under `tests/programs/` and how to run it.
#[derive(Clone, Copy, Debug)]
pub struct Program {
    /// File name under `tests/programs/`: `.c`, or `.wat` for what C cannot express.
    pub file: &'static str,
    pub args: &'static [&'static str],
    /// A file under `tests/programs/` fed to stdin; stdin is empty otherwise.
    pub stdin: Option<&'static str>,
    pub expect: Expect,
}

/// Where a test keeps its files.
pub struct Workspace {
    /// Shared by all tests: compiled Wasm modules.
    pub cache: PathBuf,
    /// This test's own directory: outputs and the native executable.
    pub scratch: PathBuf,
}

impl Program {
    /// A program that must exit with `code`, run without arguments and with an empty stdin.
    pub const fn exits(file: &'static str, code: i32) -> Program {
        Program {
            file,
            args: &[],
            stdin: None,
            expect: Expect::Exit(code),
        }
    }

    /// A program that must trap with `kind`.
    pub const fn traps(file: &'static str, kind: &'static str) -> Program {
        Program {
            file,
            args: &[],
            stdin: None,
            expect: Expect::Trap(kind),
        }
    }

    pub const fn with_args(self, args: &'static [&'static str]) -> Program {
        Program { args, ..self }
    }

    pub const fn with_stdin(self, file: &'static str) -> Program {
        Program {
            stdin: Some(file),
            ..self
        }
    }

    /// Runs the program under wasmtime and checks it ends as expected.
    pub fn check_reference(&self, ws: &Workspace) -> Result<(), String> {
        self.reference_run(ws).map(drop)
    }

    /// The checked reference run, and the module it ran.
    fn reference_run(&self, ws: &Workspace) -> Result<(PathBuf, Outcome), String> {
        tools::require_wasmtime()?;
        let module = wasm_build::module_for(&self.path(self.file), &ws.cache)?;
        let mut command = Command::new(tools::PYTHON);
        command.arg(runner_script());
        if let Some(stdin) = self.stdin {
            command.arg("--stdin").arg(self.path(stdin));
        }
        command.arg(&module).args(self.args);
        // The runner gets stdin through its `--stdin` argument, not its own stdin.
        let outcome = process::run(command, None, &ws.scratch, "wasmtime", TIMEOUT)?;

        let as_expected = match self.expect {
            Expect::Exit(code) => outcome.status == Status::Exited(code),
            Expect::Trap(kind) => {
                outcome.status == Status::Exited(TRAP_EXIT_STATUS) && trap_kind(&outcome.stderr) == Some(kind)
            }
        };
        if !as_expected {
            return Err(format!(
                "under wasmtime, {} was expected to {} but ended with {}\nstderr:\n{}",
                self.file,
                self.expect.describe(),
                describe(&outcome),
                outcome.stderr
            ));
        }
        Ok((module, outcome))
    }

    /// Compiles the program with wasmc at `opt_level`, runs it, and compares it with the
    /// reference run.
    pub fn check_native(&self, ws: &Workspace, opt_level: u8) -> Result<(), String> {
        self.check_native_on(ws, opt_level, Target::X86_64Linux, &[])
    }

    /// [`check_native`](Program::check_native) for another `target`, its executable started
    /// through `runner` (an emulator command line such as `qemu-aarch64 -L <sysroot>`).
    pub fn check_native_on(
        &self,
        ws: &Workspace,
        opt_level: u8,
        target: Target,
        runner: &[&str],
    ) -> Result<(), String> {
        let (module, reference) = self.reference_run(ws)?;
        let executable = ws.scratch.join("native");
        native::compile_for(target, &module, &executable, opt_level)
            .map_err(|e| format!("wasmc -O{opt_level} failed to compile {}: {e}", module.display()))?;
        let mut command = match runner {
            [emulator, args @ ..] => {
                let mut c = Command::new(emulator);
                c.args(args).arg(&executable);
                c
            }
            [] => Command::new(&executable),
        };
        command.args(self.args);
        let stdin = self.stdin.map(|s| self.path(s));
        let native = process::run(command, stdin.as_deref(), &ws.scratch, "native", TIMEOUT)?;

        let status_ok = match self.expect {
            Expect::Exit(_) => native.status == reference.status,
            Expect::Trap(kind) => {
                matches!(
                    native.status,
                    Status::Exited(TRAP_EXIT_STATUS) | Status::Signaled(SIGABRT)
                ) && trap_kind_starts(&native.stderr, kind)
            }
        };
        if !status_ok {
            return Err(format!(
                "the native executable was expected to {} (as under wasmtime) but ended with {}\nstderr:\n{}",
                self.expect.describe(),
                describe(&native),
                native.stderr
            ));
        }
        if native.stdout != reference.stdout {
            return Err(format!(
                "stdout differs from wasmtime's: {}",
                first_difference(&reference.stdout, &native.stdout)
            ));
        }
        Ok(())
    }

    fn path(&self, file: &str) -> PathBuf {
        programs_dir().join(file)
    }
}

impl Expect {
    fn describe(&self) -> String {
        match self {
            Expect::Exit(code) => format!("exit with status {code}"),
            Expect::Trap(kind) => format!("trap with `{TRAP_PREFIX}{kind}`"),
        }
    }
}

/// Runs one test's check in a fresh scratch directory under `work_root`, which is removed
/// if the check passes and kept for inspection if it fails.
pub fn run_test(name: &str, work_root: &str, check: impl FnOnce(&Workspace) -> Result<(), String>) {
    let root = Path::new(work_root);
    let ws = Workspace {
        cache: root.join("e2e-wasm-cache"),
        scratch: root.join("e2e-runs").join(format!("{name}-{}", std::process::id())),
    };
    let _ = std::fs::remove_dir_all(&ws.scratch);
    if let Err(e) = std::fs::create_dir_all(&ws.scratch) {
        panic!("cannot create {}: {e}", ws.scratch.display());
    }
    match check(&ws) {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&ws.scratch);
        }
        Err(message) => panic!("{message}\n(outputs kept in {})", ws.scratch.display()),
    }
}

pub fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("programs")
}

fn runner_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("run_wasmtime.py")
}

/// The kind named by the `wasm trap: <kind>` line of `stderr`, if there is one.
fn trap_kind(stderr: &str) -> Option<&str> {
    stderr.lines().find_map(|line| line.strip_prefix(TRAP_PREFIX))
}

/// Whether the trap line names `kind`; more may follow it (a function name, an offset).
fn trap_kind_starts(stderr: &str, kind: &str) -> bool {
    trap_kind(stderr).is_some_and(|k| k.starts_with(kind))
}

fn describe(outcome: &Outcome) -> String {
    match outcome.status {
        Status::Exited(code) => format!("exit status {code}"),
        Status::Signaled(signal) => format!("signal {signal}"),
        Status::TimedOut => format!("a timeout after {}s", TIMEOUT.as_secs()),
    }
}

/// Where two outputs first differ, by line, quoted so that whitespace shows.
pub fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let expected_lines: Vec<&[u8]> = expected.split_inclusive(|&b| b == b'\n').collect();
    let actual_lines: Vec<&[u8]> = actual.split_inclusive(|&b| b == b'\n').collect();
    let quote = |line: Option<&&[u8]>| match line {
        Some(l) => format!("{:?}", String::from_utf8_lossy(l)),
        None => "(end of output)".to_string(),
    };
    let index = (0..expected_lines.len().max(actual_lines.len()))
        .find(|&i| expected_lines.get(i) != actual_lines.get(i))
        .unwrap_or(0);
    format!(
        "line {}: expected {}, got {} ({} bytes expected, {} got)",
        index + 1,
        quote(expected_lines.get(index)),
        quote(actual_lines.get(index)),
        expected.len(),
        actual.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_difference_names_the_line() {
        let d = first_difference(b"a\nb\nc\n", b"a\nB\nc\n");
        assert!(d.starts_with("line 2: expected \"b\\n\", got \"B\\n\""), "{d}");
    }

    #[test]
    fn first_difference_reports_missing_output() {
        let d = first_difference(b"a\nb\n", b"a\n");
        assert!(d.starts_with("line 2: expected \"b\\n\", got (end of output)"), "{d}");
    }

    #[test]
    fn trap_kind_is_read_from_its_line() {
        let stderr = "some output\nwasm trap: integer overflow\n  at func 3\n";
        assert_eq!(trap_kind(stderr), Some("integer overflow"));
        assert!(trap_kind_starts("wasm trap: unreachable executed\n", "unreachable"));
        assert!(!trap_kind_starts(
            "wasm trap: integer overflow\n",
            "integer divide by zero"
        ));
        assert_eq!(trap_kind("no trap here\n"), None);
    }
}
