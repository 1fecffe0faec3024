//! Wasm semantics of the IR's vector operations, lane by lane on `u128` bits.
//!
//! Written independently of the backend: the operation's name gives its lane shape and its
//! meaning (`i16x8.add_sat_s`), and each lane is computed with plain integer and float
//! arithmetic, so the spec suite's assertions check the translation against the standard.

use wasmc::ir::SimdOp;

fn lane_mask(bits: u32) -> u128 {
    if bits == 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}
fn lane(x: u128, bits: u32, i: u32) -> u128 {
    (x >> (bits * i)) & lane_mask(bits)
}
fn signed(v: u128, bits: u32) -> i128 {
    ((v << (128 - bits)) as i128) >> (128 - bits)
}
/// A vector of `128 / bits` lanes, lane `i` being `f(i)` (truncated to `bits`).
fn build(bits: u32, f: impl Fn(u32) -> u128) -> u128 {
    (0..128 / bits).fold(0, |acc, i| acc | ((f(i) & lane_mask(bits)) << (bits * i)))
}
fn bool_lane(b: bool) -> u128 {
    if b {
        u128::MAX
    } else {
        0
    }
}
fn saturate(v: i128, bits: u32, is_signed: bool) -> u128 {
    let (lo, hi) =
        if is_signed { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) } else { (0, (1i128 << bits) - 1) };
    v.clamp(lo, hi) as u128
}

/// The result of `op` on `args` (i32 results in the low 32 bits).
pub fn simd(op: SimdOp, args: &[u128]) -> u128 {
    let a = args.first().copied().unwrap_or(0);
    let b = args.get(1).copied().unwrap_or(0);
    match op {
        SimdOp::I8x16Shuffle(lanes) => {
            let bytes = [a.to_le_bytes(), b.to_le_bytes()].concat();
            return u128::from_le_bytes(lanes.map(|l| bytes[l as usize % 32]));
        }
        SimdOp::I8x16Swizzle => {
            return build(8, |i| if lane(b, 8, i) < 16 { lane(a, 8, lane(b, 8, i) as u32) } else { 0 })
        }
        _ => {}
    }
    let (shape, what) = op.name().split_once('.').unwrap_or(("", ""));
    let lane_index = op.lane().map_or(0, |(l, _)| u32::from(l));
    match shape {
        "v128" => match what {
            "not" => !a,
            "and" => a & b,
            "andnot" => a & !b,
            "or" => a | b,
            "xor" => a ^ b,
            "bitselect" => (a & args[2]) | (b & !args[2]),
            "any_true" => (a != 0) as u128,
            _ => panic!("unknown {}", op.name()),
        },
        "f32x4" => float(32, what, lane_index, a, b),
        "f64x2" => float(64, what, lane_index, a, b),
        _ => {
            let bits = shape[1..].split_once('x').and_then(|(b, _)| b.parse().ok()).unwrap_or(32);
            int(bits, what, lane_index, a, b)
        }
    }
}

