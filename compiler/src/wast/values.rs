//! Values crossing between the spec runner and the native test program, and the rules for
//! comparing a result with what a script expects (NaN patterns, v128 lanes, references).
//!
//! On the wire a value is `TYPE:HEX` (`i32:2a`, `f64:7ff8000000000000`, `v128:<32 hex digits,
//! little-endian lane 0 last as a u128>`), a null reference `funcref:null` / `externref:null`,
//! an extern reference `externref:N` (host value N), a non-null funcref `funcref:func`.

use std::fmt;

/// A concrete value.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Val {
    I32(u32),
    I64(u64),
    F32(u32),
    F64(u64),
    V128(u128),
    FuncNull,
    /// A non-null funcref (the runner cannot name which function it is).
    Func,
    ExternNull,
    Extern(u32),
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match *self {
            Val::I32(x) => write!(f, "i32:{x:x}"),
            Val::I64(x) => write!(f, "i64:{x:x}"),
            Val::F32(x) => write!(f, "f32:{x:x}"),
            Val::F64(x) => write!(f, "f64:{x:x}"),
            Val::V128(x) => write!(f, "v128:{x:032x}"),
            Val::FuncNull => f.write_str("funcref:null"),
            Val::Func => f.write_str("funcref:func"),
            Val::ExternNull => f.write_str("externref:null"),
            Val::Extern(n) => write!(f, "externref:{n:x}"),
        }
    }
}

impl Val {
    /// Parse the wire form written by the test program.
    pub fn parse(s: &str) -> Option<Val> {
        let (ty, v) = s.split_once(':')?;
        Some(match (ty, v) {
            ("i32", v) => Val::I32(u32::from_str_radix(v, 16).ok()?),
            ("i64", v) => Val::I64(u64::from_str_radix(v, 16).ok()?),
            ("f32", v) => Val::F32(u32::from_str_radix(v, 16).ok()?),
            ("f64", v) => Val::F64(u64::from_str_radix(v, 16).ok()?),
            ("v128", v) => Val::V128(u128::from_str_radix(v, 16).ok()?),
            ("funcref", "null") => Val::FuncNull,
            ("funcref", "func") => Val::Func,
            ("externref", "null") => Val::ExternNull,
            ("externref", v) => Val::Extern(u32::from_str_radix(v, 16).ok()?),
            _ => return None,
        })
    }
}

/// An expected float: exact bits, or a class of NaNs.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum FloatPat<T> {
    Bits(T),
    /// A NaN whose payload is exactly the canonical one (top mantissa bit only), either sign.
    CanonicalNan,
    /// A NaN with the top mantissa bit set, any other payload, either sign.
    ArithmeticNan,
}

/// What a script expects one result to be.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Expected {
    I32(u32),
    I64(u64),
    F32(FloatPat<u32>),
    F64(FloatPat<u64>),
    /// Lanes of the given shape: integer lanes exact, float lanes as patterns.
    V128(V128Pat),
    /// A null reference of either kind.
    RefNull,
    Extern(u32),
    /// Any non-null funcref.
    Func,
    /// Any one of several alternatives.
    Either(Vec<Expected>),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum V128Pat {
    Bits(u128),
    F32x4([FloatPat<u32>; 4]),
    F64x2([FloatPat<u64>; 2]),
}

const F32_QUIET: u32 = 0x0040_0000;
const F32_EXP: u32 = 0x7f80_0000;
const F64_QUIET: u64 = 0x0008_0000_0000_0000;
const F64_EXP: u64 = 0x7ff0_0000_0000_0000;

fn f32_matches(p: FloatPat<u32>, bits: u32) -> bool {
    let mag = bits & 0x7fff_ffff;
    match p {
        FloatPat::Bits(b) => b == bits,
        FloatPat::CanonicalNan => mag == F32_EXP | F32_QUIET,
        FloatPat::ArithmeticNan => mag & F32_EXP == F32_EXP && mag & F32_QUIET != 0,
    }
}

