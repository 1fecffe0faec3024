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
    static uint8_t bytes[1 << 23];
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

const F64_EDGES: [f64; 10] = [0.0, -0.0, 1.0, -1.5, 2.5, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1e300, -3.25];

/// Float comparisons with NaN, zeros and infinities: as a value, fused into a branch, and
/// fused into an integer and a float select.
#[test]
fn float_comparisons_with_nan() {
    let ccs = ["eq", "ne", "lt", "le", "gt", "ge"];
    let texts: Vec<String> = ccs
        .iter()
        .map(|cc| {
            format!(
                "function %f(i64, i64, i64) -> i64 {{
block0(v0: i64, v1: i64, v2: i64):
    v3 = bitcast.i64.f64 v1
    v4 = bitcast.i64.f64 v2
    v5 = fcmp.f64 {cc} v3, v4
    v6 = uextend.i32.i64 v5
    v7 = fcmp.f64 {cc} v3, v4
    v20 = iconst.i64 16
    v21 = iconst.i64 0
    v8 = select.i64 v7, v20, v21
    v9 = fcmp.f64 {cc} v3, v4
    v22 = f64const 0x4000000000000000
    v23 = f64const 0x0000000000000000
    v10 = select.f64 v9, v22, v23
    v11 = bitcast.f64.i64 v10
    v12 = iadd.i64 v6, v8
    v13 = iadd.i64 v12, v11
    v14 = fcmp.f64 {cc} v3, v4
    brif v14, block1, block2
block1:
    v15 = iconst.i64 256
    v16 = iadd.i64 v13, v15
    return v16
block2:
    return v13
}}"
            )
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut program = Program::new(&refs, Aarch64Abi::Linux);
    let mut expected = Vec::new();
    for (i, cc) in ccs.iter().enumerate() {
        for a in F64_EDGES {
            for b in F64_EDGES {
                program.call(i, [a.to_bits(), b.to_bits(), 0]);
                let t = match *cc {
                    "eq" => a == b,
                    "ne" => a != b,
                    "lt" => a < b,
                    "le" => a <= b,
                    "gt" => a > b,
                    _ => a >= b,
                } as u64;
                let want = t + 16 * t + if t == 1 { 2f64.to_bits() } else { 0 } + 256 * t;
                expected.push((format!("{a} {cc} {b}"), Returned(want)));
            }
        }
    }
    for (got, (what, want)) in program.run().into_iter().zip(expected) {
        assert_eq!(got, want, "{what}");
    }
}

