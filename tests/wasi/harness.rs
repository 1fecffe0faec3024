//! The WASI comparison harness (used by `tests/tests/wasi.rs`): a C program under
//! `tests/wasi/programs/` runs under wasmtime (`tests/wasi/run_wasmtime_wasi.py`) and as a
//! wasmc executable, each in a fresh fixture with the same grants, and the two runs must
//! agree on stdout and exit status. Every fixture has a canary directory next to the
//! sandbox; after each run it must be exactly as it was, so a program that escapes the
//! sandbox fails the test even if its output looked right.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use wasmc::driver::{compile_file, Options};
use wasmc::object::grants::Grants;
use wasmc::object::Target;
use wasmc_tests::process::{self, Outcome};
use wasmc_tests::program::{first_difference, Workspace};
use wasmc_tests::{tools, wasm_build};

const TIMEOUT: Duration = Duration::from_secs(120);
/// The guest name of the pre-opened sandbox.
pub const GUEST_DIR: &str = "/sandbox";
/// Set in both runs' host environment: visible only when granted.
pub const HOST_VARS: &[(&str, &str)] =
    &[("WASMC_T_HOST", "fromhost"), ("WASMC_T_SECRET", "leaked")];
/// A host path the hostile program tries to create through an absolute path.
const ESCAPE_PROBE: &str = "/tmp/wasmc_escape";

/// The files a program starts with.
#[derive(Clone, Copy, Debug)]
pub enum Fixture {
    /// `sandbox/data.txt`.
    Plain,
    /// `Plain` plus the symlinks `hostile.c` attacks through (see `build_fixture`).
    Hostile,
}

/// How the native executable receives its grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granting {
    /// Baked in at compile time (`wasmc m.wasm --dir … -o app`).
    Baked,
    /// At run time in `WASMC_RUN_GRANTS`, as `wasmc run` passes them.
    RunEnv,
}

#[derive(Clone, Copy, Debug)]
pub struct Case {
    pub program: &'static str,
    pub args: &'static [&'static str],
    /// `--env` grants, NAME or NAME=VALUE.
    pub env: &'static [&'static str],
    pub fixture: Fixture,
    pub granting: Granting,
    /// aarch64-linux executables run under qemu-aarch64.
    pub target: Target,
}

impl Case {
    pub const fn new(program: &'static str) -> Case {
        Case {
            program,
            args: &[],
            env: &[],
            fixture: Fixture::Plain,
            granting: Granting::Baked,
            target: Target::X86_64Linux,
        }
    }
}

/// How to start an executable built for `target` on this x86-64 Linux host.
fn launcher(target: Target, executable: &Path) -> Command {
    match target {
        Target::Aarch64Linux => {
            let mut command = Command::new("qemu-aarch64");
            command
                .arg("-L")
                .arg("/usr/aarch64-linux-gnu")
                .arg(executable);
            command
        }
        _ => Command::new(executable),
    }
}

fn wasi_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("wasi")
}

/// Builds `root/sandbox` (granted) and `root/canary` (must stay untouched) from scratch.
pub fn build_fixture(root: &Path, fixture: Fixture) -> Result<(), String> {
    let io = |what: &str, e: std::io::Error| format!("fixture {}: {what}: {e}", root.display());
    let _ = std::fs::remove_dir_all(root);
    let sandbox = root.join("sandbox");
    let canary = root.join("canary");
    for dir in [sandbox.join("sub"), canary.clone()] {
        std::fs::create_dir_all(&dir).map_err(|e| io("mkdir", e))?;
    }
    let files: [(PathBuf, &str); 4] = [
        (sandbox.join("data.txt"), "data file\n!"),
        (sandbox.join("file.txt"), "inside\n"),
        (sandbox.join("sub/inner.txt"), "inner\n"),
        (canary.join("secret.txt"), "secret\n"),
    ];
    for (path, text) in files {
        std::fs::write(&path, text).map_err(|e| io("write", e))?;
    }
    if let Fixture::Hostile = fixture {
        let absolute_canary = canary.to_string_lossy().into_owned();
        let links: [(&str, &str); 10] = [
            ("link_root", "/"),
            ("link_up", "../canary"),
            ("link_abs", &absolute_canary),
            ("chain1", "chain2"),
            ("chain2", "sub/../../canary"),
            ("sub/link_upup", "../../canary/secret.txt"),
            ("dangling_out", "../canary/created.txt"),
            ("loop1", "loop2"),
            ("loop2", "loop1"),
            ("link_in", "sub/inner.txt"),
        ];
        for (link, target) in links {
            std::os::unix::fs::symlink(target, sandbox.join(link)).map_err(|e| io("symlink", e))?;
        }
    }
    Ok(())
}