fn int(bits: u32, what: &str, l: u32, a: u128, b: u128) -> u128 {
    let s = |x: u128, i: u32| signed(lane(x, bits, i), bits);
    let uu = |x: u128, i: u32| lane(x, bits, i);
    let count = (b as u32 % bits) as u128;
    // Narrower source lanes (extend, extmul, extadd, narrow's wider ones).
    let half = bits / 2;
    let hs = |x: u128, i: u32| signed(lane(x, half, i), half);
    let hu = |x: u128, i: u32| lane(x, half, i);
    let high = if what.contains("high") { 128 / bits } else { 0 };
    let is_s = what.ends_with("_s") || what.contains("_s_");
    match what {
        "splat" => build(bits, |_| a),
        "scalar_to_vector" => a & lane_mask(bits),
        "extract_lane_s" => signed(lane(a, bits, l), bits) as u32 as u128,
        "extract_lane_u" | "extract_lane" => lane(a, bits, l),
        "replace_lane" => build(bits, |i| if i == l { b } else { lane(a, bits, i) }),
        "eq" => build(bits, |i| bool_lane(uu(a, i) == uu(b, i))),
        "ne" => build(bits, |i| bool_lane(uu(a, i) != uu(b, i))),
        "lt_s" => build(bits, |i| bool_lane(s(a, i) < s(b, i))),
        "lt_u" => build(bits, |i| bool_lane(uu(a, i) < uu(b, i))),
        "gt_s" => build(bits, |i| bool_lane(s(a, i) > s(b, i))),
        "gt_u" => build(bits, |i| bool_lane(uu(a, i) > uu(b, i))),
        "le_s" => build(bits, |i| bool_lane(s(a, i) <= s(b, i))),
        "le_u" => build(bits, |i| bool_lane(uu(a, i) <= uu(b, i))),
        "ge_s" => build(bits, |i| bool_lane(s(a, i) >= s(b, i))),
        "ge_u" => build(bits, |i| bool_lane(uu(a, i) >= uu(b, i))),
        "abs" => build(bits, |i| s(a, i).unsigned_abs()),
        "neg" => build(bits, |i| s(a, i).wrapping_neg() as u128),
        "popcnt" => build(bits, |i| uu(a, i).count_ones().into()),
        "all_true" => (0..128 / bits).all(|i| uu(a, i) != 0) as u128,
        "bitmask" => (0..128 / bits).fold(0, |m, i| m | (((s(a, i) < 0) as u128) << i)),
        "shl" => build(bits, |i| uu(a, i) << count),
        "shr_s" => build(bits, |i| (s(a, i) >> count) as u128),
        "shr_u" => build(bits, |i| uu(a, i) >> count),
        "add" => build(bits, |i| uu(a, i).wrapping_add(uu(b, i))),
        "sub" => build(bits, |i| uu(a, i).wrapping_sub(uu(b, i))),
        "mul" => build(bits, |i| uu(a, i).wrapping_mul(uu(b, i))),
        "add_sat_s" => build(bits, |i| saturate(s(a, i) + s(b, i), bits, true)),
        "add_sat_u" => build(bits, |i| saturate((uu(a, i) + uu(b, i)) as i128, bits, false)),
        "sub_sat_s" => build(bits, |i| saturate(s(a, i) - s(b, i), bits, true)),
        "sub_sat_u" => build(bits, |i| saturate(uu(a, i) as i128 - uu(b, i) as i128, bits, false)),
        "min_s" => build(bits, |i| s(a, i).min(s(b, i)) as u128),
        "min_u" => build(bits, |i| uu(a, i).min(uu(b, i))),
        "max_s" => build(bits, |i| s(a, i).max(s(b, i)) as u128),
        "max_u" => build(bits, |i| uu(a, i).max(uu(b, i))),
        "avgr_u" => build(bits, |i| (uu(a, i) + uu(b, i)).div_ceil(2)),
        "q15mulr_sat_s" => build(bits, |i| saturate((s(a, i) * s(b, i) + 0x4000) >> 15, 16, true)),
        "dot_i16x8_s" => build(bits, |i| (hs(a, 2 * i) * hs(b, 2 * i) + hs(a, 2 * i + 1) * hs(b, 2 * i + 1)) as u128),
        _ if what.starts_with("narrow_") => {
            // Lanes twice as wide, the first operand's then the second's.
            let wide = bits * 2;
            let n = 128 / wide;
            build(bits, |i| {
                let src = if i < n { a } else { b };
                saturate(signed(lane(src, wide, i % n), wide), bits, is_s)
            })
        }
        _ if what.starts_with("extend_") => {
            build(bits, |i| if is_s { hs(a, i + high) as u128 } else { hu(a, i + high) })
        }
        _ if what.starts_with("extmul_") => build(bits, |i| {
            if is_s {
                (hs(a, i + high) * hs(b, i + high)) as u128
            } else {
                hu(a, i + high) * hu(b, i + high)
            }
        }),
        _ if what.starts_with("extadd_pairwise_") => {
            build(
                bits,
                |i| {
                    if is_s {
                        (hs(a, 2 * i) + hs(a, 2 * i + 1)) as u128
                    } else {
                        hu(a, 2 * i) + hu(a, 2 * i + 1)
                    }
                },
            )
        }
        // Rust's float-to-int `as` saturates and maps NaN to 0, as Wasm's trunc_sat does.
        "trunc_sat_f32x4_s" => build(32, |i| f32::from_bits(lane(a, 32, i) as u32) as i32 as u32 as u128),
        "trunc_sat_f32x4_u" => build(32, |i| f32::from_bits(lane(a, 32, i) as u32) as u32 as u128),
        "trunc_sat_f64x2_s_zero" => {
            build(32, |i| if i < 2 { f64::from_bits(lane(a, 64, i) as u64) as i32 as u32 as u128 } else { 0 })
        }
        "trunc_sat_f64x2_u_zero" => {
            build(32, |i| if i < 2 { f64::from_bits(lane(a, 64, i) as u64) as u32 as u128 } else { 0 })
        }
        _ => panic!("unknown i{bits} operation {what}"),
    }
}