/// Float-to-integer conversions right at and beyond their range bounds: trapping ones must
/// trap with the right kind exactly outside the range, saturating ones clamp.
#[test]
fn float_to_int_conversions_at_range_bounds() {
    let mut texts = Vec::new();
    let mut cases = Vec::new();
    for from in ["f32", "f64"] {
        for to in ["i32", "i64"] {
            for conv in ["fcvt_to_sint", "fcvt_to_uint", "fcvt_to_sint_sat", "fcvt_to_uint_sat"] {
                let ity = if from == "f32" { "i32" } else { "i64" };
                texts.push(format!(
                    "function %f(i64, {ity}, {ity}) -> {to} {{\nblock0(v0: i64, v1: {ity}, v2: {ity}):\n    v3 = bitcast.{ity}.{from} v1\n    v4 = {conv}.{from}.{to} v3\n    return v4\n}}"
                ));
                cases.push((from, to, conv));
            }
        }
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut program = Program::new(&refs, Aarch64Abi::Linux);
    let p = |e: i32| 2f64.powi(e);
    let inputs: Vec<f64> = vec![
        0.0,
        -0.0,
        0.9,
        -0.9,
        -1.0,
        1.5,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        p(31) - 1.0,
        p(31),
        -p(31),
        -p(31) - 1.0,
        -p(31) - 0.5,
        p(32) - 1.0,
        p(32),
        p(63),
        -p(63),
        p(64),
        1e20,
        p(63) - 1024.0,
        p(64) - 2048.0,
    ];
    let mut expected = Vec::new();
    for (i, &(from, to, conv)) in cases.iter().enumerate() {
        for &x in &inputs {
            // The value the function sees, rounded to its precision.
            let (bits, x) =
                if from == "f32" { ((x as f32).to_bits() as u64, x as f32 as f64) } else { (x.to_bits(), x) };
            program.call(i, [bits, 0, 0]);
            let (lo, hi) = match (to, conv.contains("uint")) {
                ("i32", false) => (-p(31), p(31)),
                ("i64", false) => (-p(63), p(63)),
                ("i32", true) => (0.0, p(32)),
                _ => (0.0, p(64)),
            };
            let t = x.trunc();
            let want = if conv.ends_with("_sat") {
                let v = if x.is_nan() { 0.0 } else { t.clamp(lo, hi - 1.0) };
                // Rust's saturating casts are Wasm's.
                match (to, conv.contains("uint")) {
                    ("i32", false) => Returned(x as i32 as u32 as u64),
                    ("i64", false) => Returned(x as i64 as u64),
                    ("i32", true) => Returned(x as u32 as u64),
                    _ => Returned(if v < 0.0 { 0 } else { x as u64 }),
                }
            } else if x.is_nan() {
                Trapped(TrapCode::InvalidConversion)
            } else if t < lo || t >= hi {
                Trapped(TrapCode::IntegerOverflow)
            } else if conv.contains("uint") {
                Returned(if to == "i32" { t as u32 as u64 } else { t as u64 })
            } else {
                Returned(if to == "i32" { t as i32 as u32 as u64 } else { t as i64 as u64 })
            };
            expected.push((format!("{conv}.{from}.{to} {x}"), want));
        }
    }
    for (got, (what, want)) in program.run().into_iter().zip(expected) {
        assert_eq!(got, want, "{what}");
    }
}

/// Direct calls (patched `bl`), arguments beyond the registers, multi-value results through
/// the return area, and values live across calls; under both ABIs (Apple packs i32 stack
/// arguments in 4 bytes, Linux gives each 8).
#[test]
fn calls_stack_arguments_and_multiple_results() {
    let callee = "function %sum(i64, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f32) -> i64 {
block0(v0: i64, v1: i32, v2: i32, v3: i32, v4: i32, v5: i32, v6: i32, v7: i32, v8: i32, v9: i32, v10: i32, v11: i64, v12: f64, v13: f64, v14: f64, v15: f64, v16: f64, v17: f64, v18: f64, v19: f64, v20: f64, v21: f32):
    v30 = iadd.i32 v1, v9
    v31 = imul.i32 v10, v2
    v32 = iadd.i32 v30, v31
    v33 = sextend.i32.i64 v32
    v34 = imul.i64 v11, v33
    v35 = fadd.f64 v20, v12
    v36 = fpromote.f32.f64 v21
    v37 = fadd.f64 v35, v36
    v38 = fcvt_to_sint.f64.i64 v37
    v39 = iadd.i64 v34, v38
    return v39
}";
    let pair = "function %pair(i64, i64) -> (i64, i32, f64) {
block0(v0: i64, v1: i64):
    v2 = iconst.i64 3
    v3 = imul.i64 v1, v2
    v4 = wrap.i64.i32 v1
    v5 = fcvt_from_sint.i64.f64 v1
    return v3, v4, v5
}";
    let caller = "function %main(i64, i64, i64, i64) -> i64 {
    sig0 = (i64, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f32) -> i64
    sig1 = (i64, i64) -> (i64, i32, f64)
block0(v0: i64, v1: i64, v2: i64, v3: i64):
    v4, v5, v6 = call fn1 sig1(v0, v1)
    v7 = wrap.i64.i32 v2
    v8 = iconst.i32 1
    v9 = f64const 0x3ff0000000000000
    v10 = f32const 0x40000000
    v11 = call fn0 sig0(v0, v7, v8, v8, v8, v8, v8, v8, v8, v5, v7, v3, v6, v9, v9, v9, v9, v9, v9, v9, v6, v10)
    v12 = iadd.i64 v11, v4
    v13 = iadd.i64 v12, v1
    return v13
}";
    for abi in [Aarch64Abi::Linux, Aarch64Abi::Apple] {
        let mut program = Program::new(&[callee, pair, caller], abi);
        let args = [(1i64, 2i64, 3i64), (-7, 100, -2), (1 << 20, -1, 5)];
        for (a, b, c) in args {
            program.call(2, [a as u64, b as u64, c as u64]);
        }
        let got = program.run();
        for ((a, b, c), got) in args.into_iter().zip(got) {
            // sum: (v1 + v9 + v10 * v2) * v11 + trunc(v20 + v12 + v21)
            let (b32, a32) = (b as i32, a as i32);
            let ints = i64::from(b32.wrapping_add(a32).wrapping_add(b32.wrapping_mul(1)));
            let sum = ints.wrapping_mul(c) + (a as f64 + a as f64 + 2.0) as i64;
            let want = sum.wrapping_add(a.wrapping_mul(3)).wrapping_add(a);
            assert_eq!(got, Returned(want as u64), "{abi:?} {a} {b} {c}");
        }
    }
}

