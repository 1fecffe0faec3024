//! Executes code from the x86-64 backend in-process: each test compiles small IR functions,
//! maps the bytes executable and calls them with a fake vmctx, comparing with Rust's results.
//! The `--target-cpu` tests at the end also run the code of each level this machine has, and
//! check that an executable built for a level the CPU lacks refuses to start.
#![cfg(all(target_arch = "x86_64", unix))]

use std::ffi::c_void;
use wasmc::ir::parse::parse_function;
use wasmc::ir::TrapCode;
use wasmc::isa::x86_64::compile_function;
use wasmc::isa::{CompiledFunction, RelocTarget};

extern "C" {
    fn mmap(addr: *mut c_void, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut c_void;
    fn mprotect(addr: *mut c_void, len: usize, prot: i32) -> i32;
    fn munmap(addr: *mut c_void, len: usize) -> i32;
}
const PROT_READ: i32 = 1;
const PROT_WRITE: i32 = 2;
const PROT_EXEC: i32 = 4;
const MAP_PRIVATE: i32 = 2;
const MAP_ANONYMOUS: i32 = 0x20;

/// Executable copies of compiled functions, laid out one after another so calls between them
/// can be relocated.
struct Code {
    base: *mut u8,
    len: usize,
    starts: Vec<usize>,
}

impl Code {
    /// Load functions `funcs[i]` (Wasm function index i); relocations to `Func(j)` are patched.
    fn load(funcs: &[CompiledFunction]) -> Code {
        let mut starts = Vec::new();
        let mut len = 0;
        for f in funcs {
            starts.push(len);
            len += f.code.len().div_ceil(16) * 16;
        }
        let map_len = len.max(1).div_ceil(4096) * 4096;
        let base = unsafe { mmap(std::ptr::null_mut(), map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) };
        assert!(!base.is_null() && base as isize != -1, "mmap failed");
        let base = base as *mut u8;
        for (f, &start) in funcs.iter().zip(&starts) {
            let mut bytes = f.code.clone();
            for r in &f.relocs {
                let RelocTarget::Func(j) = r.target else { panic!("unexpected relocation {r:?}") };
                let target = starts[j as usize] as i64;
                let place = (start + r.offset as usize) as i64;
                let value = (target + r.addend - place) as i32;
                bytes[r.offset as usize..r.offset as usize + 4].copy_from_slice(&value.to_le_bytes());
            }
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), base.add(start), bytes.len()) };
        }
        assert_eq!(unsafe { mprotect(base as *mut c_void, map_len, PROT_READ | PROT_EXEC) }, 0);
        Code { base, len: map_len, starts }
    }

    /// The entry of function `i`, as a function pointer of type `F`.
    unsafe fn func<F: Copy>(&self, i: usize) -> F {
        assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<usize>());
        let p = self.base.add(self.starts[i]);
        std::mem::transmute_copy(&p)
    }
}

impl Drop for Code {
    fn drop(&mut self) {
        unsafe { munmap(self.base as *mut c_void, self.len) };
    }
}

/// A fake instance context: memory 0 base at +0, stack limit 0 at +16.
#[repr(C, align(16))]
struct Vmctx {
    words: [u64; 16],
}

impl Vmctx {
    fn new(heap: *mut u8) -> Vmctx {
        let mut words = [0u64; 16];
        words[0] = heap as u64;
        Vmctx { words }
    }
    fn ptr(&mut self) -> *mut Vmctx {
        self
    }
}

fn compile(text: &str) -> CompiledFunction {
    let f = parse_function(text).unwrap_or_else(|e| panic!("parse error {e:?} in\n{text}"));
    compile_function(&f, Default::default()).unwrap_or_else(|e| panic!("compile error {e} in\n{text}"))
}

fn load1(text: &str) -> Code {
    Code::load(&[compile(text)])
}

const I32_EDGES: [i32; 12] = [0, 1, -1, 2, 7, 31, 32, 33, 0x7fff_ffff, i32::MIN, 0x1234_5678, -0x3456_789a];
const I64_EDGES: [i64; 13] =
    [0, 1, -1, 2, 31, 33, 63, 64, 65, i64::MAX, i64::MIN, 0x1234_5678_9abc_def0, 0xffff_ffff];

type FnI32x2 = extern "C" fn(*mut Vmctx, i32, i32) -> i32;
type FnI64x2 = extern "C" fn(*mut Vmctx, i64, i64) -> i64;

fn i32_binary_expected(op: &str, a: i32, b: i32) -> i32 {
    match op {
        "iadd" => a.wrapping_add(b),
        "isub" => a.wrapping_sub(b),
        "imul" => a.wrapping_mul(b),
        "and" => a & b,
        "or" => a | b,
        "xor" => a ^ b,
        "shl" => a.wrapping_shl(b as u32),
        "sshr" => a.wrapping_shr(b as u32),
        "ushr" => (a as u32).wrapping_shr(b as u32) as i32,
        "rotl" => a.rotate_left(b as u32 & 31),
        "rotr" => a.rotate_right(b as u32 & 31),
        _ => unreachable!(),
    }
}

fn i64_binary_expected(op: &str, a: i64, b: i64) -> i64 {
    match op {
        "iadd" => a.wrapping_add(b),
        "isub" => a.wrapping_sub(b),
        "imul" => a.wrapping_mul(b),
        "and" => a & b,
        "or" => a | b,
        "xor" => a ^ b,
        "shl" => a.wrapping_shl(b as u32),
        "sshr" => a.wrapping_shr(b as u32),
        "ushr" => (a as u64).wrapping_shr(b as u32) as i64,
        "rotl" => a.rotate_left((b & 63) as u32),
        "rotr" => a.rotate_right((b & 63) as u32),
        _ => unreachable!(),
    }
}

const INT_OPS: [&str; 11] = ["iadd", "isub", "imul", "and", "or", "xor", "shl", "sshr", "ushr", "rotl", "rotr"];

#[test]
fn i32_binary_ops_in_registers() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for op in INT_OPS {
        let code = load1(&format!(
            "function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = {op}.i32 v1, v2\n    return v3\n}}"
        ));
        let f: FnI32x2 = unsafe { code.func(0) };
        for a in I32_EDGES {
            for b in I32_EDGES {
                assert_eq!(f(vm.ptr(), a, b), i32_binary_expected(op, a, b), "{op} {a} {b}");
            }
        }
    }
}

#[test]
fn i32_binary_ops_with_constants() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for op in INT_OPS {
        for c in I32_EDGES {
            // Constant on the right, then on the left.
            for left in [false, true] {
                let (x, y) = if left { ("v2", "v1") } else { ("v1", "v2") };
                let code = load1(&format!(
                    "function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v9: i32):\n    v2 = iconst.i32 {c}\n    v3 = {op}.i32 {x}, {y}\n    return v3\n}}"
                ));
                let f: FnI32x2 = unsafe { code.func(0) };
                for a in I32_EDGES {
                    let want = if left { i32_binary_expected(op, c, a) } else { i32_binary_expected(op, a, c) };
                    assert_eq!(f(vm.ptr(), a, 0), want, "{op} {x} {y} with v1={a} c={c}");
                }
            }
        }
    }
}

#[test]
fn i64_binary_ops() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for op in INT_OPS {
        let code = load1(&format!(
            "function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = {op}.i64 v1, v2\n    return v3\n}}"
        ));
        let f: FnI64x2 = unsafe { code.func(0) };
        for a in I64_EDGES {
            for b in I64_EDGES {
                assert_eq!(f(vm.ptr(), a, b), i64_binary_expected(op, a, b), "{op} {a} {b}");
            }
        }
        for c in I64_EDGES {
            let code = load1(&format!(
                "function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v9: i64):\n    v2 = iconst.i64 {c}\n    v3 = {op}.i64 v1, v2\n    return v3\n}}"
            ));
            let f: FnI64x2 = unsafe { code.func(0) };
            for a in I64_EDGES {
                assert_eq!(f(vm.ptr(), a, 0), i64_binary_expected(op, a, c), "{op} {a} const {c}");
            }
        }
    }
}

/// The upper half of an i32 argument is garbage under System V; results must not depend on it.
#[test]
fn i32_arguments_ignore_upper_bits() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let code = load1("function %f(i64, i32) -> i64 {\nblock0(v0: i64, v1: i32):\n    v2 = uextend.i32.i64 v1\n    return v2\n}");
    let f: extern "C" fn(*mut Vmctx, u64) -> u64 = unsafe { code.func(0) };
    assert_eq!(f(vm.ptr(), 0xdead_beef_8000_0001), 0x8000_0001);
}

fn div_expected(op: &str, a: i64, b: i64, bits: u32) -> Option<i64> {
    let (sa, sb) = if bits == 32 { (a as i32 as i64, b as i32 as i64) } else { (a, b) };
    let (ua, ub) = if bits == 32 { (a as u32 as u64, b as u32 as u64) } else { (a as u64, b as u64) };
    if sb == 0 {
        return None;
    }
    let min = if bits == 32 { i32::MIN as i64 } else { i64::MIN };
    let r = match op {
        "sdiv" if sa == min && sb == -1 => return None,
        "sdiv" => sa.wrapping_div(sb),
        "srem" => sa.wrapping_rem(sb),
        "udiv" => (ua / ub) as i64,
        "urem" => (ua % ub) as i64,
        _ => unreachable!(),
    };
    Some(if bits == 32 { r as i32 as i64 } else { r })
}

