//! Wasm semantics of the IR's scalar operations on constants: the crate's one implementation
//! of them, bit for bit as the specification says: wrapping integer arithmetic, shift and
//! rotate counts modulo the width, IEEE 754 rounding to nearest even, `fmin(-0, +0) == -0`.
//!
//! Two faces:
//! - `execute_unary`, `execute_binary`, … answer every operation as Wasm executes it: a value,
//!   or the trap. A NaN result is the host's NaN; Wasm leaves the payload open. The tests'
//!   reference interpreter runs on these.
//! - `unary`, `binary`, …, for constant folding, answer `None` where folding would change
//!   behaviour: the operation traps, or its result is a NaN whose payload Wasm leaves to the
//!   hardware. Bitwise operations (abs, neg, copysign, reinterpret) define their NaNs exactly,
//!   so they fold whatever the value.

use crate::ir::{BinaryOp, ConvOp, FloatCC, Function, InstData, IntCC, TrapCode, Type, UnaryOp, Value, ValueDef};

/// A constant; floats are kept as their bits so that equality is exact.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Const {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
}

/// Why executing an operation gives no value.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Fault {
    /// Wasm traps.
    Trap(TrapCode),
    /// The operands' types are not the operation's: only ill-typed IR gets here.
    IllTyped,
}

impl Const {
    /// The constant an instruction defines, if it is a scalar constant.
    pub fn of(data: &InstData) -> Option<Const> {
        match *data {
            InstData::Iconst { ty: Type::I32, imm } => Some(Const::I32(imm as i32)),
            InstData::Iconst { ty: Type::I64, imm } => Some(Const::I64(imm)),
            InstData::F32const { bits } => Some(Const::F32(bits)),
            InstData::F64const { bits } => Some(Const::F64(bits)),
            _ => None,
        }
    }

    /// The constant value `v` is, if an instruction defines it as one.
    pub fn of_value(func: &Function, v: Value) -> Option<Const> {
        match func.values.get(v.index())?.def {
            ValueDef::Result(inst, 0) => Const::of(&func.insts[inst.index()]),
            _ => None,
        }
    }

    /// The instruction that defines this constant.
    pub fn to_inst(self) -> InstData {
        match self {
            Const::I32(v) => InstData::Iconst {
                ty: Type::I32,
                imm: v as i64,
            },
            Const::I64(v) => InstData::Iconst {
                ty: Type::I64,
                imm: v,
            },
            Const::F32(bits) => InstData::F32const { bits },
            Const::F64(bits) => InstData::F64const { bits },
        }
    }

    /// An integer constant of type `ty` (i32 or i64) holding `value` truncated to the width.
    pub fn int(ty: Type, value: i64) -> Option<Const> {
        match ty {
            Type::I32 => Some(Const::I32(value as i32)),
            Type::I64 => Some(Const::I64(value)),
            _ => None,
        }
    }

    /// The scalar of type `ty` whose bits are the low bits of `bits`.
    pub fn from_bits(ty: Type, bits: u64) -> Option<Const> {
        match ty {
            Type::I32 => Some(Const::I32(bits as i32)),
            Type::I64 => Some(Const::I64(bits as i64)),
            Type::F32 => Some(Const::F32(bits as u32)),
            Type::F64 => Some(Const::F64(bits)),
            Type::V128 | Type::Ref => None,
        }
    }

    /// The constant's bits, zero-extended.
    pub fn bits(self) -> u64 {
        match self {
            Const::I32(v) => v as u32 as u64,
            Const::I64(v) => v as u64,
            Const::F32(bits) => bits as u64,
            Const::F64(bits) => bits,
        }
    }

