//! Assembled routines executed under `qemu-aarch64` and compared with the same computation in
//! Rust. The routines are placed in one code blob, run by a small static C harness built
//! with `aarch64-linux-gnu-gcc`: it maps the blob executable and, for every stdin line
//! `entry a b c`, calls `uint64_t f(a, b, c, heap)` at `entry` and prints the result. The
//! `heap` (4 KiB, byte `i` = `i * 7 + 3`) is re-filled before every call.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::common::*;
use target_aarch64::*;

const HARNESS: &str = r#"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef uint64_t (*routine)(uint64_t, uint64_t, uint64_t, uint8_t *);
static uint8_t heap[4096];

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    FILE *file = fopen(argv[1], "rb");
    if (!file) return 3;
    static uint8_t bytes[1 << 20];
    size_t len = fread(bytes, 1, sizeof bytes, file);
    fclose(file);
    uint8_t *code = mmap(NULL, sizeof bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) return 4;
    memcpy(code, bytes, len);
    if (mprotect(code, sizeof bytes, PROT_READ | PROT_EXEC) != 0) return 5;
    __builtin___clear_cache((char *)code, (char *)code + len);
    uint64_t entry, a, b, c;
    while (scanf("%" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64, &entry, &a, &b, &c) == 4) {
        for (size_t i = 0; i < sizeof heap; i++) heap[i] = (uint8_t)(i * 7 + 3);
        printf("%" PRIx64 "\n", ((routine)(code + entry))(a, b, c, heap));
    }
    return 0;
}
"#;

/// The heap byte at `i`, as the harness fills it.
fn heap_byte(i: usize) -> u8 {
    (i * 7 + 3) as u8
}

/// The harness binary, built once per test run.
fn harness() -> &'static Path {
    static HARNESS_BINARY: OnceLock<PathBuf> = OnceLock::new();
    HARNESS_BINARY.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("aarch64-exec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the harness directory");
        let source = dir.join("harness.c");
        std::fs::write(&source, HARNESS).expect("write harness.c");
        let binary = dir.join("harness");
        let status = Command::new("aarch64-linux-gnu-gcc")
            .args(["-static", "-O1", "-o"])
            .arg(&binary)
            .arg(&source)
            .status()
            .unwrap_or_else(|e| {
                panic!("cannot run aarch64-linux-gnu-gcc ({e}): install the Debian package gcc-aarch64-linux-gnu")
            });
        assert!(status.success(), "aarch64-linux-gnu-gcc failed on the harness");
        binary
    })
}

/// Routines assembled into one blob, each behind its own label.
pub struct Routines {
    asm: Assembler,
    entries: Vec<Label>,
}

impl Routines {
    pub fn new() -> Routines {
        Routines { asm: Assembler::new(), entries: Vec::new() }
    }

    /// Adds a routine: `x0`..`x2` hold the arguments, `x3` the heap; the result is `x0`.
    /// Returns its index for [`Program::call`].
    pub fn add(&mut self, emit: impl FnOnce(&mut Assembler)) -> usize {
        self.asm.align(16);
        let entry = self.asm.new_label();
        self.asm.bind_label(entry);
        emit(&mut self.asm);
        self.entries.push(entry);
        self.entries.len() - 1
    }

    pub fn build(self) -> Program {
        let out = self.asm.finish().unwrap_or_else(|e| panic!("assembly failed: {e}"));
        let entries = self.entries.iter().map(|&l| out.label_offset(l).expect("entry bound")).collect();
        Program { code: out.code, entries, calls: Vec::new() }
    }
}

/// Assembled routines and the calls to make.
pub struct Program {
    code: Vec<u8>,
    entries: Vec<u32>,
    calls: Vec<(u32, [u64; 3])>,
}

impl Program {
    /// Queues a call of routine `index`; [`Program::run`] returns results in call order.
    pub fn call(&mut self, index: usize, args: [u64; 3]) {
        self.calls.push((self.entries[index], args));
    }

    /// Runs every queued call under qemu.
    pub fn run(&mut self) -> Vec<u64> {
        static RUN: AtomicUsize = AtomicUsize::new(0);
        let harness = harness();
        let code_file = harness.with_file_name(format!("code-{}.bin", RUN.fetch_add(1, Ordering::Relaxed)));
        std::fs::write(&code_file, &self.code).expect("write the code");
        let input: String =
            self.calls.iter().map(|(entry, [a, b, c])| format!("{entry:x} {a:x} {b:x} {c:x}\n")).collect();
        let mut child = Command::new("qemu-aarch64")
            .arg(harness)
            .arg(&code_file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run qemu-aarch64 ({e}): install the Debian package qemu-user"));
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // Feed the input from another thread so a large output cannot deadlock the pipe.
        let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, input.as_bytes()));
        let out = child.wait_with_output().expect("qemu-aarch64 runs");
        writer.join().expect("writer thread").expect("write to the harness");
        assert!(out.status.success(), "harness failed: {:?}", out.status);
        let results: Vec<u64> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| u64::from_str_radix(l, 16).expect("hex result"))
            .collect();
        assert_eq!(results.len(), self.calls.len(), "a routine crashed the harness");
        self.calls.clear();
        results
    }
}

