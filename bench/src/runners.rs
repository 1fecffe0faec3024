//! The four ways to run a program: natively, as a wasmc executable, under wasmtime, under wasmi.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::Duration;

use crate::process::{self, Ended, Invocation};
use crate::programs::Program;
use crate::stats::median;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Runner {
    Native,
    Wasmc,
    Wasmtime,
    Wasmi,
}

impl Runner {
    pub const ALL: [Runner; 4] = [
        Runner::Native,
        Runner::Wasmc,
        Runner::Wasmtime,
        Runner::Wasmi,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Runner::Native => "native",
            Runner::Wasmc => "wasmc",
            Runner::Wasmtime => "wasmtime",
            Runner::Wasmi => "wasmi",
        }
    }

    pub fn from_name(name: &str) -> Option<Runner> {
        Runner::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// The external programs the runners need; each is an error message when it is missing.
pub struct Tools {
    pub wasmc: Result<PathBuf, String>,
    /// `wasmc --target-cpu`: which x86-64 extensions its code may use.
    pub wasmc_target_cpu: String,
    pub wasmi: Result<PathBuf, String>,
    pub python: PathBuf,
    pub wasmtime_script: PathBuf,
}

/// A runner made ready for one program: the command line of one run, and what getting ready cost.
pub struct Prepared {
    pub runner: Runner,
    command: Vec<OsString>,
    /// Whether the program's stdin file goes to the process (otherwise the runner passes it on).
    process_stdin: bool,
    /// Where the wasmtime script writes its own timings.
    timings_file: Option<PathBuf>,
    /// Ahead-of-time compilation (wasmc): the median of as many compilations as runs.
    pub compile_seconds: Option<f64>,
}

/// Why a runner could not be made ready: it is not installed or does not apply, or it failed.
pub enum NotReady {
    Unavailable(String),
    Failed(String),
}

pub fn prepare(
    runner: Runner,
    program: &Program,
    tools: &Tools,
    work_dir: &Path,
    timeout: Duration,
    reps: usize,
) -> Result<Prepared, NotReady> {
    let args = program.args.iter().map(OsString::from);
    let mut prepared = Prepared {
        runner,
        command: Vec::new(),
        process_stdin: true,
        timings_file: None,
        compile_seconds: None,
    };
    match runner {
        Runner::Native => {
            let exe = program.native.as_ref().ok_or_else(|| {
                NotReady::Unavailable("no native build of this program".to_string())
            })?;
            prepared.command = std::iter::once(exe.into()).chain(args).collect();
        }
        Runner::Wasmc => {
            let wasmc = tools
                .wasmc
                .as_ref()
                .map_err(|e| NotReady::Failed(e.clone()))?;
            let exe = work_dir.join(format!("{}.wasmc.exe", program.name));
            let mut times = Vec::new();
            for _ in 0..reps.max(1) {
                times.push(compile_with_wasmc(wasmc, &tools.wasmc_target_cpu, program, &exe, work_dir, timeout)?);
            }
            prepared.compile_seconds = median(&times);
            prepared.command = std::iter::once(exe.into()).chain(args).collect();
        }
        Runner::Wasmtime => {
            let timings = process::scratch(work_dir, &program.name, runner.name(), "timings");
            let mut command: Vec<OsString> = vec![
                tools.python.clone().into(),
                tools.wasmtime_script.clone().into(),
                "--timings".into(),
                timings.clone().into(),
            ];
            if let Some(stdin) = &program.stdin {
                command.extend(["--stdin".into(), stdin.into()]);
            }
            command.push(program.wasm.clone().into());
            prepared.command = command.into_iter().chain(args).collect();
            prepared.process_stdin = false;
            prepared.timings_file = Some(timings);
        }
        Runner::Wasmi => {
            let wasmi = tools
                .wasmi
                .as_ref()
                .map_err(|e| NotReady::Unavailable(e.clone()))?;
            // `wasmi run` runs a WASI command's `_start`; what follows the module is its argv.
            prepared.command = [wasmi.into(), "run".into(), program.wasm.clone().into()]
                .into_iter()
                .chain(args)
                .collect();
        }
    }
    Ok(prepared)
}

fn compile_with_wasmc(
    wasmc: &Path,
    target_cpu: &str,
    program: &Program,
    exe: &Path,
    work_dir: &Path,
    timeout: Duration,
) -> Result<f64, NotReady> {
    let _ = std::fs::remove_file(exe);
    let mut command = Command::new(wasmc);
    command.arg(&program.wasm).arg("-o").arg(exe).args(["--target-cpu", target_cpu]);
    let stdout = process::scratch(work_dir, &program.name, "wasmc", "compile.stdout");
    let stderr = process::scratch(work_dir, &program.name, "wasmc", "compile.stderr");
    let invocation = Invocation {
        stdin: None,
        stdout: &stdout,
        stderr: &stderr,
        timeout,
    };
    match process::run(command, &invocation) {
        Err(e) => Err(NotReady::Failed(format!(
            "cannot start {}: {e}",
            wasmc.display()
        ))),
        Ok(Ended::TimedOut) => Err(NotReady::Failed(format!(
            "compilation timed out after {} s",
            timeout.as_secs_f64()
        ))),
        Ok(Ended::Exited { status, wall }) if status.success() && exe.is_file() => {
            Ok(wall.as_secs_f64())
        }
        Ok(Ended::Exited { status, .. }) => Err(NotReady::Failed(format!(
            "compilation failed ({}): {}",
            process::describe_failure(&status),
            process::tail(&stderr, 2)
        ))),
    }
}

/// One run of a prepared runner.
pub enum RunOutcome {
    Finished {
        status: ExitStatus,
        /// Wall time of the whole process.
        wall_seconds: f64,
        /// Time measured inside the runner when it reports one (wasmtime: instantiate + `_start`).
        inner_run_seconds: Option<f64>,
        /// Compilation time measured inside the runner (wasmtime).
        inner_compile_seconds: Option<f64>,
        stdout: Vec<u8>,
        stderr_tail: String,
    },
    TimedOut,
    CouldNotStart(String),
}

pub fn run_once(
    prepared: &Prepared,
    program: &Program,
    work_dir: &Path,
    timeout: Duration,
) -> RunOutcome {
    let name = prepared.runner.name();
    let stdout = process::scratch(work_dir, &program.name, name, "stdout");
    let stderr = process::scratch(work_dir, &program.name, name, "stderr");
    if let Some(timings) = &prepared.timings_file {
        let _ = std::fs::remove_file(timings);
    }
    let Some((exe, args)) = prepared.command.split_first() else {
        return RunOutcome::CouldNotStart("empty command".to_string());
    };
    let mut command = Command::new(exe);
    command.args(args);
    let stdin = if prepared.process_stdin {
        program.stdin.as_deref()
    } else {
        None
    };
    let invocation = Invocation {
        stdin,
        stdout: &stdout,
        stderr: &stderr,
        timeout,
    };
    match process::run(command, &invocation) {
        Err(e) => {
            RunOutcome::CouldNotStart(format!("cannot start {}: {e}", Path::new(exe).display()))
        }
        Ok(Ended::TimedOut) => RunOutcome::TimedOut,
        Ok(Ended::Exited { status, wall }) => {
            let inner = prepared
                .timings_file
                .as_deref()
                .and_then(read_inner_timings);
            RunOutcome::Finished {
                status,
                wall_seconds: wall.as_secs_f64(),
                inner_compile_seconds: inner.map(|(compile, _)| compile),
                inner_run_seconds: inner.map(|(_, run)| run),
                stdout: std::fs::read(&stdout).unwrap_or_default(),
                stderr_tail: process::tail(&stderr, 2),
            }
        }
    }
}

fn read_inner_timings(path: &Path) -> Option<(f64, f64)> {
    parse_inner_timings(&std::fs::read_to_string(path).ok()?)
}

/// Parses the wasmtime script's `compile_s=<float> run_s=<float>` line.
pub fn parse_inner_timings(line: &str) -> Option<(f64, f64)> {
    let mut compile = None;
    let mut run = None;
    for field in line.split_whitespace() {
        let (key, value) = field.split_once('=')?;
        let value: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
        match key {
            "compile_s" => compile = Some(value),
            "run_s" => run = Some(value),
            _ => {}
        }
    }
    Some((compile?, run?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runner_names_round_trip() {
        for runner in Runner::ALL {
            assert_eq!(Runner::from_name(runner.name()), Some(runner));
        }
        assert_eq!(Runner::from_name("v8"), None);
    }

    #[test]
    fn parses_the_wasmtime_scripts_timings() {
        assert_eq!(
            parse_inner_timings("compile_s=0.125 run_s=2.5\n"),
            Some((0.125, 2.5))
        );
        assert_eq!(
            parse_inner_timings("run_s=2.5 compile_s=0.125"),
            Some((0.125, 2.5))
        );
        assert_eq!(parse_inner_timings("compile_s=0.1"), None);
        assert_eq!(parse_inner_timings("compile_s=x run_s=1"), None);
        assert_eq!(parse_inner_timings("compile_s=-1 run_s=1"), None);
        assert_eq!(parse_inner_timings(""), None);
    }
}