#[test]
fn branch_tables() {
    let text = "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    br_table v1, [block1, block2, block3, block2], block4
block1:
    v3 = iconst.i32 10
    jump block5(v3)
block2:
    v4 = iconst.i32 20
    jump block5(v4)
block3:
    v5 = iadd.i32 v2, v2
    jump block5(v5)
block4:
    jump block5(v2)
block5(v6: i32):
    return v6
}";
    let mut program = Program::new(&[text], Aarch64Abi::Linux);
    let cases = [(0, 10), (1, 20), (2, 6), (3, 20), (4, 3), (-1, 3), (1000, 3)];
    for (i, _) in cases {
        program.call(0, [i as u32 as u64, 3, 0]);
    }
    for ((i, want), got) in cases.into_iter().zip(program.run()) {
        assert_eq!(got, Returned(want), "index {i}");
    }
}

/// Loads and stores of every width with offsets near and beyond the immediate forms' reach;
/// an access past the accessible memory traps as out of bounds at a recorded site.
#[test]
fn memory_accesses_and_out_of_bounds_traps() {
    let text = "function %f(i64, i32, i64) -> i64 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = load_ptr.i64 readonly v0, +0
    store.i64 v3, v1, +4100, v2
    v4 = load.i64 v3, v1, +4100
    v5 = load8_s.i32 v3, v1, +4100
    v6 = sextend.i32.i64 v5
    v7 = load16_u.i64 v3, v1, +4101
    v8 = load32_s.i64 v3, v1, +4102
    v9 = load.i32 v3, v1, +0
    v10 = uextend.i32.i64 v9
    v11 = iconst.i32 40000
    v12 = iconst.i32 0
    store.i32 v3, v11, +3, v12
    v13 = load.i64 v3, v11, +0
    v20 = iadd.i64 v4, v6
    v21 = iadd.i64 v20, v7
    v22 = iadd.i64 v21, v8
    v23 = iadd.i64 v22, v10
    v24 = iadd.i64 v23, v13
    return v24
}";
    let heap = |i: usize| (i * 7 + 3) as u8;
    let word = |bytes: &[u8]| bytes.iter().rev().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
    let mut program = Program::new(&[text], Aarch64Abi::Linux);
    let addrs = [0u32, 8, 1000, 65536 - 4108, 65536 - 4100, 0xffff_fff0];
    let value = 0x8899_aabb_ccdd_eeffu64;
    for a in addrs {
        program.call(0, [u64::from(a), value, 0]);
    }
    for (a, got) in addrs.into_iter().zip(program.run()) {
        let a = a as usize;
        if a + 4100 + 8 > 65536 {
            assert_eq!(got, Trapped(TrapCode::MemoryOutOfBounds), "address {a}");
            continue;
        }
        let mut mem: Vec<u8> = (0..65536).map(heap).collect();
        mem[a + 4100..a + 4108].copy_from_slice(&value.to_le_bytes());
        mem[40003..40007].fill(0);
        let want = word(&mem[a + 4100..a + 4108])
            .wrapping_add(mem[a + 4100] as i8 as i64 as u64)
            .wrapping_add(word(&mem[a + 4101..a + 4103]))
            .wrapping_add(word(&mem[a + 4102..a + 4106]) as u32 as i32 as i64 as u64)
            .wrapping_add(word(&mem[a..a + 4]))
            .wrapping_add(word(&mem[40000..40008]));
        assert_eq!(got, Returned(want), "address {a}");
    }
}

/// Explicit traps go to `udf` stubs in the trap table; the prologue's stack check traps when
/// sp is below the limit.
#[test]
fn trap_sites_and_stack_check() {
    let text = "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = icmp.i32 eq v1, v2
    trapnz v3, unreachable
    trapz v2, table_oob
    brif v1, block1, block2
block1:
    return v1
block2:
    trap bad_sig
}";
    let mut program = Program::new(&[text], Aarch64Abi::Linux);
    for (a, b) in [(5, 6), (4, 4), (3, 0), (0, 1)] {
        program.call(0, [a, b, 0]);
    }
    program.call_with_exhausted_stack(0, [5, 6, 0]);
    assert_eq!(
        program.run(),
        [
            Returned(5),
            Trapped(TrapCode::Unreachable),
            Trapped(TrapCode::TableOutOfBounds),
            Trapped(TrapCode::IndirectCallBadSig),
            Trapped(TrapCode::StackOverflow)
        ]
    );
}

