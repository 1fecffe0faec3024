//! Runs a program to completion with its stdout and stderr captured in files (pipes could
//! fill up and deadlock), and a timeout so a miscompiled infinite loop fails the test
//! instead of hanging it.

use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Exited(i32),
    Signaled(i32),
    TimedOut,
}

/// The result of one run.
#[derive(Debug)]
pub struct Outcome {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs `command` with `stdin` (or an empty stdin); `dir` receives `<label>.stdout` and
/// `<label>.stderr`. The environment is inherited on purpose: a WASI program must not see
/// it unless granted, and that is worth testing.
pub fn run(
    mut command: Command,
    stdin: Option<&Path>,
    dir: &Path,
    label: &str,
    timeout: Duration,
) -> Result<Outcome, String> {
    let stdout_path = dir.join(format!("{label}.stdout"));
    let stderr_path = dir.join(format!("{label}.stderr"));
    let create = |p: &Path| File::create(p).map_err(|e| format!("cannot create {}: {e}", p.display()));
    command.stdout(create(&stdout_path)?).stderr(create(&stderr_path)?);
    command.stdin(match stdin {
        Some(path) => {
            Stdio::from(File::open(path).map_err(|e| format!("cannot open stdin file {}: {e}", path.display()))?)
        }
        None => Stdio::null(),
    });
    let mut child = command.spawn().map_err(|e| format!("cannot start {command:?}: {e}"))?;

    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| format!("waiting for {command:?}: {e}"))? {
            Some(status) => break status_of(status),
            None if started.elapsed() >= timeout => {
                // The child may exit between try_wait and kill; either way it is gone after wait.
                let _ = child.kill();
                let _ = child.wait();
                break Status::TimedOut;
            }
            None => sleep(Duration::from_millis(5)),
        }
    };
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    Ok(Outcome {
        status,
        stdout: read(&stdout_path)?,
        stderr: String::from_utf8_lossy(&read(&stderr_path)?).into_owned(),
    })
}

fn status_of(status: ExitStatus) -> Status {
    match (status.code(), status.signal()) {
        (Some(code), _) => Status::Exited(code),
        (None, Some(signal)) => Status::Signaled(signal),
        // Unix reports one or the other; treat anything else as a signal we cannot name.
        (None, None) => Status::Signaled(0),
    }
}