/// One lane as f64 (exact for f32 lanes).
fn fl(x: u128, bits: u32, i: u32) -> f64 {
    let v = lane(x, bits, i);
    if bits == 32 {
        f32::from_bits(v as u32).into()
    } else {
        f64::from_bits(v as u64)
    }
}

/// A float result lane: `f` computes at f64 and `g` at f32 precision, each rounding once.
fn fop(bits: u32, x: u128, y: u128, i: u32, f: impl Fn(f64, f64) -> f64, g: impl Fn(f32, f32) -> f32) -> u128 {
    if bits == 32 {
        let (a, b) = (f32::from_bits(lane(x, 32, i) as u32), f32::from_bits(lane(y, 32, i) as u32));
        g(a, b).to_bits().into()
    } else {
        f(fl(x, 64, i), fl(y, 64, i)).to_bits().into()
    }
}

fn min_max(x: f64, y: f64, min: bool) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == y {
        // -0 < +0
        if x.is_sign_negative() == min {
            x
        } else {
            y
        }
    } else if (x < y) == min {
        x
    } else {
        y
    }
}

fn float(bits: u32, what: &str, l: u32, a: u128, b: u128) -> u128 {
    let sign = 1u128 << (bits - 1);
    let cmp = |f: fn(f64, f64) -> bool| build(bits, |i| bool_lane(f(fl(a, bits, i), fl(b, bits, i))));
    let arith = |f: fn(f64, f64) -> f64, g: fn(f32, f32) -> f32| build(bits, |i| fop(bits, a, b, i, f, g));
    let round = |f: fn(f64) -> f64, g: fn(f32) -> f32| build(bits, |i| fop(bits, a, a, i, |x, _| f(x), |x, _| g(x)));
    match what {
        "splat" => build(bits, |_| a),
        "extract_lane" => lane(a, bits, l),
        "replace_lane" => build(bits, |i| if i == l { b } else { lane(a, bits, i) }),
        "eq" => cmp(|x, y| x == y),
        "ne" => cmp(|x, y| x != y),
        "lt" => cmp(|x, y| x < y),
        "gt" => cmp(|x, y| x > y),
        "le" => cmp(|x, y| x <= y),
        "ge" => cmp(|x, y| x >= y),
        "abs" => build(bits, |i| lane(a, bits, i) & !sign),
        "neg" => build(bits, |i| lane(a, bits, i) ^ sign),
        "sqrt" => round(f64::sqrt, f32::sqrt),
        "ceil" => round(f64::ceil, f32::ceil),
        "floor" => round(f64::floor, f32::floor),
        "trunc" => round(f64::trunc, f32::trunc),
        "nearest" => round(f64::round_ties_even, f32::round_ties_even),
        "add" => arith(|x, y| x + y, |x, y| x + y),
        "sub" => arith(|x, y| x - y, |x, y| x - y),
        "mul" => arith(|x, y| x * y, |x, y| x * y),
        "div" => arith(|x, y| x / y, |x, y| x / y),
        // min/max results are one of the operands (or NaN): computing at f64 is exact.
        "min" | "max" => build(bits, |i| {
            let r = min_max(fl(a, bits, i), fl(b, bits, i), what == "min");
            if bits == 32 {
                (r as f32).to_bits().into()
            } else {
                r.to_bits().into()
            }
        }),
        // pmin is `b < a ? b : a`, pmax `a < b ? b : a`, bit-exact.
        "pmin" => build(bits, |i| if fl(b, bits, i) < fl(a, bits, i) { lane(b, bits, i) } else { lane(a, bits, i) }),
        "pmax" => build(bits, |i| if fl(a, bits, i) < fl(b, bits, i) { lane(b, bits, i) } else { lane(a, bits, i) }),
        "convert_i32x4_s" => build(32, |i| (signed(lane(a, 32, i), 32) as f32).to_bits().into()),
        "convert_i32x4_u" => build(32, |i| (lane(a, 32, i) as u32 as f32).to_bits().into()),
        "convert_low_i32x4_s" => build(64, |i| (signed(lane(a, 32, i), 32) as f64).to_bits().into()),
        "convert_low_i32x4_u" => build(64, |i| (lane(a, 32, i) as f64).to_bits().into()),
        "demote_f64x2_zero" => build(32, |i| if i < 2 { (fl(a, 64, i) as f32).to_bits().into() } else { 0 }),
        "promote_low_f32x4" => build(64, |i| fl(a, 32, i).to_bits().into()),
        _ => panic!("unknown f{bits} operation {what}"),
    }
}