/// Bit counting, sign extensions, float rounding, min/max and copysign against Rust.
#[test]
fn bit_counts_and_float_unary_operations() {
    let int_unary = |op: &str, ty: &str| {
        format!("function %f(i64, {ty}, {ty}) -> {ty} {{\nblock0(v0: i64, v1: {ty}, v2: {ty}):\n    v3 = {op}.{ty} v1\n    return v3\n}}")
    };
    let float_fn = |body: &str| {
        format!("function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = bitcast.i64.f64 v1\n    v4 = bitcast.i64.f64 v2\n{body}\n    v9 = bitcast.f64.i64 v5\n    return v9\n}}")
    };
    let int_ops = ["clz", "ctz", "popcnt", "sext8", "sext16"];
    let float_ops = ["fmin", "fmax", "fcopysign"];
    let round_ops = ["fnearest", "fceil", "ffloor", "ftrunc", "fsqrt", "fneg", "fabs"];
    let mut texts = Vec::new();
    for op in int_ops {
        texts.push(int_unary(op, "i32"));
        texts.push(int_unary(op, "i64"));
    }
    for op in float_ops {
        texts.push(float_fn(&format!("    v5 = {op}.f64 v3, v4")));
    }
    for op in round_ops {
        texts.push(float_fn(&format!("    v5 = {op}.f64 v3")));
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut program = Program::new(&refs, Aarch64Abi::Linux);
    let mut expected = Vec::new();
    for (k, op) in int_ops.iter().enumerate() {
        for a in I64_EDGES {
            let a32 = a as i32;
            let w32 = match *op {
                "clz" => a32.leading_zeros() as i32,
                "ctz" => a32.trailing_zeros() as i32,
                "popcnt" => a32.count_ones() as i32,
                "sext8" => a32 as i8 as i32,
                _ => a32 as i16 as i32,
            };
            let w64 = match *op {
                "clz" => a.leading_zeros() as i64,
                "ctz" => a.trailing_zeros() as i64,
                "popcnt" => a.count_ones() as i64,
                "sext8" => a as i8 as i64,
                _ => a as i16 as i64,
            };
            program.call(2 * k, [a32 as u32 as u64, 0, 0]);
            expected.push((format!("{op}.i32 {a32}"), Returned(w32 as u32 as u64)));
            program.call(2 * k + 1, [a as u64, 0, 0]);
            expected.push((format!("{op}.i64 {a}"), Returned(w64 as u64)));
        }
    }
    let base = 2 * int_ops.len();
    let same = |x: f64| x.to_bits();
    for (k, op) in float_ops.iter().enumerate() {
        for a in F64_EDGES {
            for b in F64_EDGES {
                let want = match *op {
                    _ if *op != "fcopysign" && (a.is_nan() || b.is_nan()) => f64::NAN,
                    "fmin" if a == b => f64::from_bits(a.to_bits() | b.to_bits()),
                    "fmax" if a == b => f64::from_bits(a.to_bits() & b.to_bits()),
                    "fmin" => a.min(b),
                    "fmax" => a.max(b),
                    _ => a.copysign(b),
                };
                program.call(base + k, [a.to_bits(), b.to_bits(), 0]);
                expected.push((format!("{op} {a} {b}"), Returned(same(want))));
            }
        }
    }
    let base = base + float_ops.len();
    for (k, op) in round_ops.iter().enumerate() {
        for a in F64_EDGES.into_iter().chain([0.5, 1.5, 2.5, -2.5, 4503599627370497.0]) {
            let want = match *op {
                "fnearest" => a.round_ties_even(),
                "fceil" => a.ceil(),
                "ffloor" => a.floor(),
                "ftrunc" => a.trunc(),
                "fsqrt" => a.sqrt(),
                "fneg" => -a,
                _ => a.abs(),
            };
            program.call(base + k, [a.to_bits(), 0, 0]);
            expected.push((format!("{op} {a}"), Returned(same(want))));
        }
    }
    for (got, (what, want)) in program.run().into_iter().zip(expected) {
        // Any NaN will do where a NaN is expected (the sign and payload are not specified).
        let nan = |o: Outcome| matches!(o, Returned(b) if f64::from_bits(b).is_nan());
        if nan(want) && !what.contains("fneg") && !what.contains("fabs") && !what.contains("copysign") {
            assert!(nan(got), "{what}: {got:?}");
        } else {
            assert_eq!(got, want, "{what}");
        }
    }
}

/// v128 values through the ABI and the allocator: nine vector arguments (the ninth on the
/// stack, in a 16-byte slot), vector results in `v0` and through the return area, a vector
/// live across calls (in `v8`..`v15` only the low halves survive a call), and more live
/// vectors than registers (16-byte spill slots); under both ABIs.
#[test]
fn v128_arguments_results_and_spills() {
    let params: Vec<String> = (1..=9).map(|i| format!("v{i}: v128")).collect();
    let mut body = String::from("    v10 = iconst.i32 0\n    v11 = simd.i64x2.shl v1, v10\n");
    // v(11 + k) = sum of p_i << (i - 1) for i <= k + 1.
    for i in 2..=9 {
        body += &format!("    v{} = iconst.i32 {}\n", 20 + i, i - 1);
        body += &format!("    v{} = simd.i64x2.shl v{i}, v{}\n", 40 + i, 20 + i);
        body += &format!("    v{} = simd.i64x2.add v{}, v{}\n", 10 + i, 9 + i, 40 + i);
    }
    let vsum = format!(
        "function %vsum(i64, {}) -> v128 {{\nblock0(v0: i64, {}):\n{body}    return v19\n}}",
        ["v128"; 9].join(", "),
        params.join(", ")
    );
    let pair = "function %pair(i64, v128) -> (v128, i64, v128) {
block0(v0: i64, v1: v128):
    v2 = simd.i64x2.add v1, v1
    v3 = simd.i64x2.extract_lane [1] v1
    v4 = v128const 0x00000000000000010000000000000001
    v5 = simd.i64x2.sub v1, v4
    return v2, v3, v5
}";
    let main = "function %main(i64, i64, i64, i64) -> i64 {
    sig0 = (i64, v128, v128, v128, v128, v128, v128, v128, v128, v128) -> v128
    sig1 = (i64, v128) -> (v128, i64, v128)
    sig2 = (i64, i64, i64, i64) -> i64
block0(v0: i64, v1: i64, v2: i64, v3: i64):
    v4 = simd.i64x2.splat v1
    v5 = simd.i64x2.replace_lane [1] v4, v2
    v6 = simd.i64x2.splat v3
    v7 = simd.i64x2.add v5, v6
    v8, v9, v10 = call fn1 sig1(v0, v5)
    v19 = call fn3 sig2(v0, v1, v2, v3)
    v11 = call fn0 sig0(v0, v5, v6, v7, v8, v10, v5, v6, v7, v8)
    v12 = simd.i64x2.add v11, v7
    v13 = simd.i64x2.extract_lane [0] v12
    v14 = simd.i64x2.extract_lane [1] v12
    v15 = iconst.i64 3
    v16 = imul.i64 v14, v15
    v17 = xor.i64 v13, v16
    v18 = iadd.i64 v17, v9
    v20 = iadd.i64 v18, v19
    return v20
}";
    // 40 vectors live at once, summed in reverse: more than the 31 allocatable registers, so
    // `v8`..`v15` are used (their upper halves lost to `main`'s vectors live across the call).
    let mut spills =
        String::from("function %spills(i64, i64, i64, i64) -> i64 {\nblock0(v0: i64, v1: i64, v2: i64, v3: i64):\n");
    for i in 0..40 {
        spills += &format!("    v{} = iconst.i64 {i}\n    v{} = iadd.i64 v1, v{}\n", 100 + i, 200 + i, 100 + i);
        spills += &format!("    v{} = simd.i64x2.splat v{}\n", 300 + i, 200 + i);
    }
    spills += "    v400 = simd.i64x2.splat v2\n";
    for j in 0..40 {
        // v(401 + j) = v(400 + j) + vector 39 - j
        spills += &format!("    v{} = simd.i64x2.add v{}, v{}\n", 401 + j, 400 + j, 339 - j);
    }
    spills += "    v500 = simd.i64x2.extract_lane [1] v440\n    return v500\n}";
    for abi in [Aarch64Abi::Linux, Aarch64Abi::Apple] {
        let mut program = Program::new(&[&vsum, pair, main, &spills], abi);
        let args = [(1i64, 2i64, 3i64), (-7, 100, -2), (1 << 40, -1, i64::MIN)];
        for (a, b, c) in args {
            program.call(2, [a as u64, b as u64, c as u64]);
            program.call(3, [a as u64, b as u64, c as u64]);
        }
        let got = program.run();
        for (k, (a, b, c)) in args.into_iter().enumerate() {
            let add = |x: [i64; 2], y: [i64; 2]| [x[0].wrapping_add(y[0]), x[1].wrapping_add(y[1])];
            let (v5, v6) = ([a, b], [c, c]);
            let v7 = add(v5, v6);
            let (v8, v9, v10) = (add(v5, v5), b, [a.wrapping_sub(1), b.wrapping_sub(1)]);
            let vargs = [v5, v6, v7, v8, v10, v5, v6, v7, v8];
            let sum = vargs.iter().enumerate().fold([0i64; 2], |acc, (i, v)| add(acc, [v[0] << i, v[1] << i]));
            let v12 = add(sum, v7);
            let spilled = (0..40).fold(b, |acc, i| acc.wrapping_add(a.wrapping_add(i)));
            let want = (v12[0] ^ v12[1].wrapping_mul(3)).wrapping_add(v9).wrapping_add(spilled);
            assert_eq!(got[2 * k], Returned(want as u64), "{abi:?} main {a} {b} {c}");
            assert_eq!(got[2 * k + 1], Returned(spilled as u64), "{abi:?} spills {a} {b} {c}");
        }
    }
}

