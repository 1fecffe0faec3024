//! Wasm semantics of the IR's vector operations, lane by lane on `u128` bits.
//!
//! The operation's name gives its lane shape and its meaning (`i16x8.add_sat_s`). Integer
//! lanes are computed here with plain arithmetic at any width; float lanes and the
//! conversions between float and integer lanes are the scalar instructions' (`scalar`, that
//! is `wasmc::passes::eval`), once per lane. Written apart from the backends, so the spec suite's
//! assertions check both the translation and the code generators' idea of each operation.

use super::{scalar, Stop};
use wasmc::ir::{BinaryOp, ConvOp, FloatCC, SimdOp, Type, UnaryOp};

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
/// `build` for lanes computed by the scalar instructions, which may stop.
fn try_build(bits: u32, f: impl Fn(u32) -> Result<u128, Stop>) -> Result<u128, Stop> {
    (0..128 / bits).try_fold(0, |acc, i| Ok(acc | ((f(i)? & lane_mask(bits)) << (bits * i))))
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
fn lane_bits(ty: Type) -> u32 {
    ty.bytes() * 8
}

/// The result of `op` on `args` (i32 results in the low 32 bits).
pub fn simd(op: SimdOp, args: &[u128]) -> Result<u128, Stop> {
    let unknown = || Stop::Unsupported(op.name().to_string());
    let a = args.first().copied().unwrap_or(0);
    let b = args.get(1).copied().unwrap_or(0);
    match op {
        SimdOp::I8x16Shuffle(lanes) => {
            let bytes = [a.to_le_bytes(), b.to_le_bytes()].concat();
            return Ok(u128::from_le_bytes(lanes.map(|l| bytes[l as usize % 32])));
        }
        SimdOp::I8x16Swizzle => {
            // Indexes past 15 select zero.
            let pick = |i| match lane(b, 8, i) {
                l @ 0..16 => lane(a, 8, l as u32),
                _ => 0,
            };
            return Ok(build(8, pick));
        }
        _ => {}
    }
    let (shape, what) = op.name().split_once('.').ok_or_else(unknown)?;
    let lane_index = op.lane().map_or(0, |(l, _)| u32::from(l));
    match shape {
        "v128" => Ok(match what {
            "not" => !a,
            "and" => a & b,
            "andnot" => a & !b,
            "or" => a | b,
            "xor" => a ^ b,
            "bitselect" => {
                let c = *args.get(2).ok_or_else(unknown)?;
                (a & c) | (b & !c)
            }
            "any_true" => (a != 0) as u128,
            _ => return Err(unknown()),
        }),
        "f32x4" => float(Type::F32, what, lane_index, a, b),
        "f64x2" => float(Type::F64, what, lane_index, a, b),
        _ => {
            let bits = shape.strip_prefix('i').and_then(|s| s.split_once('x')?.0.parse().ok());
            int(bits.ok_or_else(unknown)?, what, lane_index, a, b)
        }
    }
}

fn int(bits: u32, what: &str, l: u32, a: u128, b: u128) -> Result<u128, Stop> {
    let s = |x: u128, i: u32| signed(lane(x, bits, i), bits);
    let uu = |x: u128, i: u32| lane(x, bits, i);
    let count = (b as u32 % bits) as u128;
    // Narrower source lanes (extend, extmul, extadd, narrow's wider ones).
    let half = bits / 2;
    let hs = |x: u128, i: u32| signed(lane(x, half, i), half);
    let hu = |x: u128, i: u32| lane(x, half, i);
    let high = if what.contains("high") { 128 / bits } else { 0 };
    let is_s = what.ends_with("_s") || what.contains("_s_");
    Ok(match what {
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
        "trunc_sat_f32x4_s" => convert(ConvOp::FcvtToSintSat, Type::F32, Type::I32, 4, a)?,
        "trunc_sat_f32x4_u" => convert(ConvOp::FcvtToUintSat, Type::F32, Type::I32, 4, a)?,
        "trunc_sat_f64x2_s_zero" => convert(ConvOp::FcvtToSintSat, Type::F64, Type::I32, 2, a)?,
        "trunc_sat_f64x2_u_zero" => convert(ConvOp::FcvtToUintSat, Type::F64, Type::I32, 2, a)?,
        _ => return Err(Stop::Unsupported(format!("i{bits}x{}.{what}", 128 / bits))),
    })
}

/// The first `count` lanes of `a` (of type `from`) converted to `to`; the other lanes zero.
fn convert(op: ConvOp, from: Type, to: Type, count: u32, a: u128) -> Result<u128, Stop> {
    let from_bits = lane_bits(from);
    try_build(lane_bits(to), |i| if i < count { scalar::conv(op, from, to, lane(a, from_bits, i)) } else { Ok(0) })
}

fn float(ty: Type, what: &str, l: u32, a: u128, b: u128) -> Result<u128, Stop> {
    let bits = lane_bits(ty);
    let (x, y) = (|i| lane(a, bits, i), |i| lane(b, bits, i));
    let unary = |op: UnaryOp| try_build(bits, |i| scalar::unary(op, ty, x(i)));
    let binary = |op: BinaryOp| try_build(bits, |i| scalar::binary(op, ty, x(i), y(i)));
    let compare = |cond: FloatCC| try_build(bits, |i| Ok(bool_lane(scalar::fcmp(cond, ty, x(i), y(i))? != 0)));
    let less = |p: u128, q: u128| Ok::<_, Stop>(scalar::fcmp(FloatCC::Lt, ty, p, q)? != 0);
    match what {
        "splat" => Ok(build(bits, |_| a)),
        "extract_lane" => Ok(x(l)),
        "replace_lane" => Ok(build(bits, |i| if i == l { b } else { x(i) })),
        "eq" => compare(FloatCC::Eq),
        "ne" => compare(FloatCC::Ne),
        "lt" => compare(FloatCC::Lt),
        "gt" => compare(FloatCC::Gt),
        "le" => compare(FloatCC::Le),
        "ge" => compare(FloatCC::Ge),
        "abs" => unary(UnaryOp::Fabs),
        "neg" => unary(UnaryOp::Fneg),
        "sqrt" => unary(UnaryOp::Fsqrt),
        "ceil" => unary(UnaryOp::Fceil),
        "floor" => unary(UnaryOp::Ffloor),
        "trunc" => unary(UnaryOp::Ftrunc),
        "nearest" => unary(UnaryOp::Fnearest),
        "add" => binary(BinaryOp::Fadd),
        "sub" => binary(BinaryOp::Fsub),
        "mul" => binary(BinaryOp::Fmul),
        "div" => binary(BinaryOp::Fdiv),
        "min" => binary(BinaryOp::Fmin),
        "max" => binary(BinaryOp::Fmax),
        // pmin is `b < a ? b : a`, pmax `a < b ? b : a`, bit-exact.
        "pmin" => try_build(bits, |i| Ok(if less(y(i), x(i))? { y(i) } else { x(i) })),
        "pmax" => try_build(bits, |i| Ok(if less(x(i), y(i))? { y(i) } else { x(i) })),
        "convert_i32x4_s" => convert(ConvOp::FcvtFromSint, Type::I32, ty, 4, a),
        "convert_i32x4_u" => convert(ConvOp::FcvtFromUint, Type::I32, ty, 4, a),
        "convert_low_i32x4_s" => convert(ConvOp::FcvtFromSint, Type::I32, ty, 2, a),
        "convert_low_i32x4_u" => convert(ConvOp::FcvtFromUint, Type::I32, ty, 2, a),
        "demote_f64x2_zero" => convert(ConvOp::Fdemote, Type::F64, ty, 2, a),
        "promote_low_f32x4" => convert(ConvOp::Fpromote, Type::F32, ty, 2, a),
        _ => Err(Stop::Unsupported(format!("{ty}.{what}"))),
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
