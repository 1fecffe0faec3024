//! `wasmc wast [options] FILE.wast…`: run spec scripts, print failures and totals, and keep
//! the status table.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::harness::{run_script, Report};
use super::status::{Score, StatusTable};
use crate::driver;
use crate::isa::x86_64::CpuFeatures;
use crate::object::Target;

pub const USAGE: &str = "\
usage: wasmc wast [options] FILE.wast...
  --target TARGET   x86_64-linux (default) or aarch64-linux (run under qemu)
  --target-cpu CPU  x86-64 extensions the code may use: baseline (default), x86-64-v2,
                    x86-64-v3 or native; the status column is then TARGET/CPU
  -j N              scripts run in parallel (default: one per core)
  --status FILE     compare with the status table FILE; fail only if a script regressed
  --bless           with --status: rewrite FILE with this run's scores
  --max-failures N  failures printed per script (default 20)
The last line is `N passed, M failed`.
";

struct Args {
    target: Target,
    target_name: String,
    cpu: CpuFeatures,
    cpu_name: Option<String>,
    jobs: usize,
    status: Option<PathBuf>,
    bless: bool,
    max_failures: usize,
    files: Vec<PathBuf>,
}

fn parse(args: Vec<String>) -> Result<Option<Args>, String> {
    let mut a = Args {
        target: Target::X86_64Linux,
        target_name: "x86_64-linux".into(),
        cpu: CpuFeatures::default(),
        cpu_name: None,
        jobs: 0,
        status: None,
        bless: false,
        max_failures: 20,
        files: vec![],
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(None);
            }
            "--target" => {
                a.target_name = value("--target")?;
                a.target = driver::parse_target(&a.target_name).ok_or_else(|| format!("unknown target '{}'", a.target_name))?;
            }
            "--target-cpu" => a.cpu_name = Some(value("--target-cpu")?),
            "-j" => a.jobs = value("-j")?.parse().map_err(|_| "-j takes a number")?,
            "--status" => a.status = Some(PathBuf::from(value("--status")?)),
            "--bless" => a.bless = true,
            "--max-failures" => a.max_failures = value("--max-failures")?.parse().map_err(|_| "--max-failures takes a number")?,
            _ if arg.starts_with('-') => return Err(format!("unknown option '{arg}'\n\n{USAGE}")),
            _ => a.files.push(PathBuf::from(arg)),
        }
    }
    if let Some(name) = &a.cpu_name {
        let x86 = matches!(a.target, Target::X86_64Linux | Target::X86_64MacOs);
        a.cpu = CpuFeatures::for_target(name, x86).map_err(|e| e.message)?;
    }
    if a.files.is_empty() {
        return Err(format!("no scripts given\n\n{USAGE}"));
    }
    if a.bless && a.status.is_none() {
        return Err("--bless needs --status FILE".into());
    }
    Ok(Some(a))
}

pub fn main(args: Vec<String>) -> Result<ExitCode, String> {
    let Some(args) = parse(args)? else { return Ok(ExitCode::SUCCESS) };
    let reports = run_all(&args);
    let (mut passed, mut failed) = (0, 0);
    let mut now = StatusTable::default();
    for (file, report) in args.files.iter().zip(&reports) {
        for f in report.failures.iter().take(args.max_failures) {
            println!("{f}");
        }
        if report.failures.len() > args.max_failures {
            println!("... and {} more failures", report.failures.len() - args.max_failures);
        }
        println!("{}: {} passed, {} failed", file.display(), report.passed, report.failed);
        passed += report.passed;
        failed += report.failed;
        let score = Score { passed: report.passed, total: report.passed + report.failed };
        now.set(&file_name(file), &args.column(), score);
    }
    let mut code = if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if let Some(path) = &args.status {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mut recorded = StatusTable::parse(&text);
        let regressions = recorded.regressions(&now, &args.column());
        for r in &regressions {
            println!("REGRESSION: {r}");
        }
        code = if regressions.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
        if args.bless {
            for (file, row) in &now.rows {
                for (target, score) in row {
                    recorded.set(file, target, *score);
                }
            }
            std::fs::write(path, recorded.render()).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(code)
}

impl Args {
    /// The status table's column: the target, and the CPU level when one was asked for.
    fn column(&self) -> String {
        match &self.cpu_name {
            Some(cpu) if cpu != "baseline" => format!("{}/{cpu}", self.target_name),
            _ => self.target_name.clone(),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Run every script on a pool of threads; reports in the order of `args.files`.
fn run_all(args: &Args) -> Vec<Report> {
    let jobs = match args.jobs {
        0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        n => n,
    };
    let next = AtomicUsize::new(0);
    let reports: Vec<Mutex<Option<Report>>> = args.files.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..jobs.min(args.files.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = args.files.get(i) else { break };
                let report = run_script(file, args.target, args.cpu);
                eprintln!("[{}/{}] {}: {} passed, {} failed", i + 1, args.files.len(), file.display(), report.passed, report.failed);
                *reports[i].lock().unwrap() = Some(report);
            });
        }
    });
    reports.into_iter().map(|r| r.into_inner().unwrap().unwrap_or_default()).collect()
}