fn f64_matches(p: FloatPat<u64>, bits: u64) -> bool {
    let mag = bits & 0x7fff_ffff_ffff_ffff;
    match p {
        FloatPat::Bits(b) => b == bits,
        FloatPat::CanonicalNan => mag == F64_EXP | F64_QUIET,
        FloatPat::ArithmeticNan => mag & F64_EXP == F64_EXP && mag & F64_QUIET != 0,
    }
}

impl Expected {
    /// Does `got` satisfy this expectation?
    pub fn matches(&self, got: &Val) -> bool {
        match (self, got) {
            (Expected::I32(e), Val::I32(g)) => e == g,
            (Expected::I64(e), Val::I64(g)) => e == g,
            (Expected::F32(p), Val::F32(g)) => f32_matches(*p, *g),
            (Expected::F64(p), Val::F64(g)) => f64_matches(*p, *g),
            (Expected::V128(p), Val::V128(g)) => match p {
                V128Pat::Bits(b) => b == g,
                V128Pat::F32x4(lanes) => {
                    lanes.iter().enumerate().all(|(i, p)| f32_matches(*p, (g >> (32 * i)) as u32))
                }
                V128Pat::F64x2(lanes) => {
                    lanes.iter().enumerate().all(|(i, p)| f64_matches(*p, (g >> (64 * i)) as u64))
                }
            },
            (Expected::RefNull, Val::FuncNull | Val::ExternNull) => true,
            (Expected::Extern(e), Val::Extern(g)) => e == g,
            (Expected::Func, Val::Func) => true,
            (Expected::Either(alts), g) => alts.iter().any(|a| a.matches(g)),
            _ => false,
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fn float<T: fmt::LowerHex>(f: &mut fmt::Formatter, ty: &str, p: &FloatPat<T>) -> fmt::Result {
            match p {
                FloatPat::Bits(b) => write!(f, "{ty}:{b:x}"),
                FloatPat::CanonicalNan => write!(f, "{ty}:nan:canonical"),
                FloatPat::ArithmeticNan => write!(f, "{ty}:nan:arithmetic"),
            }
        }
        match self {
            Expected::I32(x) => write!(f, "i32:{x:x}"),
            Expected::I64(x) => write!(f, "i64:{x:x}"),
            Expected::F32(p) => float(f, "f32", p),
            Expected::F64(p) => float(f, "f64", p),
            Expected::V128(V128Pat::Bits(b)) => write!(f, "v128:{b:032x}"),
            Expected::V128(V128Pat::F32x4(l)) => {
                f.write_str("f32x4[")?;
                for p in l {
                    float(f, " f32", p)?;
                }
                f.write_str(" ]")
            }
            Expected::V128(V128Pat::F64x2(l)) => {
                f.write_str("f64x2[")?;
                for p in l {
                    float(f, " f64", p)?;
                }
                f.write_str(" ]")
            }
            Expected::RefNull => f.write_str("ref.null"),
            Expected::Extern(n) => write!(f, "externref:{n:x}"),
            Expected::Func => f.write_str("funcref:func"),
            Expected::Either(alts) => {
                f.write_str("either(")?;
                for (i, a) in alts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_round_trips() {
        for v in [
            Val::I32(0xffff_ffff),
            Val::I64(0x8000_0000_0000_0000),
            Val::F32(0x7fc0_0000),
            Val::F64(0xfff8_0000_0000_0001),
            Val::V128(0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10),
            Val::FuncNull,
            Val::Func,
            Val::ExternNull,
            Val::Extern(7),
        ] {
            assert_eq!(Val::parse(&v.to_string()), Some(v), "{v}");
        }
        assert_eq!(Val::parse("i32:zz"), None);
        assert_eq!(Val::parse("i32"), None);
        assert_eq!(Val::parse("q:1"), None);
    }

    #[test]
    fn canonical_nan_accepts_either_sign_and_nothing_else() {
        let p = Expected::F32(FloatPat::CanonicalNan);
        assert!(p.matches(&Val::F32(0x7fc0_0000)));
        assert!(p.matches(&Val::F32(0xffc0_0000)));
        assert!(!p.matches(&Val::F32(0x7fc0_0001)), "payload beyond the quiet bit");
        assert!(!p.matches(&Val::F32(0x7f80_0000)), "infinity");
        assert!(!p.matches(&Val::F64(0x7ff8_0000_0000_0000)), "wrong type");
        let p = Expected::F64(FloatPat::CanonicalNan);
        assert!(p.matches(&Val::F64(0xfff8_0000_0000_0000)));
        assert!(!p.matches(&Val::F64(0x7ff4_0000_0000_0000)), "signalling NaN");
    }

    #[test]
    fn arithmetic_nan_needs_the_quiet_bit() {
        let p = Expected::F32(FloatPat::ArithmeticNan);
        assert!(p.matches(&Val::F32(0x7fc0_0001)));
        assert!(p.matches(&Val::F32(0xffff_ffff)));
        assert!(!p.matches(&Val::F32(0x7fa0_0000)), "signalling NaN");
        assert!(!p.matches(&Val::F32(0x3f80_0000)), "a number");
        let p = Expected::F64(FloatPat::ArithmeticNan);
        assert!(p.matches(&Val::F64(0x7ff8_0000_0000_0001)));
        assert!(!p.matches(&Val::F64(0x7ff0_0000_0000_0001)));
    }

    #[test]
    fn exact_floats_compare_bits_not_values() {
        let p = Expected::F64(FloatPat::Bits(0x8000_0000_0000_0000));
        assert!(p.matches(&Val::F64(0x8000_0000_0000_0000)));
        assert!(!p.matches(&Val::F64(0)), "-0 is not +0");
    }

    #[test]
    fn v128_lanes_are_matched_one_by_one() {
        let lanes = [FloatPat::Bits(0x3f80_0000), FloatPat::CanonicalNan, FloatPat::ArithmeticNan, FloatPat::Bits(0)];
        let p = Expected::V128(V128Pat::F32x4(lanes));
        let v = |l: [u32; 4]| Val::V128(l.iter().rev().fold(0u128, |acc, &x| (acc << 32) | x as u128));
        assert!(p.matches(&v([0x3f80_0000, 0xffc0_0000, 0x7fc0_1234, 0])));
        assert!(!p.matches(&v([0x3f80_0000, 0xffc0_0001, 0x7fc0_1234, 0])), "lane 1 not canonical");
        assert!(!p.matches(&v([0x3f80_0000, 0xffc0_0000, 0x7fc0_1234, 0x8000_0000])), "lane 3 is -0");
        let p = Expected::V128(V128Pat::F64x2([FloatPat::Bits(1), FloatPat::CanonicalNan]));
        assert!(p.matches(&Val::V128((0x7ff8_0000_0000_0000u128 << 64) | 1)));
        assert!(!p.matches(&Val::V128((0x7ff8_0000_0000_0000u128 << 64) | 2)));
    }

    #[test]
    fn references() {
        assert!(Expected::RefNull.matches(&Val::FuncNull));
        assert!(Expected::RefNull.matches(&Val::ExternNull));
        assert!(!Expected::RefNull.matches(&Val::Func));
        assert!(Expected::Extern(3).matches(&Val::Extern(3)));
        assert!(!Expected::Extern(3).matches(&Val::Extern(4)));
        assert!(!Expected::Extern(3).matches(&Val::ExternNull));
        assert!(Expected::Func.matches(&Val::Func));
        let either = Expected::Either(vec![Expected::I32(1), Expected::I32(2)]);
        assert!(either.matches(&Val::I32(2)));
        assert!(!either.matches(&Val::I32(3)));
    }
}
