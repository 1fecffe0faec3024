//! The Markdown report (`bench/README.md`): machine, how to reproduce, result tables, geometric
//! means, compile times and the chart.

use std::fmt::Write as _;

use crate::machine::Machine;
use crate::measure::{Cell, Row};
use crate::programs::Kind;
use crate::runners::Runner;
use crate::stats::geomean;

/// A ratio column: the time of `numerator` divided by the time of `denominator`.
#[derive(Clone, Copy)]
pub struct Ratio {
    pub numerator: Runner,
    pub denominator: Runner,
}

impl Ratio {
    const fn new(numerator: Runner, denominator: Runner) -> Ratio {
        Ratio {
            numerator,
            denominator,
        }
    }

    pub fn of(&self, row: &Row) -> Option<f64> {
        let n = row.timing(self.numerator)?.run;
        let d = row.timing(self.denominator)?.run;
        (n.is_finite() && d.is_finite() && d > 0.0 && n > 0.0).then(|| n / d)
    }

    fn heading(&self) -> String {
        format!("{}/{}", self.numerator.name(), self.denominator.name())
    }
}

pub const KERNEL_RUNNERS: [Runner; 4] = [
    Runner::Native,
    Runner::Wasmc,
    Runner::Wasmtime,
    Runner::Wasmi,
];
pub const KERNEL_RATIOS: [Ratio; 4] = [
    Ratio::new(Runner::Wasmc, Runner::Native),
    Ratio::new(Runner::Wasmc, Runner::Wasmtime),
    Ratio::new(Runner::Wasmi, Runner::Wasmc),
    Ratio::new(Runner::Wasmi, Runner::Native),
];
pub const REAL_RUNNERS: [Runner; 3] = [Runner::Wasmc, Runner::Wasmtime, Runner::Wasmi];
pub const REAL_RATIOS: [Ratio; 3] = [
    Ratio::new(Runner::Wasmc, Runner::Wasmtime),
    Ratio::new(Runner::Wasmi, Runner::Wasmc),
    Ratio::new(Runner::Wasmi, Runner::Wasmtime),
];

/// The text of a table cell: seconds, or a short word for a run without a valid time
/// (the reason is listed under the table).
pub fn cell_text(cell: Option<&Cell>) -> String {
    match cell {
        Some(Cell::Timed(t)) => format!("{:.3}", t.run),
        Some(Cell::Mismatch(_)) => "**MISMATCH**".to_string(),
        Some(Cell::Crashed(_)) => "crashed".to_string(),
        Some(Cell::TimedOut(_)) => "timeout".to_string(),
        Some(Cell::Failed(_)) => "failed".to_string(),
        Some(Cell::Unavailable(_)) => "n/a".to_string(),
        Some(Cell::Skipped) | None => "skipped".to_string(),
    }
}

pub fn ratio_text(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) if r >= 100.0 => format!("{r:.0}×"),
        Some(r) if r >= 10.0 => format!("{r:.1}×"),
        Some(r) => format!("{r:.2}×"),
        None => "–".to_string(),
    }
}

/// A results table: one row per program, the runners' times, the ratios, and a geometric-mean
/// row over the programs where each ratio exists (how many, when not all).
pub fn results_table(rows: &[&Row], runners: &[Runner], ratios: &[Ratio]) -> String {
    let mut header = vec!["program".to_string()];
    header.extend(runners.iter().map(|r| format!("{} (s)", r.name())));
    header.extend(ratios.iter().map(Ratio::heading));
    let mut table = markdown_row(&header);
    table += &markdown_row(
        &header
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { ":--" } else { "--:" }.to_string())
            .collect::<Vec<_>>(),
    );
    for row in rows {
        let mut cells = vec![row.program.name.clone()];
        cells.extend(runners.iter().map(|r| cell_text(row.cells.get(r))));
        cells.extend(ratios.iter().map(|ratio| ratio_text(ratio.of(row))));
        table += &markdown_row(&cells);
    }
    let mut means = vec!["**geometric mean**".to_string()];
    means.extend(runners.iter().map(|_| String::new()));
    for ratio in ratios {
        let values: Vec<f64> = rows.iter().filter_map(|row| ratio.of(row)).collect();
        means.push(match geomean(&values) {
            None => "–".to_string(),
            Some(mean) if values.len() < rows.len() => {
                format!(
                    "**{}** ({} of {})",
                    ratio_text(Some(mean)),
                    values.len(),
                    rows.len()
                )
            }
            Some(mean) => format!("**{}**", ratio_text(Some(mean))),
        });
    }
    table + &markdown_row(&means)
}