/// A function whose code is larger than the ±1 MiB reach of `b.cond`, `cbz`, `adr` and literal
/// loads: the branch over it, the jump table, the literal and the trap stub after it all work.
#[test]
fn function_beyond_a_megabyte_of_code() {
    const CHAIN: usize = 300_000; // `mul`s of 4 bytes: 1.2 MB.
    let mut text = String::from(
        "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = udiv.i32 v2, v1
    v4 = f32const 0x3fc00000
    v5 = bitcast.f32.i32 v4
    v6 = iadd.i32 v3, v5
    br_table v1, [block3, block1], block3
block1:
",
    );
    for k in 0..CHAIN {
        let prev = if k == 0 { 6 } else { 9 + k };
        text.push_str(&format!("    v{} = imul.i32 v{prev}, v2\n", 10 + k));
    }
    text.push_str(&format!(
        "    jump block2(v{})\nblock3:\n    jump block2(v6)\nblock2(v7: i32):\n    return v7\n}}",
        9 + CHAIN
    ));
    let mut program = Program::new(&[&text], Aarch64Abi::Linux);
    let code_len = program.code.len();
    assert!(code_len > 1 << 20, "the function should exceed 1 MiB, has {code_len} bytes");
    let cases: [(u32, u32); 4] = [(0, 5), (1, 3), (2, 9), (7, 1)];
    for (v1, v2) in cases {
        program.call(0, [u64::from(v1), u64::from(v2), 0]);
    }
    let outcomes = program.run();
    for ((v1, v2), got) in cases.into_iter().zip(outcomes) {
        let want = match v1 {
            0 => Trapped(TrapCode::IntegerDivideByZero),
            _ => {
                let v6 = (v2 / v1).wrapping_add(0x3fc0_0000);
                let r = if v1 == 1 { (0..CHAIN).fold(v6, |acc, _| acc.wrapping_mul(v2)) } else { v6 };
                Returned(u64::from(r))
            }
        };
        assert_eq!(got, want, "v1 = {v1}, v2 = {v2}");
    }
}

#[path = "common/dispatch_loop.rs"]
mod dispatch_loop;
use dispatch_loop::{dispatch_loop_expected, DISPATCH_LOOP, DISPATCH_LOOP_CASES};

#[test]
fn dispatch_loop_gets_one_indirect_jump_per_case() {
    let c = compile(DISPATCH_LOOP, Aarch64Abi::Linux);
    // `br xN`: one dispatch per case and the header's own.
    let words = c.code.chunks_exact(4).map(|w| u32::from_le_bytes(w.try_into().unwrap()));
    let indirect = words.filter(|w| w & 0xffff_fc1f == 0xd61f_0000).count();
    assert!(indirect >= 5, "{indirect} indirect branches");
    let mut program = Program::new(&[DISPATCH_LOOP], Aarch64Abi::Linux);
    for (n, seed) in DISPATCH_LOOP_CASES {
        program.call(0, [n as u32 as u64, seed as u32 as u64, 0]);
    }
    for ((n, seed), got) in DISPATCH_LOOP_CASES.into_iter().zip(program.run()) {
        assert_eq!(got, Returned(dispatch_loop_expected(n, seed) as u32 as u64), "n {n} seed {seed}");
    }
}