/// Operands that probe signs, extremes and ordinary values.
const VALUES: [u64; 12] = [
    0,
    1,
    2,
    7,
    63,
    0x8000_0000,
    0xffff_ffff,
    0x1234_5678_9abc_def0,
    i64::MAX as u64,
    i64::MIN as u64,
    u64::MAX - 1,
    u64::MAX,
];

type Emit = Box<dyn Fn(&mut Assembler)>;
type Binary = fn(u64, u64) -> u64;
type Unary = Box<dyn Fn(u64) -> u64>;

/// Runs each routine on every pair of `VALUES` and compares with its Rust twin.
fn check_binary(cases: Vec<(&str, Emit, Binary)>) {
    let mut routines = Routines::new();
    let indices: Vec<usize> = cases.iter().map(|(_, emit, _)| routines.add(|a| emit(a))).collect();
    let mut program = routines.build();
    for &index in &indices {
        for a in VALUES {
            for b in VALUES {
                program.call(index, [a, b, 0]);
            }
        }
    }
    let mut results = program.run().into_iter();
    for (name, _, expected) in &cases {
        for a in VALUES {
            for b in VALUES {
                let got = results.next().expect("one result per call");
                assert_eq!(got, expected(a, b), "{name}({a:#x}, {b:#x})");
            }
        }
    }
}

/// A routine of one instruction family on `x0`, `x1`, then `ret`.
fn op(emit: impl Fn(&mut Assembler) + 'static) -> Emit {
    Box::new(move |a| {
        emit(a);
        a.ret();
    })
}

fn low32(f: fn(u32, u32) -> u32) -> impl Fn(u64, u64) -> u64 {
    move |a, b| u64::from(f(a as u32, b as u32))
}

