//! Unsigned division by a constant as a multiplication by a fixed-point reciprocal
//! (Granlund and Montgomery, "Division by invariant integers using multiplication", 1994):
//! `div` costs tens of cycles, a multiplication three. This file only finds the numbers;
//! `lower_divconst.rs` emits the instructions.

/// How `n / d` is computed, for an unsigned `n` of `width` (32 or 64) bits and a constant `d`.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum UdivPlan {
    /// `d == 2^k`: `n >> k`.
    Shift(u32),
    /// `((n >> pre) * magic) >> (width + post)`, the product taken exactly; `magic < 2^width`.
    Mul { pre: u32, magic: u64, post: u32 },
    /// The reciprocal needs `width + 1` bits, `magic` holds the low `width`: with
    /// `t = (n * magic) >> width`, `n / d = (n + t) >> post` (the sum taken in `width + 1` bits).
    MulAdd { magic: u64, post: u32 },
}

/// The plan for dividing `width`-bit numbers by `d`, or `None` when `d` is 0, 1, does not fit
/// the width, or is above `2^63` (the quotient is then 0 or 1, and `div` is fine).
pub fn udiv_plan(d: u64, width: u32) -> Option<UdivPlan> {
    if d < 2 || (width == 32 && d > u32::MAX as u64) || d > 1 << 63 || !(width == 32 || width == 64) {
        return None;
    }
    if d.is_power_of_two() {
        return Some(UdivPlan::Shift(d.trailing_zeros()));
    }
    let plain = reciprocal(d, width, width)?;
    if plain.0 < 1u128 << width {
        return Some(UdivPlan::Mul { pre: 0, magic: plain.0 as u64, post: plain.1 });
    }
    // An even divisor: divide by its power of two first, the smaller dividend may let a
    // `width`-bit reciprocal do.
    let pre = d.trailing_zeros();
    if pre > 0 {
        if let Some((magic, post)) = reciprocal(d >> pre, width, width - pre) {
            if magic < 1u128 << width {
                return Some(UdivPlan::Mul { pre, magic: magic as u64, post });
            }
        }
    }
    Some(UdivPlan::MulAdd { magic: (plain.0 - (1u128 << width)) as u64, post: plain.1 })
}

/// The smallest `(m, s)` with `m = ceil(2^(width + s) / d)` exact for every dividend below
/// `2^input_bits`: with `e = m * d - 2^(width + s)`, `floor(n * m / 2^(width + s)) = floor(n / d)`
/// when `n * e < 2^(width + s)`, which `e <= 2^(width + s - input_bits)` ensures. `s = ceil(log2 d)`
/// always qualifies (`e < d`), with `m < 2^(width + 1)`.
fn reciprocal(d: u64, width: u32, input_bits: u32) -> Option<(u128, u32)> {
    let log2_ceil = 64 - (d - 1).leading_zeros();
    (0..=log2_ceil).find_map(|s| {
        let p = width + s;
        if p > 127 {
            return None;
        }
        let m = (1u128 << p).div_ceil(d as u128);
        let e = m * d as u128 - (1u128 << p);
        (e <= 1u128 << (p - input_bits)).then_some((m, s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the emitted code computes, in wide arithmetic.
    fn apply(plan: UdivPlan, n: u64, width: u32) -> u64 {
        match plan {
            UdivPlan::Shift(k) => n >> k,
            UdivPlan::Mul { pre, magic, post } => (((n >> pre) as u128 * magic as u128) >> (width + post)) as u64,
            UdivPlan::MulAdd { magic, post } => {
                let t = (n as u128 * magic as u128) >> width;
                ((n as u128 + t) >> post) as u64
            }
        }
    }

    fn dividends(width: u32, d: u64, seed: &mut u64) -> Vec<u64> {
        let max = if width == 32 { u32::MAX as u64 } else { u64::MAX };
        let mut v = vec![0, 1, d - 1, d, d + 1, max, max - 1, max / d * d, (max / d * d).wrapping_sub(1)];
        for _ in 0..2000 {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            v.push(*seed >> (64 - width) >> (*seed % 8 * 4).min(width as u64 - 1));
        }
        v.into_iter().map(|n| n & max).collect()
    }

    #[test]
    fn plans_divide_exactly() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for width in [32u32, 64] {
            let max = if width == 32 { u32::MAX as u64 } else { u64::MAX };
            let mut divisors: Vec<u64> = (2..300).chain([1_000_000_000, 1953125, 10, 7, 641, 6700417]).collect();
            divisors.extend([max, max - 1, max / 3, (max >> 1) + 1, (max >> 1) + 3, 1 << 31, (1 << 31) + 1]);
            for _ in 0..300 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                divisors.push((seed >> (seed % 64)) & max);
            }
            for d in divisors {
                let Some(plan) = udiv_plan(d, width) else {
                    assert!(d < 2 || d > 1 << 63, "no plan for {d} at width {width}");
                    continue;
                };
                for n in dividends(width, d, &mut seed) {
                    assert_eq!(apply(plan, n, width), n / d, "{n} / {d} at width {width} with {plan:?}");
                }
            }
        }
    }

    #[test]
    fn known_plans() {
        assert_eq!(udiv_plan(8, 32), Some(UdivPlan::Shift(3)));
        // 1e9 = 2^9 * 1953125: the pre-shift avoids the 65-bit reciprocal.
        assert!(matches!(udiv_plan(1_000_000_000, 64), Some(UdivPlan::Mul { pre: 9, .. })));
        assert!(matches!(udiv_plan(7, 64), Some(UdivPlan::MulAdd { .. })));
        assert!(matches!(udiv_plan(10, 32), Some(UdivPlan::Mul { pre: 0, .. })));
        assert_eq!(udiv_plan(1, 64), None);
        assert_eq!(udiv_plan(0, 32), None);
        assert_eq!(udiv_plan(1 << 32, 32), None);
    }
}
