//! Executes code from the AArch64 backend under `qemu-aarch64`: each test compiles small IR
//! functions, links them into one code blob (patching `bl` relocations between them) and runs
//! them in a static C harness with a fake vmctx, comparing results with Rust's. A trap (the
//! harness catches SIGILL and SIGSEGV and reports the faulting pc) must land on an offset the
//! function's trap table lists, with the expected kind.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use wasmc::ir::parse::parse_function;
use wasmc::ir::TrapCode;
use wasmc::isa::aarch64::{compile_function, Aarch64Abi};
use wasmc::isa::{CompiledFunction, RelocKind, RelocTarget};

/// For every stdin line `entry a b c limit` (hex): calls `uint64_t f(vmctx, a, b, c)` at
/// `entry` and prints `= result`, or `! pc-offset` if it faulted. vmctx: memory 0 base at +0
/// (64 KiB readable, then 64 KiB of guard), stack limit at +16 (0, or above the stack when
/// `limit` is 1).
const HARNESS: &str = r#"
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

typedef uint64_t (*routine)(uint64_t *, uint64_t, uint64_t, uint64_t);
static sigjmp_buf jump;
static volatile uintptr_t fault_pc;

static void on_fault(int sig, siginfo_t *info, void *context) {
    (void)sig; (void)info;
    fault_pc = (uintptr_t)((ucontext_t *)context)->uc_mcontext.pc;
    siglongjmp(jump, 1);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    FILE *file = fopen(argv[1], "rb");
    if (!file) return 3;
    static uint8_t bytes[1 << 20];
    size_t len = fread(bytes, 1, sizeof bytes, file);
    fclose(file);
    uint8_t *code = mmap(NULL, sizeof bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint8_t *heap = mmap(NULL, 1 << 17, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED || heap == MAP_FAILED || mprotect(heap, 1 << 16, PROT_READ | PROT_WRITE)) return 4;
    memcpy(code, bytes, len);
    if (mprotect(code, sizeof bytes, PROT_READ | PROT_EXEC) != 0) return 5;
    __builtin___clear_cache((char *)code, (char *)code + len);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    static uint64_t vmctx[16];
    uint64_t entry, a, b, c, limit;
    while (scanf("%" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64, &entry, &a, &b, &c, &limit) == 5) {
        for (int i = 0; i < 1 << 16; i++) heap[i] = (uint8_t)(i * 7 + 3);
        vmctx[0] = (uint64_t)(uintptr_t)heap;
        vmctx[2] = limit ? (uint64_t)(uintptr_t)&limit + (1 << 20) : 0;
        if (sigsetjmp(jump, 1) == 0) {
            uint64_t r = ((routine)(code + entry))(vmctx, a, b, c);
            printf("= %" PRIx64 "\n", r);
        } else {
            printf("! %" PRIx64 "\n", (uint64_t)(fault_pc - (uintptr_t)code));
        }
        fflush(stdout);
    }
    return 0;
}
"#;

/// The harness binary, built once per test run.
fn harness() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("aarch64-codegen-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the harness directory");
        let source = dir.join("harness.c");
        std::fs::write(&source, HARNESS).expect("write harness.c");
        let binary = dir.join("harness");
        let status = Command::new("aarch64-linux-gnu-gcc")
            .args(["-static", "-O1", "-o"])
            .arg(&binary)
            .arg(&source)
            .status()
            .unwrap_or_else(|e| panic!("cannot run aarch64-linux-gnu-gcc ({e}): install gcc-aarch64-linux-gnu"));
        assert!(status.success(), "aarch64-linux-gnu-gcc failed on the harness");
        binary
    })
}

/// What a call did.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Outcome {
    /// The full 64 bits of x0.
    Returned(u64),
    Trapped(TrapCode),
}
use Outcome::{Returned, Trapped};

/// Compiled functions laid out one after another (function `i` is Wasm function `i`), with
/// the calls to make.
struct Program {
    code: Vec<u8>,
    starts: Vec<usize>,
    /// (blob offset, why) for every trap site.
    traps: Vec<(usize, TrapCode)>,
    calls: Vec<(usize, [u64; 3], bool)>,
}

fn compile(text: &str, abi: Aarch64Abi) -> CompiledFunction {
    let f = parse_function(text).unwrap_or_else(|e| panic!("parse error {e:?} in\n{text}"));
    compile_function(&f, abi).unwrap_or_else(|e| panic!("compile error {e} in\n{text}"))
}

