//! The programs under test: C kernels built from `bench/programs/*.c`, and real WASI tools.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::runners::Runner;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One of our C kernels: built natively and to Wasm from the same source.
    Kernel,
    /// A real WASI program from a package: Wasm only, checked against wasmtime.
    Real,
}

#[derive(Debug, Clone)]
pub struct Program {
    pub name: String,
    /// One line for the report: what the program computes.
    pub description: String,
    pub kind: Kind,
    pub wasm: PathBuf,
    pub native: Option<PathBuf>,
    pub args: Vec<String>,
    pub stdin: Option<PathBuf>,
    /// The exit status of a correct run (boolector, for one, exits with 10 on "sat").
    pub expected_status: i32,
}

impl Program {
    /// The runner whose output every other runner must reproduce byte for byte.
    pub fn reference(&self) -> Runner {
        match self.kind {
            Kind::Kernel => Runner::Native,
            Kind::Real => Runner::Wasmtime,
        }
    }
}

/// The kernel sources in `dir`, sorted by name.
pub fn kernel_sources(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut sources: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "c"))
        .collect();
    sources.sort();
    Ok(sources)
}

/// The clang command lines: the same source and optimisation level for both builds.
pub fn native_build_command(source: &Path, output: &Path) -> Command {
    let mut command = Command::new("clang");
    command
        .args(["-O2", "-o"])
        .arg(output)
        .arg(source)
        .arg("-lm");
    command
}

pub fn wasm_build_command(source: &Path, output: &Path) -> Command {
    let mut command = Command::new("clang");
    command
        .args(["--target=wasm32-wasi", "-O2", "-o"])
        .arg(output)
        .arg(source);
    command
}

/// Builds one kernel natively and to Wasm under `out_dir`; the error is clang's complaint.
pub fn build_kernel(source: &Path, out_dir: &Path) -> Result<Program, String> {
    let name = source
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("{}: not a UTF-8 file name", source.display()))?
        .to_string();
    let native = out_dir.join(&name);
    let wasm = out_dir.join(format!("{name}.wasm"));
    run_build(native_build_command(source, &native), "native build")?;
    run_build(wasm_build_command(source, &wasm), "wasm32-wasi build")?;
    let text = std::fs::read_to_string(source)
        .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    Ok(Program {
        name,
        description: leading_comment(&text),
        kind: Kind::Kernel,
        wasm,
        native: Some(native),
        args: Vec::new(),
        stdin: None,
        expected_status: 0,
    })
}

/// The first sentence-bearing line of the file's leading `/* … */` comment: each kernel says
/// what it computes there.
pub fn leading_comment(source: &str) -> String {
    let Some(body) = source.trim_start().strip_prefix("/*") else {
        return String::new();
    };
    let body = body.split("*/").next().unwrap_or("");
    let text: Vec<&str> = body
        .lines()
        .map(|l| l.trim().trim_start_matches('*').trim())
        .take_while(|l| !l.is_empty())
        .collect();
    text.join(" ")
}

fn run_build(mut command: Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("{what}: cannot run clang: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first_error = stderr
        .lines()
        .find(|l| l.contains("error"))
        .unwrap_or("clang failed");
    Err(format!("{what}: {first_error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_and_real_programs_have_different_references() {
        let mut program = Program {
            name: "x".into(),
            description: String::new(),
            kind: Kind::Kernel,
            wasm: "x.wasm".into(),
            native: Some("x".into()),
            args: vec![],
            stdin: None,
            expected_status: 0,
        };
        assert_eq!(program.reference(), Runner::Native);
        program.kind = Kind::Real;
        assert_eq!(program.reference(), Runner::Wasmtime);
    }

    #[test]
    fn both_builds_use_the_same_source_and_level() {
        let native = native_build_command(Path::new("k.c"), Path::new("k"));
        let wasm = wasm_build_command(Path::new("k.c"), Path::new("k.wasm"));
        for command in [&native, &wasm] {
            let args: Vec<_> = command.get_args().collect();
            assert!(args.contains(&"-O2".as_ref()) && args.contains(&"k.c".as_ref()));
        }
        assert!(wasm.get_args().any(|a| a == "--target=wasm32-wasi"));
    }

    #[test]
    fn descriptions_come_from_the_leading_comment() {
        assert_eq!(
            leading_comment("/* Sorts ints. */\nint main;"),
            "Sorts ints."
        );
        assert_eq!(
            leading_comment("/* Hashes a buffer,\n * twice.\n *\n * Details. */"),
            "Hashes a buffer, twice."
        );
        assert_eq!(leading_comment("int main; /* late */"), "");
        assert_eq!(leading_comment("/* never closed"), "never closed");
    }

    #[test]
    fn the_committed_kernels_are_found() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("programs");
        let sources = kernel_sources(&dir).unwrap();
        assert!(sources.len() >= 12, "{sources:?}");
        assert!(sources.windows(2).all(|w| w[0] < w[1]));
        for source in sources {
            let text = std::fs::read_to_string(&source).unwrap();
            assert!(
                !leading_comment(&text).is_empty(),
                "{} says not what it computes",
                source.display()
            );
        }
    }
}