#[test]
fn division_and_remainder() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for op in ["sdiv", "udiv", "srem", "urem"] {
        let c32 = compile(&format!(
            "function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = {op}.i32 v1, v2\n    return v3\n}}"
        ));
        let traps: Vec<TrapCode> = c32.traps.iter().map(|t| t.1).collect();
        assert!(traps.contains(&TrapCode::IntegerDivideByZero), "{op}: {traps:?}");
        assert_eq!(traps.contains(&TrapCode::IntegerOverflow), op == "sdiv", "{op}: {traps:?}");
        let code = Code::load(&[c32]);
        let f: FnI32x2 = unsafe { code.func(0) };
        for a in I32_EDGES {
            for b in I32_EDGES {
                if let Some(want) = div_expected(op, a as i64, b as i64, 32) {
                    assert_eq!(f(vm.ptr(), a, b) as i64, want, "{op}.i32 {a} {b}");
                }
            }
        }
        let code = load1(&format!(
            "function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = {op}.i64 v1, v2\n    return v3\n}}"
        ));
        let f: FnI64x2 = unsafe { code.func(0) };
        for a in I64_EDGES {
            for b in I64_EDGES {
                if let Some(want) = div_expected(op, a, b, 64) {
                    assert_eq!(f(vm.ptr(), a, b), want, "{op}.i64 {a} {b}");
                }
            }
        }
        // Same operand on both sides, and constant divisors (no checks needed for most).
        let code = load1(&format!(
            "function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = {op}.i32 v1, v1\n    return v3\n}}"
        ));
        let f: FnI32x2 = unsafe { code.func(0) };
        for a in I32_EDGES.into_iter().filter(|&a| a != 0) {
            assert_eq!(f(vm.ptr(), a, 0) as i64, div_expected(op, a as i64, a as i64, 32).unwrap(), "{op} {a} {a}");
        }
        for c in [-1i32, 3, -7, i32::MIN] {
            let code = load1(&format!(
                "function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v4 = iconst.i32 {c}\n    v3 = {op}.i32 v1, v4\n    return v3\n}}"
            ));
            let f: FnI32x2 = unsafe { code.func(0) };
            for a in I32_EDGES {
                if let Some(want) = div_expected(op, a as i64, c as i64, 32) {
                    assert_eq!(f(vm.ptr(), a, 0) as i64, want, "{op} {a} const {c}");
                }
            }
        }
    }
}

/// Signed division and remainder by positive powers of two, lowered to shifts with a rounding
/// bias for negative dividends; the extreme powers (1, and 2^(width-1) which is negative)
/// keep `idiv`.
#[test]
fn signed_division_by_powers_of_two() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for op in ["sdiv", "srem"] {
        for k in [0u32, 1, 4, 15, 30, 31] {
            let c = (1u32 << k) as i32;
            let code = load1(&format!(
                "function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v4 = iconst.i32 {c}\n    v3 = {op}.i32 v1, v4\n    return v3\n}}"
            ));
            let f: FnI32x2 = unsafe { code.func(0) };
            for a in I32_EDGES.into_iter().chain([-32769, -32768, -32767, -(1 << 30) - 1, -(1 << 30)]) {
                if let Some(want) = div_expected(op, a as i64, c as i64, 32) {
                    assert_eq!(f(vm.ptr(), a, 0) as i64, want, "{op}.i32 {a} const {c}");
                }
            }
        }
        for k in [1u32, 3, 31, 32, 40, 62, 63] {
            let c = (1u64 << k) as i64;
            let code = load1(&format!(
                "function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v4 = iconst.i64 {c}\n    v3 = {op}.i64 v1, v4\n    return v3\n}}"
            ));
            let f: FnI64x2 = unsafe { code.func(0) };
            for a in I64_EDGES.into_iter().chain([-(1i64 << 40) - 1, -(1 << 40), -(1 << 62) + 1, -9]) {
                if let Some(want) = div_expected(op, a, c, 64) {
                    assert_eq!(f(vm.ptr(), a, 0), want, "{op}.i64 {a} const {c}");
                }
            }
        }
    }
}

/// 64-bit unsigned division and remainder by constants, lowered to a widening `mul` and
/// shifts (both plan shapes: the plain multiply and the one that needs an extra add).
#[test]
fn i64_unsigned_division_by_constants() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let divisors: [u64; 9] = [3, 7, 10, 641, 1_000_000_000, 1 << 40, (1 << 63) + 1, u64::MAX / 3, u64::MAX];
    let mut dividends: Vec<u64> = I64_EDGES.iter().map(|&a| a as u64).collect();
    dividends.extend([999_999_999_999_999_999, u64::MAX - 1, 1 << 63, 6_700_417 * 641]);
    for op in ["udiv", "urem"] {
        for d in divisors {
            let code = load1(&format!(
                "function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v4 = iconst.i64 {}\n    v3 = {op}.i64 v1, v4\n    return v3\n}}",
                d as i64
            ));
            let f: FnI64x2 = unsafe { code.func(0) };
            for &n in &dividends {
                let want = if op == "udiv" { n / d } else { n % d };
                assert_eq!(f(vm.ptr(), n as i64, 0) as u64, want, "{op}.i64 {n} const {d}");
            }
        }
    }
}

const INT_CCS: [&str; 10] = ["eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"];

fn icmp_expected(cc: &str, a: i64, b: i64, bits: u32) -> bool {
    let (sa, sb) = if bits == 32 { (a as i32 as i64, b as i32 as i64) } else { (a, b) };
    let (ua, ub) = if bits == 32 { (a as u32 as u64, b as u32 as u64) } else { (a as u64, b as u64) };
    match cc {
        "eq" => sa == sb,
        "ne" => sa != sb,
        "slt" => sa < sb,
        "sle" => sa <= sb,
        "sgt" => sa > sb,
        "sge" => sa >= sb,
        "ult" => ua < ub,
        "ule" => ua <= ub,
        "ugt" => ua > ub,
        "uge" => ua >= ub,
        _ => unreachable!(),
    }
}

/// Each comparison as a value, fused into a branch, and fused into a select; against a
/// register, against zero and against a constant.
#[test]
fn integer_comparisons_as_values_branches_and_selects() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for cc in INT_CCS {
        for rhs in ["v2", "v7"] {
            for c in [0i64, 5, -1] {
                let text = format!(
                    "function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v7 = iconst.i64 {c}\n    v3 = icmp.i64 {cc} v1, {rhs}\n    v4 = uextend.i32.i64 v3\n    v5 = icmp.i64 {cc} v1, {rhs}\n    brif v5, block1, block2\nblock1:\n    v8 = iconst.i64 100\n    v9 = icmp.i64 {cc} v1, {rhs}\n    v10 = select.i64 v9, v8, v4\n    v11 = iadd.i64 v10, v8\n    return v11\nblock2:\n    v12 = iconst.i64 1000\n    v13 = iadd.i64 v4, v12\n    return v13\n}}"
                );
                let code = load1(&text);
                let f: FnI64x2 = unsafe { code.func(0) };
                for a in I64_EDGES {
                    for b in I64_EDGES {
                        let r = if rhs == "v7" { c } else { b };
                        let t = icmp_expected(cc, a, r, 64);
                        let want = if t { 200 } else { 1000 };
                        assert_eq!(f(vm.ptr(), a, b), want, "{cc} {a} {r}");
                    }
                }
            }
        }
        let code = load1(&format!(
            "function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = icmp.i32 {cc} v1, v2\n    return v3\n}}"
        ));
        let f: FnI32x2 = unsafe { code.func(0) };
        for a in I32_EDGES {
            for b in I32_EDGES {
                assert_eq!(f(vm.ptr(), a, b), icmp_expected(cc, a as i64, b as i64, 32) as i32, "{cc}.i32 {a} {b}");
            }
        }
    }
}

/// One comparison read by two selects and a branch, which emit it again each (the first
/// select overwrites neither operand the later ones compare).
#[test]
fn one_comparison_for_two_selects_and_a_branch() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for cc in INT_CCS {
        let text = format!(
            "function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = icmp.i64 {cc} v1, v2\n    v4 = select.i64 v3, v1, v2\n    v5 = select.i64 v3, v2, v1\n    v6 = iconst.i64 3\n    v7 = imul.i64 v4, v6\n    v8 = isub.i64 v7, v5\n    brif v3, block1, block2\nblock1:\n    return v8\nblock2:\n    v9 = iconst.i64 1\n    v10 = iadd.i64 v8, v9\n    return v10\n}}"
        );
        let code = load1(&text);
        let f: FnI64x2 = unsafe { code.func(0) };
        for a in I64_EDGES {
            for b in I64_EDGES {
                let t = icmp_expected(cc, a, b, 64);
                let (x, y) = if t { (a, b) } else { (b, a) };
                let want = x.wrapping_mul(3).wrapping_sub(y).wrapping_add(if t { 0 } else { 1 });
                assert_eq!(f(vm.ptr(), a, b), want, "{cc} {a} {b}");
            }
        }
    }
}

/// A counting loop with block parameters: sum of i*i for i < n, and a Fibonacci loop whose
/// parameters swap (parallel moves with a cycle).
#[test]
fn loops_with_block_parameters() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let code = load1(
        "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v9: i32):
    v2 = iconst.i32 0
    jump block1(v2, v2)
block1(v3: i32, v4: i32):
    v5 = icmp.i32 slt v3, v1
    brif v5, block2, block3
block2:
    v6 = imul.i32 v3, v3
    v7 = iadd.i32 v4, v6
    v10 = iconst.i32 1
    v8 = iadd.i32 v3, v10
    jump block1(v8, v7)
block3:
    return v4
}",
    );
    let f: FnI32x2 = unsafe { code.func(0) };
    for n in [0, 1, 2, 10, 1000] {
        let want = (0..n).map(|i: i32| i.wrapping_mul(i)).fold(0i32, |a, b| a.wrapping_add(b));
        assert_eq!(f(vm.ptr(), n, 0), want, "n={n}");
    }
    let code = load1(
        "function %fib(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconst.i64 0
    v4 = iconst.i64 1
    jump block1(v3, v4, v1)
block1(v5: i64, v6: i64, v7: i64):
    brif v7, block2, block3
block2:
    v8 = iadd.i64 v5, v6
    v9 = iconst.i64 -1
    v10 = iadd.i64 v7, v9
    jump block1(v6, v8, v10)
block3:
    return v5
}",
    );
    let f: FnI64x2 = unsafe { code.func(0) };
    let (mut a, mut b) = (0i64, 1i64);
    for n in 0..90 {
        assert_eq!(f(vm.ptr(), n, 0), a, "fib({n})");
        (a, b) = (b, a.wrapping_add(b));
    }
}