#[test]
fn integer_arithmetic_matches_rust() {
    use Gpr::{X0, X1, X2};
    let (s32, s64) = (Size::S32, Size::S64);
    let cases: Vec<(&str, Emit, Binary)> = vec![
        ("add", op(move |a| a.alu_rrr(AluOp::Add, s64, X0, X0, X1)), |a, b| a.wrapping_add(b)),
        ("sub32", op(move |a| a.alu_rrr(AluOp::Sub, s32, X0, X0, X1)), |a, b| low32(u32::wrapping_sub)(a, b)),
        ("and", op(move |a| a.alu_rrr(AluOp::And, s64, X0, X0, X1)), |a, b| a & b),
        ("orr32", op(move |a| a.alu_rrr(AluOp::Orr, s32, X0, X0, X1)), |a, b| (a | b) & 0xffff_ffff),
        ("eor", op(move |a| a.alu_rrr(AluOp::Eor, s64, X0, X0, X1)), |a, b| a ^ b),
        ("bic", op(move |a| a.alu_rrr(AluOp::Bic, s64, X0, X0, X1)), |a, b| a & !b),
        ("orn32", op(move |a| a.alu_rrr(AluOp::Orn, s32, X0, X0, X1)), |a, b| (a | !b) & 0xffff_ffff),
        ("add lsl 3", op(move |a| a.alu_rrr_shift(AluOp::Add, s64, X0, X0, X1, Shift::Lsl, 3)), |a, b| {
            a.wrapping_add(b << 3)
        }),
        ("eor ror 7", op(move |a| a.alu_rrr_shift(AluOp::Eor, s64, X0, X0, X1, Shift::Ror, 7)), |a, b| {
            a ^ b.rotate_right(7)
        }),
        ("add uxtw #2", op(move |a| a.alu_rrr_ext(AluOp::Add, s64, X0, X0, X1, Extend::Uxtw, 2)), |a, b| {
            a.wrapping_add((b & 0xffff_ffff) << 2)
        }),
        ("sub sxtb", op(move |a| a.alu_rrr_ext(AluOp::Sub, s64, X0, X0, X1, Extend::Sxtb, 0)), |a, b| {
            a.wrapping_sub(b as i8 as u64)
        }),
        ("mul", op(move |a| a.mul(s64, X0, X0, X1)), |a, b| a.wrapping_mul(b)),
        ("mul32", op(move |a| a.mul(s32, X0, X0, X1)), |a, b| low32(u32::wrapping_mul)(a, b)),
        ("msub", op(move |a| a.msub(s64, X0, X0, X1, X1)), |a, b| b.wrapping_sub(a.wrapping_mul(b))),
        ("smulh", op(move |a| a.smulh(X0, X0, X1)), |a, b| {
            ((i128::from(a as i64) * i128::from(b as i64)) >> 64) as u64
        }),
        ("umulh", op(move |a| a.umulh(X0, X0, X1)), |a, b| ((u128::from(a) * u128::from(b)) >> 64) as u64),
        // The hardware's division never traps: x / 0 = 0, MIN / -1 = MIN.
        ("udiv", op(move |a| a.udiv(s64, X0, X0, X1)), |a, b| a.checked_div(b).unwrap_or(0)),
        ("sdiv", op(move |a| a.sdiv(s64, X0, X0, X1)), |a, b| {
            (a as i64).checked_div(b as i64).unwrap_or(if b == 0 { 0 } else { i64::MIN }) as u64
        }),
        ("sdiv32", op(move |a| a.sdiv(s32, X0, X0, X1)), |a, b| {
            let (a, b) = (a as i32, b as i32);
            u64::from(a.checked_div(b).unwrap_or(if b == 0 { 0 } else { i32::MIN }) as u32)
        }),
        ("lslv", op(move |a| a.shift_rrr(Shift::Lsl, s64, X0, X0, X1)), |a, b| a << (b & 63)),
        ("lsrv32", op(move |a| a.shift_rrr(Shift::Lsr, s32, X0, X0, X1)), |a, b| low32(|a, b| a >> (b & 31))(a, b)),
        ("asrv", op(move |a| a.shift_rrr(Shift::Asr, s64, X0, X0, X1)), |a, b| ((a as i64) >> (b & 63)) as u64),
        ("rorv32", op(move |a| a.shift_rrr(Shift::Ror, s32, X0, X0, X1)), |a, b| {
            low32(|a, b| a.rotate_right(b & 31))(a, b)
        }),
        (
            "cmp+csel lt",
            op(move |a| {
                a.cmp_rr(s64, X0, X1);
                a.csel(s64, X0, X0, X1, Cond::Lt);
            }),
            |a, b| (a as i64).min(b as i64) as u64,
        ),
        (
            "cmp+cset hi",
            op(move |a| {
                a.cmp_rr(s32, X0, X1);
                a.cset(s64, X0, Cond::Hi);
            }),
            |a, b| u64::from(a as u32 > b as u32),
        ),
        (
            "tst+csetm ne",
            op(move |a| {
                a.tst_rr(s64, X0, X1);
                a.csetm(s64, X0, Cond::Ne);
            }),
            |a, b| if a & b != 0 { u64::MAX } else { 0 },
        ),
        (
            "adds+cset vs",
            op(move |a| {
                a.alu_rrr(AluOp::Adds, s64, X2, X0, X1);
                a.cset(s32, X0, Cond::Vs);
            }),
            |a, b| u64::from((a as i64).checked_add(b as i64).is_none()),
        ),
        (
            "csneg",
            op(move |a| {
                a.cmp_ri(s64, X0, 7);
                a.csneg(s64, X0, X0, X1, Cond::Eq);
            }),
            |a, b| if a == 7 { a } else { b.wrapping_neg() },
        ),
    ];
    check_binary(cases);
}

