//! Repeated runs of one program under each runner, checked against the reference runner's output.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::compare::first_difference;
use crate::programs::Program;
use crate::runners::{self, NotReady, Prepared, RunOutcome, Runner, Tools};
use crate::stats::median;

/// The medians of one runner's repetitions.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// The time the report compares: wall time, except for wasmtime, whose script measures
    /// instantiation plus `_start` inside its process (Python's start-up and compilation excluded).
    pub run: f64,
    /// Wall time of the whole process.
    pub wall: f64,
    /// Compilation apart from running: wasmc ahead of time, wasmtime inside its script.
    pub compile: Option<f64>,
    pub repetitions: usize,
}

/// What one runner achieved on one program: a timing, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Timed(Timing),
    /// The output (or exit status) differs from the reference: never averaged in.
    Mismatch(String),
    Crashed(String),
    TimedOut(Duration),
    /// The runner could not be made ready for this program (compilation failed, no reference…).
    Failed(String),
    /// The runner is not installed or does not apply (no native build of a real program).
    Unavailable(String),
    /// Left out on the command line.
    Skipped,
}

impl Cell {
    pub fn timing(&self) -> Option<&Timing> {
        match self {
            Cell::Timed(t) => Some(t),
            _ => None,
        }
    }

    /// One line for the progress log and the report's notes.
    pub fn describe(&self) -> String {
        match self {
            Cell::Timed(t) => {
                let mut s = format!(
                    "{:.3} s (median of {}, wall {:.3} s",
                    t.run, t.repetitions, t.wall
                );
                if let Some(c) = t.compile {
                    s += &format!(", compile {c:.3} s");
                }
                s + ")"
            }
            Cell::Mismatch(why) => format!("OUTPUT MISMATCH: {why}"),
            Cell::Crashed(why) => format!("crashed: {why}"),
            Cell::TimedOut(limit) => format!("timed out after {} s", limit.as_secs_f64()),
            Cell::Failed(why) => format!("failed: {why}"),
            Cell::Unavailable(why) => format!("n/a: {why}"),
            Cell::Skipped => "skipped".to_string(),
        }
    }
}

/// One program's results: a cell per runner, and the module's size for compile throughput.
#[derive(Debug, Clone)]
pub struct Row {
    pub program: Program,
    pub wasm_bytes: u64,
    pub cells: BTreeMap<Runner, Cell>,
}

impl Row {
    pub fn timing(&self, runner: Runner) -> Option<&Timing> {
        self.cells.get(&runner).and_then(Cell::timing)
    }

    /// A row whose program could not even be built: every runner carries the reason.
    pub fn unbuilt(program: Program, reason: &str) -> Row {
        let cells = Runner::ALL
            .into_iter()
            .map(|r| (r, Cell::Failed(reason.to_string())))
            .collect();
        Row {
            program,
            wasm_bytes: 0,
            cells,
        }
    }
}

pub struct Settings<'a> {
    pub runners: &'a [Runner],
    pub reps: usize,
    pub timeout: Duration,
    pub work_dir: &'a Path,
    pub tools: &'a Tools,
}

/// Runs the reference runner once first (its output is the expected one), then every runner's
/// repetitions in turn (reference, wasmc, wasmtime, wasmi, then again), so that a slow spell of
/// a shared machine falls on all of them rather than on one runner's block of repetitions and
/// skews their ratios. `progress` receives each cell once the program is done, reference first.
pub fn measure_program(
    program: &Program,
    settings: &Settings,
    progress: &mut dyn FnMut(Runner, &Cell),
) -> Row {
    let reference = program.reference();
    let order: Vec<Runner> = std::iter::once(reference)
        .chain(Runner::ALL.into_iter().filter(|r| *r != reference))
        .collect();
    let mut cells = BTreeMap::new();
    let mut active: Vec<Series> = Vec::new();
    let mut expected: Option<Vec<u8>> = None;
    for &runner in &order {
        if runner != reference && !settings.runners.contains(&runner) {
            cells.insert(runner, Cell::Skipped);
            continue;
        }
        if runner != reference && expected.is_none() {
            cells.insert(
                runner,
                Cell::Failed(format!(
                    "no reference output ({} did not run correctly)",
                    reference.name()
                )),
            );
            continue;
        }
        let mut series = match Series::prepare(runner, program, settings) {
            Ok(series) => series,
            Err(cell) => {
                cells.insert(runner, cell);
                continue;
            }
        };
        if runner == reference {
            match check_run(&series.prepared, program, settings, None) {
                Ok(run) => {
                    series.record(&run);
                    expected = Some(run.stdout);
                }
                Err(cell) => {
                    cells.insert(runner, cell);
                    continue;
                }
            }
        }
        active.push(series);
    }
    for rep in 0..settings.reps {
        for series in active.iter_mut() {
            // The reference's first repetition is the run that gave the expected output.
            if series.failed.is_some() || series.runs.len() > rep {
                continue;
            }
            match check_run(&series.prepared, program, settings, expected.as_deref()) {
                Ok(run) => series.record(&run),
                Err(cell) => series.failed = Some(cell),
            }
        }
    }
    for series in active {
        cells.insert(series.prepared.runner, series.finish());
    }
    for runner in &order {
        progress(*runner, &cells[runner]);
    }
    let wasm_bytes = std::fs::metadata(&program.wasm).map_or(0, |m| m.len());
    Row {
        program: program.clone(),
        wasm_bytes,
        cells,
    }
}