#[test]
fn bit_counting_and_sign_extension() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let unary32: [(&str, fn(i32) -> i32); 6] = [
        ("clz", |x| x.leading_zeros() as i32),
        ("ctz", |x| x.trailing_zeros() as i32),
        ("popcnt", |x| x.count_ones() as i32),
        ("sext8", |x| x as i8 as i32),
        ("sext16", |x| x as i16 as i32),
        ("sext8", |x| x as i8 as i32),
    ];
    for (op, want) in unary32 {
        let code = load1(&format!(
            "function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = {op}.i32 v1\n    return v3\n}}"
        ));
        let f: FnI32x2 = unsafe { code.func(0) };
        for a in I32_EDGES.into_iter().chain([0x80, 0x8000, 0xff, 0x7f00]) {
            assert_eq!(f(vm.ptr(), a, 0), want(a), "{op}.i32 {a:#x}");
        }
    }
    let unary64: [(&str, fn(i64) -> i64); 6] = [
        ("clz", |x| x.leading_zeros() as i64),
        ("ctz", |x| x.trailing_zeros() as i64),
        ("popcnt", |x| x.count_ones() as i64),
        ("sext8", |x| x as i8 as i64),
        ("sext16", |x| x as i16 as i64),
        ("sext32", |x| x as i32 as i64),
    ];
    for (op, want) in unary64 {
        let code = load1(&format!(
            "function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = {op}.i64 v1\n    return v3\n}}"
        ));
        let f: FnI64x2 = unsafe { code.func(0) };
        for a in I64_EDGES.into_iter().chain([0x80, 0x8000_0000, 1 << 40]) {
            assert_eq!(f(vm.ptr(), a, 0), want(a), "{op}.i64 {a:#x}");
        }
    }
    // wrap, sextend, uextend
    let code = load1("function %f(i64, i64, i64) -> i64 {\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = wrap.i64.i32 v1\n    v4 = sextend.i32.i64 v3\n    v5 = uextend.i32.i64 v3\n    v6 = xor.i64 v4, v5\n    return v6\n}");
    let f: FnI64x2 = unsafe { code.func(0) };
    for a in I64_EDGES {
        assert_eq!(f(vm.ptr(), a, 0), (a as i32 as i64) ^ (a as u32 as i64), "{a:#x}");
    }
}

const F64_EDGES: [f64; 14] = [
    0.0, -0.0, 1.0, -1.5, 2.5, 3.5, -2.5, 1e300, -1e-300, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 0.49999999999999994, 4503599627370497.0,
];

fn same_f64(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

fn wasm_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_negative() { a } else { b }
    } else {
        a.min(b)
    }
}

fn wasm_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_positive() { a } else { b }
    } else {
        a.max(b)
    }
}

#[test]
fn f64_arithmetic() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let ops: [(&str, fn(f64, f64) -> f64); 7] = [
        ("fadd", |a, b| a + b),
        ("fsub", |a, b| a - b),
        ("fmul", |a, b| a * b),
        ("fdiv", |a, b| a / b),
        ("fmin", wasm_min),
        ("fmax", wasm_max),
        ("fcopysign", f64::copysign),
    ];
    for (op, want) in ops {
        let code = load1(&format!(
            "function %f(i64, f64, f64) -> f64 {{\nblock0(v0: i64, v1: f64, v2: f64):\n    v3 = {op}.f64 v1, v2\n    return v3\n}}"
        ));
        let f: extern "C" fn(*mut Vmctx, f64, f64) -> f64 = unsafe { code.func(0) };
        for a in F64_EDGES {
            for b in F64_EDGES {
                let got = f(vm.ptr(), a, b);
                assert!(same_f64(got, want(a, b)), "{op} {a:?} {b:?} = {got:?}");
            }
        }
    }
    let unary: [(&str, fn(f64) -> f64); 8] = [
        ("fabs", f64::abs),
        ("fneg", |a| -a),
        ("fsqrt", f64::sqrt),
        ("fceil", f64::ceil),
        ("ffloor", f64::floor),
        ("ftrunc", f64::trunc),
        ("fnearest", f64::round_ties_even),
        ("fabs", f64::abs),
    ];
    for (op, want) in unary {
        let code = load1(&format!(
            "function %f(i64, f64) -> f64 {{\nblock0(v0: i64, v1: f64):\n    v3 = {op}.f64 v1\n    return v3\n}}"
        ));
        let f: extern "C" fn(*mut Vmctx, f64) -> f64 = unsafe { code.func(0) };
        for a in F64_EDGES {
            let got = f(vm.ptr(), a);
            assert!(same_f64(got, want(a)), "{op} {a:?} = {got:?}");
        }
    }
}

#[test]
fn f32_arithmetic_and_constants() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let ops: [(&str, fn(f32, f32) -> f32); 5] = [
        ("fadd", |a, b| a + b),
        ("fmin", |a, b| wasm_min(a as f64, b as f64) as f32),
        ("fmax", |a, b| wasm_max(a as f64, b as f64) as f32),
        ("fcopysign", f32::copysign),
        ("fdiv", |a, b| a / b),
    ];
    for (op, want) in ops {
        let code = load1(&format!(
            "function %f(i64, f32, f32) -> f32 {{\nblock0(v0: i64, v1: f32, v2: f32):\n    v3 = {op}.f32 v1, v2\n    return v3\n}}"
        ));
        let f: extern "C" fn(*mut Vmctx, f32, f32) -> f32 = unsafe { code.func(0) };
        for a in F64_EDGES.map(|x| x as f32) {
            for b in F64_EDGES.map(|x| x as f32) {
                let got = f(vm.ptr(), a, b);
                assert!(same_f64(got as f64, want(a, b) as f64), "{op} {a:?} {b:?} = {got:?}");
            }
        }
    }
    // x * 1.5 - (-0.0), with constants from the pool.
    let code = load1(&format!(
        "function %f(i64, f32) -> f32 {{\nblock0(v0: i64, v1: f32):\n    v2 = f32const {:#x}\n    v3 = fmul.f32 v1, v2\n    v4 = f32const 0x80000000\n    v5 = fsub.f32 v3, v4\n    v6 = fnearest.f32 v5\n    return v6\n}}",
        1.5f32.to_bits()
    ));
    let f: extern "C" fn(*mut Vmctx, f32) -> f32 = unsafe { code.func(0) };
    for a in [1.0f32, -3.0, 0.5, 7.0, -0.0] {
        assert!(same_f64(f(vm.ptr(), a) as f64, (a * 1.5 - -0.0).round_ties_even() as f64), "{a}");
    }
}

const FLOAT_CCS: [&str; 6] = ["eq", "ne", "lt", "le", "gt", "ge"];

#[test]
fn float_comparisons_with_nan() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for cc in FLOAT_CCS {
        let want = |a: f64, b: f64| match cc {
            "eq" => a == b,
            "ne" => a != b,
            "lt" => a < b,
            "le" => a <= b,
            "gt" => a > b,
            _ => a >= b,
        };
        // As a value, as a branch, and as a select of integers and of floats.
        let code = load1(&format!(
            "function %f(i64, f64, f64) -> i32 {{\nblock0(v0: i64, v1: f64, v2: f64):\n    v3 = fcmp.f64 {cc} v1, v2\n    v4 = fcmp.f64 {cc} v1, v2\n    brif v4, block1, block2\nblock1:\n    v5 = iconst.i32 10\n    v6 = iadd.i32 v3, v5\n    return v6\nblock2:\n    v7 = iconst.i32 20\n    v8 = iconst.i32 40\n    v9 = fcmp.f64 {cc} v1, v2\n    v10 = select.i32 v9, v7, v8\n    v11 = iadd.i32 v3, v10\n    return v11\n}}"
        ));
        let f: extern "C" fn(*mut Vmctx, f64, f64) -> i32 = unsafe { code.func(0) };
        let code2 = load1(&format!(
            "function %f(i64, f64, f64) -> f64 {{\nblock0(v0: i64, v1: f64, v2: f64):\n    v3 = fcmp.f64 {cc} v1, v2\n    v4 = select.f64 v3, v1, v2\n    return v4\n}}"
        ));
        let g: extern "C" fn(*mut Vmctx, f64, f64) -> f64 = unsafe { code2.func(0) };
        // One comparison read by a float select, an integer select and a branch: emitted
        // again at each.
        let code3 = load1(&format!(
            "function %f(i64, f64, f64) -> f64 {{\nblock0(v0: i64, v1: f64, v2: f64):\n    v3 = fcmp.f64 {cc} v1, v2\n    v4 = select.f64 v3, v1, v2\n    v5 = iconst.i64 3\n    v6 = iconst.i64 5\n    v7 = select.i64 v3, v5, v6\n    v8 = fcvt_from_sint.i64.f64 v7\n    v9 = fadd.f64 v4, v8\n    brif v3, block1, block2\nblock1:\n    return v9\nblock2:\n    v10 = fneg.f64 v9\n    return v10\n}}"
        ));
        let h: extern "C" fn(*mut Vmctx, f64, f64) -> f64 = unsafe { code3.func(0) };
        for a in F64_EDGES {
            for b in F64_EDGES {
                let t = want(a, b);
                assert_eq!(f(vm.ptr(), a, b), if t { 11 } else { 40 }, "{cc} {a} {b}");
                assert!(same_f64(g(vm.ptr(), a, b), if t { a } else { b }), "select {cc} {a} {b}");
                let sum = if t { a + 3.0 } else { b + 5.0 };
                assert!(same_f64(h(vm.ptr(), a, b), if t { sum } else { -sum }), "three users {cc} {a} {b}");
            }
        }
    }
}