#[test]
fn shifts_extensions_and_bit_counts_match_rust() {
    use Gpr::{X0, X1};
    let (s32, s64) = (Size::S32, Size::S64);
    let cases: Vec<(&str, Emit, Binary)> = vec![
        ("lsl #13", op(move |a| a.shift_rri(Shift::Lsl, s64, X0, X0, 13)), |a, _| a << 13),
        ("lsr #31 (32)", op(move |a| a.shift_rri(Shift::Lsr, s32, X0, X0, 31)), |a, _| u64::from(a as u32 >> 31)),
        ("asr #63", op(move |a| a.shift_rri(Shift::Asr, s64, X0, X0, 63)), |a, _| ((a as i64) >> 63) as u64),
        ("asr #5 (32)", op(move |a| a.shift_rri(Shift::Asr, s32, X0, X0, 5)), |a, _| {
            u64::from(((a as i32) >> 5) as u32)
        }),
        ("ror #1", op(move |a| a.shift_rri(Shift::Ror, s64, X0, X0, 1)), |a, _| a.rotate_right(1)),
        ("lsl #1 (32)", op(move |a| a.shift_rri(Shift::Lsl, s32, X0, X0, 1)), |a, _| u64::from((a as u32) << 1)),
        ("sxtb", op(move |a| a.sign_extend(Size::S8, s64, X0, X0)), |a, _| a as i8 as u64),
        ("sxth (32)", op(move |a| a.sign_extend(Size::S16, s32, X0, X0)), |a, _| u64::from(a as i16 as i32 as u32)),
        ("sxtw", op(move |a| a.sign_extend(Size::S32, s64, X0, X0)), |a, _| a as i32 as u64),
        ("uxtb", op(move |a| a.zero_extend(Size::S8, X0, X0)), |a, _| a & 0xff),
        ("uxth", op(move |a| a.zero_extend(Size::S16, X0, X0)), |a, _| a & 0xffff),
        ("uxtw", op(move |a| a.zero_extend(Size::S32, X0, X0)), |a, _| a & 0xffff_ffff),
        ("clz", op(move |a| a.bit_op(BitOp::Clz, s64, X0, X0)), |a, _| u64::from(a.leading_zeros())),
        ("clz32", op(move |a| a.bit_op(BitOp::Clz, s32, X0, X0)), |a, _| u64::from((a as u32).leading_zeros())),
        (
            "ctz",
            op(move |a| {
                a.bit_op(BitOp::Rbit, s64, X0, X0);
                a.bit_op(BitOp::Clz, s64, X0, X0);
            }),
            |a, _| u64::from(a.trailing_zeros()),
        ),
        ("rev32", op(move |a| a.bit_op(BitOp::Rev, s32, X0, X0)), |a, _| u64::from((a as u32).swap_bytes())),
        ("rev", op(move |a| a.bit_op(BitOp::Rev, s64, X0, X0)), |a, _| a.swap_bytes()),
        ("cls", op(move |a| a.bit_op(BitOp::Cls, s64, X0, X0)), |a, _| {
            u64::from(if (a as i64) < 0 { a.leading_ones() } else { a.leading_zeros() } - 1)
        }),
        ("popcnt", op(move |a| a.popcnt(s64, X0, X0, Vreg::V31)), |a, _| u64::from(a.count_ones())),
        ("popcnt32", op(move |a| a.popcnt(s32, X0, X0, Vreg::V0)), |a, _| u64::from((a as u32).count_ones())),
        ("ubfx #8, #12", op(move |a| a.ubfm(s64, X0, X0, 8, 19)), |a, _| (a >> 8) & 0xfff),
        ("bfi", op(move |a| a.bfm(s64, X0, X1, 60, 7)), |a, b| (a & !(0xff << 4)) | ((b & 0xff) << 4)),
        ("extr #13", op(move |a| a.extr(s64, X0, X0, X1, 13)), |a, b| (b >> 13) | (a << 51)),
    ];
    check_binary(cases);
}

/// Values whose 16-bit halves are zero, all ones, or mixed in every combination, plus
/// bitmask-immediate patterns and pseudo-random values.
fn interesting_constants() -> Vec<u64> {
    let halves = [0u64, 0xffff, 0x1234, 0x8000];
    let mut values = Vec::new();
    for i in 0..256u64 {
        let pick = |k: u64| halves[((i >> (2 * k)) & 3) as usize] << (16 * k);
        values.push(pick(0) | pick(1) | pick(2) | pick(3));
    }
    values.extend([
        0x5555_5555_5555_5555,
        0x0f0f_0f0f_0f0f_0f0f,
        0x7fff_ffff_ffff_ffff,
        1 << 63,
        0x3ff0_0000_0000_0000,
    ]);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..64 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        values.push(state);
    }
    values
}

#[test]
fn constants_materialise_exactly() {
    let values = interesting_constants();
    let mut routines = Routines::new();
    let mut indices = Vec::new();
    for &value in &values {
        for (size, reg) in [(Size::S64, Gpr::X0), (Size::S32, Gpr::X0)] {
            // Dirty the register first: `movk` must not depend on leftover bits.
            indices.push(routines.add(|a| {
                a.mov_rr(Size::S64, Gpr::X0, Gpr::X1);
                a.mov_imm(size, reg, value);
                a.ret();
            }));
        }
    }
    let mut program = routines.build();
    for &index in &indices {
        program.call(index, [0, 0xa5a5_a5a5_a5a5_a5a5, 0]);
    }
    let results = program.run();
    for (i, &value) in values.iter().enumerate() {
        assert_eq!(results[2 * i], value, "64-bit {value:#x}");
        assert_eq!(results[2 * i + 1], value & 0xffff_ffff, "32-bit {value:#x}");
    }
    // At most four instructions per constant.
    for value in values {
        let out = assemble(|a| a.mov_imm(Size::S64, Gpr::X5, value));
        assert!(out.code.len() <= 16, "{value:#x}: {:?}", disasm(&out.words()));
    }
}