/// Every entry under `dir` (and `dir`'s siblings' names), with file contents and symlink
/// targets: what must not change outside the sandbox.
fn snapshot_outside(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let read_dir =
        |dir: &Path| std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()));
    for entry in read_dir(root)? {
        let entry = entry.map_err(|e| e.to_string())?;
        out.insert(
            format!("root/{}", entry.file_name().to_string_lossy()),
            String::new(),
        );
    }
    let mut pending = vec![root.join("canary")];
    while let Some(dir) = pending.pop() {
        for entry in read_dir(&dir)? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let meta = std::fs::symlink_metadata(&path).map_err(|e| e.to_string())?;
            let value = if meta.is_dir() {
                pending.push(path.clone());
                "dir".to_string()
            } else if meta.file_type().is_symlink() {
                format!(
                    "-> {}",
                    std::fs::read_link(&path)
                        .map_err(|e| e.to_string())?
                        .display()
                )
            } else {
                format!(
                    "{:?} mtime {:?}",
                    std::fs::read(&path).map_err(|e| e.to_string())?,
                    meta.modified().ok()
                )
            };
            out.insert(
                path.strip_prefix(root)
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
                value,
            );
        }
    }
    out.insert(
        ESCAPE_PROBE.to_string(),
        Path::new(ESCAPE_PROBE).exists().to_string(),
    );
    Ok(out)
}

/// Runs `command` in the fixture at `root` and checks that nothing outside the sandbox changed.
/// Its output goes to `<label>.stdout` and `<label>.stderr` in `outputs`.
fn run_sandboxed(
    mut command: Command,
    root: &Path,
    outputs: &Path,
    case: &Case,
    label: &str,
) -> Result<Outcome, String> {
    build_fixture(root, case.fixture)?;
    let before = snapshot_outside(root)?;
    for (name, value) in HOST_VARS {
        command.env(name, value);
    }
    let outcome = process::run(command, None, outputs, label, TIMEOUT)?;
    let after = snapshot_outside(root)?;
    if before != after {
        return Err(format!(
            "{label}: {} changed outside its sandbox:\nbefore {before:#?}\nafter {after:#?}",
            case.program
        ));
    }
    Ok(outcome)
}

fn grants(case: &Case, sandbox: &Path) -> Result<Grants, String> {
    let mut grants = Grants::default();
    grants
        .add_dir(&format!("{}::{GUEST_DIR}", sandbox.display()))
        .map_err(|e| e.message)?;
    for spec in case.env {
        grants.add_env(spec).map_err(|e| e.message)?;
    }
    Ok(grants)
}