fn markdown_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// Every cell without a valid time, with its reason: mismatches first, one line each and loudly;
/// other failures grouped by runner and reason, since one broken runner fails every program alike.
/// A runner that does not apply (no native build of a real program) is no problem.
pub fn problems(rows: &[Row]) -> Vec<String> {
    let mut mismatches = Vec::new();
    let mut groups: Vec<(Runner, String, Vec<&str>)> = Vec::new();
    for row in rows {
        for (runner, cell) in &row.cells {
            let name = row.program.name.as_str();
            match cell {
                Cell::Mismatch(_) => {
                    mismatches.push(format!("⚠ {name} / {}: {}", runner.name(), cell.describe()))
                }
                Cell::Timed(_) | Cell::Skipped => {}
                Cell::Unavailable(_)
                    if *runner == Runner::Native && row.program.kind == Kind::Real => {}
                _ => {
                    let reason = cell.describe();
                    match groups
                        .iter_mut()
                        .find(|(r, why, _)| r == runner && *why == reason)
                    {
                        Some((_, _, names)) => names.push(name),
                        None => groups.push((*runner, reason, vec![name])),
                    }
                }
            }
        }
    }
    groups.sort_by_key(|(runner, _, _)| *runner);
    mismatches.extend(groups.into_iter().map(|(runner, reason, names)| {
        format!("{} on {}: {reason}", runner.name(), names.join(", "))
    }));
    mismatches
}

/// Compilation apart from running, and wasmtime's whole process (Python start-up, compilation,
/// instantiation and run) for comparison with its in-process run time.
pub fn compile_table(rows: &[Row]) -> String {
    let mut table = String::from(
        "| program | module (KiB) | wasmc compile (s) | wasmc (MB/s) | wasmtime compile (s) | wasmtime wall (s) |\n\
         |:--|--:|--:|--:|--:|--:|\n",
    );
    let seconds = |s: Option<f64>| s.map_or("–".to_string(), |s| format!("{s:.3}"));
    for row in rows {
        let wasmc = row.timing(Runner::Wasmc).and_then(|t| t.compile);
        let wasmtime = row.timing(Runner::Wasmtime);
        let _ = writeln!(
            table,
            "| {} | {:.0} | {} | {} | {} | {} |",
            row.program.name,
            row.wasm_bytes as f64 / 1024.0,
            seconds(wasmc),
            wasmc
                .and_then(|s| throughput(row.wasm_bytes, s))
                .map_or("–".to_string(), |t| format!("{t:.1}")),
            seconds(wasmtime.and_then(|t| t.compile)),
            seconds(wasmtime.map(|t| t.wall)),
        );
    }
    table
}

/// Megabytes (10^6 bytes) of Wasm compiled per second.
pub fn throughput(bytes: u64, seconds: f64) -> Option<f64> {
    (seconds > 0.0 && seconds.is_finite()).then(|| bytes as f64 / 1e6 / seconds)
}

/// The sentence about wasmc's speed on the largest module, whether or not it compiled.
pub fn largest_module_throughput(rows: &[Row]) -> String {
    let Some(largest) = rows.iter().max_by_key(|r| r.wasm_bytes) else {
        return "No module was measured.".to_string();
    };
    let size = format!(
        "{} ({:.2} MB)",
        largest.program.name,
        largest.wasm_bytes as f64 / 1e6
    );
    match largest.timing(Runner::Wasmc).and_then(|t| t.compile) {
        Some(seconds) => format!(
            "wasmc's throughput on the largest module, {size}: **{:.2} MB/s** ({seconds:.3} s).",
            throughput(largest.wasm_bytes, seconds).unwrap_or(0.0)
        ),
        None => format!(
            "wasmc's throughput on the largest module, {size}: not measured ({}).",
            largest
                .cells
                .get(&Runner::Wasmc)
                .map_or("not run".to_string(), Cell::describe)
        ),
    }
}

pub struct ReportInput<'a> {
    pub machine: &'a Machine,
    pub command: &'a str,
    pub reps: usize,
    pub timeout_seconds: f64,
    pub rows: &'a [Row],
    pub chart_file: &'a str,
}