#[test]
fn loads_and_stores_extend_and_address_as_asked() {
    use Gpr::{X0, X1, X3};
    let heap =
        |at: u64, len: usize| -> u64 { (0..len).map(|i| u64::from(heap_byte(at as usize + i)) << (8 * i)).sum() };
    let mut routines = Routines::new();
    // x0 = an address (below 4 KiB - 8) into the heap in x3.
    let forms: Vec<(Emit, Unary)> = vec![
        (op(move |a| a.load(Size::S8, X0, Mem::uxtw(X3, X0))), Box::new(move |at| heap(at, 1))),
        (op(move |a| a.load(Size::S16, X0, Mem::uxtw(X3, X0))), Box::new(move |at| heap(at, 2))),
        (op(move |a| a.load(Size::S32, X0, Mem::uxtw(X3, X0))), Box::new(move |at| heap(at, 4))),
        (op(move |a| a.load(Size::S64, X0, Mem::uxtw(X3, X0))), Box::new(move |at| heap(at, 8))),
        (
            op(move |a| a.load_sx(Size::S8, Size::S64, X0, Mem::uxtw(X3, X0))),
            Box::new(move |at| heap(at, 1) as i8 as u64),
        ),
        (
            op(move |a| a.load_sx(Size::S16, Size::S32, X0, Mem::uxtw(X3, X0))),
            Box::new(move |at| u64::from(heap(at, 2) as i16 as i32 as u32)),
        ),
        (
            op(move |a| a.load_sx(Size::S32, Size::S64, X0, Mem::uxtw(X3, X0))),
            Box::new(move |at| heap(at, 4) as i32 as u64),
        ),
        // Scaled index: element x0 of an array of u16.
        (
            op(move |a| {
                a.alu_rri(AluOp::And, Size::S64, X0, X0, 0x3ff);
                a.load(Size::S16, X0, Mem::Indexed { base: X3, index: X0, extend: Extend::Uxtx, scaled: true });
            }),
            Box::new(move |at| heap((at & 0x3ff) * 2, 2)),
        ),
        // Base + constant offsets: scaled and unscaled.
        (
            op(move |a| {
                a.alu_rrr(AluOp::Add, Size::S64, X3, X3, X0);
                a.load(Size::S32, X0, Mem::offset(X3, 3));
            }),
            Box::new(move |at| heap(at + 3, 4)),
        ),
        // Store a half, then read the word around it back.
        (
            op(move |a| {
                a.alu_rrr(AluOp::Add, Size::S64, X3, X3, X0);
                a.store(Size::S16, Mem::offset(X3, 2), X1);
                a.load(Size::S64, X0, Mem::base(X3));
            }),
            Box::new(move |at| (heap(at, 8) & !0xffff_0000) | 0xbeef_0000),
        ),
        // Post-index walk: x0 = sum of the two bytes at x0 and x0 + 1.
        (
            op(move |a| {
                a.alu_rrr(AluOp::Add, Size::S64, X3, X3, X0);
                a.load(Size::S8, X0, Mem::PostIndex { base: X3, offset: 1 });
                a.load(Size::S8, X1, Mem::base(X3));
                a.alu_rrr(AluOp::Add, Size::S64, X0, X0, X1);
            }),
            Box::new(move |at| heap(at, 1) + heap(at + 1, 1)),
        ),
    ];
    let indices: Vec<usize> = forms.iter().map(|(emit, _)| routines.add(|a| emit(a))).collect();
    let mut program = routines.build();
    let addresses = [0u64, 1, 7, 255, 1000, 4087];
    for &index in &indices {
        for at in addresses {
            program.call(index, [at, 0xbeef, 0]);
        }
    }
    let mut results = program.run().into_iter();
    for (form, (_, expected)) in forms.iter().enumerate() {
        for at in addresses {
            assert_eq!(results.next(), Some(expected(at)), "form {form} at {at}");
        }
    }
}

