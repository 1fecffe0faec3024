//! The compilation driver: bytes in, object file or executable out.
//!
//! Decoding and module-level validation run once; then every function is validated,
//! translated to SSA, optimised and compiled on a pool of threads, and the results are
//! written into one object file in function order.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::decode::module::{ExternKind, Module};
use crate::decode;
use crate::error::{Error, Result};
use crate::isa::CompiledFunction;
use crate::object::grants::Grants;
use crate::object::{ObjectOptions, Target};
use crate::vmctx::VmctxLayout;
use crate::{isa, link, passes, translate, validate};

/// Compilation allocates and frees many small vectors per function (IR lists, operand
/// lists, allocator state) on every worker thread; with mimalloc's thread-local free lists
/// the whole compilation takes 8-17% less CPU time than with glibc's malloc (resvg and
/// boolector, task-clock; 17% measured first by preloading Debian's libmimalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What to produce.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Emit {
    /// A linked executable whose `main` runs the module's `_start`.
    Exe,
    /// A relocatable object file.
    Obj,
}

#[derive(Clone, Debug)]
pub struct Options {
    pub target: Target,
    pub opt_level: u8,
    pub emit: Emit,
    /// Symbol prefix of the module (several modules can be linked into one program).
    pub prefix: String,
    /// Stop after this pass and print the IR of every function (debugging aid).
    pub dump_after: Option<String>,
    /// Worker threads for function compilation (0: one per core).
    pub threads: usize,
    /// What an executable's program may see (`--dir`, `--env`, `--inherit-env`,
    /// `--allow-unknown-imports`); unused for objects.
    pub grants: Grants,
    /// x86-64 extensions the code may use (`--target-cpu`); ignored for aarch64 targets.
    pub x86_cpu: isa::x86_64::CpuFeatures,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            target: Target::X86_64Linux,
            opt_level: 2,
            emit: Emit::Exe,
            prefix: "wasm".to_string(),
            dump_after: None,
            threads: 0,
            grants: Grants::default(),
            x86_cpu: isa::x86_64::CpuFeatures::default(),
        }
    }
}

/// The target's name on the command line.
pub fn parse_target(name: &str) -> Option<Target> {
    Some(match name {
        "x86_64-linux" => Target::X86_64Linux,
        "aarch64-linux" => Target::Aarch64Linux,
        "x86_64-macos" => Target::X86_64MacOs,
        "aarch64-macos" => Target::Aarch64MacOs,
        _ => return None,
    })
}

/// The C compiler (and linker driver) that builds runtime-lib and links for a target.
pub fn c_compiler(target: Target) -> &'static str {
    match target {
        Target::X86_64Linux => "cc",
        Target::Aarch64Linux => "aarch64-linux-gnu-gcc",
        Target::X86_64MacOs | Target::Aarch64MacOs => "clang",
    }
}

/// Read a `.wasm` or `.wat` file and return the binary module bytes.
pub fn read_module(input: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(input).map_err(|e| Error::msg(format!("cannot read: {e}")))?;
    decode::parse_wat_or_wasm(&raw)
}

/// Compile module bytes into an object file.
pub fn compile_to_object(bytes: &[u8], opts: &Options) -> Result<Vec<u8>> {
    let module = decode::parse(bytes)?;
    validate::validate_module(&module)?;
    let layout = layout_of(&module);
    let funcs = compile_functions(&module, bytes, &layout, opts)?;
    let trampolines = compile_trampolines(&module, &layout, opts)?;
    let object_opts = ObjectOptions {
        target: opts.target,
        prefix: opts.prefix.clone(),
        entry: opts.emit == Emit::Exe,
        grants: opts.grants.clone(),
        cpu_features: match opts.target {
            Target::X86_64Linux | Target::X86_64MacOs => opts.x86_cpu.meta_bits(),
            Target::Aarch64Linux | Target::Aarch64MacOs => 0,
        },
    };
    crate::object::write_object(&module, bytes, &funcs, &trampolines, &object_opts)
}

/// Compile `input` (`.wasm` or `.wat`) into `output`, as an executable or an object file.
pub fn compile_file(input: &Path, output: &Path, opts: &Options) -> Result<()> {
    let bytes = read_module(input)?;
    let object = compile_to_object(&bytes, opts)?;
    match opts.emit {
        Emit::Obj => write_file(output, &object),
        Emit::Exe => {
            let obj_path = temp_path(output, "o");
            write_file(&obj_path, &object)?;
            let result = link::link_executable(&[obj_path.clone()], output, c_compiler(opts.target));
            let _ = std::fs::remove_file(&obj_path);
            result
        }
    }
}

/// The vmctx layout of a module: every index space counted with its imports.
pub fn layout_of(module: &Module) -> VmctxLayout {
    VmctxLayout::new(
        module.types.len() as u32,
        module.num_funcs(),
        module.num_tables(),
        module.num_globals(),
    )
}

/// Compile one defined function: validate and translate (in one reading), optimise, lower.
fn compile_function(
    module: &Module,
    bytes: &[u8],
    layout: &VmctxLayout,
    defined_index: u32,
    opts: &Options,
) -> Result<CompiledFunction> {
    let mut func = translate::translate_function(module, bytes, defined_index, layout)?;
    if opts.dump_after.as_deref() == Some("translate") {
        eprintln!("{func}");
    }
    passes::run(&mut func, opts.opt_level, opts.dump_after.as_deref())
        .map_err(|e| Error::msg(format!("internal error: in function {}: {e}", func.name)))?;
    lower(&func, opts).map_err(|e| Error { message: format!("in function {}: {}", func.name, e.message), ..e })
}

