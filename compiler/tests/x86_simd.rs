//! Executes vector code from the x86-64 backend in-process: small IR functions with `v128`
//! parameters and results are compiled, mapped executable and called through the System V
//! ABI (`__m128i` in xmm registers and on the stack), and compared with lane-by-lane Rust
//! references. The spec suite covers each operation's semantics; these tests aim at what it
//! reaches less: the calling convention, spills, and the emulated sequences across their
//! whole input range (every shift count, compare overflow, NaN and zero signs), and the code
//! of each `--target-cpu` level against the baseline's.
#![cfg(all(target_arch = "x86_64", unix))]
// `__m128i` travels in an xmm register (or a 16-byte stack slot) under System V, exactly as
// compiled code passes a `v128`: that is what these tests check.
#![allow(improper_ctypes_definitions)]

use std::arch::x86_64::__m128i;
use std::ffi::c_void;
use wasmc::ir::parse::parse_function;
use wasmc::ir::{SimdOp, Type};
use wasmc::isa::x86_64::{compile_function, CpuFeatures};

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

/// One compiled function, mapped executable.
struct Code {
    base: *mut u8,
    len: usize,
}

impl Code {
    fn compile(text: &str) -> Code {
        Code::compile_for(CpuFeatures::default(), text)
    }

    fn compile_for(cpu: CpuFeatures, text: &str) -> Code {
        let f = parse_function(text).unwrap_or_else(|e| panic!("parse error {e:?} in\n{text}"));
        let compiled = compile_function(&f, cpu).unwrap_or_else(|e| panic!("compile error {e} in\n{text}"));
        assert!(compiled.relocs.is_empty(), "unexpected relocations {:?}", compiled.relocs);
        let len = compiled.code.len().max(1).div_ceil(4096) * 4096;
        let base =
            unsafe { mmap(std::ptr::null_mut(), len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) };
        assert!(!base.is_null() && base as isize != -1, "mmap failed");
        unsafe { std::ptr::copy_nonoverlapping(compiled.code.as_ptr(), base as *mut u8, compiled.code.len()) };
        assert_eq!(unsafe { mprotect(base, len, PROT_READ | PROT_EXEC) }, 0);
        Code { base: base as *mut u8, len }
    }

    /// The entry, as a function pointer of type `F`.
    unsafe fn func<F: Copy>(&self) -> F {
        assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<usize>());
        std::mem::transmute_copy(&self.base)
    }
}

impl Drop for Code {
    fn drop(&mut self) {
        unsafe { munmap(self.base as *mut c_void, self.len) };
    }
}

/// A fake instance context: memory 0 base at +0, the stack limit (0: no limit) at +16.
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
}

fn v(x: u128) -> __m128i {
    unsafe { std::mem::transmute(x) }
}
fn u(x: __m128i) -> u128 {
    unsafe { std::mem::transmute(x) }
}

fn bytes(x: u128) -> [u8; 16] {
    x.to_le_bytes()
}
fn from_bytes(b: [u8; 16]) -> u128 {
    u128::from_le_bytes(b)
}
fn i64_lanes(x: u128) -> [i64; 2] {
    [x as u64 as i64, (x >> 64) as u64 as i64]
}
fn from_i64_lanes(l: [i64; 2]) -> u128 {
    (l[0] as u64 as u128) | ((l[1] as u64 as u128) << 64)
}
fn f32_lanes(x: u128) -> [f32; 4] {
    std::array::from_fn(|i| f32::from_bits((x >> (32 * i)) as u32))
}
fn from_f32_lanes(l: [f32; 4]) -> u128 {
    l.iter().enumerate().fold(0, |acc, (i, f)| acc | (f.to_bits() as u128) << (32 * i))
}
fn i32_lanes(x: u128) -> [i32; 4] {
    std::array::from_fn(|i| (x >> (32 * i)) as u32 as i32)
}

/// A function `(vmctx, v128, v128) -> v128` applying `op`.
fn binary(op: &str) -> Code {
    Code::compile(&format!(
        "function %f(i64, v128, v128) -> v128 {{
block0(v0: i64, v1: v128, v2: v128):
    v3 = simd.{op} v1, v2
    return v3
}}"
    ))
}