#[test]
fn branches_loops_calls_and_jump_tables_run() {
    use Gpr::{X0, X1, X2, X29, X30};
    let mut routines = Routines::new();
    // sum = 0; while n != 0 { sum += n; n -= 1 }: a backward cbnz.
    let sum = routines.add(|a| {
        let (top, done) = (a.new_label(), a.new_label());
        a.mov_imm(Size::S64, X1, 0);
        a.cbz(Size::S64, X0, done);
        a.bind_label(top);
        a.alu_rrr(AluOp::Add, Size::S64, X1, X1, X0);
        a.alu_rri(AluOp::Sub, Size::S64, X0, X0, 1);
        a.cbnz(Size::S64, X0, top);
        a.bind_label(done);
        a.mov_rr(Size::S64, X0, X1);
        a.ret();
    });
    // Bit 40 of x0 set? 100 : bit 3 clear? 200 : 300 (tbnz / tbz forward).
    let bits = routines.add(|a| {
        let (set40, clear3) = (a.new_label(), a.new_label());
        a.tbnz(X0, 40, set40);
        a.tbz(X0, 3, clear3);
        a.mov_imm(Size::S64, X0, 300);
        a.ret();
        a.bind_label(set40);
        a.mov_imm(Size::S64, X0, 100);
        a.ret();
        a.bind_label(clear3);
        a.mov_imm(Size::S64, X0, 200);
        a.ret();
    });
    // A frame and a call to a local function: f(x) = g(x) * 3 with g(x) = x + 5.
    let call = routines.add(|a| {
        let g = a.new_label();
        a.store_pair(Size::S64, Mem::PreIndex { base: Gpr::Sp, offset: -16 }, X29, X30);
        a.mov_rr(Size::S64, X29, Gpr::Sp);
        a.bl(g);
        a.mov_imm(Size::S64, X1, 3);
        a.mul(Size::S64, X0, X0, X1);
        a.load_pair(Size::S64, X29, X30, Mem::PostIndex { base: Gpr::Sp, offset: 16 });
        a.ret();
        a.bind_label(g);
        a.alu_rri(AluOp::Add, Size::S64, X0, X0, 5);
        a.ret();
    });
    // switch (x0) { 0 => 10, 1 => 11, 2 => 12, 3 => 11, _ => 99 } through a jump table.
    let switch = routines.add(|a| {
        let (table, default) = (a.new_label(), a.new_label());
        let cases: Vec<Label> = (0..3).map(|_| a.new_label()).collect();
        a.cmp_ri(Size::S32, X0, 4);
        a.b_cond(Cond::Hs, default);
        a.jump_table_dispatch(table, X0, X2);
        for (i, &case) in cases.iter().enumerate() {
            a.bind_label(case);
            a.mov_imm(Size::S64, X0, 10 + i as u64);
            a.ret();
        }
        a.bind_label(default);
        a.mov_imm(Size::S64, X0, 99);
        a.ret();
        a.emit_jump_table(table, &[cases[0], cases[1], cases[2], cases[1]]);
    });
    // Literal pool: a 64-bit constant, a 32-bit one sign-extended, and the high half of a
    // 128-bit one (spilled through the stack).
    let pool = routines.add(|a| {
        let big = a.const_u64(0x0123_4567_89ab_cdef);
        let neg = a.const_u32(0xffff_fff0);
        let wide = a.const_u128(0x1111_2222_3333_4444_5555_6666_7777_8888);
        a.load(Size::S64, X1, big);
        a.alu_rrr(AluOp::Add, Size::S64, X0, X0, X1);
        a.load_sx(Size::S32, Size::S64, X1, neg);
        a.alu_rrr(AluOp::Add, Size::S64, X0, X0, X1);
        a.load_fp(VSize::Q, Vreg::V5, wide);
        a.store_fp(VSize::Q, Mem::PreIndex { base: Gpr::Sp, offset: -16 }, Vreg::V5);
        a.load(Size::S64, X1, Mem::offset(Gpr::Sp, 8));
        a.alu_rri(AluOp::Add, Size::S64, Gpr::Sp, Gpr::Sp, 16);
        a.alu_rrr(AluOp::Eor, Size::S64, X0, X0, X1);
        a.ret();
    });
    let mut program = routines.build();
    let sum_inputs = [0u64, 1, 10, 1000];
    let bit_inputs = [0u64, 1 << 40, 8, 0xff, (1 << 40) | 8];
    let switch_inputs = [0u64, 1, 2, 3, 4, 0xffff_ffff, 0x1_0000_0002];
    for n in sum_inputs {
        program.call(sum, [n, 0, 0]);
    }
    for n in bit_inputs {
        program.call(bits, [n, 0, 0]);
    }
    program.call(call, [7, 0, 0]);
    for n in switch_inputs {
        program.call(switch, [n, 0, 0]);
    }
    program.call(pool, [5, 0, 0]);
    let results = program.run();
    let mut expected: Vec<u64> = sum_inputs.iter().map(|n| n * (n + 1) / 2).collect();
    expected.extend(bit_inputs.iter().map(|&n| match (n >> 40 & 1, n >> 3 & 1) {
        (1, _) => 100,
        (_, 0) => 200,
        _ => 300,
    }));
    expected.push((7 + 5) * 3);
    // The index is the low 32 bits (`cmp w0` and `uxtw`): 0x1_0000_0002 is case 2.
    expected.extend([10, 11, 12, 11, 99, 99, 12]);
    expected.push((5u64 + 0x0123_4567_89ab_cdef - 16) ^ 0x1111_2222_3333_4444);
    assert_eq!(results, expected);
}

/// Float operands (as f64) that probe zeros, NaN, infinities, halves and the integer limits.
const FLOATS: [f64; 14] = [
    0.0,
    -0.0,
    1.0,
    -1.5,
    2.5,
    3.5,
    -2.5,
    1e10,
    -3e9,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    9.3e18,
    f64::MIN_POSITIVE,
];

/// Same bits, or both NaN (the hardware's default NaN need not match Rust's).
fn same_float(got: u64, expected: u64, f32: bool) -> bool {
    let is_nan = |bits: u64| if f32 { f32::from_bits(bits as u32).is_nan() } else { f64::from_bits(bits).is_nan() };
    got == expected || (is_nan(got) && is_nan(expected))
}

/// Wasm `fmin`/`fmax`: NaN if either operand is, and -0 < +0.
fn wasm_min_max(a: f64, b: f64, max: bool) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == b {
        // Only the signs of zeros can differ.
        return if max == a.is_sign_negative() { b } else { a };
    }
    if (a < b) != max {
        a
    } else {
        b
    }
}

