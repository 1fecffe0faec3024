//! The command line of `wasmc-bench`.

use std::path::PathBuf;
use std::time::Duration;

use crate::runners::Runner;

pub const USAGE: &str = "\
usage: wasmc-bench [--quick] [--reps N] [--timeout SECONDS] [--only NAME,...]
                   [--runners native,wasmc,wasmtime,wasmi] [--wasmc PATH]
                   [--target-cpu NAME] [--no-readme]

  --quick          one repetition per runner (the default is 3, and the median is reported)
  --reps N         N repetitions per runner
  --timeout S      time limit of one run, in seconds (default 60)
  --only A,B       run only these programs (kernel or real-program names)
  --runners R,...  run only these runners (the reference runner of a program always runs)
  --wasmc PATH     use this wasmc binary instead of building `cargo build --release -p wasmc`
  --target-cpu N   wasmc's --target-cpu (default native: wasmtime's Cranelift also compiles
                   for the CPU it runs on)
  --no-readme      do not rewrite bench/README.md and bench/chart.svg";

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub reps: usize,
    pub timeout: Duration,
    pub only: Option<Vec<String>>,
    pub runners: Vec<Runner>,
    pub wasmc: Option<PathBuf>,
    /// wasmc's `--target-cpu`.
    pub target_cpu: String,
    pub write_readme: bool,
    /// The arguments as given, for the "how to reproduce" line of the report.
    pub command_line: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            reps: 3,
            timeout: Duration::from_secs(60),
            only: None,
            runners: Runner::ALL.to_vec(),
            wasmc: None,
            target_cpu: "native".to_string(),
            write_readme: true,
            command_line: String::new(),
        }
    }
}

impl Options {
    /// Parses the arguments after the program name; the error is a message for the user.
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            command_line: args.join(" "),
            ..Options::default()
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match arg.as_str() {
                "--quick" => options.reps = 1,
                "--reps" => {
                    options.reps = value("--reps")?
                        .parse()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or("--reps needs a positive whole number")?
                }
                "--timeout" => {
                    let seconds: f64 = value("--timeout")?
                        .parse()
                        .ok()
                        .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s < 1e6)
                        .ok_or("--timeout needs a positive number of seconds")?;
                    options.timeout = Duration::from_secs_f64(seconds);
                }
                "--only" => options.only = Some(split_list(&value("--only")?)),
                "--runners" => {
                    options.runners = split_list(&value("--runners")?)
                        .iter()
                        .map(|name| {
                            Runner::from_name(name).ok_or(format!("unknown runner '{name}'"))
                        })
                        .collect::<Result<_, _>>()?
                }
                "--wasmc" => options.wasmc = Some(PathBuf::from(value("--wasmc")?)),
                "--target-cpu" => options.target_cpu = value("--target-cpu")?,
                "--no-readme" => options.write_readme = false,
                other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
            }
        }
        Ok(options)
    }

    pub fn selects(&self, program: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|names| names.iter().any(|n| n == program))
    }
}

fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn defaults() {
        let o = parse(&[]).unwrap();
        assert_eq!(o.reps, 3);
        assert_eq!(o.timeout, Duration::from_secs(60));
        assert_eq!(o.runners, Runner::ALL.to_vec());
        assert!(o.write_readme && o.selects("sort"));
    }

    #[test]
    fn quick_filters_and_runners() {
        let o = parse(&[
            "--quick",
            "--only",
            "sort,nbody",
            "--runners",
            "native,wasmi",
            "--timeout",
            "2.5",
        ])
        .unwrap();
        assert_eq!(o.reps, 1);
        assert!(o.selects("nbody") && !o.selects("matmul"));
        assert_eq!(o.runners, vec![Runner::Native, Runner::Wasmi]);
        assert_eq!(o.timeout, Duration::from_millis(2500));
        assert_eq!(
            o.command_line,
            "--quick --only sort,nbody --runners native,wasmi --timeout 2.5"
        );
    }

    #[test]
    fn rejects_bad_values() {
        assert!(parse(&["--reps", "0"]).is_err());
        assert!(parse(&["--reps"]).is_err());
        assert!(parse(&["--timeout", "-1"]).is_err());
        assert!(parse(&["--timeout", "inf"]).is_err());
        assert!(parse(&["--runners", "v8"]).is_err());
        assert!(parse(&["--frobnicate"]).is_err());
    }
}