/// Saturating conversions run for every input; trapping ones run for in-range inputs and must
/// list both trap kinds.
#[test]
fn float_to_int_conversions_at_the_bounds() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let inputs: Vec<f64> = [
        0.0, -0.0, 0.9, -0.9, -1.0, 1.5, -1.5, 2147483647.0, 2147483647.9, 2147483648.0, -2147483648.0, -2147483648.9,
        -2147483649.0, 4294967295.0, 4294967295.5, 4294967296.0, 9223372036854774784.0, 9223372036854775808.0,
        -9223372036854775808.0, -9223372036854777856.0, 18446744073709549568.0, 18446744073709551616.0, 1e300,
        f64::INFINITY, f64::NEG_INFINITY, f64::NAN,
    ]
    .to_vec();
    for (to, signed) in [("i32", true), ("i32", false), ("i64", true), ("i64", false)] {
        for from in ["f64", "f32"] {
            // Exact Wasm results, as i128 so range checks are plain comparisons.
            let (lo, hi): (i128, i128) = match (to, signed) {
                ("i32", true) => (i32::MIN as i128, i32::MAX as i128),
                ("i32", false) => (0, u32::MAX as i128),
                ("i64", true) => (i64::MIN as i128, i64::MAX as i128),
                _ => (0, u64::MAX as i128),
            };
            let conv = |x: f64| -> Option<i128> {
                let x = if from == "f32" { x as f32 as f64 } else { x };
                if x.is_nan() {
                    return None;
                }
                let t = x.trunc();
                (t >= lo as f64 && t <= hi as f64 && (t as i128) >= lo && (t as i128) <= hi).then_some(t as i128)
            };
            let sat = |x: f64| -> i128 {
                let x = if from == "f32" { x as f32 as f64 } else { x };
                if x.is_nan() {
                    0
                } else {
                    conv(x).unwrap_or(if x < 0.0 { lo } else { hi })
                }
            };
            let s = if signed { "sint" } else { "uint" };
            let trapping = compile(&format!(
                "function %f(i64, {from}) -> {to} {{\nblock0(v0: i64, v1: {from}):\n    v2 = fcvt_to_{s}.{from}.{to} v1\n    return v2\n}}"
            ));
            let kinds: Vec<TrapCode> = trapping.traps.iter().map(|t| t.1).collect();
            assert!(kinds.contains(&TrapCode::InvalidConversion) && kinds.contains(&TrapCode::IntegerOverflow), "{kinds:?}");
            let trapping = Code::load(&[trapping]);
            let saturating = load1(&format!(
                "function %f(i64, {from}) -> {to} {{\nblock0(v0: i64, v1: {from}):\n    v2 = fcvt_to_{s}_sat.{from}.{to} v1\n    return v2\n}}"
            ));
            let as_wasm = |raw: u64| -> i128 {
                match (to, signed) {
                    ("i32", true) => raw as i32 as i128,
                    ("i32", false) => raw as u32 as i128,
                    ("i64", true) => raw as i64 as i128,
                    _ => raw as i128,
                }
            };
            for &x in &inputs {
                let got = if from == "f64" {
                    let f: extern "C" fn(*mut Vmctx, f64) -> u64 = unsafe { saturating.func(0) };
                    f(vm.ptr(), x)
                } else {
                    let f: extern "C" fn(*mut Vmctx, f32) -> u64 = unsafe { saturating.func(0) };
                    f(vm.ptr(), x as f32)
                };
                assert_eq!(as_wasm(got), sat(x), "sat {from}->{to} {s} {x}");
                if let Some(want) = conv(x) {
                    let got = if from == "f64" {
                        let f: extern "C" fn(*mut Vmctx, f64) -> u64 = unsafe { trapping.func(0) };
                        f(vm.ptr(), x)
                    } else {
                        let f: extern "C" fn(*mut Vmctx, f32) -> u64 = unsafe { trapping.func(0) };
                        f(vm.ptr(), x as f32)
                    };
                    assert_eq!(as_wasm(got), want, "trapping {from}->{to} {s} {x}");
                }
            }
        }
    }
}

#[test]
fn int_to_float_conversions() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let code = load1("function %f(i64, i64, i64) -> f64 {\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = fcvt_from_uint.i64.f64 v1\n    return v3\n}");
    let f: extern "C" fn(*mut Vmctx, u64, u64) -> f64 = unsafe { code.func(0) };
    for x in [0u64, 1, u64::MAX, 1 << 63, (1 << 63) + 1025, (1 << 53) + 1, 0x8000_0000_0000_0c01, 12345] {
        assert_eq!(f(vm.ptr(), x, 0), x as f64, "{x}");
    }
    let code = load1("function %f(i64, i64, i64) -> f32 {\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = fcvt_from_uint.i64.f32 v1\n    return v3\n}");
    let f: extern "C" fn(*mut Vmctx, u64, u64) -> f32 = unsafe { code.func(0) };
    for x in [0u64, 1, u64::MAX, 1 << 63, (1 << 63) + (1 << 39) + 1, 0xffff_ff7f_ffff_ffff, (1 << 24) + 1] {
        assert_eq!(f(vm.ptr(), x, 0), x as f32, "{x}");
    }
    let code = load1("function %f(i64, i32, i32) -> f64 {\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = fcvt_from_uint.i32.f64 v1\n    v4 = fcvt_from_sint.i32.f64 v2\n    v5 = fadd.f64 v3, v4\n    return v5\n}");
    let f: extern "C" fn(*mut Vmctx, i32, i32) -> f64 = unsafe { code.func(0) };
    for x in I32_EDGES {
        assert_eq!(f(vm.ptr(), x, x), x as u32 as f64 + x as f64, "{x}");
    }
    let code = load1("function %f(i64, i64, i64) -> i64 {\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = bitcast.i64.f64 v1\n    v5 = fdemote.f64.f32 v3\n    v4 = fpromote.f32.f64 v5\n    v6 = bitcast.f64.i64 v4\n    return v6\n}");
    let f: FnI64x2 = unsafe { code.func(0) };
    for x in [1.0f64, 1.0 + f64::EPSILON, -3.25e10, 1e300] {
        assert_eq!(f(vm.ptr(), x.to_bits() as i64, 0), ((x as f32) as f64).to_bits() as i64, "{x}");
    }
}

/// `len` bytes, byte `i` being `i * mul + add` (truncated): every word distinct enough to tell
/// which address a load read.
fn patterned_heap(len: usize, mul: usize, add: usize) -> Vec<u8> {
    (0..len).map(|i| (i * mul + add) as u8).collect()
}

/// The little-endian word at byte `a` of `heap`.
fn word(heap: &[u8], a: usize) -> u32 {
    u32::from_le_bytes(heap[a..a + 4].try_into().unwrap())
}

/// Table lookups: `(x & 0xfc) + 64` and `((x & 15) << 2) + 16` cannot wrap and become part of
/// the machine address; `x + 64` can wrap (to a low address, a valid access) and must.
#[test]
fn masked_and_wrapping_addresses() {
    let mut heap = patterned_heap(512, 7, 3);
    let mut vm = Vmctx::new(heap.as_mut_ptr());
    let text = "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = load_ptr.i64 readonly v0, +0
    v4 = iconst.i32 252
    v5 = and.i32 v1, v4
    v6 = iconst.i32 64
    v7 = iadd.i32 v5, v6
    v8 = load.i32 v3, v7, +4
    v9 = iconst.i32 15
    v10 = and.i32 v1, v9
    v11 = iconst.i32 2
    v12 = shl.i32 v10, v11
    v13 = iconst.i32 16
    v14 = iadd.i32 v12, v13
    v15 = load.i32 v3, v14, +0
    v16 = iadd.i32 v2, v6
    v17 = load.i32 v3, v16, +0
    v18 = xor.i32 v8, v15
    v19 = xor.i32 v18, v17
    return v19
}";
    let compiled = compile(text);
    let listing = target_x86_64::disassemble(&compiled.code);
    assert_eq!(listing.matches("lea").count(), 1, "only the wrapping address needs a lea:\n{listing}");
    let code = Code::load(&[compiled]);
    let f: FnI32x2 = unsafe { code.func(0) };
    for (x, y) in [(0u32, 0u32), (0xffff_ffff, 0xffff_ffc0), (0x1234_5677, 0xffff_ffd0), (255, 100)] {
        let a = ((x & 252) + 64 + 4) as usize;
        let b = (((x & 15) << 2) + 16) as usize;
        let c = y.wrapping_add(64) as usize;
        let want = word(&heap, a) ^ word(&heap, b) ^ word(&heap, c);
        assert_eq!(f(vm.ptr(), x as i32, y as i32) as u32, want, "{x:#x} {y:#x}");
    }
}

