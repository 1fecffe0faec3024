//! Running one child process with a time limit, its stdout captured to a file.
//!
//! Output goes to files rather than pipes so that a chatty program cannot block on a full pipe
//! while we wait for it, and so that its bytes can be compared after the fact.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What one invocation needs besides the command itself.
pub struct Invocation<'a> {
    pub stdin: Option<&'a Path>,
    pub stdout: &'a Path,
    pub stderr: &'a Path,
    pub timeout: Duration,
}

/// How a process ended.
#[derive(Debug)]
pub enum Ended {
    Exited { status: ExitStatus, wall: Duration },
    TimedOut,
}

/// How often we look whether the child has exited: small against the runs we time (≥ 0.1 s).
const POLL_INTERVAL: Duration = Duration::from_millis(2);

/// Runs `command` to completion or until the time limit, then kills it.
/// The wall time runs from just before the spawn to the first poll that sees the exit.
pub fn run(mut command: Command, invocation: &Invocation) -> std::io::Result<Ended> {
    let stdin = match invocation.stdin {
        Some(path) => Stdio::from(File::open(path)?),
        None => Stdio::null(),
    };
    command
        .stdin(stdin)
        .stdout(File::create(invocation.stdout)?)
        .stderr(File::create(invocation.stderr)?);
    let start = Instant::now();
    let mut child = command.spawn()?;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Ended::Exited { status, wall: start.elapsed() });
        }
        if start.elapsed() >= invocation.timeout {
            // The child may exit between the check and the kill; either way it is gone after wait.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Ended::TimedOut);
        }
        std::thread::sleep(POLL_INTERVAL);
    }
}

/// The last lines of a (stderr) file, for a report cell or the progress log.
pub fn tail(path: &Path, max_lines: usize) -> String {
    let text = std::fs::read(path).unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(max_lines)..].join(" / ")
}

/// Describes an exit status that is not success, the way a shell user would read it.
pub fn describe_failure(status: &ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "abnormal exit".to_string(),
    }
}

/// A scratch file path under `dir` for one runner's run of one program.
pub fn scratch(dir: &Path, program: &str, runner: &str, what: &str) -> PathBuf {
    dir.join(format!("{program}.{runner}.{what}"))
}
