//! Builds a script's native test program, runs it, and checks its answers against the plan.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::plan::{Action, Expect, Plan, Step};
use super::values::Val;
use crate::driver::{self, Emit, Options};
use crate::error::{Error, Result};
use crate::isa::x86_64::CpuFeatures;
use crate::object::Target;
use crate::{decode, link, validate};

/// How long one script's test program may run.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// The outcome of one script.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub passed: usize,
    pub failed: usize,
    /// `file:line: what` for each failed assertion, in script order.
    pub failures: Vec<String>,
}

/// wasmc's own verdict on a module's bytes: decoded and valid, or why not.
pub fn check_module(bytes: &[u8]) -> std::result::Result<(), String> {
    let module = decode::parse(bytes).map_err(|e| e.to_string())?;
    validate::validate(&module, bytes).map_err(|e| e.to_string())
}

/// Run one `.wast` script for `target`, its code using the x86-64 extensions `cpu`.
pub fn run_script(path: &Path, target: Target, cpu: CpuFeatures) -> Report {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return Report { failed: 1, failures: vec![format!("{name}: cannot read: {e}")], ..Default::default() },
    };
    let plan = match super::plan::plan_script(&text, &check_module) {
        Ok(p) => p,
        Err(e) => return Report { failed: 1, failures: vec![format!("{name}: cannot parse script: {e}")], ..Default::default() },
    };
    let mut report = Report::default();
    let mut failures: Vec<(usize, String)> = Vec::new();
    for o in &plan.static_outcomes {
        match &o.failure {
            None => report.passed += 1,
            Some(why) => failures.push((o.line, why.clone())),
        }
    }
    let answers = if plan.steps.is_empty() {
        Ok((Vec::new(), Vec::new()))
    } else {
        build_and_run(&plan, target, cpu, &name)
    };
    let (answers, compile_errors) = match answers {
        Ok(answers) => answers,
        // Nothing ran: every step fails with the reason.
        Err(BuildError { message, compile_errors }) => (vec![format!("error {message}")], compile_errors),
    };
    for (i, step) in plan.steps.iter().enumerate() {
        let answer = answers.get(i).map(String::as_str).unwrap_or("error test program stopped before this step");
        let verdict = judge(step, answer, &plan, &compile_errors);
        if !step.is_assertion {
            if let Err(why) = verdict {
                failures.push((step.line, format!("set-up step failed: {why}")));
            }
            continue;
        }
        match verdict {
            Ok(()) => report.passed += 1,
            Err(why) => failures.push((step.line, why)),
        }
    }
    failures.sort_by_key(|f| f.0);
    report.failed = failures.iter().filter(|f| !f.1.starts_with("set-up")).count();
    report.failures = failures.into_iter().map(|(line, why)| format!("{name}:{line}: {why}")).collect();
    report
}

/// Why a step's answer does not satisfy it.
fn judge(step: &Step, answer: &str, plan: &Plan, compile_errors: &[Option<String>]) -> std::result::Result<(), String> {
    let (kind, rest) = answer.split_once(' ').unwrap_or((answer, ""));
    if let Action::Instantiate { module, .. } = step.action {
        if let Some(Some(err)) = compile_errors.get(module) {
            return Err(format!("module (line {}) failed to compile: {err}", plan.modules[module].line));
        }
    }
    match (&step.expect, kind) {
        (Expect::Success, "ok") => Ok(()),
        (Expect::Return(expected), "ok") => {
            let got: Vec<Option<Val>> = rest.split_whitespace().map(Val::parse).collect();
            let matches = got.len() == expected.len()
                && got.iter().zip(expected).all(|(g, e)| g.as_ref().is_some_and(|g| e.matches(g)));
            if matches {
                Ok(())
            } else {
                let e: Vec<String> = expected.iter().map(|e| e.to_string()).collect();
                Err(format!("expected [{}], got [{}]", e.join(" "), rest))
            }
        }
        (Expect::Trap(msg), "trap") | (Expect::Exhaustion(msg), "trap") => {
            if rest.starts_with(msg.as_str()) || msg.starts_with(rest) && !rest.is_empty() {
                Ok(())
            } else {
                Err(format!("expected trap \"{msg}\", got trap \"{rest}\""))
            }
        }
        (Expect::Unlinkable(_), "link") => Ok(()),
        (expect, _) => Err(format!("expected {}, got \"{answer}\"", describe(expect))),
    }
}

fn describe(e: &Expect) -> String {
    match e {
        Expect::Success => "success".into(),
        Expect::Return(v) => format!("return of {} value(s)", v.len()),
        Expect::Trap(m) => format!("trap \"{m}\""),
        Expect::Exhaustion(m) => format!("exhaustion \"{m}\""),
        Expect::Unlinkable(m) => format!("link error \"{m}\""),
    }
}

struct BuildError {
    message: String,
    compile_errors: Vec<Option<String>>,
}