/// Once an access at `x` has run, `x + 8` cannot wrap (the runtime keeps every memory 64 KiB
/// short of 4 GiB): it becomes part of the machine address of each access through it, a load
/// and a store here. `y + 8`, with no access at `y` before it, can wrap and keeps its `lea`.
#[test]
fn address_after_an_access_folds() {
    let mut heap = patterned_heap(256, 5, 1);
    let text = "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = load_ptr.i64 readonly v0, +0
    v4 = load.i32 v3, v1, +0
    v5 = iconst.i32 8
    v6 = iadd.i32 v1, v5
    v7 = load.i32 v3, v6, +0
    store.i32 v3, v6, +4, v7
    v8 = iadd.i32 v2, v5
    v9 = load.i32 v3, v8, +0
    v10 = xor.i32 v4, v7
    v11 = xor.i32 v10, v9
    return v11
}";
    let compiled = compile(text);
    let listing = target_x86_64::disassemble(&compiled.code);
    assert_eq!(listing.matches("lea").count(), 1, "only y + 8 needs a lea:\n{listing}");
    let code = Code::load(&[compiled]);
    let f: FnI32x2 = unsafe { code.func(0) };
    // y + 8 wraps to a low address for y = 0xffff_fff8.
    for (x, y) in [(0u32, 0u32), (40, 0xffff_fff8), (100, 16)] {
        let mut vm = Vmctx::new(heap.as_mut_ptr());
        let (a, b, c) = (x as usize, x as usize + 8, y.wrapping_add(8) as usize);
        let mut expect_heap = heap.clone();
        let moved = word(&heap, b);
        expect_heap[b + 4..b + 8].copy_from_slice(&moved.to_le_bytes());
        let want = word(&heap, a) ^ moved ^ word(&expect_heap, c);
        assert_eq!(f(vm.ptr(), x as i32, y as i32) as u32, want, "{x:#x} {y:#x}");
        assert_eq!(heap, expect_heap, "{x:#x} {y:#x}");
    }
}

/// Loads and stores of every width through the heap base in vmctx, with offsets, a folded
/// load, and each access recorded as a possible out-of-bounds fault.
#[test]
fn linear_memory_accesses() {
    let mut heap = vec![0u8; 256];
    let mut vm = Vmctx::new(heap.as_mut_ptr());
    let text = "function %f(i64, i32, i64) -> i64 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = load_ptr.i64 readonly v0, +0
    store.i64 v3, v1, +8, v2
    v4 = load8_s.i64 v3, v1, +8
    v5 = load8_u.i64 v3, v1, +9
    v6 = load16_s.i64 v3, v1, +10
    v7 = load32_u.i64 v3, v1, +12
    v8 = load.i64 v3, v1, +8
    v9 = iadd.i64 v4, v5
    v10 = iadd.i64 v9, v6
    v11 = iadd.i64 v10, v7
    v12 = xor.i64 v11, v8
    v13 = iconst.i32 7
    store8.i32 v3, v1, +100, v13
    v14 = load.i32 v3, v1, +100
    v15 = load.i32 v3, v1, +20
    v16 = iadd.i32 v14, v15
    v17 = uextend.i32.i64 v16
    v18 = iadd.i64 v12, v17
    return v18
}";
    let compiled = compile(text);
    let heap_traps = compiled.traps.iter().filter(|t| t.1 == TrapCode::MemoryOutOfBounds).count();
    assert_eq!(heap_traps, 9, "{:?}", compiled.traps);
    let code = Code::load(&[compiled]);
    let f: extern "C" fn(*mut Vmctx, i32, i64) -> i64 = unsafe { code.func(0) };
    for (addr, v) in [(0, 0x8182_8384_f5f6_f7f8u64 as i64), (16, -2), (40, 0x0102_0304_0506_0708)] {
        heap[addr as usize + 100..addr as usize + 104].copy_from_slice(&0x1111_1111u32.to_le_bytes());
        heap[addr as usize + 20..addr as usize + 24].copy_from_slice(&0x0000_0100u32.to_le_bytes());
        let b = v.to_le_bytes();
        let mut want = (b[0] as i8 as i64)
            .wrapping_add(b[1] as i64)
            .wrapping_add(i16::from_le_bytes([b[2], b[3]]) as i64)
            .wrapping_add(u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as i64);
        want ^= v;
        let low = if addr + 20 >= addr + 8 && addr + 20 < addr + 16 { 0 } else { 0x100 };
        want = want.wrapping_add((0x1111_1107u32 as i64) + low);
        assert_eq!(f(vm.ptr(), addr, v), want, "addr {addr}");
    }
}

/// A direct call (relocated by hand), a call with stack arguments, multi-value returns in
/// both directions, and an indirect call through a register.
#[test]
fn calls_and_multiple_results() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    // f0: sums 9 integer and 9 float arguments (beyond the argument registers).
    let f0 = "function %sum(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f64, f64, f64, f64, f64, f64, f64, f64, f64) -> f64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i64, v8: i64, v9: i64, v10: f64, v11: f64, v12: f64, v13: f64, v14: f64, v15: f64, v16: f64, v17: f64, v18: f64):
    v20 = imul.i64 v9, v1
    v21 = iadd.i64 v20, v8
    v22 = isub.i64 v21, v2
    v23 = iadd.i64 v22, v7
    v30 = fcvt_from_sint.i64.f64 v23
    v31 = fmul.f64 v18, v10
    v32 = fadd.f64 v30, v31
    v33 = fsub.f64 v32, v17
    return v33
}";
    // f1: returns (a + b, a - b, a as f64).
    let f1 = "function %three(i64, i32, i32) -> (i32, i32, f64) {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iadd.i32 v1, v2
    v4 = isub.i32 v1, v2
    v5 = fcvt_from_sint.i32.f64 v1
    return v3, v4, v5
}";
    // f2: calls both and combines; values live across calls.
    let f2 = "function %main(i64, i32, i32) -> f64 {
    sig0 = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f64, f64, f64, f64, f64, f64, f64, f64, f64) -> f64
    sig1 = (i64, i32, i32) -> (i32, i32, f64)
block0(v0: i64, v1: i32, v2: i32):
    v3, v4, v5 = call fn1 sig1(v0, v1, v2)
    v6 = sextend.i32.i64 v3
    v7 = sextend.i32.i64 v4
    v8 = iconst.i64 1000
    v9 = f64const 0x4000000000000000
    v10 = call fn0 sig0(v0, v6, v7, v8, v8, v8, v8, v8, v7, v6, v5, v9, v9, v9, v9, v9, v9, v9, v5)
    v11 = fadd.f64 v10, v5
    v12 = sextend.i32.i64 v1
    v13 = fcvt_from_sint.i64.f64 v12
    v14 = fadd.f64 v11, v13
    return v14
}";
    let code = Code::load(&[compile(f0), compile(f1), compile(f2)]);
    let f: extern "C" fn(*mut Vmctx, i32, i32) -> f64 = unsafe { code.func(2) };
    for (a, b) in [(1, 2), (-5, 7), (100, -100), (i32::MAX, 1)] {
        let (s, d, af) = (a.wrapping_add(b) as i64, a.wrapping_sub(b) as i64, a as f64);
        // sum(v1=s, v2=d, v7=1000, v8=d, v9=s, v10=af, v17=2, v18=af)
        let ints = s.wrapping_mul(s).wrapping_add(d).wrapping_sub(d).wrapping_add(1000);
        let want = (ints as f64 + af * af - 2.0) + af + a as f64;
        assert_eq!(f(vm.ptr(), a, b), want, "{a} {b}");
    }
    // Multi-value results through the hidden return-area pointer from Rust.
    let g: extern "C" fn(*mut Vmctx, *mut [u64; 6], i32, i32) = unsafe { code.func(1) };
    let mut area = [0u64; 6];
    g(vm.ptr(), &mut area, 9, 4);
    assert_eq!((area[0] as u32, area[2] as u32, f64::from_bits(area[4])), (13, 5, 9.0));

    // Indirect call: the callee pointer arrives as an argument.
    let caller = "function %ind(i64, i64, i32) -> i32 {
    sig0 = (i64, i32, i32) -> (i32, i32, f64)
block0(v0: i64, v1: i64, v2: i32):
    v3, v4, v5 = call_indirect sig0 v1(v0, v2, v2)
    v6 = iadd.i32 v3, v2
    return v6
}";
    let code2 = load1(caller);
    let h: extern "C" fn(*mut Vmctx, usize, i32) -> i32 = unsafe { code2.func(0) };
    let callee = unsafe { code.func::<usize>(1) };
    assert_eq!(h(vm.ptr(), callee, 21), 63);
}

#[test]
fn branch_tables() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
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
    let code = load1(text);
    let f: FnI32x2 = unsafe { code.func(0) };
    for (i, want) in [(0, 10), (1, 20), (2, 6), (3, 20), (4, 3), (-1, 3), (1000, 3)] {
        assert_eq!(f(vm.ptr(), i, 3), want, "index {i}");
    }
}

/// Explicit traps go to out-of-line `ud2` stubs listed in the trap table; a function with a
/// frame checks the stack limit in its prologue.
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
    let c = compile(text);
    let kinds: Vec<TrapCode> = c.traps.iter().map(|t| t.1).collect();
    for k in [TrapCode::Unreachable, TrapCode::TableOutOfBounds, TrapCode::IndirectCallBadSig, TrapCode::StackOverflow] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
    for (off, _) in &c.traps {
        assert_eq!(&c.code[*off as usize..*off as usize + 2], &[0x0f, 0x0b], "ud2 at {off}");
    }
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let code = Code::load(&[c]);
    let f: FnI32x2 = unsafe { code.func(0) };
    assert_eq!(f(vm.ptr(), 5, 6), 5);
}

#[test]
fn srclocs_follow_instructions() {
    let text = "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iadd.i32 v1, v2 @0x1a
    v4 = imul.i32 v3, v2 @0x1c
    return v4 @0x1f
}";
    let c = compile(text);
    let locs: Vec<u32> = c.srclocs.iter().map(|s| s.1).collect();
    assert_eq!(locs, [0, 0x1a, 0x1c, 0x1f]);
    assert!(c.srclocs.windows(2).all(|w| w[0].0 < w[1].0), "{:?}", c.srclocs);
}

