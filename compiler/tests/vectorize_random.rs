//! Random loops of the shape the vectorize pass takes (two lanes of the same computation on
//! adjacent elements, as clang unrolls them), with random operations, operand orders, array
//! bases (overlapping, unaligned, near the end of memory, wrapping) and trip counts (some the
//! counter never meets). Each runs in the reference interpreter before and after the -O2
//! pipeline: results, traps and the whole final memory must be the same. A share of them must
//! really be vectorized, so that the test cannot pass by vectorizing nothing.

#[allow(dead_code, unused_imports)]
#[path = "common/ir_interp/mod.rs"]
mod interp;
#[path = "ir/gen.rs"]
#[allow(dead_code)]
mod gen;

use gen::Rng;
use interp::{run_on_memory, Val};
use std::fmt::Write;
use wasmc::ir::parse::parse_function;
use wasmc::ir::print::print_function;
use wasmc::ir::Type;
use wasmc::passes;

/// Builds one function's text.
struct Builder {
    text: String,
    next: u32,
    float: bool,
}

impl Builder {
    fn value(&mut self, line: &str) -> String {
        let v = format!("v{}", self.next);
        self.next += 1;
        writeln!(self.text, "    {v} = {line}").unwrap();
        v
    }

    fn ty(&self) -> &'static str {
        if self.float { "f64" } else { "i64" }
    }

    /// The address of `base`'s element for `lane` (0 or 1), with the offset to use: lane 1 is
    /// either 8 more in the address or 8 more in the offset. The element is `base + counter`,
    /// or, when `pointer`, base's own induction variable (`v95`.. for `v1`..), which the loop
    /// advances by 16 too.
    fn address(&mut self, rng: &mut Rng, base: &str, offset: u32, lane: u32, pointer: bool) -> (String, u32) {
        let at = if pointer {
            format!("v{}", 94 + base[1..].parse::<u32>().unwrap())
        } else {
            self.value(&format!("iadd.i32 {base}, v10"))
        };
        if lane == 1 && rng.below(2) == 0 {
            let shifted = self.value(&format!("iadd.i32 {at}, v7"));
            (shifted, offset)
        } else {
            (at, offset + 8 * lane)
        }
    }

    /// A random expression tree for both lanes; the shape comes from `shape_seed`, so that
    /// both lanes build the same tree. Returns lane values.
    fn expr(&mut self, rng: &mut Rng, shape: &mut Rng, depth: u32, lane: u32, swaps: &mut Rng) -> String {
        let ty = self.ty();
        let leaf = depth == 0 || shape.below(3) == 0;
        if leaf {
            return match shape.below(4) {
                0 => "v4".to_string(),
                k => {
                    let base = ["v1", "v2", "v3"][k as usize - 1];
                    let offset = [0, 8, 16, 24][shape.below(4)];
                    let pointer = shape.below(3) == 0;
                    let (addr, offset) = self.address(rng, base, offset, lane, pointer);
                    self.value(&format!("load.{ty} v5, {addr}, +{offset}"))
                }
            };
        }
        let ops: &[&str] = if self.float {
            &["fadd", "fsub", "fmul", "fdiv", "fmin", "fmax", "fneg", "fabs", "fsqrt"]
        } else {
            &["iadd", "isub", "and", "or", "xor"]
        };
        let op = ops[shape.below(ops.len())];
        if matches!(op, "fneg" | "fabs" | "fsqrt") {
            let a = self.expr(rng, shape, depth - 1, lane, swaps);
            return self.value(&format!("{op}.{ty} {a}"));
        }
        let a = self.expr(rng, shape, depth - 1, lane, swaps);
        let b = self.expr(rng, shape, depth - 1, lane, swaps);
        // Lane 1 sometimes has a commutative operation's operands the other way round.
        let swap = lane == 1 && matches!(op, "fadd" | "fmul" | "iadd" | "and" | "or" | "xor") && swaps.below(3) == 0;
        if swap { self.value(&format!("{op}.{ty} {b}, {a}")) } else { self.value(&format!("{op}.{ty} {a}, {b}")) }
    }
}