/// A script's `v128` argument as bits (lane 0 least significant).
pub fn v128_arg(v: &wast::core::V128Const) -> u128 {
    use wast::core::V128Const as C;
    let join =
        |lanes: Vec<u128>, bits: u32| lanes.iter().rev().fold(0u128, |acc, &l| (acc << bits) | (l & lane_mask(bits)));
    match v {
        C::I8x16(l) => join(l.iter().map(|&x| x as u8 as u128).collect(), 8),
        C::I16x8(l) => join(l.iter().map(|&x| x as u16 as u128).collect(), 16),
        C::I32x4(l) => join(l.iter().map(|&x| x as u32 as u128).collect(), 32),
        C::I64x2(l) => join(l.iter().map(|&x| x as u64 as u128).collect(), 64),
        C::F32x4(l) => join(l.iter().map(|x| x.bits as u128).collect(), 32),
        C::F64x2(l) => join(l.iter().map(|x| x.bits as u128).collect(), 64),
    }
}

/// Whether `actual` matches a script's `v128` result: integer lanes exactly, float lanes by
/// value or as a NaN (the interpreter's NaNs are the host's, so NaN patterns check NaN-ness).
pub fn v128_matches(expected: &wast::core::V128Pattern, actual: u128) -> bool {
    use wast::core::{NanPattern, V128Pattern as P};
    let lanes_are = |bits: u32, want: Vec<u128>| {
        want.iter().enumerate().all(|(i, &w)| lane(actual, bits, i as u32) == w & lane_mask(bits))
    };
    match expected {
        P::I8x16(l) => lanes_are(8, l.iter().map(|&x| x as u8 as u128).collect()),
        P::I16x8(l) => lanes_are(16, l.iter().map(|&x| x as u16 as u128).collect()),
        P::I32x4(l) => lanes_are(32, l.iter().map(|&x| x as u32 as u128).collect()),
        P::I64x2(l) => lanes_are(64, l.iter().map(|&x| x as u64 as u128).collect()),
        P::F32x4(l) => l.iter().enumerate().all(|(i, p)| match p {
            NanPattern::Value(f) => lane(actual, 32, i as u32) == f.bits as u128,
            _ => f32::from_bits(lane(actual, 32, i as u32) as u32).is_nan(),
        }),
        P::F64x2(l) => l.iter().enumerate().all(|(i, p)| match p {
            NanPattern::Value(f) => lane(actual, 64, i as u32) == f.bits as u128,
            _ => f64::from_bits(lane(actual, 64, i as u32) as u64).is_nan(),
        }),
    }
}