/// Many values live across a call: they must survive in callee-saved registers or spill
/// slots, which exercises the frame and the prologue's saves.
#[test]
fn values_live_across_calls_survive() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let callee = "function %clobber(i64) -> i64 {
block0(v0: i64):
    v1 = iconst.i64 -1
    return v1
}";
    let mut body = String::from("function %f(i64, i64, i64) -> i64 {\n    sig0 = (i64) -> i64\nblock0(v0: i64, v1: i64, v2: i64):\n");
    for i in 0..20 {
        body += &format!("    v{} = iconst.i64 {}\n    v{} = imul.i64 v1, v{}\n", 100 + i, i + 3, 200 + i, 100 + i);
    }
    body += "    v50 = call fn0 sig0(v0)\n    v51 = iadd.i64 v50, v2\n";
    let mut acc = "v51".to_string();
    for i in 0..20 {
        body += &format!("    v{} = iadd.i64 {acc}, v{}\n", 300 + i, 200 + i);
        acc = format!("v{}", 300 + i);
    }
    body += &format!("    return {acc}\n}}");
    let code = Code::load(&[compile(callee), compile(&body)]);
    let f: FnI64x2 = unsafe { code.func(1) };
    for (a, b) in [(1i64, 2i64), (-7, 100), (1 << 40, 3)] {
        let want = (0..20).fold(b - 1, |s, i| s.wrapping_add(a.wrapping_mul(i + 3)));
        assert_eq!(f(vm.ptr(), a, b), want);
    }
}

/// An empty infinite loop is a cycle of blocks that hold only a jump; such blocks are normally
/// skipped (branches go straight to their target), but one of the cycle must still be emitted.
#[test]
fn empty_infinite_loop_compiles_to_a_jump_to_itself() {
    let code = compile(
        "function %spin(i64) -> i32 {
block0(v0: i64):
    jump block1
block1:
    jump block2
block2:
    jump block1
}",
    );
    let listing = target_x86_64::disassemble(&code.code);
    assert!(listing.contains("jmp"), "{listing}");
}

// ---- `--target-cpu` levels ----

use wasmc::isa::x86_64::CpuFeatures;

const LEVELS: [&str; 2] = ["x86-64-v2", "x86-64-v3"];

fn level(name: &str) -> CpuFeatures {
    CpuFeatures::from_name(name).unwrap()
}

/// Whether this machine can run code compiled for `cpu`.
fn host_runs(cpu: CpuFeatures) -> bool {
    cpu.meta_bits() & !CpuFeatures::host().meta_bits() == 0
}

fn load1_for(cpu: &str, text: &str) -> Code {
    let f = parse_function(text).unwrap_or_else(|e| panic!("parse error {e:?} in\n{text}"));
    let compiled = compile_function(&f, level(cpu)).unwrap_or_else(|e| panic!("{cpu}: compile error {e} in\n{text}"));
    Code::load(&[compiled])
}

#[test]
fn bit_counts_shifts_and_float_arithmetic_agree_at_every_level() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let levels: Vec<&str> = LEVELS.into_iter().filter(|l| host_runs(level(l))).collect();
    for cpu in levels {
        let counts: [(&str, fn(i64) -> u32); 3] =
            [("clz", i64::leading_zeros), ("ctz", i64::trailing_zeros), ("popcnt", i64::count_ones)];
        for (op, want) in counts {
            let code = load1_for(
                cpu,
                &format!("function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = {op}.i64 v1\n    return v3\n}}"),
            );
            let f: FnI64x2 = unsafe { code.func(0) };
            for a in I64_EDGES {
                assert_eq!(f(vm.ptr(), a, 0), want(a) as i64, "{cpu}: {op}.i64 {a:#x}");
            }
        }
        let counts: [(&str, fn(i32) -> u32); 3] =
            [("clz", i32::leading_zeros), ("ctz", i32::trailing_zeros), ("popcnt", i32::count_ones)];
        for (op, want) in counts {
            let code = load1_for(
                cpu,
                &format!("function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = {op}.i32 v1\n    return v3\n}}"),
            );
            let f: FnI32x2 = unsafe { code.func(0) };
            for a in I32_EDGES {
                assert_eq!(f(vm.ptr(), a, 0), want(a) as i32, "{cpu}: {op}.i32 {a:#x}");
            }
        }
        for op in ["shl", "sshr", "ushr", "rotl", "rotr"] {
            let code = load1_for(
                cpu,
                &format!("function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = {op}.i32 v1, v2\n    return v3\n}}"),
            );
            let f: FnI32x2 = unsafe { code.func(0) };
            let code64 = load1_for(
                cpu,
                &format!("function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = {op}.i64 v1, v2\n    return v3\n}}"),
            );
            let g: FnI64x2 = unsafe { code64.func(0) };
            for a in I32_EDGES {
                for b in I32_EDGES {
                    assert_eq!(f(vm.ptr(), a, b), i32_binary_expected(op, a, b), "{cpu}: {op}.i32 {a} {b}");
                }
            }
            for a in I64_EDGES {
                for b in I64_EDGES {
                    assert_eq!(g(vm.ptr(), a, b), i64_binary_expected(op, a, b), "{cpu}: {op}.i64 {a} {b}");
                }
            }
            for c in [1, 7, 31, 33, 63, 64, 100] {
                let code = load1_for(
                    cpu,
                    &format!("function %f(i64, i64, i64) -> i64 {{\nblock0(v0: i64, v1: i64, v2: i64):\n    v3 = iconst.i64 {c}\n    v4 = {op}.i64 v1, v3\n    return v4\n}}"),
                );
                let h: FnI64x2 = unsafe { code.func(0) };
                let code32 = load1_for(
                    cpu,
                    &format!("function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = iconst.i32 {c}\n    v4 = {op}.i32 v1, v3\n    return v4\n}}"),
                );
                let k: FnI32x2 = unsafe { code32.func(0) };
                for a in I64_EDGES {
                    assert_eq!(h(vm.ptr(), a, 0), i64_binary_expected(op, a, c), "{cpu}: {op}.i64 {a} by constant {c}");
                    let a = a as i32;
                    assert_eq!(k(vm.ptr(), a, 0), i32_binary_expected(op, a, c as i32), "{cpu}: {op}.i32 {a} by constant {c}");
                }
            }
        }
        let and_not = load1_for(
            cpu,
            "function %f(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconst.i64 -1
    v4 = xor.i64 v1, v3
    v5 = and.i64 v4, v2
    v6 = wrap.i64.i32 v5
    v7 = iconst.i32 -1
    v8 = xor.i32 v7, v6
    v9 = wrap.i64.i32 v2
    v10 = and.i32 v9, v8
    v11 = uextend.i32.i64 v10
    v12 = iadd.i64 v5, v11
    return v12
}",
        );
        let f: FnI64x2 = unsafe { and_not.func(0) };
        for a in I64_EDGES {
            for b in I64_EDGES {
                let low = !((!a & b) as u32) & b as u32;
                assert_eq!(f(vm.ptr(), a, b), (!a & b).wrapping_add(low as i64), "{cpu}: and-not {a} {b}");
            }
        }
        let ops: [(&str, fn(f64, f64) -> f64); 4] =
            [("fadd", |a, b| a + b), ("fsub", |a, b| a - b), ("fmul", |a, b| a * b), ("fdiv", |a, b| a / b)];
        for (op, want) in ops {
            let code = load1_for(
                cpu,
                &format!("function %f(i64, f64, f64) -> f64 {{\nblock0(v0: i64, v1: f64, v2: f64):\n    v3 = {op}.f64 v1, v2\n    v4 = {op}.f64 v3, v1\n    return v4\n}}"),
            );
            let f: extern "C" fn(*mut Vmctx, f64, f64) -> f64 = unsafe { code.func(0) };
            for a in F64_EDGES {
                for b in F64_EDGES {
                    let got = f(vm.ptr(), a, b);
                    assert!(same_f64(got, want(want(a, b), a)), "{cpu}: {op} {a:?} {b:?} = {got:?}");
                }
            }
        }
    }
}

#[test]
fn extension_instructions_appear_only_at_levels_that_have_them() {
    let text = "function %f(i64, i64, i64, f64) -> f64 {
block0(v0: i64, v1: i64, v2: i64, v3: f64):
    v4 = clz.i64 v1
    v5 = ctz.i64 v2
    v6 = popcnt.i64 v4
    v7 = shl.i64 v5, v6
    v8 = ushr.i64 v7, v1
    v11 = iconst.i64 13
    v12 = rotl.i64 v8, v11
    v9 = fcvt_from_sint.i64.f64 v12
    v10 = fmul.f64 v9, v3
    return v10
}";
    let listing = |cpu: &str| {
        let f = parse_function(text).unwrap();
        target_x86_64::disassemble(&compile_function(&f, level(cpu)).unwrap().code)
    };
    // Listing lines are `offset: mnemonic operands`.
    let has = |listing: &str, mnemonic: &str| {
        listing.lines().any(|l| l.split_once(": ").is_some_and(|(_, inst)| inst.starts_with(&format!("{mnemonic} "))))
    };
    let extensions = ["popcnt", "lzcnt", "tzcnt", "shlx", "shrx", "rorx", "vmulsd"];
    let base = listing("baseline");
    for m in extensions {
        assert!(!has(&base, m), "baseline uses {m}:\n{base}");
    }
    assert!(has(&base, "bsr") && has(&base, "mulsd"), "{base}");
    let v2 = listing("x86-64-v2");
    for m in extensions {
        assert_eq!(has(&v2, m), m == "popcnt", "x86-64-v2 and {m}:\n{v2}");
    }
    let v3 = listing("x86-64-v3");
    for m in extensions {
        assert!(has(&v3, m), "x86-64-v3 lacks {m}:\n{v3}");
    }
    assert!(!has(&v3, "bsr") && !has(&v3, "bsf") && !v3.contains(", cl"), "{v3}");
}

