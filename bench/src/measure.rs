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

/// Runs the reference runner first (its output is the expected one), then the others;
/// `progress` receives each finished cell.
pub fn measure_program(
    program: &Program,
    settings: &Settings,
    progress: &mut dyn FnMut(Runner, &Cell),
) -> Row {
    let reference = program.reference();
    let mut expected: Option<Vec<u8>> = None;
    let mut cells = BTreeMap::new();
    let order =
        std::iter::once(reference).chain(Runner::ALL.into_iter().filter(|r| *r != reference));
    for runner in order {
        let cell = if runner != reference && !settings.runners.contains(&runner) {
            Cell::Skipped
        } else if runner != reference && expected.is_none() {
            Cell::Failed(format!(
                "no reference output ({} did not run correctly)",
                reference.name()
            ))
        } else {
            let (cell, output) = measure_runner(runner, program, settings, expected.as_deref());
            if runner == reference && matches!(cell, Cell::Timed(_)) {
                expected = output;
            }
            cell
        };
        progress(runner, &cell);
        cells.insert(runner, cell);
    }
    let wasm_bytes = std::fs::metadata(&program.wasm).map_or(0, |m| m.len());
    Row {
        program: program.clone(),
        wasm_bytes,
        cells,
    }
}

/// Prepares one runner and runs it `reps` times. With no `expected` output (the reference
/// runner), the first run's output becomes the one the later runs must reproduce.
fn measure_runner(
    runner: Runner,
    program: &Program,
    settings: &Settings,
    expected: Option<&[u8]>,
) -> (Cell, Option<Vec<u8>>) {
    let prepared = match runners::prepare(
        runner,
        program,
        settings.tools,
        settings.work_dir,
        settings.timeout,
    ) {
        Ok(p) => p,
        Err(NotReady::Unavailable(why)) => return (Cell::Unavailable(why), None),
        Err(NotReady::Failed(why)) => return (Cell::Failed(why), None),
    };
    let mut expected = expected.map(<[u8]>::to_vec);
    let (mut runs, mut walls, mut compiles) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..settings.reps {
        match check_run(&prepared, program, settings, expected.as_deref()) {
            Err(cell) => return (cell, None),
            Ok(run) => {
                runs.push(run.inner_run.unwrap_or(run.wall));
                walls.push(run.wall);
                compiles.extend(run.inner_compile);
                expected.get_or_insert(run.stdout);
            }
        }
    }
    let timing = Timing {
        run: median(&runs).unwrap_or(f64::NAN),
        wall: median(&walls).unwrap_or(f64::NAN),
        compile: prepared.compile_seconds.or_else(|| median(&compiles)),
        repetitions: runs.len(),
    };
    (Cell::Timed(timing), expected)
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
                return Err(Cell::Mismatch(difference.to_string()));
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