#[test]
fn float_operations_match_rust() {
    use Gpr::{X0, X1};
    use Vreg::{V0, V1, V30, V31};
    // Each routine moves x0, x1 into d0/s0 and d1/s1, computes, and returns the bits in x0.
    type FloatCase = (&'static str, FloatSize, Emit, Box<dyn Fn(f64, f64) -> u64>);
    let binary = |name, size, op: FloatOp, f: fn(f64, f64) -> f64| -> FloatCase {
        let emit = op_float(size, move |a| a.float_rrr(op, size, V0, V0, V1));
        (name, size, emit, Box::new(move |a, b| float_bits(size, f(a, b))))
    };
    let unary = |name, size, emit: Box<dyn Fn(&mut Assembler)>, f: fn(f64) -> f64| -> FloatCase {
        (name, size, op_float(size, emit), Box::new(move |a, _| float_bits(size, f(a))))
    };
    let (f32s, f64s) = (FloatSize::F32, FloatSize::F64);
    let cases: Vec<FloatCase> = vec![
        binary("fadd", f64s, FloatOp::Add, |a, b| a + b),
        binary("fsub32", f32s, FloatOp::Sub, |a, b| f64::from(a as f32 - b as f32)),
        binary("fmul", f64s, FloatOp::Mul, |a, b| a * b),
        binary("fdiv32", f32s, FloatOp::Div, |a, b| f64::from(a as f32 / b as f32)),
        binary("fmin", f64s, FloatOp::Min, |a, b| wasm_min_max(a, b, false)),
        binary("fmax32", f32s, FloatOp::Max, |a, b| wasm_min_max(f64::from(a as f32), f64::from(b as f32), true)),
        unary("fsqrt", f64s, Box::new(move |a| a.float_unary(FloatUnaryOp::Sqrt, f64s, V0, V0)), f64::sqrt),
        unary("fabs32", f32s, Box::new(move |a| a.float_unary(FloatUnaryOp::Abs, f32s, V0, V0)), |a| {
            f64::from((a as f32).abs())
        }),
        unary("fneg", f64s, Box::new(move |a| a.float_unary(FloatUnaryOp::Neg, f64s, V0, V0)), |a| -a),
        unary("frintn", f64s, Box::new(move |a| a.float_round(RoundMode::Nearest, f64s, V0, V0)), f64::round_ties_even),
        unary("frintm32", f32s, Box::new(move |a| a.float_round(RoundMode::Floor, f32s, V0, V0)), |a| {
            f64::from((a as f32).floor())
        }),
        unary("frintp", f64s, Box::new(move |a| a.float_round(RoundMode::Ceil, f64s, V0, V0)), f64::ceil),
        unary("frintz", f64s, Box::new(move |a| a.float_round(RoundMode::Trunc, f64s, V0, V0)), f64::trunc),
        // Through v31 and back, with the other precision in between.
        unary(
            "fcvt d->s->d",
            f64s,
            Box::new(move |a| {
                a.fcvt(FloatSize::F64, V31, V0);
                a.fcvt(FloatSize::F32, V30, V31);
                a.fmov_rr(FloatSize::F64, V0, V30);
            }),
            |a| f64::from(a as f32),
        ),
    ];
    let mut routines = Routines::new();
    let indices: Vec<usize> = cases.iter().map(|(_, _, emit, _)| routines.add(|a| emit(a))).collect();
    // Conversions and compares take their own shapes: float in, integer out, or the reverse.
    let to_int: Vec<(bool, Size, usize)> =
        [(true, Size::S32), (false, Size::S32), (true, Size::S64), (false, Size::S64)]
            .into_iter()
            .map(|(signed, size)| {
                let index = routines.add(move |a| {
                    a.fmov_from_gpr(Size::S64, V0, X0);
                    a.float_to_int(signed, FloatSize::F64, size, X0, V0);
                    a.ret();
                });
                (signed, size, index)
            })
            .collect();
    let from_int: Vec<(bool, Size, usize)> =
        [(true, Size::S32), (false, Size::S32), (true, Size::S64), (false, Size::S64)]
            .into_iter()
            .map(|(signed, size)| {
                let index = routines.add(move |a| {
                    a.int_to_float(signed, size, FloatSize::F64, Vreg::V7, X0);
                    a.fmov_to_gpr(Size::S64, X0, Vreg::V7);
                    a.ret();
                });
                (signed, size, index)
            })
            .collect();
    let conds = [Cond::Eq, Cond::Ne, Cond::Mi, Cond::Ls, Cond::Gt, Cond::Ge, Cond::Lt, Cond::Le, Cond::Hi, Cond::Vs];
    let compares: Vec<usize> = conds
        .iter()
        .map(|&cond| {
            routines.add(move |a| {
                a.fmov_from_gpr(Size::S64, V0, X0);
                a.fmov_from_gpr(Size::S64, V1, X1);
                a.fcmp(FloatSize::F64, V0, V1);
                a.cset(Size::S64, X0, cond);
                a.ret();
            })
        })
        .collect();
    let select = routines.add(|a| {
        a.fmov_from_gpr(Size::S64, V0, X0);
        a.fmov_from_gpr(Size::S64, V1, X1);
        a.fcmp_zero(FloatSize::F64, V0);
        a.fcsel(FloatSize::F64, V0, V0, V1, Cond::Gt);
        a.fmov_to_gpr(Size::S64, X0, V0);
        a.ret();
    });
    let mut program = routines.build();
    let arg = |size: FloatSize, v: f64| float_bits(size, v);
    for ((_, size, _, _), &index) in cases.iter().zip(&indices) {
        for a in FLOATS {
            for b in FLOATS {
                program.call(index, [arg(*size, a), arg(*size, b), 0]);
            }
        }
    }
    for &(_, _, index) in &to_int {
        for a in FLOATS {
            program.call(index, [a.to_bits(), 0, 0]);
        }
    }
    for &(_, _, index) in &from_int {
        for n in VALUES {
            program.call(index, [n, 0, 0]);
        }
    }
    for &index in compares.iter().chain([&select]) {
        for a in FLOATS {
            for b in FLOATS {
                program.call(index, [a.to_bits(), b.to_bits(), 0]);
            }
        }
    }
    let mut results = program.run().into_iter();
    for (name, size, _, expected) in &cases {
        for a in FLOATS {
            for b in FLOATS {
                let (a, b) = if *size == f32s { (f64::from(a as f32), f64::from(b as f32)) } else { (a, b) };
                let got = results.next().unwrap();
                let want = expected(a, b);
                assert!(same_float(got, want, *size == f32s), "{name}({a}, {b}): got {got:#x}, expected {want:#x}");
            }
        }
    }
    // Rust's `as` saturates and maps NaN to 0, exactly like fcvtz*.
    for &(signed, size, _) in &to_int {
        for a in FLOATS {
            let want = match (signed, size) {
                (true, Size::S32) => u64::from(a as i32 as u32),
                (false, Size::S32) => u64::from(a as u32),
                (true, _) => a as i64 as u64,
                (false, _) => a as u64,
            };
            assert_eq!(results.next(), Some(want), "fcvtz signed={signed} {size:?} of {a}");
        }
    }
    for &(signed, size, _) in &from_int {
        for n in VALUES {
            let want = match (signed, size) {
                (true, Size::S32) => f64::from(n as i32),
                (false, Size::S32) => f64::from(n as u32),
                (true, _) => n as i64 as f64,
                (false, _) => n as f64,
            };
            assert_eq!(results.next(), Some(want.to_bits()), "cvtf signed={signed} {size:?} of {n:#x}");
        }
    }
    for &cond in &conds {
        for a in FLOATS {
            for b in FLOATS {
                let unordered = a.is_nan() || b.is_nan();
                let want = match cond {
                    Cond::Eq => a == b,
                    Cond::Ne => a != b,
                    Cond::Mi => a < b,
                    Cond::Ls => a <= b,
                    Cond::Gt => a > b,
                    Cond::Ge => a >= b,
                    // These three also hold for unordered operands.
                    Cond::Lt => a < b || unordered,
                    Cond::Le => a <= b || unordered,
                    Cond::Hi => a > b || unordered,
                    _ => unordered,
                };
                assert_eq!(results.next(), Some(u64::from(want)), "fcmp {a} {b} then {cond:?}");
            }
        }
    }
    for a in FLOATS {
        for b in FLOATS {
            let want = if a > 0.0 { a } else { b };
            assert_eq!(results.next(), Some(want.to_bits()), "fcsel {a} > 0 ? {a} : {b}");
        }
    }
}

/// `f` as the argument/result bits of a routine of `size`: `f32` bits in the low half.
fn float_bits(size: FloatSize, f: f64) -> u64 {
    match size {
        FloatSize::F32 => u64::from((f as f32).to_bits()),
        FloatSize::F64 => f.to_bits(),
    }
}

/// Wraps a float computation on `v0`, `v1` into a routine taking and returning bits.
fn op_float(size: FloatSize, emit: impl Fn(&mut Assembler) + 'static) -> Emit {
    let int_size = if size == FloatSize::F32 { Size::S32 } else { Size::S64 };
    Box::new(move |a| {
        a.fmov_from_gpr(int_size, Vreg::V0, Gpr::X0);
        a.fmov_from_gpr(int_size, Vreg::V1, Gpr::X1);
        emit(a);
        a.fmov_to_gpr(int_size, Gpr::X0, Vreg::V0);
        a.ret();
    })
}
