//! Wasm semantics of the IR's numeric instructions, on raw bits (`u128`, the low bits used).

use super::{bits_of, mask, Trap};
use wasmc::ir::{BinaryOp, ConvOp, FloatCC, IntCC, TrapCode, Type, UnaryOp};

fn f32v(v: u128) -> f32 {
    f32::from_bits(v as u32)
}
fn f64v(v: u128) -> f64 {
    f64::from_bits(v as u64)
}
fn is_f32(ty: Type) -> bool {
    ty == Type::F32
}
/// Apply a float operation at the precision of `ty`.
fn float1(ty: Type, v: u128, f: impl Fn(f64) -> f64, g: impl Fn(f32) -> f32) -> u128 {
    if is_f32(ty) {
        g(f32v(v)).to_bits().into()
    } else {
        f(f64v(v)).to_bits().into()
    }
}

pub fn unary(op: UnaryOp, ty: Type, v: u128) -> u128 {
    let w = bits_of(ty);
    let x = mask(ty, v);
    let sign = 1u128 << (w - 1);
    match op {
        UnaryOp::Clz => (if w == 32 { (x as u32).leading_zeros() } else { (x as u64).leading_zeros() }).into(),
        UnaryOp::Ctz => (if w == 32 { (x as u32).trailing_zeros() } else { (x as u64).trailing_zeros() }).into(),
        UnaryOp::Popcnt => x.count_ones().into(),
        UnaryOp::Sext8 => x as u8 as i8 as i64 as u128,
        UnaryOp::Sext16 => x as u16 as i16 as i64 as u128,
        UnaryOp::Sext32 => x as u32 as i32 as i64 as u128,
        UnaryOp::Fabs => x & !sign,
        UnaryOp::Fneg => x ^ sign,
        UnaryOp::Fsqrt => float1(ty, x, f64::sqrt, f32::sqrt),
        UnaryOp::Fceil => float1(ty, x, f64::ceil, f32::ceil),
        UnaryOp::Ffloor => float1(ty, x, f64::floor, f32::floor),
        UnaryOp::Ftrunc => float1(ty, x, f64::trunc, f32::trunc),
        UnaryOp::Fnearest => float1(ty, x, f64::round_ties_even, f32::round_ties_even),
    }
}

pub fn binary(op: BinaryOp, ty: Type, a: u128, b: u128) -> Result<u128, Trap> {
    use BinaryOp::*;
    if ty.is_float() {
        let f = |x: f64, y: f64| -> f64 {
            match op {
                Fadd => x + y,
                Fsub => x - y,
                Fmul => x * y,
                Fdiv => x / y,
                Fmin | Fmax if x.is_nan() || y.is_nan() => f64::NAN,
                Fmin if x == y => {
                    if x.is_sign_negative() {
                        x
                    } else {
                        y
                    }
                }
                Fmax if x == y => {
                    if x.is_sign_positive() {
                        x
                    } else {
                        y
                    }
                }
                Fmin => x.min(y),
                Fmax => x.max(y),
                _ => x.copysign(y),
            }
        };
        if is_f32(ty) {
            let (x, y) = (f32v(a), f32v(b));
            // Every f32 operation is exact in f64 followed by one rounding, except copysign,
            // which must keep NaN payloads: do it on bits.
            let r = match op {
                Fcopysign => return Ok(((a as u32 & 0x7FFF_FFFF) | (b as u32 & 0x8000_0000)).into()),
                Fadd => x + y,
                Fsub => x - y,
                Fmul => x * y,
                Fdiv => x / y,
                _ => f(x.into(), y.into()) as f32,
            };
            return Ok(r.to_bits().into());
        }
        if op == Fcopysign {
            return Ok(((a as u64 & !(1 << 63)) | (b as u64 & (1 << 63))).into());
        }
        return Ok(f(f64v(a), f64v(b)).to_bits().into());
    }
    let w = bits_of(ty);
    let (x, y) = (mask(ty, a) as u64, mask(ty, b) as u64);
    let (sx, sy) = if w == 32 { (x as u32 as i32 as i64, y as u32 as i32 as i64) } else { (x as i64, y as i64) };
    let min = if w == 32 { i32::MIN as i64 } else { i64::MIN };
    let shift = (y % w as u64) as u32;
    let r: u64 = match op {
        Iadd => x.wrapping_add(y),
        Isub => x.wrapping_sub(y),
        Imul => x.wrapping_mul(y),
        Sdiv | Udiv | Srem | Urem if y == 0 => return Err(TrapCode::IntegerDivideByZero),
        Sdiv if sx == min && sy == -1 => return Err(TrapCode::IntegerOverflow),
        Sdiv => sx.wrapping_div(sy) as u64,
        Udiv => x / y,
        Srem => sx.wrapping_rem(sy) as u64,
        Urem => x % y,
        And => x & y,
        Or => x | y,
        Xor => x ^ y,
        Shl => x << shift,
        Sshr => (sx >> shift) as u64,
        Ushr => x >> shift,
        Rotl if w == 32 => (x as u32).rotate_left(shift).into(),
        Rotr if w == 32 => (x as u32).rotate_right(shift).into(),
        Rotl => x.rotate_left(shift),
        Rotr => x.rotate_right(shift),
        _ => return Err(TrapCode::Unreachable),
    };
    Ok(mask(ty, r.into()))
}

