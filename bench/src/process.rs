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
            return Ok(Ended::Exited {
                status,
                wall: start.elapsed(),
            });
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Scratch(PathBuf);

    impl Scratch {
        fn new(test: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("wasmc-bench-{test}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn shell(script: &str, dir: &Path, stdin: Option<&Path>, timeout: Duration) -> Ended {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        let (stdout, stderr) = (dir.join("out"), dir.join("err"));
        let invocation = Invocation {
            stdin,
            stdout: &stdout,
            stderr: &stderr,
            timeout,
        };
        run(command, &invocation).unwrap()
    }

    #[test]
    fn captures_stdout_and_feeds_stdin() {
        let scratch = Scratch::new("io");
        let input = scratch.0.join("in");
        std::fs::write(&input, "hello\n").unwrap();
        let ended = shell(
            "tr a-z A-Z; echo oops >&2; exit 3",
            &scratch.0,
            Some(&input),
            Duration::from_secs(30),
        );
        let Ended::Exited { status, .. } = ended else {
            panic!("{ended:?}")
        };
        assert_eq!(status.code(), Some(3));
        assert_eq!(describe_failure(&status), "exit status 3");
        assert_eq!(std::fs::read(scratch.0.join("out")).unwrap(), b"HELLO\n");
        assert_eq!(tail(&scratch.0.join("err"), 2), "oops");
    }

    #[test]
    fn a_crash_is_described_by_its_signal() {
        let scratch = Scratch::new("crash");
        let ended = shell("kill -SEGV $$", &scratch.0, None, Duration::from_secs(30));
        let Ended::Exited { status, .. } = ended else {
            panic!("{ended:?}")
        };
        assert_eq!(describe_failure(&status), "killed by signal 11");
    }

    #[test]
    fn a_hanging_process_is_killed_at_the_limit() {
        let scratch = Scratch::new("hang");
        let ended = shell("exec sleep 30", &scratch.0, None, Duration::from_millis(50));
        assert!(matches!(ended, Ended::TimedOut), "{ended:?}");
    }

    #[test]
    fn a_missing_stdin_file_is_an_error_not_a_panic() {
        let scratch = Scratch::new("nostdin");
        let (stdout, stderr) = (scratch.0.join("out"), scratch.0.join("err"));
        let missing = scratch.0.join("missing");
        let invocation = Invocation {
            stdin: Some(&missing),
            stdout: &stdout,
            stderr: &stderr,
            timeout: Duration::from_secs(1),
        };
        assert!(run(Command::new("true"), &invocation).is_err());
    }

    #[test]
    fn tail_keeps_the_last_non_empty_lines() {
        let scratch = Scratch::new("tail");
        let path = scratch.0.join("log");
        std::fs::write(&path, "one\n\ntwo\nthree\n\n").unwrap();
        assert_eq!(tail(&path, 2), "two / three");
        assert_eq!(tail(&scratch.0.join("absent"), 2), "");
    }
}