/// A random loop and the value its counter ends at (a constant in the text, or the last
/// parameter, which the caller sets to it).
fn random_loop(seed: u64) -> (String, i64) {
    let mut rng = Rng::new(seed);
    let float = rng.below(3) != 0;
    let ty = if float { "f64" } else { "i64" };
    let (init, end) = match rng.below(6) {
        // A counter from a negative start up to zero.
        0 => {
            let n = 1 + rng.below(4) as i64;
            (-16 * n, 0)
        }
        // A trip count the counter never meets: runs until an access leaves memory.
        1 => (0, 16 * (1 + rng.below(3) as i64) + 8),
        _ => (0, 16 * (1 + rng.below(5) as i64)),
    };
    let mut b = Builder { text: String::new(), next: 11, float };
    // The end is a constant, or the last parameter (then only the run-time check knows it).
    let dynamic_end = rng.below(2) == 0;
    // Half the loops return their final counter: a value used after the loop.
    let escapes = rng.below(2) == 0;
    writeln!(b.text, "function %f(i64, i32, i32, i32, {ty}, i32) -> i32 {{").unwrap();
    writeln!(b.text, "block0(v0: i64, v1: i32, v2: i32, v3: i32, v4: {ty}, v99: i32):").unwrap();
    writeln!(b.text, "    v5 = load_ptr.i64 readonly v0, +0").unwrap();
    writeln!(b.text, "    v6 = iconst.i32 {init}").unwrap();
    writeln!(b.text, "    v7 = iconst.i32 8").unwrap();
    writeln!(b.text, "    v8 = iconst.i32 16").unwrap();
    writeln!(b.text, "    v9 = iconst.i32 {end}").unwrap();
    writeln!(b.text, "    jump block1(v6, v1, v2, v3)").unwrap();
    writeln!(b.text, "block1(v10: i32, v95: i32, v96: i32, v97: i32):").unwrap();
    let shape_seed = rng.next();
    let swap_seed = rng.next();
    let store_offset = [0, 8, 16][rng.below(3)];
    let stray_store = rng.below(6) == 0;
    let store_pointer = rng.below(3) == 0;
    for lane in 0..2 {
        let mut shape = Rng::new(shape_seed);
        let mut swaps = Rng::new(swap_seed);
        let value = b.expr(&mut rng, &mut shape, 3, lane, &mut swaps);
        let (addr, offset) = b.address(&mut rng, "v1", store_offset, lane, store_pointer);
        writeln!(b.text, "    store.{ty} v5, {addr}, +{offset}, {value}").unwrap();
        if lane == 0 && stray_store {
            writeln!(b.text, "    store.i32 v5, v3, +4, v10").unwrap();
        }
    }
    let next = b.value("iadd.i32 v10, v8");
    let pointers: Vec<String> = (95..98).map(|p| b.value(&format!("iadd.i32 v{p}, v8"))).collect();
    let end_value = if dynamic_end { "v99" } else { "v9" };
    let cond = b.value(&format!("icmp.i32 ne {next}, {end_value}"));
    writeln!(b.text, "    brif {cond}, block1({next}, {}), block2", pointers.join(", ")).unwrap();
    let result = if escapes { next } else { "v6".to_string() };
    writeln!(b.text, "block2:\n    return {result}\n}}").unwrap();
    (b.text, end)
}

/// Array bases: apart, overlapping by a lane or less, unaligned, at the end of memory (so that
/// the last pair is half out), beyond it, and wrapping around 2^32.
const BASES: [u32; 12] = [0, 8, 16, 24, 4096, 4100, 65536 - 48, 65536 - 44, 65536 - 40, 65536 - 24, 65536, 0xffff_fff0];

fn memory(seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    // Bytes below 0x40 keep every f64 finite and small: no NaN whose payload could differ.
    (0..1 << 16).map(|_| 1 + rng.below(0x3f) as u8).collect()
}

#[test]
fn random_pair_loops_keep_behaviour() {
    let mut vectorized = 0;
    let cases = 300;
    for seed in 0..cases {
        let (text, end) = random_loop(seed);
        let original = parse_function(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let mut optimized = original.clone();
        passes::run(&mut optimized, 2, None).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        let printed = print_function(&optimized);
        if printed.contains("store.v128") {
            vectorized += 1;
        }
        let mut rng = Rng::new(seed ^ 0xabcdef);
        for _ in 0..16 {
            let ty = original.sig.params[4];
            let x = Val::of_type(ty, if ty == Type::F64 { 0x3ff4_0000_0000_0000 } else { rng.next() });
            let base = |rng: &mut Rng| Val::of_type(Type::I32, BASES[rng.below(BASES.len())] as u64);
            // One array in three calls: the loop works in place.
            let (a, b, c) = match rng.below(3) {
                0 => {
                    let a = base(&mut rng);
                    (a, a, a)
                }
                _ => (base(&mut rng), base(&mut rng), base(&mut rng)),
            };
            let args = [Val::of_type(Type::I64, 0x1000), a, b, c, x, Val::of_type(Type::I32, end as u64)];
            let mem = memory(rng.next());
            let before = run_on_memory(&original, &args, 100_000, mem.clone());
            let after = run_on_memory(&optimized, &args, 100_000, mem);
            assert!(
                before.0 == after.0 && before.1 == after.1,
                "seed {seed}, arguments {args:?}: {:?} before, {:?} after{}\n{text}\nafter:\n{printed}",
                before.0,
                after.0,
                if before.1 == after.1 { "" } else { " (memory differs)" }
            );
        }
    }
    eprintln!("{vectorized} of {cases} loops vectorized");
    assert!(vectorized * 3 > cases, "only {vectorized} of {cases} loops were vectorized");
}