pub fn icmp(cond: IntCC, ty: Type, a: u128, b: u128) -> bool {
    let (x, y) = (mask(ty, a) as u64, mask(ty, b) as u64);
    let (sx, sy) =
        if ty == Type::I32 { (x as u32 as i32 as i64, y as u32 as i32 as i64) } else { (x as i64, y as i64) };
    match cond {
        IntCC::Eq => x == y,
        IntCC::Ne => x != y,
        IntCC::Slt => sx < sy,
        IntCC::Sle => sx <= sy,
        IntCC::Sgt => sx > sy,
        IntCC::Sge => sx >= sy,
        IntCC::Ult => x < y,
        IntCC::Ule => x <= y,
        IntCC::Ugt => x > y,
        IntCC::Uge => x >= y,
    }
}

pub fn fcmp(cond: FloatCC, ty: Type, a: u128, b: u128) -> bool {
    let (x, y) = if is_f32(ty) { (f32v(a) as f64, f32v(b) as f64) } else { (f64v(a), f64v(b)) };
    match cond {
        FloatCC::Eq => x == y,
        FloatCC::Ne => x != y,
        FloatCC::Lt => x < y,
        FloatCC::Le => x <= y,
        FloatCC::Gt => x > y,
        FloatCC::Ge => x >= y,
    }
}

pub fn conv(op: ConvOp, from: Type, to: Type, v: u128) -> Result<u128, Trap> {
    let float_in = || if is_f32(from) { f32v(v) as f64 } else { f64v(v) };
    let int_in = |signed: bool| -> i128 {
        match (from, signed) {
            (Type::I32, true) => v as u32 as i32 as i128,
            (Type::I32, false) => v as u32 as i128,
            (_, true) => v as u64 as i64 as i128,
            (_, false) => v as u64 as i128,
        }
    };
    let to_float = |x: i128| -> u128 {
        // Rust's integer-to-float `as` rounds to nearest, ties to even, as Wasm does.
        if is_f32(to) {
            (if x < 0 { x as i64 as f32 } else { x as u64 as f32 }).to_bits().into()
        } else {
            (if x < 0 { x as i64 as f64 } else { x as u64 as f64 }).to_bits().into()
        }
    };
    Ok(match op {
        ConvOp::Wrap => v & 0xFFFF_FFFF,
        ConvOp::Sextend => v as u32 as i32 as i64 as u64 as u128,
        ConvOp::Uextend => v as u32 as u128,
        ConvOp::Bitcast => v,
        ConvOp::Fpromote => (f32v(v) as f64).to_bits().into(),
        ConvOp::Fdemote => (f64v(v) as f32).to_bits().into(),
        ConvOp::FcvtFromSint => to_float(int_in(true)),
        ConvOp::FcvtFromUint => to_float(int_in(false)),
        ConvOp::FcvtToSint | ConvOp::FcvtToUint => {
            let x = float_in();
            if x.is_nan() {
                return Err(TrapCode::InvalidConversion);
            }
            let t = x.trunc();
            let signed = op == ConvOp::FcvtToSint;
            let (lo, hi) = match (to, signed) {
                (Type::I32, true) => (-2147483648.0, 2147483648.0),
                (Type::I32, false) => (0.0, 4294967296.0),
                (_, true) => (-9223372036854775808.0, 9223372036854775808.0),
                (_, false) => (0.0, 18446744073709551616.0),
            };
            if !(t >= lo && t < hi) {
                return Err(TrapCode::IntegerOverflow);
            }
            mask(to, if signed { t as i64 as u64 as u128 } else { t as u64 as u128 })
        }
        ConvOp::FcvtToSintSat | ConvOp::FcvtToUintSat => {
            let x = float_in();
            let signed = op == ConvOp::FcvtToSintSat;
            let r: u128 = match (to, signed) {
                (Type::I32, true) => x as i32 as u32 as u128,
                (Type::I32, false) => x as u32 as u128,
                (_, true) => x as i64 as u64 as u128,
                (_, false) => x as u64 as u128,
            };
            r
        }
    })
}