type FnVV = extern "C" fn(*mut Vmctx, __m128i, __m128i) -> __m128i;
/// Reference semantics of one lane.
type ByteShift = fn(u8, u32) -> u8;
type LaneCompare = fn(i64, i64) -> bool;
type FnVI = extern "C" fn(*mut Vmctx, __m128i, i32) -> __m128i;

const PATTERNS: [u128; 5] = [
    0,
    u128::MAX,
    0x8000_0000_0000_0000_7fff_ffff_ffff_ffff,
    0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
    0x80ff_7f01_0080_ff7f_0102_0304_fbfc_fdfe,
];

#[test]
fn v128_arguments_and_results_in_registers() {
    let code = binary("i8x16.add");
    let f: FnVV = unsafe { code.func() };
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for &a in &PATTERNS {
        for &b in &PATTERNS {
            let want = from_bytes(std::array::from_fn(|i| bytes(a)[i].wrapping_add(bytes(b)[i])));
            assert_eq!(u(f(&mut vm, v(a), v(b))), want, "{a:032x} + {b:032x}");
        }
    }
}

/// Ten vector arguments: the last two come on the stack, each in a 16-byte slot.
#[test]
fn v128_stack_arguments() {
    let params: Vec<String> = (1..=10).map(|i| format!("v{i}: v128")).collect();
    let mut body = String::from("    v11 = simd.i32x4.add v1, v2\n");
    for i in 3..=10 {
        // Weight each argument so a misplaced one changes the result.
        let acc = if i == 3 { 11 } else { 2 * i + 8 };
        body += &format!("    v{} = simd.i32x4.add v{acc}, v{acc}\n", 9 + 2 * i);
        body += &format!("    v{} = simd.i32x4.add v{}, v{i}\n", 10 + 2 * i, 9 + 2 * i);
    }
    let text = format!(
        "function %f(i64, {}) -> v128 {{\nblock0(v0: i64, {}):\n{body}    return v30\n}}",
        ["v128"; 10].join(", "),
        params.join(", ")
    );
    let code = Code::compile(&text);
    type Fn10 = extern "C" fn(
        *mut Vmctx,
        __m128i,
        __m128i,
        __m128i,
        __m128i,
        __m128i,
        __m128i,
        __m128i,
        __m128i,
        __m128i,
        __m128i,
    ) -> __m128i;
    let f: Fn10 = unsafe { code.func() };
    let args: Vec<u128> = (0..10u128).map(|i| 0x0001_0000_0100_0000_0001_0000_0000_0001 * (i + 1)).collect();
    // acc = a1 + a2, then acc = 2 * acc + a_i for i = 3..=10, lane by lane (wrapping).
    let lane = |x: u128, l: usize| (x >> (32 * l)) as u32;
    let want = (0..4).fold(0u128, |w, l| {
        let mut acc = lane(args[0], l).wrapping_add(lane(args[1], l));
        for a in &args[2..] {
            acc = acc.wrapping_mul(2).wrapping_add(lane(*a, l));
        }
        w | (acc as u128) << (32 * l)
    });
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let a: Vec<__m128i> = args.iter().map(|&x| v(x)).collect();
    let got = f(&mut vm, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
    assert_eq!(u(got), want);
}

/// More live vectors than xmm registers: spill slots must keep all 16 bytes.
#[test]
fn spilled_vectors_keep_all_lanes() {
    let n = 24;
    let mut body = String::new();
    for i in 0..n {
        let c = 0x0101_0101_0101_0101_0101_0101_0101_0101u128.wrapping_mul(i as u128 + 1) ^ (i as u128) << 120;
        body += &format!("    v{} = v128const {c:#034x}\n", 10 + 2 * i);
        body += &format!("    v{} = simd.i64x2.add v1, v{}\n", 11 + 2 * i, 10 + 2 * i);
    }
    let mut acc = 11;
    for i in 1..n {
        body += &format!("    v{} = simd.v128.xor v{acc}, v{}\n", 100 + i, 11 + 2 * i);
        acc = 100 + i;
    }
    let text = format!("function %f(i64, v128) -> v128 {{\nblock0(v0: i64, v1: v128):\n{body}    return v{acc}\n}}");
    let code = Code::compile(&text);
    let f: extern "C" fn(*mut Vmctx, __m128i) -> __m128i = unsafe { code.func() };
    let x = 0x1111_2222_3333_4444_5555_6666_7777_8888u128;
    let want = (0..n).fold(0u128, |w, i| {
        let c = 0x0101_0101_0101_0101_0101_0101_0101_0101u128.wrapping_mul(i as u128 + 1) ^ (i as u128) << 120;
        let [x0, x1] = i64_lanes(x);
        let [c0, c1] = i64_lanes(c);
        w ^ from_i64_lanes([x0.wrapping_add(c0), x1.wrapping_add(c1)])
    });
    let mut vm = Vmctx::new(std::ptr::null_mut());
    assert_eq!(u(f(&mut vm, v(x))), want);
}

/// Byte shifts are emulated with word shifts: check every count, constant and variable.
#[test]
fn i8x16_shifts_by_every_count() {
    let shifts: [(&str, ByteShift); 3] =
        [("shl", |b, n| b << (n % 8)), ("shr_u", |b, n| b >> (n % 8)), ("shr_s", |b, n| ((b as i8) >> (n % 8)) as u8)];
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for (name, reference) in shifts {
        let variable = Code::compile(&format!(
            "function %f(i64, v128, i32) -> v128 {{
block0(v0: i64, v1: v128, v2: i32):
    v3 = simd.i8x16.{name} v1, v2
    return v3
}}"
        ));
        let f: FnVI = unsafe { variable.func() };
        for count in [0u32, 1, 3, 7, 8, 9, 15, 17, 0xffff_fff9] {
            let constant = Code::compile(&format!(
                "function %f(i64, v128, i32) -> v128 {{
block0(v0: i64, v1: v128, v2: i32):
    v3 = iconst.i32 {}
    v4 = simd.i8x16.{name} v1, v3
    return v4
}}",
                count as i32
            ));
            let g: FnVI = unsafe { constant.func() };
            for &x in &PATTERNS {
                let want = from_bytes(bytes(x).map(|b| reference(b, count)));
                assert_eq!(u(f(&mut vm, v(x), count as i32)), want, "{name} {x:032x} by {count}");
                assert_eq!(u(g(&mut vm, v(x), 0)), want, "{name} {x:032x} by constant {count}");
            }
        }
    }
}