    /// The value of an integer constant, sign-extended.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Const::I32(v) => Some(v as i64),
            Const::I64(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_nan(self) -> bool {
        match self {
            Const::F32(bits) => f32::from_bits(bits).is_nan(),
            Const::F64(bits) => f64::from_bits(bits).is_nan(),
            Const::I32(_) | Const::I64(_) => false,
        }
    }
}

pub fn unary(op: UnaryOp, a: Const) -> Option<Const> {
    let bitwise = matches!(op, UnaryOp::Fabs | UnaryOp::Fneg);
    foldable(execute_unary(op, a), bitwise)
}

pub fn binary(op: BinaryOp, a: Const, b: Const) -> Option<Const> {
    foldable(execute_binary(op, a, b), op == BinaryOp::Fcopysign)
}

pub fn icmp(cond: IntCC, a: Const, b: Const) -> Option<bool> {
    execute_icmp(cond, a, b).ok()
}

pub fn fcmp(cond: FloatCC, a: Const, b: Const) -> Option<bool> {
    execute_fcmp(cond, a, b).ok()
}

pub fn conv(op: ConvOp, to: Type, a: Const) -> Option<Const> {
    foldable(execute_conv(op, to, a), op == ConvOp::Bitcast)
}

/// A result folding may use: no trap, and no NaN unless the operation is bitwise.
fn foldable(result: Result<Const, Fault>, bitwise: bool) -> Option<Const> {
    result.ok().filter(|r| bitwise || !r.is_nan())
}

const DIVIDE_BY_ZERO: Fault = Fault::Trap(TrapCode::IntegerDivideByZero);
const OVERFLOW: Fault = Fault::Trap(TrapCode::IntegerOverflow);

pub fn execute_unary(op: UnaryOp, a: Const) -> Result<Const, Fault> {
    use UnaryOp::*;
    match a {
        Const::I32(x) => Ok(Const::I32(match op {
            Clz => x.leading_zeros() as i32,
            Ctz => x.trailing_zeros() as i32,
            Popcnt => x.count_ones() as i32,
            Sext8 => x as i8 as i32,
            Sext16 => x as i16 as i32,
            _ => return Err(Fault::IllTyped),
        })),
        Const::I64(x) => Ok(Const::I64(match op {
            Clz => x.leading_zeros() as i64,
            Ctz => x.trailing_zeros() as i64,
            Popcnt => x.count_ones() as i64,
            Sext8 => x as i8 as i64,
            Sext16 => x as i16 as i64,
            Sext32 => x as i32 as i64,
            _ => return Err(Fault::IllTyped),
        })),
        Const::F32(bits) => {
            const SIGN: u32 = 1 << 31;
            match op {
                Fabs => Ok(Const::F32(bits & !SIGN)),
                Fneg => Ok(Const::F32(bits ^ SIGN)),
                _ => float_unary(op, f32::from_bits(bits) as f64)
                    .map(|r| Const::F32((r as f32).to_bits())),
            }
        }
        Const::F64(bits) => {
            const SIGN: u64 = 1 << 63;
            match op {
                Fabs => Ok(Const::F64(bits & !SIGN)),
                Fneg => Ok(Const::F64(bits ^ SIGN)),
                Fsqrt => Ok(Const::F64(f64::from_bits(bits).sqrt().to_bits())),
                _ => float_unary(op, f64::from_bits(bits)).map(|r| Const::F64(r.to_bits())),
            }
        }
    }
}

/// Rounding operations, computed in f64: exact for f32 inputs too, since rounding to an
/// integer never needs more precision than the input has. `fsqrt` of an f32 is done in f32.
fn float_unary(op: UnaryOp, x: f64) -> Result<f64, Fault> {
    use UnaryOp::*;
    Ok(match op {
        Fceil => x.ceil(),
        Ffloor => x.floor(),
        Ftrunc => x.trunc(),
        Fnearest => x.round_ties_even(),
        Fsqrt => (x as f32).sqrt() as f64,
        _ => return Err(Fault::IllTyped),
    })
}

pub fn execute_binary(op: BinaryOp, a: Const, b: Const) -> Result<Const, Fault> {
    match (a, b) {
        (Const::I32(x), Const::I32(y)) => int_binary32(op, x, y).map(Const::I32),
        (Const::I64(x), Const::I64(y)) => int_binary64(op, x, y).map(Const::I64),
        (Const::F32(x), Const::F32(y)) => float_binary32(op, x, y).map(Const::F32),
        (Const::F64(x), Const::F64(y)) => float_binary64(op, x, y).map(Const::F64),
        _ => Err(Fault::IllTyped),
    }
}

/// The integer operations, once per width.
macro_rules! int_binary {
    ($name:ident, $s:ty, $u:ty) => {
        fn $name(op: BinaryOp, x: $s, y: $s) -> Result<$s, Fault> {
            use BinaryOp::*;
            let (ux, uy) = (x as $u, y as $u);
            Ok(match op {
                Iadd => x.wrapping_add(y),
                Isub => x.wrapping_sub(y),
                Imul => x.wrapping_mul(y),
                Sdiv | Srem | Udiv | Urem if y == 0 => return Err(DIVIDE_BY_ZERO),
                // With a nonzero divisor, checked_div fails only for MIN / -1.
                Sdiv => x.checked_div(y).ok_or(OVERFLOW)?,
                // MIN % -1 is 0 in Wasm, which wrapping_rem gives.
                Srem => x.wrapping_rem(y),
                Udiv => (ux / uy) as $s,
                Urem => (ux % uy) as $s,
                And => x & y,
                Or => x | y,
                Xor => x ^ y,
                // wrapping_shl/shr take the count modulo the width, as Wasm does.
                Shl => x.wrapping_shl(y as u32),
                Sshr => x.wrapping_shr(y as u32),
                Ushr => ux.wrapping_shr(y as u32) as $s,
                Rotl => x.rotate_left((y as u32) % <$s>::BITS),
                Rotr => x.rotate_right((y as u32) % <$s>::BITS),
                _ => return Err(Fault::IllTyped),
            })
        }
    };
}
int_binary!(int_binary32, i32, u32);
int_binary!(int_binary64, i64, u64);

/// The float operations, once per width.
macro_rules! float_binary {
    ($name:ident, $f:ty, $bits:ty) => {
        fn $name(op: BinaryOp, xb: $bits, yb: $bits) -> Result<$bits, Fault> {
            use BinaryOp::*;
            const SIGN: $bits = 1 << (<$bits>::BITS - 1);
            let (x, y) = (<$f>::from_bits(xb), <$f>::from_bits(yb));
            let r = match op {
                Fcopysign => return Ok((xb & !SIGN) | (yb & SIGN)),
                Fadd => x + y,
                Fsub => x - y,
                Fmul => x * y,
                Fdiv => x / y,
                Fmin | Fmax if x.is_nan() || y.is_nan() => <$f>::NAN,
                // Equal operands differ at most in the sign of a zero: min takes -0, max +0.
                Fmin if x == y => return Ok(xb | yb),
                Fmax if x == y => return Ok(xb & yb),
                Fmin => x.min(y),
                Fmax => x.max(y),
                _ => return Err(Fault::IllTyped),
            };
            Ok(r.to_bits())
        }
    };
}
float_binary!(float_binary32, f32, u32);
float_binary!(float_binary64, f64, u64);

pub fn execute_icmp(cond: IntCC, a: Const, b: Const) -> Result<bool, Fault> {
    // Signed order on the sign-extended values; unsigned order of the original width.
    let (x, y, ux, uy) = match (a, b) {
        (Const::I32(x), Const::I32(y)) => (x as i64, y as i64, x as u32 as u64, y as u32 as u64),
        (Const::I64(x), Const::I64(y)) => (x, y, x as u64, y as u64),
        _ => return Err(Fault::IllTyped),
    };
    Ok(match cond {
        IntCC::Eq => x == y,
        IntCC::Ne => x != y,
        IntCC::Slt => x < y,
        IntCC::Sle => x <= y,
        IntCC::Sgt => x > y,
        IntCC::Sge => x >= y,
        IntCC::Ult => ux < uy,
        IntCC::Ule => ux <= uy,
        IntCC::Ugt => ux > uy,
        IntCC::Uge => ux >= uy,
    })
}

pub fn execute_fcmp(cond: FloatCC, a: Const, b: Const) -> Result<bool, Fault> {
    // f32 to f64 is exact, so comparing in f64 gives the f32 answers.
    let (x, y) = match (a, b) {
        (Const::F32(x), Const::F32(y)) => (f32::from_bits(x) as f64, f32::from_bits(y) as f64),
        (Const::F64(x), Const::F64(y)) => (f64::from_bits(x), f64::from_bits(y)),
        _ => return Err(Fault::IllTyped),
    };
    Ok(match cond {
        FloatCC::Eq => x == y,
        FloatCC::Ne => x != y,
        FloatCC::Lt => x < y,
        FloatCC::Le => x <= y,
        FloatCC::Gt => x > y,
        FloatCC::Ge => x >= y,
    })
}

pub fn execute_conv(op: ConvOp, to: Type, a: Const) -> Result<Const, Fault> {
    use ConvOp::*;
    match (op, a, to) {
        (Wrap, Const::I64(x), Type::I32) => Ok(Const::I32(x as i32)),
        (Sextend, Const::I32(x), Type::I64) => Ok(Const::I64(x as i64)),
        (Uextend, Const::I32(x), Type::I64) => Ok(Const::I64(x as u32 as i64)),
        (Bitcast, Const::I32(x), Type::F32) => Ok(Const::F32(x as u32)),
        (Bitcast, Const::F32(x), Type::I32) => Ok(Const::I32(x as i32)),
        (Bitcast, Const::I64(x), Type::F64) => Ok(Const::F64(x as u64)),
        (Bitcast, Const::F64(x), Type::I64) => Ok(Const::I64(x as i64)),
        (Fpromote, Const::F32(x), Type::F64) => {
            Ok(Const::F64((f32::from_bits(x) as f64).to_bits()))
        }
        (Fdemote, Const::F64(x), Type::F32) => Ok(Const::F32((f64::from_bits(x) as f32).to_bits())),
        (FcvtFromSint | FcvtFromUint, _, _) => int_to_float(op == FcvtFromUint, a, to),
        (FcvtToSint | FcvtToUint | FcvtToSintSat | FcvtToUintSat, _, _) => float_to_int(op, a, to),
        _ => Err(Fault::IllTyped),
    }
}

/// Rust's `as` from an integer to a float rounds to nearest, ties to even, as Wasm does.
fn int_to_float(unsigned: bool, a: Const, to: Type) -> Result<Const, Fault> {
    match (a, to, unsigned) {
        (Const::I32(x), Type::F32, false) => Ok(Const::F32((x as f32).to_bits())),
        (Const::I32(x), Type::F32, true) => Ok(Const::F32((x as u32 as f32).to_bits())),
        (Const::I32(x), Type::F64, false) => Ok(Const::F64((x as f64).to_bits())),
        (Const::I32(x), Type::F64, true) => Ok(Const::F64((x as u32 as f64).to_bits())),
        (Const::I64(x), Type::F32, false) => Ok(Const::F32((x as f32).to_bits())),
        (Const::I64(x), Type::F32, true) => Ok(Const::F32((x as u64 as f32).to_bits())),
        (Const::I64(x), Type::F64, false) => Ok(Const::F64((x as f64).to_bits())),
        (Const::I64(x), Type::F64, true) => Ok(Const::F64((x as u64 as f64).to_bits())),
        _ => Err(Fault::IllTyped),
    }
}

/// Rust's `as` from a float to an integer truncates and saturates, with NaN giving 0: exactly
/// Wasm's `trunc_sat`. The trapping forms trap on NaN and on a truncated value out of range.
fn float_to_int(op: ConvOp, a: Const, to: Type) -> Result<Const, Fault> {
    let x = match a {
        Const::F32(bits) => f32::from_bits(bits) as f64,
        Const::F64(bits) => f64::from_bits(bits),
        _ => return Err(Fault::IllTyped),
    };
    let signed = matches!(op, ConvOp::FcvtToSint | ConvOp::FcvtToSintSat);
    let trapping = matches!(op, ConvOp::FcvtToSint | ConvOp::FcvtToUint);
    if trapping {
        if x.is_nan() {
            return Err(Fault::Trap(TrapCode::InvalidConversion));
        }
        let t = x.trunc();
        // Exclusive bounds, all exactly representable: -2^31-1 < t < 2^31, -1 < t < 2^32, ...
        let (low, high) = match (to, signed) {
            (Type::I32, true) => (-2147483649.0, 2147483648.0),
            (Type::I32, false) => (-1.0, 4294967296.0),
            (Type::I64, true) => (-9223372036854777856.0, 9223372036854775808.0),
            (Type::I64, false) => (-1.0, 18446744073709551616.0),
            _ => return Err(Fault::IllTyped),
        };
        if t <= low || t >= high {
            return Err(OVERFLOW);
        }
    }
    match (to, signed) {
        (Type::I32, true) => Ok(Const::I32(x as i32)),
        (Type::I32, false) => Ok(Const::I32(x as u32 as i32)),
        (Type::I64, true) => Ok(Const::I64(x as i64)),
        (Type::I64, false) => Ok(Const::I64(x as u64 as i64)),
        _ => Err(Fault::IllTyped),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinaryOp::*;
    use Const::*;

    fn f32c(x: f32) -> Const {
        F32(x.to_bits())
    }
    fn f64c(x: f64) -> Const {
        F64(x.to_bits())
    }

    #[test]
    fn integer_arithmetic_wraps_and_shifts_modulo_width() {
        assert_eq!(binary(Iadd, I32(i32::MAX), I32(1)), Some(I32(i32::MIN)));
        assert_eq!(binary(Imul, I64(i64::MIN), I64(-1)), Some(I64(i64::MIN)));
        assert_eq!(binary(Shl, I32(1), I32(33)), Some(I32(2)));
        assert_eq!(binary(Ushr, I32(-1), I32(-1)), Some(I32(1)));
        assert_eq!(binary(Sshr, I64(-8), I64(65)), Some(I64(-4)));
        assert_eq!(
            binary(Rotl, I32(0x8000_0001u32 as i32), I32(33)),
            Some(I32(3))
        );
        assert_eq!(binary(Rotr, I64(1), I64(-1)), Some(I64(2)));
    }

    #[test]
    fn trapping_division_is_never_folded() {
        assert_eq!(binary(Sdiv, I32(1), I32(0)), None);
        assert_eq!(binary(Sdiv, I32(i32::MIN), I32(-1)), None);
        assert_eq!(binary(Udiv, I64(1), I64(0)), None);
        assert_eq!(binary(Srem, I32(1), I32(0)), None);
        assert_eq!(binary(Urem, I32(1), I32(0)), None);
        assert_eq!(binary(Srem, I32(i32::MIN), I32(-1)), Some(I32(0)));
        assert_eq!(binary(Sdiv, I32(-7), I32(2)), Some(I32(-3)));
        assert_eq!(binary(Srem, I32(-7), I32(2)), Some(I32(-1)));
        assert_eq!(binary(Udiv, I32(-1), I32(2)), Some(I32(i32::MAX)));
    }

    #[test]
    fn execution_names_the_trap_and_gives_nans() {
        let trap = |code| Err(Fault::Trap(code));
        assert_eq!(
            execute_binary(Urem, I32(1), I32(0)),
            trap(TrapCode::IntegerDivideByZero)
        );
        assert_eq!(
            execute_binary(Sdiv, I64(i64::MIN), I64(-1)),
            trap(TrapCode::IntegerOverflow)
        );
        assert_eq!(
            execute_conv(ConvOp::FcvtToUint, Type::I32, f32c(f32::NAN)),
            trap(TrapCode::InvalidConversion)
        );
        assert_eq!(
            execute_conv(ConvOp::FcvtToSint, Type::I64, f64c(1e19)),
            trap(TrapCode::IntegerOverflow)
        );
        let nan = |r: Result<Const, Fault>| r.is_ok_and(Const::is_nan);
        assert!(nan(execute_binary(Fmin, f32c(1.0), f32c(f32::NAN))));
        assert!(nan(execute_binary(
            Fsub,
            f64c(f64::INFINITY),
            f64c(f64::INFINITY)
        )));
        assert!(nan(execute_unary(UnaryOp::Fsqrt, f32c(-1.0))));
        assert!(nan(execute_conv(
            ConvOp::Fdemote,
            Type::F32,
            f64c(f64::NAN)
        )));
    }

    #[test]
    fn ill_typed_operations_are_faults() {
        assert_eq!(execute_binary(Iadd, I32(1), I64(1)), Err(Fault::IllTyped));
        assert_eq!(execute_binary(Fadd, I32(1), I32(1)), Err(Fault::IllTyped));
        assert_eq!(execute_unary(UnaryOp::Sext32, I32(1)), Err(Fault::IllTyped));
        assert_eq!(
            execute_conv(ConvOp::Wrap, Type::I32, I32(1)),
            Err(Fault::IllTyped)
        );
    }

    #[test]
    fn constants_convert_to_and_from_bits() {
        assert_eq!(
            Const::from_bits(Type::F32, 0xffff_ffff_7fc0_0000),
            Some(F32(0x7fc0_0000))
        );
        assert_eq!(Const::from_bits(Type::I32, u64::MAX), Some(I32(-1)));
        assert_eq!(Const::from_bits(Type::V128, 0), None);
        assert_eq!(I32(-1).bits(), 0xffff_ffff);
        assert_eq!(I64(-1).bits(), u64::MAX);
    }

    #[test]
    fn comparisons_use_the_width_for_unsigned_order() {
        assert_eq!(icmp(IntCC::Ult, I32(1), I32(-1)), Some(true));
        assert_eq!(icmp(IntCC::Slt, I32(1), I32(-1)), Some(false));
        assert_eq!(icmp(IntCC::Ugt, I64(-1), I64(0)), Some(true));
        assert_eq!(
            fcmp(FloatCC::Ne, f64c(f64::NAN), f64c(f64::NAN)),
            Some(true)
        );
        assert_eq!(fcmp(FloatCC::Eq, f32c(-0.0), f32c(0.0)), Some(true));
        assert_eq!(fcmp(FloatCC::Ge, f32c(f32::NAN), f32c(0.0)), Some(false));
    }

    #[test]
    fn floats_fold_exactly_and_never_to_nan() {
        assert_eq!(binary(Fadd, f64c(0.1), f64c(0.2)), Some(f64c(0.1 + 0.2)));
        assert_eq!(
            binary(Fdiv, f32c(1.0), f32c(0.0)),
            Some(f32c(f32::INFINITY))
        );
        assert_eq!(binary(Fsub, f64c(f64::INFINITY), f64c(f64::INFINITY)), None);
        assert_eq!(binary(Fadd, f32c(f32::NAN), f32c(1.0)), None);
        assert_eq!(binary(Fmin, f64c(0.0), f64c(-0.0)), Some(f64c(-0.0)));
        assert_eq!(binary(Fmax, f32c(-0.0), f32c(0.0)), Some(f32c(0.0)));
        assert_eq!(binary(Fmin, f64c(1.0), f64c(f64::NAN)), None);
        assert_eq!(
            binary(Fcopysign, F32(0x7fc0_0001), f32c(-1.0)),
            Some(F32(0xffc0_0001))
        );
        assert_eq!(
            unary(UnaryOp::Fneg, F64(0x7ff8_0000_0000_0000)),
            Some(F64(0xfff8_0000_0000_0000))
        );
        assert_eq!(unary(UnaryOp::Fnearest, f64c(2.5)), Some(f64c(2.0)));
        assert_eq!(unary(UnaryOp::Fnearest, f32c(-0.5)), Some(f32c(-0.0)));
        assert_eq!(unary(UnaryOp::Fceil, f32c(-0.5)), Some(f32c(-0.0)));
        assert_eq!(unary(UnaryOp::Fsqrt, f32c(2.0)), Some(f32c(2.0f32.sqrt())));
        assert_eq!(unary(UnaryOp::Fsqrt, f64c(-1.0)), None);
    }

    #[test]
    fn integer_unary_ops() {
        assert_eq!(unary(UnaryOp::Clz, I32(0)), Some(I32(32)));
        assert_eq!(unary(UnaryOp::Ctz, I64(0)), Some(I64(64)));
        assert_eq!(unary(UnaryOp::Popcnt, I32(-1)), Some(I32(32)));
        assert_eq!(unary(UnaryOp::Sext8, I32(0x80)), Some(I32(-128)));
        assert_eq!(unary(UnaryOp::Sext32, I64(0xffff_ffff)), Some(I64(-1)));
    }

    #[test]
    fn conversions_follow_wasm() {
        use ConvOp::*;
        assert_eq!(conv(Uextend, Type::I64, I32(-1)), Some(I64(0xffff_ffff)));
        assert_eq!(conv(Wrap, Type::I32, I64(0x1_0000_0002)), Some(I32(2)));
        assert_eq!(
            conv(FcvtToSint, Type::I32, f64c(-2147483648.9)),
            Some(I32(i32::MIN))
        );
        assert_eq!(conv(FcvtToSint, Type::I32, f64c(-2147483649.0)), None);
        assert_eq!(conv(FcvtToSint, Type::I32, f32c(2147483648.0)), None);
        assert_eq!(conv(FcvtToUint, Type::I32, f64c(-0.9)), Some(I32(0)));
        assert_eq!(
            conv(FcvtToUint, Type::I32, f64c(4294967295.5)),
            Some(I32(-1))
        );
        assert_eq!(conv(FcvtToUint, Type::I64, f64c(f64::NAN)), None);
        assert_eq!(
            conv(FcvtToSint, Type::I64, f64c(-9223372036854775808.0)),
            Some(I64(i64::MIN))
        );
        assert_eq!(
            conv(FcvtToSint, Type::I64, f64c(9223372036854775808.0)),
            None
        );
        assert_eq!(conv(FcvtToSintSat, Type::I32, f64c(f64::NAN)), Some(I32(0)));
        assert_eq!(conv(FcvtToUintSat, Type::I32, f32c(-5.0)), Some(I32(0)));
        assert_eq!(
            conv(FcvtToSintSat, Type::I64, f64c(1e300)),
            Some(I64(i64::MAX))
        );
        // 2^24 + 1 is not an f32: ties to even gives 2^24.
        assert_eq!(
            conv(FcvtFromSint, Type::F32, I32(16777217)),
            Some(f32c(16777216.0))
        );
        assert_eq!(
            conv(FcvtFromUint, Type::F64, I64(-1)),
            Some(f64c(18446744073709551616.0))
        );
        assert_eq!(conv(Fdemote, Type::F32, f64c(f64::NAN)), None);
        assert_eq!(
            conv(Fpromote, Type::F64, f32c(0.1)),
            Some(f64c(0.1f32 as f64))
        );
        assert_eq!(
            conv(Bitcast, Type::I64, f64c(1.0)),
            Some(I64(0x3ff0_0000_0000_0000))
        );
        // Reinterpreting is bitwise: a NaN's payload is exact, so it folds.
        assert_eq!(
            conv(Bitcast, Type::F32, I32(0x7fc0_0001)),
            Some(F32(0x7fc0_0001))
        );
    }
}
