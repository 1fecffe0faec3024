//! Executes code from the x86-64 backend in-process: each test compiles small IR functions,
//! maps the bytes executable and calls them with a fake vmctx, comparing with Rust's results.
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
    compile_function(&f).unwrap_or_else(|e| panic!("compile error {e} in\n{text}"))
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
    v8 = iadd.i32 v3, 1
    jump block1(v8, v7)
block3:
    return v4
}"
        .replace("iadd.i32 v3, 1", "iadd.i32 v3, v10")
        .replace("    v8 =", "    v10 = iconst.i32 1\n    v8 =")
        .as_str(),
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