/// i64x2 signed compares and shr_s are emulated without SSE4.2: check across the overflow
/// boundaries of the subtraction they use.
#[test]
fn i64x2_signed_compares_and_arithmetic_shift() {
    let values = [0i64, 1, -1, i64::MAX, i64::MIN, i64::MAX - 1, i64::MIN + 1, 0x1_0000_0000, -0x1_0000_0000];
    let compares: [(&str, LaneCompare); 4] =
        [("lt_s", |a, b| a < b), ("gt_s", |a, b| a > b), ("le_s", |a, b| a <= b), ("ge_s", |a, b| a >= b)];
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for (name, reference) in compares {
        let code = binary(&format!("i64x2.{name}"));
        let f: FnVV = unsafe { code.func() };
        for &a in &values {
            for &b in &values {
                let got = u(f(&mut vm, v(from_i64_lanes([a, b])), v(from_i64_lanes([b, a]))));
                let mask = |t: bool| if t { -1 } else { 0 };
                assert_eq!(i64_lanes(got), [mask(reference(a, b)), mask(reference(b, a))], "{a} {name} {b}");
            }
        }
    }
    let code = Code::compile(
        "function %f(i64, v128, i32) -> v128 {
block0(v0: i64, v1: v128, v2: i32):
    v3 = simd.i64x2.shr_s v1, v2
    return v3
}",
    );
    let f: FnVI = unsafe { code.func() };
    for count in [0, 1, 31, 32, 33, 63, 64, 65, -1] {
        for pair in values.windows(2) {
            let got = i64_lanes(u(f(&mut vm, v(from_i64_lanes([pair[0], pair[1]])), count)));
            assert_eq!(got, [pair[0] >> (count & 63), pair[1] >> (count & 63)], "{pair:?} >> {count}");
        }
    }
}

fn wasm_min(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_negative() {
            a
        } else {
            b
        }
    } else {
        a.min(b)
    }
}