/// Compile every module, link the test program, feed it the steps; its answer lines.
fn build_and_run(
    plan: &Plan,
    target: Target,
    cpu: CpuFeatures,
    name: &str,
) -> std::result::Result<(Vec<String>, Vec<Option<String>>), BuildError> {
    let fail = |message: String, compile_errors: Vec<Option<String>>| BuildError { message, compile_errors };
    let dir = work_dir(name).map_err(|e| fail(e.to_string(), vec![]))?;
    let result = (|| {
        let mut objects = Vec::new();
        let mut compile_errors = Vec::new();
        for (i, m) in plan.modules.iter().enumerate() {
            let prefix = format!("m{i}");
            let opts = Options { target, emit: Emit::Obj, prefix, threads: 1, x86_cpu: cpu, ..Options::default() };
            let compiled = std::panic::catch_unwind(|| driver::compile_to_object(&m.bytes, &opts))
                .unwrap_or_else(|_| Err(Error::msg("internal error: the compiler panicked")));
            match compiled {
                Ok(obj) => {
                    let path = dir.join(format!("m{i}.o"));
                    std::fs::write(&path, obj).map_err(|e| fail(e.to_string(), vec![]))?;
                    objects.push(path);
                    compile_errors.push(None);
                }
                Err(e) => compile_errors.push(Some(e.to_string())),
            }
        }
        let exe = link_program(&dir, &objects, &compile_errors, target)
            .map_err(|e| fail(e.to_string(), compile_errors.clone()))?;
        let input = commands(plan);
        let output = run_with_timeout(&exe, target, &input).map_err(|e| fail(e.to_string(), compile_errors.clone()))?;
        Ok((output.lines().map(str::to_string).collect(), compile_errors))
    })();
    if std::env::var_os("WASMC_KEEP_WAST").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

/// The command lines for the test program, one per step.
fn commands(plan: &Plan) -> String {
    // Names are `x` + hex bytes, so that an empty name is still a token.
    let hex = |s: &str| std::iter::once("x".to_string()).chain(s.bytes().map(|b| format!("{b:02x}"))).collect::<String>();
    let mut out = String::new();
    for step in &plan.steps {
        let line = match &step.action {
            Action::Instantiate { module, instance } => format!("i {module} {instance}"),
            Action::Register { name, instance } => format!("r {instance} {}", hex(name)),
            Action::Invoke { instance, name, args } => {
                let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
                format!("c {instance} {} {} {}", hex(name), args.len(), args.join(" "))
            }
            Action::Get { instance, name } => format!("g {instance} {}", hex(name)),
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn work_dir(name: &str) -> Result<PathBuf> {
    let stem: String = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("wasmc-wast-{}-{stem}-{:x}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::msg(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// Compile the driver and the module table, then link everything with runtime-lib.
fn link_program(dir: &Path, objects: &[PathBuf], compile_errors: &[Option<String>], target: Target) -> Result<PathBuf> {
    let mut table = String::from("#include <stdint.h>\nstruct wasmc_module_meta;\n");
    for (i, err) in compile_errors.iter().enumerate() {
        if err.is_none() {
            table.push_str(&format!("extern const struct wasmc_module_meta m{i}_meta;\n"));
        }
    }
    table.push_str("const struct wasmc_module_meta *const wasmc_wast_modules[] = {\n");
    for (i, err) in compile_errors.iter().enumerate() {
        table.push_str(&if err.is_none() { format!("    &m{i}_meta,\n") } else { "    0,\n".to_string() });
    }
    table.push_str("    0\n};\n");
    table.push_str(&format!("const uint32_t wasmc_wast_module_count = {};\n", compile_errors.len()));
    let table_c = dir.join("modules.c");
    let driver_c = dir.join("driver.c");
    write(&table_c, table.as_bytes())?;
    write(&driver_c, include_str!("driver.c").as_bytes())?;
    for (path, text) in runtime_lib::HEADERS {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::msg(format!("{}: {e}", parent.display())))?;
        }
        write(&file, text.as_bytes())?;
    }
    let cc = driver::c_compiler(target);
    let mut all = objects.to_vec();
    for source in [&driver_c, &table_c] {
        let object = source.with_extension("o");
        let out = Command::new(cc)
            .arg("-O1")
            .arg("-I")
            .arg(dir.join("include"))
            .arg("-c")
            .arg(source)
            .arg("-o")
            .arg(&object)
            .output()
            .map_err(|e| Error::msg(format!("cannot run {cc}: {e}")))?;
        if !out.status.success() {
            return Err(Error::msg(format!("{cc} failed: {}", String::from_utf8_lossy(&out.stderr))));
        }
        all.push(object);
    }
    let exe = dir.join("test-program");
    link::link_executable(&all, &exe, cc)?;
    Ok(exe)
}

/// How to run a program built for `target` on this machine.
fn runner(target: Target, exe: &Path) -> Command {
    match target {
        Target::Aarch64Linux => {
            let mut cmd = Command::new("qemu-aarch64");
            cmd.arg("-L").arg("/usr/aarch64-linux-gnu").arg(exe);
            cmd
        }
        _ => Command::new(exe),
    }
}

fn write(path: &Path, data: &[u8]) -> Result<()> {
    std::fs::write(path, data).map_err(|e| Error::msg(format!("cannot write {}: {e}", path.display())))
}

/// Run the program with `input` on stdin; its stdout. A crash is not an error here: the
/// answers given before it still count, and the missing ones fail.
fn run_with_timeout(exe: &Path, target: Target, input: &str) -> Result<String> {
    let mut cmd = runner(target, exe);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::msg(format!("cannot run {}: {e}", exe.display())))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > RUN_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(Error::msg(format!("waiting for the test program: {e}"))),
        }
    }
    let _ = writer.join();
    Ok(reader.join().unwrap_or_default())
}