fn lower(func: &crate::ir::Function, opts: &Options) -> Result<CompiledFunction> {
    match opts.target {
        Target::X86_64Linux | Target::X86_64MacOs => isa::x86_64::compile_function(func, opts.x86_cpu),
        Target::Aarch64Linux => isa::aarch64::compile_function(func, isa::aarch64::Aarch64Abi::Linux),
        Target::Aarch64MacOs => isa::aarch64::compile_function(func, isa::aarch64::Aarch64Abi::Apple),
    }
}

/// Compile all defined functions on a pool of threads; results come back in index order.
/// On failure, the error of the lowest-numbered failing function is reported, so the message
/// does not depend on scheduling.
fn compile_functions(
    module: &Module,
    bytes: &[u8],
    layout: &VmctxLayout,
    opts: &Options,
) -> Result<Vec<CompiledFunction>> {
    let count = module.functions.len();
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        n => n,
    }
    .min(count.max(1));
    let order = biggest_first(module, count);
    let next = AtomicUsize::new(0);
    // The lowest index that failed so far: functions above it are not needed any more, those
    // below it still are (one of them may fail too, and its error is the one reported).
    let first_failure = AtomicUsize::new(usize::MAX);
    let slots: Vec<Mutex<Option<Result<CompiledFunction>>>> = (0..count).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    break;
                };
                if i > first_failure.load(Ordering::Relaxed) {
                    continue;
                }
                let result = compile_function(module, bytes, layout, i as u32, opts);
                if result.is_err() {
                    first_failure.fetch_min(i, Ordering::Relaxed);
                }
                *slots[i].lock().unwrap() = Some(result);
            });
        }
    });
    let mut out = Vec::with_capacity(count);
    for slot in slots {
        match slot.into_inner().unwrap() {
            Some(result) => out.push(result?),
            // Only functions after a failed one are skipped, and that error was returned above.
            None => return Err(Error::msg("internal error: function not compiled")),
        }
    }
    Ok(out)
}

/// Defined function indices, largest body first: a big function taken last would keep one
/// thread busy after the others ran out of work, so the threads finish together when the
/// big ones go first. Ties keep index order, so the schedule is deterministic.
fn biggest_first(module: &Module, count: usize) -> Vec<usize> {
    let body_size = |i: usize| module.code.get(i).map_or(0, |range| range.len());
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(body_size(i)));
    order
}

/// The array-call entries of exported functions (used by the runtime to call any signature).
fn compile_trampolines(module: &Module, layout: &VmctxLayout, opts: &Options) -> Result<Vec<(u32, CompiledFunction)>> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let exported = module.exports.iter().filter(|e| e.kind == ExternKind::Func).map(|e| e.index);
    for func_index in exported {
        if !seen.insert(func_index) {
            continue;
        }
        let ir = translate::array_call_trampoline(module, func_index, layout);
        out.push((func_index, lower(&ir, opts)?));
    }
    Ok(out)
}

fn write_file(path: &Path, data: &[u8]) -> Result<()> {
    std::fs::write(path, data).map_err(|e| Error::msg(format!("cannot write {}: {e}", path.display())))
}

/// A temporary file next to `output`, unique to this process.
fn temp_path(output: &Path, ext: &str) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!(".{name}.{}.{ext}", std::process::id()))
}

/// Compile for `wasmc run`: the executable is cached under the cache directory, keyed by the
/// module's bytes, the options that change code, and the compiler version.
pub fn compile_cached(input: &Path, opts: &Options) -> Result<PathBuf> {
    let bytes = read_module(input)?;
    let key = format!(
        "{}-{:?}-cpu{:x}-O{}-{}-{}",
        env!("CARGO_PKG_VERSION"),
        opts.target,
        opts.x86_cpu.meta_bits(),
        opts.opt_level,
        content_hash(&bytes),
        content_hash(opts.grants.encode()?.as_bytes())
    );
    let dir = link::cache_dir()?.join("run");
    std::fs::create_dir_all(&dir).map_err(|e| Error::msg(format!("cannot create {}: {e}", dir.display())))?;
    let exe = dir.join(key);
    if !exe.exists() {
        // Build under a private name and rename, so concurrent runs never see a partial file.
        let tmp = temp_path(&exe, "tmp");
        compile_file(input, &tmp, opts)?;
        std::fs::rename(&tmp, &exe).map_err(|e| Error::msg(format!("cannot write {}: {e}", exe.display())))?;
    }
    Ok(exe)
}

/// FNV-1a, 64 bits: a stable hash for cache keys (std's hasher may change between releases).
fn content_hash(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    format!("{hash:016x}-{}", bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two invalid functions, the second one bigger so that it is compiled first: the error
    /// reported is still the first function's, with any number of threads.
    #[test]
    fn the_lowest_failing_function_is_reported() {
        let wat = r#"(module
            (func (result i32) (i64.const 1))
            (func (result i32)
                (drop (i32.add (i32.const 1) (i32.const 2)))
                (drop (i32.add (i32.const 1) (i32.const 2)))
                (f32.const 1)))"#;
        let bytes = decode::parse_wat_or_wasm(wat.as_bytes()).unwrap();
        let first_body = decode::parse(&bytes).unwrap().code[0].clone();
        for threads in [1, 2] {
            let opts = Options { threads, emit: Emit::Obj, ..Options::default() };
            let err = compile_to_object(&bytes, &opts).unwrap_err();
            let offset = err.offset.expect("a validation error has an offset");
            assert!(first_body.contains(&offset), "{threads} threads: {err} at {offset:#x}, not in {first_body:x?}");
        }
    }
}