fn wasm_max(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_positive() {
            a
        } else {
            b
        }
    } else {
        a.max(b)
    }
}

/// Same value, or both NaN with the canonical payload (Wasm's result for a NaN operand).
fn same_lane(got: f32, want: f32) -> bool {
    if want.is_nan() {
        got.to_bits() & 0x7fff_ffff == 0x7fc0_0000
    } else {
        got.to_bits() == want.to_bits()
    }
}

#[test]
fn f32x4_min_max_propagate_nan_and_order_zeros() {
    let values =
        [0.0f32, -0.0, 1.5, -2.0, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, -f32::NAN, f32::from_bits(0x7f80_0001)];
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for (name, reference) in [("min", wasm_min as fn(f32, f32) -> f32), ("max", wasm_max)] {
        let code = binary(&format!("f32x4.{name}"));
        let f: FnVV = unsafe { code.func() };
        for &a in &values {
            for b in values.chunks(4) {
                let b: [f32; 4] = std::array::from_fn(|i| b.get(i).copied().unwrap_or(a));
                let got = f32_lanes(u(f(&mut vm, v(from_f32_lanes([a; 4])), v(from_f32_lanes(b)))));
                for i in 0..4 {
                    assert!(same_lane(got[i], reference(a, b[i])), "{name}({a}, {}) = {}", b[i], got[i]);
                }
            }
        }
    }
}

/// Rust's float-to-int `as` saturates and maps NaN to 0, like Wasm's trunc_sat.
#[test]
fn f32x4_trunc_sat_at_the_bounds() {
    let values = [
        0.0f32,
        -0.0,
        1.9,
        -1.9,
        2147483520.0,
        2147483648.0,
        -2147483648.0,
        -2147483904.0,
        4294967040.0,
        4294967296.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        1e-40,
        -0.99,
    ];
    let mut vm = Vmctx::new(std::ptr::null_mut());
    for signed in [true, false] {
        let name = if signed { "s" } else { "u" };
        let code = Code::compile(&format!(
            "function %f(i64, v128, v128) -> v128 {{
block0(v0: i64, v1: v128, v2: v128):
    v3 = simd.i32x4.trunc_sat_f32x4_{name} v1
    return v3
}}"
        ));
        let f: FnVV = unsafe { code.func() };
        for chunk in values.chunks(4) {
            let lanes: [f32; 4] = std::array::from_fn(|i| chunk[i]);
            let got = i32_lanes(u(f(&mut vm, v(from_f32_lanes(lanes)), v(0))));
            let want = lanes.map(|x| if signed { x as i32 } else { x as u32 as i32 });
            assert_eq!(got, want, "trunc_sat_{name} {lanes:?}");
        }
    }
}

/// Vectors through linear memory, a select between two vectors, and a lane extracted to a
/// scalar float.
#[test]
fn loads_stores_select_and_extract() {
    let mut heap = vec![0u8; 64];
    for (i, b) in heap.iter_mut().enumerate() {
        *b = i as u8;
    }
    let mut vm = Vmctx::new(heap.as_mut_ptr());
    let code = Code::compile(
        "function %f(i64, i32, v128) -> f32 {
block0(v0: i64, v1: i32, v2: v128):
    v3 = load_ptr.i64 readonly v0, +0
    v4 = load.v128 v3, v1, +1
    store.v128 v3, v1, +32, v2
    v5 = select.v128 v1, v4, v2
    v6 = simd.f32x4.extract_lane [2] v5
    return v6
}",
    );
    let f: extern "C" fn(*mut Vmctx, i32, __m128i) -> f32 = unsafe { code.func() };
    let x = from_f32_lanes([1.0, 2.0, 3.5, 4.0]);
    // Address 0 selects the argument; address 3 the (unaligned) load from bytes 4..20.
    assert_eq!(f(&mut vm, 0, v(x)), 3.5);
    assert_eq!(heap[32..48], bytes(x));
    let loaded = f32::from_bits(u32::from_le_bytes([12, 13, 14, 15]));
    assert_eq!(f(&mut vm, 3, v(x)).to_bits(), loaded.to_bits());
    assert_eq!(heap[35..51], bytes(x));
}