/// One runner's repetitions on one program, as they accumulate.
struct Series {
    prepared: Prepared,
    runs: Vec<f64>,
    walls: Vec<f64>,
    compiles: Vec<f64>,
    /// Set by the first run that is not a correct one; the runner then stops.
    failed: Option<Cell>,
}

impl Series {
    fn prepare(runner: Runner, program: &Program, settings: &Settings) -> Result<Series, Cell> {
        let prepared = runners::prepare(
            runner,
            program,
            settings.tools,
            settings.work_dir,
            settings.timeout,
            settings.reps,
        )
        .map_err(|e| match e {
            NotReady::Unavailable(why) => Cell::Unavailable(why),
            NotReady::Failed(why) => Cell::Failed(why),
        })?;
        Ok(Series {
            prepared,
            runs: Vec::new(),
            walls: Vec::new(),
            compiles: Vec::new(),
            failed: None,
        })
    }

    fn record(&mut self, run: &CheckedRun) {
        self.runs.push(run.inner_run.unwrap_or(run.wall));
        self.walls.push(run.wall);
        self.compiles.extend(run.inner_compile);
    }

    fn finish(self) -> Cell {
        if let Some(cell) = self.failed {
            return cell;
        }
        Cell::Timed(Timing {
            run: median(&self.runs).unwrap_or(f64::NAN),
            wall: median(&self.walls).unwrap_or(f64::NAN),
            compile: self.prepared.compile_seconds.or_else(|| median(&self.compiles)),
            repetitions: self.runs.len(),
        })
    }
}

struct CheckedRun {
    wall: f64,
    inner_run: Option<f64>,
    inner_compile: Option<f64>,
    stdout: Vec<u8>,
}