impl Program {
    fn new(texts: &[&str], abi: Aarch64Abi) -> Program {
        let funcs: Vec<CompiledFunction> = texts.iter().map(|t| compile(t, abi)).collect();
        let mut code = Vec::new();
        let mut starts = Vec::new();
        for f in &funcs {
            code.resize(code.len().div_ceil(16) * 16, 0);
            starts.push(code.len());
            code.extend_from_slice(&f.code);
        }
        let mut traps = Vec::new();
        for (f, &start) in funcs.iter().zip(&starts) {
            traps.extend(f.traps.iter().map(|&(off, why)| (start + off as usize, why)));
            for r in &f.relocs {
                let (RelocKind::Arm64Call26, RelocTarget::Func(j)) = (r.kind, &r.target) else {
                    panic!("unexpected relocation {r:?}")
                };
                let place = start + r.offset as usize;
                let delta = (starts[*j as usize] as i64 + r.addend - place as i64) / 4;
                let word = u32::from_le_bytes(code[place..place + 4].try_into().unwrap());
                let word = (word & 0xfc00_0000) | (delta as u32 & 0x03ff_ffff);
                code[place..place + 4].copy_from_slice(&word.to_le_bytes());
            }
        }
        Program { code, starts, traps, calls: Vec::new() }
    }

    fn call(&mut self, func: usize, args: [u64; 3]) {
        self.calls.push((self.starts[func], args, false));
    }

    /// A call with the stack limit above the stack: the prologue must trap.
    fn call_with_exhausted_stack(&mut self, func: usize, args: [u64; 3]) {
        self.calls.push((self.starts[func], args, true));
    }

    fn run(&mut self) -> Vec<Outcome> {
        static RUN: AtomicUsize = AtomicUsize::new(0);
        let harness = harness();
        let file = harness.with_file_name(format!("code-{}.bin", RUN.fetch_add(1, Ordering::Relaxed)));
        std::fs::write(&file, &self.code).expect("write the code");
        let input: String = self
            .calls
            .iter()
            .map(|(entry, [a, b, c], limit)| format!("{entry:x} {a:x} {b:x} {c:x} {:x}\n", *limit as u8))
            .collect();
        let mut child = Command::new("qemu-aarch64")
            .arg(harness)
            .arg(&file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run qemu-aarch64 ({e}): install qemu-user"));
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, input.as_bytes()));
        let out = child.wait_with_output().expect("qemu-aarch64 runs");
        writer.join().expect("writer thread").expect("write to the harness");
        assert!(out.status.success(), "harness failed: {:?}", out.status);
        let outcomes: Vec<Outcome> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let value = u64::from_str_radix(&l[2..], 16).expect("hex");
                if l.starts_with('=') {
                    return Returned(value);
                }
                let site = self.traps.iter().find(|t| t.0 as u64 == value);
                Trapped(site.unwrap_or_else(|| panic!("fault at {value:#x}, not a trap site: {:?}", self.traps)).1)
            })
            .collect();
        assert_eq!(outcomes.len(), self.calls.len(), "a call crashed the harness");
        self.calls.clear();
        outcomes
    }
}

/// One function of one instruction over two parameters of type `ty`.
fn binary_fn(op: &str, ty: &str) -> String {
    format!("function %f(i64, {ty}, {ty}) -> {ty} {{\nblock0(v0: i64, v1: {ty}, v2: {ty}):\n    v3 = {op}.{ty} v1, v2\n    return v3\n}}")
}

/// Like [`binary_fn`] with the right operand a constant, to exercise the immediate forms.
fn binary_imm_fn(op: &str, ty: &str, c: i64) -> String {
    format!("function %f(i64, {ty}, {ty}) -> {ty} {{\nblock0(v0: i64, v1: {ty}, v2: {ty}):\n    v4 = iconst.{ty} {c}\n    v3 = {op}.{ty} v1, v4\n    return v3\n}}")
}

const I32_EDGES: [i32; 12] = [0, 1, -1, 2, 7, 31, 32, 33, 0x7fff_ffff, i32::MIN, 0x1234_5678, -0x3456_789a];
const I64_EDGES: [i64; 12] = [0, 1, -1, 2, 63, 64, 65, i64::MAX, i64::MIN, 0x1234_5678_9abc_def0, 0xffff_ffff, -4096];