pub fn readme(input: &ReportInput) -> String {
    let m = input.machine;
    let kernels: Vec<&Row> = input
        .rows
        .iter()
        .filter(|r| r.program.kind == Kind::Kernel)
        .collect();
    let real: Vec<&Row> = input
        .rows
        .iter()
        .filter(|r| r.program.kind == Kind::Real)
        .collect();
    let mut md = String::new();
    md += "# wasmc benchmarks\n\n";
    md += "How fast is Wasm compiled by wasmc, next to the same C compiled natively, to wasmtime \
           (Cranelift, JIT) and to wasmi (an interpreter)? This file is written by \
           `cargo run --release -p wasmc-bench`; do not edit it by hand.\n\n";
    md += "## Machine and command\n\n";
    let _ = writeln!(md, "- CPU: {} ({} cores available)", m.cpu, m.cores);
    if let Some(gib) = m.memory_gib {
        let _ = writeln!(md, "- Memory: {gib:.1} GiB");
    }
    let _ = writeln!(md, "- OS: {}", m.os);
    let _ = writeln!(md, "- Date: {} (UTC)", m.date);
    let _ = writeln!(
        md,
        "- Repetitions: {} per runner and program, median reported; time limit {} s per run\n",
        input.reps, input.timeout_seconds
    );
    md += "To reproduce (installs wasmi_cli and the Python packages if missing, fetches the real \
           programs, builds wasmc and the kernels):\n\n```sh\n";
    let _ = writeln!(
        md,
        "{}",
        format!("bench/run.sh {}", input.command.trim()).trim_end()
    );
    md += "```\n\n";
    md += METHOD;
    md += "\n## Programs\n\n| program | what it does |\n|:--|:--|\n";
    for row in input.rows {
        let _ = writeln!(
            md,
            "| {} | {} |",
            row.program.name,
            row.program.description.replace('|', "\\|")
        );
    }
    let _ = writeln!(
        md,
        "\n![time relative to the baseline, per program]({})\n",
        input.chart_file
    );
    md += "## C kernels (`bench/programs/`)\n\nTimes in seconds; ratios above 1× mean slower.\n\n";
    md += &results_table(&kernels, &KERNEL_RUNNERS, &KERNEL_RATIOS);
    md += "\n## Real WASI programs (from PyPI, fetched by `bench/fetch_real.sh`)\n\n\
           No native build exists; the reference output is wasmtime's.\n\n";
    md += &results_table(&real, &REAL_RUNNERS, &REAL_RATIOS);
    md += "\n## Compile times\n\n";
    md += &compile_table(input.rows);
    let _ = writeln!(md, "\n{}\n", largest_module_throughput(input.rows));
    md += "## Problems\n\n";
    let problems = problems(input.rows);
    if problems.is_empty() {
        md += "None: every runner produced the reference output on every program.\n";
    } else {
        md += "Cells without a time, and why (a mismatch is never averaged in):\n\n";
        for line in problems {
            let _ = writeln!(md, "- {line}");
        }
    }
    md
}

const METHOD: &str = "\
## What is measured

- **native**: `clang -O2` of the kernel's C source; wall time of the process.
- **wasmc**: `wasmc prog.wasm -o prog.exe --target-cpu native` (unless `--target-cpu` says
  otherwise: like wasmtime's Cranelift, it then uses the extensions of the CPU it runs on, such as
  AVX2, BMI2 and LZCNT; the native C build is plain `clang -O2`), timed apart under *Compile
  times* (the whole command: decoding to linking), then the wall time of the executable, which
  includes instantiating the module.
- **wasmtime**: the Python `wasmtime` package through `bench/wasmtime_run.py`, which compiles the
  module once (timed apart), then times instantiation plus `_start` inside its own process, so
  Python's start-up is not counted (the wall time of the whole process is under *Compile times*).
- **wasmi**: `wasmi run prog.wasm` (from the `wasmi_cli` crate); wall time of the process,
  including wasmi's own translation of the module.
- The Wasm modules are `clang --target=wasm32-wasi -O2` of the same source. Every runner's stdout
  and exit status must equal the reference's (native for the kernels, wasmtime for the real
  programs) byte for byte; a run that does not is marked and left out of every mean.
- Without `-msimd128` clang does not vectorise the Wasm build, while the native `-O2` build is
  auto-vectorised with SSE2. Clang unrolls such loops by two instead, and wasmc's `vectorize`
  pass pairs the two halves into `f64x2` operations again (behind a run-time check that the
  arrays are in bounds and do not overlap): that is matmul's distance to wasmtime, which runs
  the scalar loop.