/// The comparison itself.
pub fn check(case: &Case, ws: &Workspace) -> Result<(), String> {
    tools::require_wasmtime()?;
    let module =
        wasm_build::module_for(&wasi_dir().join("programs").join(case.program), &ws.cache)?;

    let reference_root = ws.scratch.join("wasmtime");
    let mut command = Command::new(tools::PYTHON);
    command.arg(wasi_dir().join("run_wasmtime_wasi.py"));
    command.arg("--dir").arg(format!(
        "{}::{GUEST_DIR}",
        reference_root.join("sandbox").display()
    ));
    for spec in case.env {
        command.arg("--env").arg(spec);
    }
    command.arg(&module).args(case.args);
    let reference = run_sandboxed(command, &reference_root, &ws.scratch, case, "wasmtime")?;

    let native_root = ws.scratch.join("native");
    let executable = ws.scratch.join("app");
    let granted = grants(case, &native_root.join("sandbox"))?;
    let baked = match case.granting {
        Granting::Baked => granted.clone(),
        Granting::RunEnv => Grants {
            from_run_env: true,
            ..Grants::default()
        },
    };
    let options = Options {
        grants: baked,
        target: case.target,
        ..Options::default()
    };
    compile_file(&module, &executable, &options)
        .map_err(|e| format!("wasmc failed on {}: {e}", case.program))?;
    let mut command = launcher(case.target, &executable);
    command.args(case.args);
    if case.granting == Granting::RunEnv {
        command.env("WASMC_RUN_GRANTS", granted.encode().map_err(|e| e.message)?);
    }
    let native = run_sandboxed(command, &native_root, &ws.scratch, case, "native")?;

    if native.status != reference.status {
        return Err(format!(
            "{}: wasmtime ended with {:?}, the native executable with {:?}\nstderr:\n{}",
            case.program, reference.status, native.status, native.stderr
        ));
    }
    if native.stdout != reference.stdout {
        return Err(format!(
            "{}: stdout differs from wasmtime's: {}",
            case.program,
            first_difference(&reference.stdout, &native.stdout)
        ));
    }
    Ok(())
}

/// Runs `race.c` natively while a host thread swaps `sandbox/swap` between a directory
/// inside and a symlink to the canary outside. No open may ever reach the canary; both
/// states must have been seen, or the race was not exercised.
pub fn check_race(ws: &Workspace) -> Result<(), String> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let module = wasm_build::module_for(&wasi_dir().join("programs/race.c"), &ws.cache)?;
    let root = ws.scratch.join("race");
    build_fixture(&root, Fixture::Plain)?;
    let sandbox = root.join("sandbox");
    let io = |e: std::io::Error| format!("race fixture: {e}");
    std::fs::create_dir(sandbox.join("dir_a")).map_err(io)?;
    std::fs::write(sandbox.join("dir_a/secret.txt"), "inside\n").map_err(io)?;
    std::os::unix::fs::symlink("../canary", sandbox.join("link_b")).map_err(io)?;

    let executable = ws.scratch.join("race-app");
    let mut grants = Grants::default();
    grants
        .add_dir(&format!("{}::{GUEST_DIR}", sandbox.display()))
        .map_err(|e| e.message)?;
    compile_file(
        &module,
        &executable,
        &Options {
            grants,
            ..Options::default()
        },
    )
    .map_err(|e| e.to_string())?;

    // The swapper holds each state a moment so that both are seen even on a loaded machine;
    // a run that still saw only one is repeated (an escape fails at once).
    for _attempt in 0..5 {
        let stop = AtomicBool::new(false);
        let outcome = std::thread::scope(|scope| {
            scope.spawn(|| {
                let swap = sandbox.join("swap");
                let hold = || {
                    let start = std::time::Instant::now();
                    while start.elapsed() < Duration::from_micros(200) {
                        std::hint::spin_loop();
                    }
                };
                while !stop.load(Ordering::Relaxed) {
                    for name in ["dir_a", "link_b"] {
                        let _ = std::fs::rename(sandbox.join(name), &swap);
                        hold();
                        let _ = std::fs::rename(&swap, sandbox.join(name));
                    }
                }
            });
            let outcome = process::run(
                Command::new(&executable),
                None,
                &ws.scratch,
                "race",
                TIMEOUT,
            );
            stop.store(true, Ordering::Relaxed);
            outcome
        })?;
        let stdout = String::from_utf8_lossy(&outcome.stdout).into_owned();
        let counts: Vec<u64> = stdout
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        match counts.as_slice() {
            [inside, 0, failed] if *inside > 0 && *failed > 0 => return Ok(()),
            [_, 0, _] => continue,
            _ => {
                return Err(format!(
                    "race: an open reached the canary, or the program failed: {stdout:?}"
                ))
            }
        }
    }
    Err("race: in five runs the guest never saw both states of the swapped path".to_string())
}