fn i32_expected(op: &str, a: i32, b: i32) -> Outcome {
    let ok = |v: i32| Returned(v as u32 as u64);
    let divz = Trapped(TrapCode::IntegerDivideByZero);
    let (ua, ub) = (a as u32, b as u32);
    match op {
        "iadd" => ok(a.wrapping_add(b)),
        "isub" => ok(a.wrapping_sub(b)),
        "imul" => ok(a.wrapping_mul(b)),
        "and" => ok(a & b),
        "or" => ok(a | b),
        "xor" => ok(a ^ b),
        "shl" => ok(a.wrapping_shl(ub)),
        "sshr" => ok(a.wrapping_shr(ub)),
        "ushr" => ok(ua.wrapping_shr(ub) as i32),
        "rotl" => ok(a.rotate_left(ub & 31)),
        "rotr" => ok(a.rotate_right(ub & 31)),
        _ if b == 0 => divz,
        "sdiv" => a.checked_div(b).map_or(Trapped(TrapCode::IntegerOverflow), ok),
        "srem" => ok(a.wrapping_rem(b)),
        "udiv" => ok((ua / ub) as i32),
        "urem" => ok((ua % ub) as i32),
        _ => unreachable!("{op}"),
    }
}

fn i64_expected(op: &str, a: i64, b: i64) -> Outcome {
    let ok = |v: i64| Returned(v as u64);
    let divz = Trapped(TrapCode::IntegerDivideByZero);
    let (ua, ub) = (a as u64, b as u64);
    match op {
        "iadd" => ok(a.wrapping_add(b)),
        "isub" => ok(a.wrapping_sub(b)),
        "imul" => ok(a.wrapping_mul(b)),
        "and" => ok(a & b),
        "or" => ok(a | b),
        "xor" => ok(a ^ b),
        "shl" => ok(a.wrapping_shl(ub as u32)),
        "sshr" => ok(a.wrapping_shr(ub as u32)),
        "ushr" => ok(ua.wrapping_shr(ub as u32) as i64),
        "rotl" => ok(a.rotate_left((ub & 63) as u32)),
        "rotr" => ok(a.rotate_right((ub & 63) as u32)),
        _ if b == 0 => divz,
        "sdiv" => a.checked_div(b).map_or(Trapped(TrapCode::IntegerOverflow), ok),
        "srem" => ok(a.wrapping_rem(b)),
        "udiv" => ok((ua / ub) as i64),
        "urem" => ok((ua % ub) as i64),
        _ => unreachable!("{op}"),
    }
}

const INT_OPS: [&str; 15] =
    ["iadd", "isub", "imul", "and", "or", "xor", "shl", "sshr", "ushr", "rotl", "rotr", "sdiv", "srem", "udiv", "urem"];

/// Every integer operation on edge values, in registers and with the right operand as a
/// constant; i32 results must come back zero-extended in x0, division traps as Wasm says.
#[test]
fn integer_operations_on_edge_values() {
    let mut texts = Vec::new();
    let mut cases: Vec<(String, bool, Option<i64>)> = Vec::new();
    for op in INT_OPS {
        for ty in ["i32", "i64"] {
            texts.push(binary_fn(op, ty));
            cases.push((op.to_string(), ty == "i32", None));
            let consts: Vec<i64> =
                if ty == "i32" { I32_EDGES.iter().map(|&c| c.into()).collect() } else { I64_EDGES.to_vec() };
            for c in consts {
                texts.push(binary_imm_fn(op, ty, c));
                cases.push((op.to_string(), ty == "i32", Some(c)));
            }
        }
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut program = Program::new(&refs, Aarch64Abi::Linux);
    let mut expected = Vec::new();
    for (i, (op, is32, c)) in cases.iter().enumerate() {
        if *is32 {
            for a in I32_EDGES {
                for b in c.map_or(I32_EDGES.to_vec(), |c| vec![c as i32]) {
                    // Garbage in the upper halves of i32 arguments must not matter.
                    program.call(i, [0xdead_beef_0000_0000 | a as u32 as u64, b as u32 as u64, 0]);
                    expected.push((format!("{op}.i32 {a} {b}"), i32_expected(op, a, b)));
                }
            }
        } else {
            for a in I64_EDGES {
                for b in c.map_or(I64_EDGES.to_vec(), |c| vec![c]) {
                    program.call(i, [a as u64, b as u64, 0]);
                    expected.push((format!("{op}.i64 {a} {b}"), i64_expected(op, a, b)));
                }
            }
        }
    }
    for (got, (what, want)) in program.run().into_iter().zip(expected) {
        assert_eq!(got, want, "{what}");
    }
}