/// An executable whose metadata asks for x86-64-v3, started on a CPU said to have nothing
/// beyond the baseline (`WASMC_TEST_CPU_FEATURES=0` stands in for cpuid), must stop with a
/// message and status 132 before running any code; on this machine, if it is a v3 one, it runs.
#[test]
fn executable_for_a_missing_level_refuses_to_start() {
    use wasmc::driver::{compile_to_object, Emit, Options};
    use wasmc::object::meta;
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (func (export "_start") (call $exit (i32.const 7))))"#;
    let bytes = wasmc::decode::parse_wat_or_wasm(wat.as_bytes()).expect("wat");
    let v3 = level("x86-64-v3");
    let opts = Options { emit: Emit::Exe, x86_cpu: v3, ..Options::default() };
    let object = compile_to_object(&bytes, &opts).expect("compile");
    // The header's last two words: cpu_features, then padding; the driver records the level.
    let header: Vec<u8> = [meta::MAGIC, meta::VERSION].iter().flat_map(|w| w.to_le_bytes()).collect();
    let starts: Vec<usize> = object.windows(8).enumerate().filter(|(_, w)| *w == header).map(|(i, _)| i).collect();
    assert_eq!(starts.len(), 1, "one metadata blob");
    let field = starts[0] + meta::HEADER_SIZE - 8;
    assert_eq!(object[field..field + 4], v3.meta_bits().to_le_bytes(), "the object records the CPU level");

    let dir = std::env::temp_dir().join(format!("wasmc-cpu-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (obj, exe) = (dir.join("m.o"), dir.join("m"));
    std::fs::write(&obj, &object).unwrap();
    wasmc::link::link_executable(&[obj], &exe, "cc").expect("link");

    let old_cpu = std::process::Command::new(&exe).env("WASMC_TEST_CPU_FEATURES", "0").output().unwrap();
    let stderr = String::from_utf8_lossy(&old_cpu.stderr);
    assert_eq!(old_cpu.status.code(), Some(132), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "wasmc: this program needs a CPU with AVX2, AVX, BMI2, BMI1, LZCNT, SSE4.2, POPCNT (compiled for x86-64-v3)"
    );
    let v2_cpu = std::process::Command::new(&exe)
        .env("WASMC_TEST_CPU_FEATURES", level("x86-64-v2").meta_bits().to_string())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&v2_cpu.stderr);
    assert_eq!(v2_cpu.status.code(), Some(132), "{stderr}");
    assert!(stderr.contains("needs a CPU with AVX2, AVX, BMI2, BMI1, LZCNT (compiled"), "{stderr}");
    if host_runs(v3) {
        let here = std::process::Command::new(&exe).env_remove("WASMC_TEST_CPU_FEATURES").output().unwrap();
        assert_eq!(here.status.code(), Some(7), "{}", String::from_utf8_lossy(&here.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `x & y` compared with zero (as a branch, a select and a value, with a register, a constant
/// and a loaded operand) is emitted as `test`; the and's result must not be needed elsewhere.
#[test]
fn and_compared_with_zero_agrees_with_rust() {
    let mut heap = vec![0u8; 64];
    let mut vm = Vmctx::new(heap.as_mut_ptr());
    for ty in ["i32", "i64"] {
        let bits = if ty == "i32" { 32 } else { 64 };
        for cc in ["eq", "ne", "slt", "sge", "ule", "ugt"] {
            for (rhs, mask) in [("v2", None), ("v7", Some(0x20i64)), ("v7", Some(-0x8000_0000i64))] {
                let c = mask.unwrap_or(0);
                // block0 branches on the and; block1 selects on it; both return the compare as a value too.
                let text = format!(
                    "function %f(i64, {ty}, {ty}) -> {ty} {{\nblock0(v0: i64, v1: {ty}, v2: {ty}):\n    v7 = iconst.{ty} {c}\n    v30 = iconst.{ty} 0\n    v3 = and.{ty} v1, {rhs}\n    v4 = icmp.{ty} {cc} v3, v30\n    brif v4, block1, block2\nblock1:\n    v8 = and.{ty} {rhs}, v1\n    v9 = icmp.{ty} {cc} v30, v8\n    v10 = iconst.{ty} 100\n    v11 = iconst.{ty} 200\n    v12 = select.{ty} v9, v10, v11\n    return v12\nblock2:\n    v13 = and.{ty} v1, {rhs}\n    v14 = icmp.{ty} {cc} v13, v30\n    v15 = iconst.{ty} 1000\n    v16 = uextend.i32.i64 v14\n    v17 = iconst.{ty} 1000\n    v18 = iadd.{ty} v17, {conv}\n    return v18\n}}",
                    conv = if ty == "i32" { "v14" } else { "v16" }
                );
                let code = load1(&text);
                let f: FnI64x2 = unsafe { code.func(0) };
                for a in I64_EDGES {
                    for b in I64_EDGES {
                        let (a, b) = if bits == 32 { (a as i32 as i64, b as i32 as i64) } else { (a, b) };
                        let m = mask.unwrap_or(b);
                        let and = if bits == 32 { (a & m) as i32 as i64 } else { a & m };
                        let t = icmp_expected(cc, and, 0, bits);
                        // `0 cc x` is the swapped compare.
                        let swapped = icmp_expected(cc, 0, and, bits);
                        let want = if t { if swapped { 100 } else { 200 } } else { 1000 + t as i64 };
                        let got = f(vm.ptr(), a, b);
                        let got = if bits == 32 { got as i32 as i64 } else { got };
                        assert_eq!(got, want, "{ty} {cc} {a:#x} & {m:#x}");
                    }
                }
            }
        }
        // A branch on the and itself.
        let code = load1(
            "function %f(i64, i32, i32) -> i32 {\nblock0(v0: i64, v1: i32, v2: i32):\n    v3 = iconst.i32 0x40\n    v4 = and.i32 v3, v1\n    brif v4, block1(v1), block1(v2)\nblock1(v5: i32):\n    return v5\n}",
        );
        let f: FnI32x2 = unsafe { code.func(0) };
        for a in I32_EDGES {
            assert_eq!(f(vm.ptr(), a, -5), if a & 0x40 != 0 { a } else { -5 }, "brif {a:#x} & 0x40");
        }
        // A loaded operand; the store between the and and the branch writes that address, so
        // the load must stay before the store.
        let code = load1(&format!(
            "function %f(i64, i32, {ty}) -> i32 {{\nblock0(v0: i64, v1: i32, v2: {ty}):\n    v3 = load_ptr.i64 readonly v0, +0\n    v4 = load.{ty} v3, v1, +0\n    v5 = and.{ty} v2, v4\n    v9 = iconst.{ty} 0\n    store.{ty} v3, v1, +0, v9\n    v10 = icmp.{ty} ne v5, v9\n    brif v10, block1, block2\nblock1:\n    v6 = iconst.i32 1\n    return v6\nblock2:\n    v7 = iconst.i32 2\n    return v7\n}}"
        ));
        let f: extern "C" fn(*mut Vmctx, i32, i64) -> i32 = unsafe { code.func(0) };
        for (stored, mask) in [(0x10i64, 0x10i64), (0x10, 0x20), (-1, i64::MIN)] {
            heap[8..16].copy_from_slice(&stored.to_le_bytes());
            let and = if bits == 32 { (stored & mask) as i32 as i64 } else { stored & mask };
            assert_eq!(f(vm.ptr(), 8, mask), if and != 0 { 1 } else { 2 }, "{ty} load {stored:#x} & {mask:#x}");
            assert_eq!(heap[8..8 + bits as usize / 8].iter().copied().max(), Some(0), "the store ran");
        }
    }
}

/// `c + (y << k)` with a constant `c` is one `lea c(,y,2^k)` (no base register); it must wrap
/// like the add at each width, with `c` on either side.
#[test]
fn constant_plus_scaled_value_agrees_with_rust() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for k in 1..=3u32 {
        for c in [0xe80i64, -8, 0x7fff_ffff, i32::MIN as i64] {
            for (c_first, ty) in [(true, "i32"), (false, "i32"), (true, "i64"), (false, "i64")] {
                let sum = if c_first { "v3, v4" } else { "v4, v3" };
                let code = load1(&format!(
                    "function %f(i64, {ty}, {ty}) -> {ty} {{\nblock0(v0: i64, v1: {ty}, v2: {ty}):\n    v3 = iconst.{ty} {c}\n    v5 = iconst.{ty} {k}\n    v4 = shl.{ty} v1, v5\n    v6 = iadd.{ty} {sum}\n    return v6\n}}"
                ));
                let f: FnI64x2 = unsafe { code.func(0) };
                for a in I64_EDGES {
                    let got = f(vm.ptr(), a, 0);
                    let want = c.wrapping_add(a.wrapping_shl(k));
                    if ty == "i32" {
                        assert_eq!(got as i32, want as i32, "{c} + ({a} << {k}) i32");
                    } else {
                        assert_eq!(got, want, "{c} + ({a} << {k}) i64");
                    }
                }
            }
        }
    }
}

/// `(x + y) + c`, `(x + (y << k)) + c` and `(x + (y << k)) - c` are one `lea c(x,y,2^k)`;
/// they must wrap like the adds at each width, with an added constant on either side.
#[test]
fn sum_plus_constant_agrees_with_rust() {
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for k in 0..=3u32 {
        for c in [0x18i64, -1, 0x7fff_ffff, i32::MIN as i64] {
            for (outer, ty) in [("iadd v3, v7", "i32"), ("iadd v7, v3", "i32"), ("isub v7, v3", "i32"), ("iadd v3, v7", "i64"), ("isub v7, v3", "i64")] {
                let (op, operands) = outer.split_once(' ').unwrap();
                let code = load1(&format!(
                    "function %f(i64, {ty}, {ty}) -> {ty} {{\nblock0(v0: i64, v1: {ty}, v2: {ty}):\n    v3 = iconst.{ty} {c}\n    v5 = iconst.{ty} {k}\n    v4 = shl.{ty} v2, v5\n    v7 = iadd.{ty} v1, v4\n    v8 = {op}.{ty} {operands}\n    return v8\n}}"
                ));
                let f: FnI64x2 = unsafe { code.func(0) };
                for a in I64_EDGES {
                    for b in I64_EDGES {
                        let got = f(vm.ptr(), a, b);
                        let sum = a.wrapping_add(b.wrapping_shl(k));
                        let want = if op == "isub" { sum.wrapping_sub(c) } else { sum.wrapping_add(c) };
                        if ty == "i32" {
                            assert_eq!(got as i32, want as i32, "{a} + ({b} << {k}) {op} {c} i32");
                        } else {
                            assert_eq!(got, want, "{a} + ({b} << {k}) {op} {c} i64");
                        }
                    }
                }
            }
        }
    }
}

#[path = "common/dispatch_loop.rs"]
mod dispatch_loop;
use dispatch_loop::{dispatch_loop_expected, DISPATCH_LOOP, DISPATCH_LOOP_CASES};

#[test]
fn dispatch_loop_gets_one_indirect_jump_per_case() {
    let c = compile(DISPATCH_LOOP);
    let listing = target_x86_64::disassemble(&c.code);
    let is_indirect = |l: &&str| l.contains("jmp") && !l.contains("jmp 0x") && !l.contains("jmp short");
    let indirect = listing.lines().filter(is_indirect).count();
    assert!(indirect >= 5, "one dispatch per case and the header's own:\n{listing}");
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let code = Code::load(&[c]);
    let f: FnI32x2 = unsafe { code.func(0) };
    for (n, seed) in DISPATCH_LOOP_CASES {
        assert_eq!(f(vm.ptr(), n, seed), dispatch_loop_expected(n, seed), "n {n} seed {seed}");
    }
}

/// A store of `op(load, x)` back to the load's address is one `op [mem], x`, as a register or
/// an immediate; not when the load is the subtrahend, nor when a store comes between the load
/// and its store. Each fused access is still a recorded memory fault site.
#[test]
fn load_op_store_to_one_address_is_one_instruction() {
    let mut heap = vec![0u8; 256];
    let mut vm = Vmctx::new(heap.as_mut_ptr());
    let text = "function %f(i64, i32, i64) -> i64 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = load_ptr.i64 readonly v0, +0
    v4 = load.i64 v3, v1, +0
    v5 = or.i64 v4, v2
    store.i64 v3, v1, +0, v5
    v6 = load.i32 v3, v1, +8
    v7 = iconst.i32 5
    v8 = isub.i32 v6, v7
    store.i32 v3, v1, +8, v8
    v9 = load.i32 v3, v1, +12
    v10 = iconst.i32 100
    v11 = isub.i32 v10, v9
    store.i32 v3, v1, +12, v11
    v12 = load.i32 v3, v1, +16
    v13 = iconst.i32 9
    store.i32 v3, v1, +16, v13
    v14 = iconst.i32 1
    v15 = iadd.i32 v12, v14
    store.i32 v3, v1, +16, v15
    v16 = wrap.i64.i32 v2
    v17 = load.i32 v3, v1, +20
    v18 = xor.i32 v16, v17
    store.i32 v3, v1, +20, v18
    return v2
}";
    let compiled = compile(text);
    let listing = target_x86_64::disassemble(&compiled.code);
    let fused: Vec<&str> = listing
        .lines()
        .filter(|l| l.contains("],") && !l.contains("mov"))
        .collect();
    assert_eq!(fused.len(), 3, "or, sub and xor into memory:\n{listing}");
    let heap_traps = compiled
        .traps
        .iter()
        .filter(|t| t.1 == TrapCode::MemoryOutOfBounds)
        .count();
    // Three fused accesses, two for the reversed subtraction, three around the store between.
    assert_eq!(heap_traps, 8, "{:?}", compiled.traps);
    let code = Code::load(&[compiled]);
    let f: extern "C" fn(*mut Vmctx, i32, i64) -> i64 = unsafe { code.func(0) };
    for (addr, x) in [
        (0usize, 0x0f0f_0000_0000_00f0u64 as i64),
        (40, -1),
        (100, 0x1234_5678_9abc_def0),
    ] {
        let words: [u32; 6] = [0x1111_2222, 0x3333_4444, 3, 40, 77, 0xdead_beef];
        for (k, w) in words.iter().enumerate() {
            heap[addr + 4 * k..addr + 4 * k + 4].copy_from_slice(&w.to_le_bytes());
        }
        assert_eq!(f(vm.ptr(), addr as i32, x), x);
        let word =
            |k: usize| u32::from_le_bytes(heap[addr + 4 * k..addr + 4 * k + 4].try_into().unwrap());
        let dword = u64::from_le_bytes(heap[addr..addr + 8].try_into().unwrap());
        assert_eq!(dword, 0x3333_4444_1111_2222 | x as u64, "or at {addr}");
        assert_eq!(word(2), 3u32.wrapping_sub(5), "sub at {addr}");
        assert_eq!(word(3), 100 - 40, "reversed sub at {addr}");
        assert_eq!(
            word(4),
            77 + 1,
            "the value loaded before the store between, plus one, at {addr}"
        );
        assert_eq!(word(5), 0xdead_beef ^ x as u32, "xor at {addr}");
    }
}

/// `x & 0xff` and `x & 0xffff` are one `movzx` that leaves `x` in place for its later uses, at
/// both widths (a 32-bit `movzx` clears the upper half of the 64-bit register too).
#[test]
fn low_byte_and_half_masks_agree_with_rust() {
    let text = "function %f(i64, i32, i64) -> i64 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = iconst.i32 255
    v4 = and.i32 v1, v3
    v5 = iconst.i32 65535
    v6 = and.i32 v5, v1
    v7 = iadd.i32 v4, v6
    v8 = xor.i32 v7, v1
    v9 = iconst.i64 255
    v10 = and.i64 v2, v9
    v11 = iconst.i64 65535
    v12 = and.i64 v2, v11
    v13 = iadd.i64 v10, v12
    v14 = xor.i64 v13, v2
    v15 = uextend.i32.i64 v8
    v16 = iadd.i64 v14, v15
    return v16
}";
    let compiled = compile(text);
    let listing = target_x86_64::disassemble(&compiled.code);
    assert_eq!(listing.matches("movzx").count(), 4, "{listing}");
    let code = Code::load(&[compiled]);
    let f: extern "C" fn(*mut Vmctx, i32, i64) -> i64 = unsafe { code.func(0) };
    let mut heap = vec![0u8; 16];
    let mut vm = Vmctx::new(heap.as_mut_ptr());
    for (a, b) in [(0u32, 0u64), (u32::MAX, u64::MAX), (0x1234_5678, 0x8765_4321_abcd_ef01), (0x80ff, 0xffff_0000_0000_ff00)] {
        let low32 = ((a & 0xff).wrapping_add(a & 0xffff)) ^ a;
        let low64 = ((b & 0xff).wrapping_add(b & 0xffff)) ^ b;
        let want = low64.wrapping_add(low32 as u64) as i64;
        assert_eq!(f(vm.ptr(), a as i32, b as i64), want, "{a:#x} {b:#x}");
    }
}

/// A loop's back edge that needs moves (the loop-carried values trade places) is one
/// conditional branch with the moves before it, when the exit does not read what they
/// overwrite (here it reads a value of its own); when it does (the old second value), the moves
/// stay on their own edge, behind a jump. Both agree with Rust.
#[test]
fn back_edge_moves_go_before_the_branch_when_the_exit_allows() {
    let text = |result: &str| {
        format!(
            "function %f(i64, i32) -> i32 {{
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    v3 = iconst.i32 1
    v11 = iconst.i32 -1640531535
    jump block1(v2, v3, v1)
block1(v4: i32, v5: i32, v6: i32):
    v7 = iadd.i32 v4, v5
    v12 = imul.i32 v7, v11
    v10 = xor.i32 v12, v6
    v8 = isub.i32 v6, v3
    v9 = icmp.i32 ne v8, v2
    brif v9, block1(v5, v7, v8), block2
block2:
    return {result}
}}"
        )
    };
    // The Fibonacci-like recurrence; the exit returns a hash of the last sum and count (v10),
    // or the old second value (v5).
    let expected = |n: u32, hash: bool| {
        let (mut a, mut b, mut n) = (0u32, 1u32, n);
        loop {
            let s = a.wrapping_add(b);
            let h = s.wrapping_mul(-1640531535i32 as u32) ^ n;
            let m = n.wrapping_sub(1);
            if m == 0 {
                return if hash { h } else { b };
            }
            (a, b, n) = (b, s, m);
        }
    };
    let mut heap = vec![0u8; 16];
    let mut vm = Vmctx::new(heap.as_mut_ptr());
    for (result, hash) in [("v10", true), ("v5", false)] {
        let compiled = compile(&text(result));
        let listing = target_x86_64::disassemble(&compiled.code);
        let jumps = listing.lines().filter(|l| l.contains(" jmp ")).count();
        if hash {
            assert_eq!(jumps, 0, "the back edge is one conditional branch:\n{listing}");
        } else {
            assert!(jumps >= 1, "the exit reads v5, which the moves overwrite:\n{listing}");
        }
        let code = Code::load(&[compiled]);
        let f: extern "C" fn(*mut Vmctx, i32) -> i32 = unsafe { code.func(0) };
        for n in [1u32, 2, 3, 10, 47, 1000] {
            assert_eq!(f(vm.ptr(), n as i32) as u32, expected(n, hash), "{result} n={n}");
        }
    }
}
