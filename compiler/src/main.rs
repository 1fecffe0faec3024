//! The `wasmc` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use wasmc::driver::{self, Emit, Options};
use wasmc::isa::x86_64::CpuFeatures;
use wasmc::object::grants::Grants;
use wasmc::object::Target;

const USAGE: &str = "\
wasmc: ahead-of-time WebAssembly compiler

usage:
  wasmc [options] MODULE.wasm|.wat -o OUTPUT   compile to a native executable (or object)
  wasmc run [options] MODULE [-- ARGS...]      compile (cached) and run
  wasmc wast [options] FILE.wast...            run spec test scripts (see wasmc wast --help)
  wasmc --help | --version

options:
  -o FILE              output file (default: the module's name without extension)
  -O0 | -O1 | -O2      optimisation level (default -O2)
  --emit exe|obj       what to produce (default exe)
  --target TARGET      x86_64-linux (default), aarch64-linux, x86_64-macos, aarch64-macos
  --target-cpu CPU     x86-64 extensions the code may use: baseline (default: SSE4.1),
                       x86-64-v2 (+POPCNT, SSE4.2), x86-64-v3 (+AVX2, BMI1/2, LZCNT), or
                       native (this machine's). The program refuses to start on a CPU that
                       lacks them. aarch64 targets accept only baseline and native.
  --dump-after PASS    print each function's IR after the named pass
  -j N                 compile with N threads (default: one per core)

capabilities of the program (WASI), baked into the executable or given to `wasmc run`:
  --dir HOST[::GUEST]  pre-open host directory HOST as GUEST (default: HOST); repeatable
  --env NAME[=VALUE]   set NAME, or pass the host's NAME when the program runs; repeatable
  --inherit-env        pass the whole host environment
  --allow-unknown-imports
                       accept imports WASI does not define; calling one traps
  Without them the program sees stdin, stdout, stderr and its arguments, nothing else.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("wast") {
        wasmc::wast::cli::main(args[1..].to_vec())
    } else {
        run_cli(args)
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("wasmc: error: {message}");
            ExitCode::from(1)
        }
    }
}

/// What the command line asks for.
struct Command {
    run: bool,
    /// `--target-cpu`, checked against the target once all options are read.
    target_cpu: Option<String>,
    input: Option<PathBuf>,
    output: Option<PathBuf>,
    opts: Options,
    program_args: Vec<String>,
}

fn run_cli(args: Vec<String>) -> Result<ExitCode, String> {
    let cmd = match parse_args(args)? {
        Some(cmd) => cmd,
        None => return Ok(ExitCode::SUCCESS),
    };
    let input = cmd.input.clone().ok_or_else(|| format!("no input module given\n\n{USAGE}"))?;
    // `FILE:0xOFFSET: what` for bad input, `FILE: what` otherwise.
    let located = |e: wasmc::Error| match e.offset {
        Some(_) => format!("{}:{e}", input.display()),
        None => format!("{}: {e}", input.display()),
    };
    if cmd.run {
        return run_module(&input, &cmd).map_err(located);
    }
    let output = cmd.output.clone().unwrap_or_else(|| default_output(&input, cmd.opts.emit));
    driver::compile_file(&input, &output, &cmd.opts).map_err(located)?;
    Ok(ExitCode::SUCCESS)
}

fn parse_args(args: Vec<String>) -> Result<Option<Command>, String> {
    let mut cmd = Command {
        run: false,
        target_cpu: None,
        input: None,
        output: None,
        opts: Options::default(),
        program_args: vec![],
    };
    let mut it = args.into_iter().peekable();
    if it.peek().map(String::as_str) == Some("run") {
        cmd.run = true;
        it.next();
    }
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("wasmc {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "-o" => cmd.output = Some(PathBuf::from(value("-o")?)),
            "-O0" => cmd.opts.opt_level = 0,
            "-O1" => cmd.opts.opt_level = 1,
            "-O" | "-O2" | "-O3" => cmd.opts.opt_level = 2,
            "--emit" => {
                cmd.opts.emit = match value("--emit")?.as_str() {
                    "exe" => Emit::Exe,
                    "obj" => Emit::Obj,
                    other => return Err(format!("unknown --emit kind '{other}' (expected exe or obj)")),
                }
            }
            "--target" => {
                let name = value("--target")?;
                cmd.opts.target = driver::parse_target(&name).ok_or_else(|| format!("unknown target '{name}'"))?;
            }
            "--target-cpu" => cmd.target_cpu = Some(value("--target-cpu")?),
            "--dump-after" => cmd.opts.dump_after = Some(value("--dump-after")?),
            "--dir" => cmd.opts.grants.add_dir(&value("--dir")?).map_err(|e| e.message)?,
            "--env" => cmd.opts.grants.add_env(&value("--env")?).map_err(|e| e.message)?,
            "--inherit-env" => cmd.opts.grants.inherit_env = true,
            "--allow-unknown-imports" => cmd.opts.grants.trap_unknown_imports = true,
            "-j" => {
                let n = value("-j")?;
                cmd.opts.threads = n.parse().map_err(|_| format!("-j takes a number, not '{n}'"))?;
            }
            "--" => {
                cmd.program_args.extend(it.by_ref());
                break;
            }
            _ if arg.starts_with('-') && arg.len() > 1 => return Err(format!("unknown option '{arg}'\n\n{USAGE}")),
            _ if cmd.input.is_none() => cmd.input = Some(PathBuf::from(arg)),
            _ if cmd.run => {
                // `wasmc run m.wasm a b`: arguments after the module go to the program.
                cmd.program_args.push(arg);
                cmd.program_args.extend(it.by_ref());
                break;
            }
            _ => return Err(format!("unexpected argument '{arg}' (one input module at a time)")),
        }
    }
    if let Some(name) = &cmd.target_cpu {
        let x86 = matches!(cmd.opts.target, Target::X86_64Linux | Target::X86_64MacOs);
        cmd.opts.x86_cpu = CpuFeatures::for_target(name, x86).map_err(|e| e.message)?;
    }
    Ok(Some(cmd))
}

fn default_output(input: &std::path::Path, emit: Emit) -> PathBuf {
    let stem = input.file_stem().map(|s| s.to_owned()).unwrap_or_else(|| "a".into());
    let mut out = PathBuf::from(stem);
    if emit == Emit::Obj {
        out.set_extension("o");
    }
    out
}

/// `wasmc run`: compile into the cache (keyed by the module's bytes and the options), then
/// replace this process with the program so its exit status and signals pass through.
///
/// The cached executable is built to take its directory and environment grants from the
/// variable `WASMC_RUN_GRANTS` (which the program never sees), so one build serves every
/// set of grants and the program's arguments stay exactly as given.
fn run_module(input: &std::path::Path, cmd: &Command) -> wasmc::Result<ExitCode> {
    let mut opts = cmd.opts.clone();
    opts.emit = Emit::Exe;
    opts.grants = Grants {
        from_run_env: true,
        trap_unknown_imports: cmd.opts.grants.trap_unknown_imports,
        ..Grants::default()
    };
    let exe = driver::compile_cached(input, &opts)?;
    let run_grants = Grants { trap_unknown_imports: false, ..cmd.opts.grants.clone() };
    let mut child = std::process::Command::new(&exe);
    child
        .arg0(input.to_string_lossy().as_ref())
        .args(&cmd.program_args)
        .env("WASMC_RUN_GRANTS", run_grants.encode()?);
    use std::os::unix::process::CommandExt;
    let err = child.exec();
    Err(wasmc::Error::msg(format!("cannot run {}: {err}", exe.display())))
}
