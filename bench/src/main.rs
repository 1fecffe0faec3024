//! wasmc-bench: runs C kernels and real WASI programs natively, as wasmc executables, under
//! wasmtime and under wasmi; checks every output against the reference; writes
//! `bench/README.md` and `bench/chart.svg`.

mod chart;
mod compare;
mod machine;
mod measure;
mod options;
mod process;
mod programs;
mod real;
mod report;
mod runners;
mod stats;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use measure::{Cell, Row, Settings};
use options::Options;
use programs::{Kind, Program};
use runners::{Runner, Tools};

/// `println!` that ignores a closed stdout (`wasmc-bench | head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

struct Layout {
    bench: PathBuf,
    workspace: PathBuf,
    out: PathBuf,
}

impl Layout {
    fn new() -> Layout {
        let bench = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let workspace = bench
            .parent()
            .map_or_else(|| bench.clone(), Path::to_path_buf);
        Layout {
            out: bench.join("out"),
            bench,
            workspace,
        }
    }

    fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| self.workspace.join("target"), PathBuf::from)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        say!("{}", options::USAGE);
        return ExitCode::SUCCESS;
    }
    let options = match Options::parse(&args) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(rows)
            if rows
                .iter()
                .any(|r| r.cells.values().any(|c| matches!(c, Cell::Mismatch(_)))) =>
        {
            eprintln!("wasmc-bench: OUTPUT MISMATCHES were found; see the lines marked ⚠ above");
            ExitCode::FAILURE
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wasmc-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<Vec<Row>, String> {
    let layout = Layout::new();
    let work_dir = layout.out.join("work");
    for dir in [&layout.out, &work_dir] {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let machine = machine::Machine::describe_this_one();
    say!(
        "wasmc-bench on {} ({} cores), {} repetition(s), time limit {} s",
        machine.cpu,
        machine.cores,
        options.reps,
        options.timeout.as_secs_f64()
    );

    let tools = find_tools(options, &layout);
    let (programs, mut rows) = collect_programs(options, &layout)?;
    let settings = Settings {
        runners: &options.runners,
        reps: options.reps,
        timeout: options.timeout,
        work_dir: &work_dir,
        tools: &tools,
    };
    let width = programs.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for (i, program) in programs.iter().enumerate() {
        let row = measure::measure_program(program, &settings, &mut |runner, cell| {
            let marker = if matches!(cell, Cell::Mismatch(_)) {
                "⚠ "
            } else {
                ""
            };
            say!(
                "[{:>2}/{}] {:<width$} {:<8} {marker}{}",
                i + 1,
                programs.len(),
                program.name,
                runner.name(),
                cell.describe()
            );
        });
        rows.push(row);
    }
    rows.sort_by_key(|r| (r.program.kind == Kind::Real, r.program.name.clone()));

    if options.write_readme {
        let chart_path = layout.bench.join("chart.svg");
        let readme_path = layout.bench.join("README.md");
        let readme = report::readme(&report::ReportInput {
            machine: &machine,
            command: &options.command_line,
            reps: options.reps,
            timeout_seconds: options.timeout.as_secs_f64(),
            rows: &rows,
            chart_file: "chart.svg",
        });
        std::fs::write(&chart_path, report::chart(&rows))
            .and_then(|()| std::fs::write(&readme_path, readme))
            .map_err(|e| format!("cannot write the report: {e}"))?;
        say!(
            "wrote {} and {}",
            readme_path.display(),
            chart_path.display()
        );
    }
    Ok(rows)
}

/// The kernels (built now) and the real programs (fetched if missing); programs that could not
/// be built or fetched come back as rows already, so the report shows them.
fn collect_programs(
    options: &Options,
    layout: &Layout,
) -> Result<(Vec<Program>, Vec<Row>), String> {
    let mut programs = Vec::new();
    let mut unbuilt = Vec::new();
    let kernel_dir = layout.out.join("kernels");
    std::fs::create_dir_all(&kernel_dir)
        .map_err(|e| format!("cannot create {}: {e}", kernel_dir.display()))?;
    let sources = programs::kernel_sources(&layout.bench.join("programs"))
        .map_err(|e| format!("cannot list bench/programs: {e}"))?;
    for source in sources {
        let name = source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !options.selects(&name) {
            continue;
        }
        match programs::build_kernel(&source, &kernel_dir) {
            Ok(program) => programs.push(program),
            Err(why) => {
                say!("build {name}: FAILED: {why}");
                unbuilt.push(Row::unbuilt(
                    placeholder(&name, Kind::Kernel),
                    &format!("build: {why}"),
                ));
            }
        }
    }
    say!(
        "built {} kernel(s) natively and to wasm32-wasi",
        programs.len()
    );

    let wanted: Vec<&str> = real::MODULES
        .iter()
        .copied()
        .filter(|m| options.selects(m))
        .collect();
    if !wanted.is_empty() {
        let real_dir = layout.out.join("real");
        let fetched = real::fetch(&layout.bench, &real_dir).and_then(|()| {
            real::programs(&real_dir, &layout.out.join("inputs"))
                .map_err(|e| format!("cannot write inputs: {e}"))
        });
        match fetched {
            Ok(real) => programs.extend(real.into_iter().filter(|p| options.selects(&p.name))),
            Err(why) => {
                say!("real programs: FAILED: {why}");
                unbuilt.extend(
                    wanted
                        .iter()
                        .map(|m| Row::unbuilt(placeholder(m, Kind::Real), &why)),
                );
            }
        }
    }
    if programs.is_empty() && unbuilt.is_empty() {
        return Err(format!(
            "no program matches --only {}",
            options.only.clone().unwrap_or_default().join(",")
        ));
    }
    Ok((programs, unbuilt))
}

fn placeholder(name: &str, kind: Kind) -> Program {
    Program {
        name: name.to_string(),
        description: String::new(),
        kind,
        wasm: PathBuf::new(),
        native: None,
        args: Vec::new(),
        stdin: None,
        expected_status: 0,
    }
}

fn find_tools(options: &Options, layout: &Layout) -> Tools {
    let wasmc = if !options.runners.contains(&Runner::Wasmc) {
        Err("not requested".to_string())
    } else if let Some(path) = &options.wasmc {
        if path.is_file() {
            Ok(path.clone())
        } else {
            Err(format!("{} does not exist", path.display()))
        }
    } else {
        build_wasmc(layout)
    };
    match &wasmc {
        Ok(path) => say!("wasmc: {}", path.display()),
        Err(why) => say!("wasmc: unavailable: {why}"),
    }
    // The wasmi_cli crate installs an executable named `wasmi`.
    let wasmi = find_on_path("wasmi")
        .or_else(|| {
            let cargo_bin = PathBuf::from(std::env::var_os("HOME")?).join(".cargo/bin/wasmi");
            cargo_bin.is_file().then_some(cargo_bin)
        })
        .ok_or_else(|| "wasmi is not installed (bench/run.sh installs wasmi_cli)".to_string());
    match &wasmi {
        Ok(path) => say!("wasmi: {}", path.display()),
        Err(why) => say!("wasmi: unavailable: {why}"),
    }
    Tools {
        wasmc,
        wasmc_target_cpu: options.target_cpu.clone(),
        wasmi,
        python: PathBuf::from("python3"),
        wasmtime_script: layout.bench.join("wasmtime_run.py"),
    }
}

/// `cargo build --release -p wasmc`, in this workspace and target directory; cargo's progress
/// and errors go to the terminal.
fn build_wasmc(layout: &Layout) -> Result<PathBuf, String> {
    say!("building wasmc: cargo build --release -p wasmc");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "wasmc"])
        .current_dir(&layout.workspace)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(
            "cargo build --release -p wasmc failed (its errors are printed above)".to_string(),
        );
    }
    let binary = layout.target_dir().join("release").join("wasmc");
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("{} was not built", binary.display()))
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}