/// The x86-64-v3 feature set, or `None` (said on stderr) on a machine that cannot run its code.
fn x86_64_v3_if_this_machine_runs_it() -> Option<CpuFeatures> {
    let v3 = CpuFeatures::from_name("x86-64-v3").unwrap();
    if v3.meta_bits() & !CpuFeatures::host().meta_bits() != 0 {
        eprintln!("this machine cannot run x86-64-v3 code");
        return None;
    }
    Some(v3)
}

/// Operands for the level comparison: the bit patterns above and float lanes that take the
/// special paths (NaN, -0, infinities, halves, values beyond the integer ranges).
const LEVEL_PATTERNS: [u128; 8] = [
    PATTERNS[0],
    PATTERNS[1],
    PATTERNS[2],
    PATTERNS[3],
    PATTERNS[4],
    0x7fc0_0000_8000_0000_3fc0_0000_ff80_0000,
    0x7ff8_0000_0000_0000_8000_0000_0000_0000,
    0x4f00_0001_cf00_0001_41e0_0000_0000_0000,
];

/// Every vector operation on vectors (and the scalar splats and shifts) computes the same bits
/// with the AVX forms, broadcasts and `pcmpgtq` of x86-64-v3 as with the SSE4.1 baseline.
#[test]
fn x86_64_v3_code_computes_what_the_baseline_computes() {
    let Some(v3) = x86_64_v3_if_this_machine_runs_it() else { return };
    type FnV = extern "C" fn(*mut Vmctx, __m128i) -> __m128i;
    type FnVVV = extern "C" fn(*mut Vmctx, __m128i, __m128i, __m128i) -> __m128i;
    type FnVToI = extern "C" fn(*mut Vmctx, __m128i) -> i32;
    type FnI = extern "C" fn(*mut Vmctx, i64) -> __m128i;
    let mut vm = Vmctx::new(std::ptr::null_mut());
    let mut compared = 0;
    for &op in SimdOp::ALL {
        let types = op.operand_types();
        let params: Vec<String> = types.iter().enumerate().map(|(i, t)| format!("v{}: {t}", i + 1)).collect();
        let args: Vec<String> = (1..=types.len()).map(|i| format!("v{i}")).collect();
        let type_list: Vec<String> = types.iter().map(|t| t.to_string()).collect();
        let text = format!(
            "function %f(i64, {}) -> {} {{\nblock0(v0: i64, {}):\n    v10 = {op} {}\n    return v10\n}}",
            type_list.join(", "),
            op.result_type(),
            params.join(", "),
            args.join(", ")
        );
        let (base, avx) = (Code::compile(&text), Code::compile_for(v3, &text));
        let p = LEVEL_PATTERNS;
        let same = |a: u128, b: u128, what: String| assert_eq!(a, b, "{op} on {what}: baseline {a:032x}, v3 {b:032x}");
        match (types, op.result_type()) {
            ([Type::V128], Type::V128) => {
                let (f, g): (FnV, FnV) = unsafe { (base.func(), avx.func()) };
                for x in p {
                    same(u(f(&mut vm, v(x))), u(g(&mut vm, v(x))), format!("{x:032x}"));
                }
            }
            ([Type::V128], Type::I32) => {
                let (f, g): (FnVToI, FnVToI) = unsafe { (base.func(), avx.func()) };
                for x in p {
                    assert_eq!(f(&mut vm, v(x)), g(&mut vm, v(x)), "{op} on {x:032x}");
                }
            }
            ([Type::V128, Type::V128], Type::V128) => {
                let (f, g): (FnVV, FnVV) = unsafe { (base.func(), avx.func()) };
                for x in p {
                    for y in p {
                        same(u(f(&mut vm, v(x), v(y))), u(g(&mut vm, v(x), v(y))), format!("{x:032x}, {y:032x}"));
                    }
                }
            }
            ([Type::V128, Type::V128, Type::V128], Type::V128) => {
                let (f, g): (FnVVV, FnVVV) = unsafe { (base.func(), avx.func()) };
                for x in p {
                    for y in p {
                        for z in [p[3], p[4]] {
                            let (a, b) = (f(&mut vm, v(x), v(y), v(z)), g(&mut vm, v(x), v(y), v(z)));
                            same(u(a), u(b), format!("{x:x}, {y:x}, {z:x}"));
                        }
                    }
                }
            }
            ([Type::V128, Type::I32], Type::V128) => {
                let (f, g): (FnVI, FnVI) = unsafe { (base.func(), avx.func()) };
                for x in p {
                    for n in [0, 1, 7, 8, 15, 31, 33, 63, 64, -1, 0x1234_5678] {
                        same(u(f(&mut vm, v(x), n)), u(g(&mut vm, v(x), n)), format!("{x:032x}, {n}"));
                    }
                }
            }
            // An i32 argument travels in a 64-bit register whose upper half is a don't-care.
            ([Type::I32 | Type::I64], Type::V128) => {
                let (f, g): (FnI, FnI) = unsafe { (base.func(), avx.func()) };
                for x in [0i64, -1, 0x1234_5678_9abc_def0, 0x80, 0x7f, i64::MIN] {
                    same(u(f(&mut vm, x)), u(g(&mut vm, x)), format!("{x:#x}"));
                }
            }
            _ => continue,
        }
        compared += 1;
    }
    // A floor (207 at the time of writing), so the test cannot pass by comparing nothing.
    assert!(compared > 200, "only {compared} operations compared");
}