/// One run, turned into a cell when it is not a correct one.
fn check_run(
    prepared: &Prepared,
    program: &Program,
    settings: &Settings,
    expected: Option<&[u8]>,
) -> Result<CheckedRun, Cell> {
    match runners::run_once(prepared, program, settings.work_dir, settings.timeout) {
        RunOutcome::CouldNotStart(why) => Err(Cell::Failed(why)),
        RunOutcome::TimedOut => Err(Cell::TimedOut(settings.timeout)),
        RunOutcome::Finished {
            status,
            wall_seconds,
            inner_run_seconds,
            inner_compile_seconds,
            stdout,
            stderr_tail,
        } => {
            if status.code() != Some(program.expected_status) {
                return Err(Cell::Crashed(format!(
                    "{} (expected exit status {}): {stderr_tail}",
                    crate::process::describe_failure(&status),
                    program.expected_status
                )));
            }
            if let Some(difference) = expected.and_then(|e| first_difference(e, &stdout)) {
                let kept = crate::process::scratch(
                    settings.work_dir,
                    &program.name,
                    prepared.runner.name(),
                    "stdout",
                );
                return Err(Cell::Mismatch(format!(
                    "{difference}; the output is kept in {}",
                    kept.display()
                )));
            }
            Ok(CheckedRun {
                wall: wall_seconds,
                inner_run: inner_run_seconds,
                inner_compile: inner_compile_seconds,
                stdout,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programs::Kind;
    use std::os::unix::fs::PermissionsExt;
    use std::path::PathBuf;

    /// What the stand-in native runner prints, the reference output.
    const REFERENCE: &str = "echo 'sum 42'";
    /// A wasmtime stand-in that reports its own timings like `bench/wasmtime_run.py`.
    const WASMTIME_TIMED: &str = "echo 'compile_s=0.5 run_s=0.25' > \"$2\"; echo 'sum 42'";

    /// A scratch directory with stand-in runners: shell scripts whose behaviour each test picks.
    struct Bench {
        dir: PathBuf,
    }

    impl Bench {
        fn new(test: &str) -> Bench {
            let dir = std::env::temp_dir()
                .join(format!("wasmc-bench-measure-{test}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Bench { dir }
        }

        fn script(&self, name: &str, body: &str) -> PathBuf {
            let path = self.dir.join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            path
        }

        /// A kernel whose runners are stand-in scripts with these bodies (wasmc is not built).
        fn kernel(&self, native: &str, wasmtime: &str, wasmi: &str) -> (Program, Tools) {
            let program = Program {
                name: "kernel".into(),
                description: String::new(),
                kind: Kind::Kernel,
                wasm: self.dir.join("kernel.wasm"),
                native: Some(self.script("native", native)),
                args: vec![],
                stdin: None,
                expected_status: 0,
            };
            let tools = Tools {
                wasmc_target_cpu: "baseline".to_string(),
                wasmc: Err("wasmc was not built".into()),
                wasmi: Ok(self.script("wasmi", wasmi)),
                python: "sh".into(),
                wasmtime_script: self.script("wasmtime", wasmtime),
            };
            (program, tools)
        }

        /// native prints the reference; the wasmtime stand-in reports its own timings like the
        /// real script (`--timings FILE` come first); wasmi does what `wasmi_body` says.
        fn measure(&self, wasmi_body: &str) -> Row {
            let (program, tools) = self.kernel(REFERENCE, WASMTIME_TIMED, wasmi_body);
            let runners = Runner::ALL;
            let settings = Settings {
                runners: &runners,
                reps: 2,
                timeout: Duration::from_secs(30),
                work_dir: &self.dir,
                tools: &tools,
            };
            let mut order = Vec::new();
            let row = measure_program(&program, &settings, &mut |runner, _| order.push(runner));
            assert_eq!(order[0], Runner::Native, "the reference runs first");
            row
        }
    }

    impl Drop for Bench {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    #[test]
    fn matching_runs_are_timed_and_mismatches_marked() {
        let bench = Bench::new("mismatch");
        let row = bench.measure("echo 'sum 43'");
        assert!(matches!(
            row.cells[&Runner::Native],
            Cell::Timed(Timing { repetitions: 2, .. })
        ));
        let wasmtime = row
            .timing(Runner::Wasmtime)
            .expect("wasmtime matched the reference");
        assert_eq!(
            (wasmtime.run, wasmtime.compile),
            (0.25, Some(0.5)),
            "the script's own timings are used"
        );
        assert_eq!(
            row.cells[&Runner::Wasmc],
            Cell::Failed("wasmc was not built".into())
        );
        let Cell::Mismatch(why) = &row.cells[&Runner::Wasmi] else {
            panic!("{:?}", row.cells[&Runner::Wasmi])
        };
        assert!(why.contains("expected \"sum 42\", got \"sum 43\""), "{why}");
    }

    #[test]
    fn crashes_and_wrong_exit_statuses_are_reported() {
        let bench = Bench::new("crash");
        let row = bench.measure("kill -SEGV $$");
        assert!(
            matches!(&row.cells[&Runner::Wasmi], Cell::Crashed(why) if why.contains("signal 11"))
        );
        let row = bench.measure("echo 'sum 42'; exit 3");
        assert!(
            matches!(&row.cells[&Runner::Wasmi], Cell::Crashed(why) if why.contains("exit status 3"))
        );
    }

    #[test]
    fn repetitions_take_turns_across_runners() {
        let bench = Bench::new("turns");
        let log = bench.dir.join("log");
        let logged = |name: &str, out: &str| format!("echo {name} >> '{}'; {out}", log.display());
        let (program, tools) = bench.kernel(
            &logged("native", REFERENCE),
            &logged("wasmtime", WASMTIME_TIMED),
            &logged("wasmi", REFERENCE),
        );
        let settings = Settings {
            runners: &Runner::ALL,
            reps: 3,
            timeout: Duration::from_secs(30),
            work_dir: &bench.dir,
            tools: &tools,
        };
        let row = measure_program(&program, &settings, &mut |_, _| {});
        let order = std::fs::read_to_string(&log).unwrap();
        let turns = "native wasmtime wasmi ".repeat(3);
        assert_eq!(order.split_whitespace().collect::<Vec<_>>().join(" ") + " ", turns);
        for runner in [Runner::Native, Runner::Wasmtime, Runner::Wasmi] {
            assert_eq!(row.timing(runner).map(|t| t.repetitions), Some(3), "{runner:?}");
        }
    }

    #[test]
    fn without_a_reference_nothing_else_runs() {
        let bench = Bench::new("noref");
        let program = Program {
            name: "broken".into(),
            description: String::new(),
            kind: Kind::Kernel,
            wasm: bench.dir.join("broken.wasm"),
            native: Some(bench.script("native", "exit 1")),
            args: vec![],
            stdin: None,
            expected_status: 0,
        };
        let tools = Tools {
            wasmc_target_cpu: "baseline".to_string(),
            wasmc: Err("unused".into()),
            wasmi: Ok(bench.script("wasmi", "echo ran")),
            python: "sh".into(),
            wasmtime_script: bench.script("wasmtime", "echo ran"),
        };
        let settings = Settings {
            runners: &[Runner::Native, Runner::Wasmi],
            reps: 1,
            timeout: Duration::from_secs(30),
            work_dir: &bench.dir,
            tools: &tools,
        };
        let row = measure_program(&program, &settings, &mut |_, _| {});
        assert!(matches!(row.cells[&Runner::Native], Cell::Crashed(_)));
        assert!(
            matches!(&row.cells[&Runner::Wasmi], Cell::Failed(why) if why.contains("no reference output"))
        );
        assert_eq!(row.cells[&Runner::Wasmtime], Cell::Skipped, "not requested");
    }
}