- Files: `bench/programs/*.c` (the kernels), `bench/src/` (this harness), `bench/run.sh`
  (set-up and entry point), `bench/fetch_real.sh` (the real programs' pinned packages),
  `bench/wasmtime_run.py`; builds, inputs and every run's output go to `bench/out/` (ignored by git).
- Times on a machine shared with other work vary from run to run (by 20% and more on a busy
  one); the median of several repetitions (`--reps`) damps this, and the runners take turns
  (native, wasmc, wasmtime, wasmi, then again) so that a slow spell falls on all of them rather
  than on one runner's block of runs. The date and machine above say where these numbers come
  from.
";

/// The chart's data: per program, each Wasm runner's time relative to the baseline (native for
/// the kernels; wasmtime, marked †, for the real programs that have no native build).
pub fn chart(rows: &[Row]) -> String {
    use crate::chart::{render, Group, Series};
    let runners = [Runner::Wasmc, Runner::Wasmtime, Runner::Wasmi];
    let colors = ["#d62728", "#1f77b4", "#7f7f7f"];
    let series: Vec<Series> = runners
        .iter()
        .zip(colors)
        .map(|(r, c)| Series {
            name: r.name().to_string(),
            color: c.to_string(),
        })
        .collect();
    let groups: Vec<Group> = rows
        .iter()
        .map(|row| {
            let baseline = row.program.reference();
            let label = match row.program.kind {
                Kind::Kernel => row.program.name.clone(),
                Kind::Real => format!("{}†", row.program.name),
            };
            let values = runners
                .iter()
                .map(|r| Ratio::new(*r, baseline).of(row))
                .collect();
            Group { label, values }
        })
        .collect();
    render(
        "Run time relative to native (†: relative to wasmtime), log scale; lower is faster",
        "× baseline",
        &series,
        &groups,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Timing;
    use crate::programs::Program;
    use std::collections::BTreeMap;
    use std::time::Duration;

    fn timed(run: f64) -> Cell {
        Cell::Timed(Timing {
            run,
            wall: run,
            compile: Some(0.5),
            repetitions: 3,
        })
    }

    fn row(name: &str, kind: Kind, cells: Vec<(Runner, Cell)>) -> Row {
        let program = Program {
            name: name.into(),
            description: format!("{name} does things"),
            kind,
            wasm: format!("{name}.wasm").into(),
            native: None,
            args: vec![],
            stdin: None,
            expected_status: 0,
        };
        Row {
            program,
            wasm_bytes: 2_000_000,
            cells: cells.into_iter().collect::<BTreeMap<_, _>>(),
        }
    }

    fn sample_rows() -> Vec<Row> {
        vec![
            row(
                "sort",
                Kind::Kernel,
                vec![
                    (Runner::Native, timed(1.0)),
                    (Runner::Wasmc, timed(2.0)),
                    (Runner::Wasmtime, timed(1.0)),
                    (Runner::Wasmi, timed(20.0)),
                ],
            ),
            row(
                "nbody",
                Kind::Kernel,
                vec![
                    (Runner::Native, timed(0.5)),
                    (
                        Runner::Wasmc,
                        Cell::Mismatch("outputs differ at byte 3".into()),
                    ),
                    (Runner::Wasmtime, timed(1.0)),
                    (Runner::Wasmi, Cell::TimedOut(Duration::from_secs(60))),
                ],
            ),
            row(
                "resvg",
                Kind::Real,
                vec![
                    (Runner::Native, Cell::Unavailable("no native build".into())),
                    (Runner::Wasmc, Cell::Failed("compilation failed".into())),
                    (Runner::Wasmtime, timed(1.0)),
                    (Runner::Wasmi, timed(30.0)),
                ],
            ),
        ]
    }

    #[test]
    fn ratios_need_both_times() {
        let rows = sample_rows();
        let wasmc_native = Ratio::new(Runner::Wasmc, Runner::Native);
        assert_eq!(wasmc_native.of(&rows[0]), Some(2.0));
        assert_eq!(
            wasmc_native.of(&rows[1]),
            None,
            "a mismatch is never a ratio"
        );
        assert_eq!(
            Ratio::new(Runner::Wasmi, Runner::Wasmtime).of(&rows[2]),
            Some(30.0)
        );
    }

    #[test]
    fn table_rows_have_one_cell_per_column() {
        let rows = sample_rows();
        let kernels: Vec<&Row> = rows.iter().take(2).collect();
        let table = results_table(&kernels, &KERNEL_RUNNERS, &KERNEL_RATIOS);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines.len(),
            2 + 2 + 1,
            "header, rule, two programs, geometric mean"
        );
        let columns = lines[0].matches('|').count();
        assert_eq!(
            columns,
            1 + 4 + 4 + 1,
            "program, runners, ratios, and the closing bar"
        );
        assert!(
            lines.iter().all(|l| l.matches('|').count() == columns),
            "{table}"
        );
        assert!(lines[2].starts_with(
            "| sort | 1.000 | 2.000 | 1.000 | 20.000 | 2.00× | 2.00× | 10.0× | 20.0× |"
        ));
        assert!(lines[3].contains("**MISMATCH**") && lines[3].contains("timeout"));
    }

    #[test]
    fn geometric_mean_row_counts_the_programs_it_covers() {
        let rows = sample_rows();
        let kernels: Vec<&Row> = rows.iter().take(2).collect();
        let table = results_table(&kernels, &KERNEL_RUNNERS, &KERNEL_RATIOS);
        let means = table.lines().last().unwrap();
        // wasmc/native exists for sort only; wasmtime/… not a column; wasmi/native for sort only.
        assert!(means.contains("**2.00×** (1 of 2)"), "{means}");
        assert!(!means.contains("NaN"));
    }

    #[test]
    fn cell_words_and_ratio_precision() {
        assert_eq!(cell_text(Some(&timed(0.1234))), "0.123");
        assert_eq!(
            cell_text(Some(&Cell::Crashed("signal 11".into()))),
            "crashed"
        );
        assert_eq!(cell_text(None), "skipped");
        assert_eq!(ratio_text(Some(0.456)), "0.46×");
        assert_eq!(ratio_text(Some(12.34)), "12.3×");
        assert_eq!(ratio_text(Some(345.6)), "346×");
        assert_eq!(ratio_text(None), "–");
    }

    #[test]
    fn problems_put_mismatches_first_and_group_the_rest() {
        let mut rows = sample_rows();
        rows[0]
            .cells
            .insert(Runner::Wasmc, Cell::Failed("compilation failed".into()));
        let problems = problems(&rows);
        assert_eq!(
            problems[0],
            "⚠ nbody / wasmc: OUTPUT MISMATCH: outputs differ at byte 3"
        );
        assert!(
            problems.contains(&"wasmc on sort, resvg: failed: compilation failed".to_string()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"wasmi on nbody: timed out after 60 s".to_string()),
            "{problems:?}"
        );
        assert_eq!(
            problems.len(),
            3,
            "a real program's missing native build is no problem: {problems:?}"
        );
    }

    #[test]
    fn compile_throughput() {
        assert_eq!(throughput(2_000_000, 0.5), Some(4.0));
        assert_eq!(throughput(1, 0.0), None);
        let rows = sample_rows();
        let sentence = largest_module_throughput(&rows[..1]);
        assert!(
            sentence.contains("sort (2.00 MB)") && sentence.contains("4.00 MB/s"),
            "{sentence}"
        );
        assert!(largest_module_throughput(&rows[2..])
            .contains("not measured (failed: compilation failed)"));
        assert!(compile_table(&rows).contains("| sort | 1953 | 0.500 | 4.0 | 0.500 | 1.000 |"));
        assert!(compile_table(&rows).contains("| resvg | 1953 | – | – | 0.500 | 1.000 |"));
    }

    #[test]
    fn readme_has_every_section() {
        let machine = Machine {
            cpu: "Test CPU".into(),
            cores: 2,
            memory_gib: Some(4.0),
            os: "linux".into(),
            date: "2026-01-01".into(),
        };
        let rows = sample_rows();
        let input = ReportInput {
            machine: &machine,
            command: "--quick",
            reps: 1,
            timeout_seconds: 60.0,
            rows: &rows,
            chart_file: "chart.svg",
        };
        let text = readme(&input);
        for needle in [
            "Test CPU (2 cores",
            "bench/run.sh --quick\n",
            "![",
            "## C kernels",
            "## Real WASI programs",
            "## Compile times",
            "⚠ nbody / wasmc",
            "| sort | sort does things |",
        ] {
            assert!(text.contains(needle), "missing {needle:?}");
        }
        let plain = readme(&ReportInput {
            command: "",
            ..input
        });
        assert!(
            plain.contains("\nbench/run.sh\n"),
            "no trailing blank after the bare command"
        );
    }

    #[test]
    fn chart_marks_real_programs_and_missing_times() {
        let svg = chart(&sample_rows());
        assert!(svg.contains(">resvg†<") && svg.contains(">sort<"));
        assert!(svg.contains("sort: wasmc 2×"), "wasmc/native of sort");
        assert!(
            svg.contains("resvg†: wasmi 30×"),
            "real programs are relative to wasmtime"
        );
        assert!(svg.contains("nbody: wasmc has no valid time"));
    }
}