/// Equal bits, except that a float lane may hold any NaN where the other holds one: with the
/// operands of a commutative operation swapped, x86 returns the other operand's NaN, and Wasm
/// leaves the choice open.
fn same_up_to_nan_payloads(op: SimdOp, a: u128, b: u128) -> bool {
    let lane_bits = match &op.name()[..5] {
        "f32x4" => 32,
        "f64x2" => 64,
        _ => return a == b,
    };
    let mask = (1u128 << lane_bits) - 1;
    let exponent = if lane_bits == 32 { 0x7f80_0000u128 } else { 0x7ff0_0000_0000_0000 };
    let is_nan = |l: u128| l & exponent == exponent && l & (exponent - 1) & !exponent != 0;
    (0..128 / lane_bits).all(|i| {
        let (x, y) = ((a >> (i * lane_bits)) & mask, (b >> (i * lane_bits)) & mask);
        x == y || (is_nan(x & (mask >> 1)) && is_nan(y & (mask >> 1)))
    })
}

/// Every two-vector operation with one operand loaded from linear memory (at an unaligned
/// address, as either operand) computes the same at x86-64-v3, where AVX takes the load as a
/// memory operand, as in the baseline, where it stays a separate `movdqu`.
#[test]
fn operations_on_a_loaded_operand_compute_what_the_baseline_computes() {
    let Some(v3) = x86_64_v3_if_this_machine_runs_it() else { return };
    type FnVI = extern "C" fn(*mut Vmctx, __m128i, i32) -> __m128i;
    let mut heap = vec![0u8; 64];
    let mut vm = Vmctx::new(heap.as_mut_ptr());
    let mut compared = 0;
    for &op in SimdOp::ALL {
        if op.operand_types() != [Type::V128, Type::V128] || op.result_type() != Type::V128 {
            continue;
        }
        for operands in ["v2, v4", "v4, v2"] {
            let text = format!(
                "function %f(i64, v128, i32) -> v128 {{\nblock0(v0: i64, v2: v128, v3: i32):\n    v1 = load_ptr.i64 readonly v0, +0\n    v4 = load.v128 v1, v3, +0\n    v10 = {op} {operands}\n    return v10\n}}"
            );
            let (base, avx) = (Code::compile(&text), Code::compile_for(v3, &text));
            let (f, g): (FnVI, FnVI) = unsafe { (base.func(), avx.func()) };
            for x in LEVEL_PATTERNS {
                for y in [LEVEL_PATTERNS[1], LEVEL_PATTERNS[5], LEVEL_PATTERNS[6]] {
                    heap[7..23].copy_from_slice(&bytes(y));
                    let (a, b) = (u(f(&mut vm, v(x), 7)), u(g(&mut vm, v(x), 7)));
                    assert!(same_up_to_nan_payloads(op, a, b), "{op} ({operands}) on {x:032x} and loaded {y:032x}: {a:032x}, {b:032x}");
                }
            }
            compared += 1;
        }
    }
    assert!(compared > 150, "only {compared} operations compared");
}
