//! Immediate-operand encoders: which constants an instruction can hold, and their fields.
//! Instruction selection asks these before choosing an immediate form over a register.

use crate::inst::{AluOp, FloatSize, Size};

/// Whether [`Assembler::alu_rri`](crate::Assembler::alu_rri) can encode `op` with `value`.
pub fn alu_imm_fits(op: AluOp, size: Size, value: u64) -> bool {
    match op {
        AluOp::Add | AluOp::Adds | AluOp::Sub | AluOp::Subs => add_sub_imm(value).is_some(),
        AluOp::And | AluOp::Ands | AluOp::Orr | AluOp::Eor => logical_imm(value, size).is_some(),
        AluOp::Bic | AluOp::Orn => false,
    }
}

/// The `(imm12, shifted)` fields of an add/sub immediate: a 12-bit value, optionally shifted
/// left by 12.
pub fn add_sub_imm(value: u64) -> Option<(u32, bool)> {
    if value < 0x1000 {
        Some((value as u32, false))
    } else if value & 0xfff == 0 && value >> 12 < 0x1000 {
        Some(((value >> 12) as u32, true))
    } else {
        None
    }
}

/// The 13-bit `N:immr:imms` field of a logical (bitmask) immediate for an operation of
/// `size` (`S32` or `S64`), or `None` if `value` is not encodable.
///
/// An encodable value is a 2-, 4-, 8-, 16-, 32- or 64-bit element, replicated across the
/// register, whose bits are a rotated run of ones (neither all zeros nor all ones). A 32-bit
/// value must have its upper 32 bits clear.
pub fn logical_imm(value: u64, size: Size) -> Option<u32> {
    let reg_bits: u32 = match size {
        Size::S32 => 32,
        Size::S64 => 64,
        Size::S8 | Size::S16 => return None,
    };
    let reg_mask = u64::MAX >> (64 - reg_bits);
    if value & !reg_mask != 0 || value == 0 || value == reg_mask {
        return None;
    }
    // Halve the element while both halves agree: the smallest repeating element.
    let mut element = reg_bits;
    while element > 2 {
        let half = element / 2;
        let mask = (1u64 << half) - 1;
        if value & mask != (value >> half) & mask {
            break;
        }
        element = half;
    }
    let mask = u64::MAX >> (64 - element);
    let bits = value & mask;
    // The element is `ones` set bits rotated right by `immr` from the bottom.
    let (ones, rotation) = if is_shifted_mask(bits) {
        let start = bits.trailing_zeros();
        ((bits >> start).trailing_ones(), start)
    } else {
        // The ones wrap around the element's top: the zeros form a run instead.
        let zeros = !bits & mask;
        if !is_shifted_mask(zeros) {
            return None;
        }
        let ones = element - zeros.count_ones();
        let start = 64 - zeros.leading_zeros(); // first one above the zero run
        (ones, start)
    };
    let immr = (element - rotation) & (element - 1);
    // imms: the element size as a unary prefix of ones, then `ones - 1`; N flags 64-bit.
    let size_prefix = (!(element - 1) << 1) & 0x3f;
    let imms = size_prefix | (ones - 1);
    let n = u32::from(element == 64);
    Some(n << 12 | immr << 6 | imms)
}

/// `true` for a non-empty run of consecutive ones (`0b0011_1000`).
fn is_shifted_mask(bits: u64) -> bool {
    if bits == 0 {
        return false;
    }
    let filled = bits | (bits - 1);
    filled.wrapping_add(1) & filled == 0
}

/// The 8-bit immediate of `fmov` for a float given by its bits (`f32` bits in the low half
/// for `F32`), or `None` if the value is not `±(16 + m) / 16 * 2^e` with `m` in 0..16 and
/// `e` in -3..=4 (so 0.0 is not encodable: use `fmov` from `wzr`/`xzr`).
pub fn fmov_imm(size: FloatSize, bits: u64) -> Option<u8> {
    (0..=u8::MAX).find(|&imm8| expand_fmov_imm(size, imm8) == bits)
}

/// The float bits an 8-bit `fmov` immediate stands for (the architecture's `VFPExpandImm`).
pub fn expand_fmov_imm(size: FloatSize, imm8: u8) -> u64 {
    let (exponent_bits, total_bits) = match size {
        FloatSize::F32 => (8, 32),
        FloatSize::F64 => (11, 64),
    };
    let imm = u64::from(imm8);
    let sign = imm >> 7;
    let b = (imm >> 6) & 1;
    // Exponent: NOT(b), then b repeated, then the two bits imm8<5:4>.
    let repeated = if b == 1 { (1u64 << (exponent_bits - 3)) - 1 } else { 0 };
    let exponent = ((b ^ 1) << (exponent_bits - 1)) | (repeated << 2) | ((imm >> 4) & 3);
    let fraction_bits = total_bits - exponent_bits - 1;
    let fraction = (imm & 0xf) << (fraction_bits - 4);
    sign << (total_bits - 1) | exponent << fraction_bits | fraction
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The architecture's `DecodeBitMasks` for logical immediates, written independently of
    /// the encoder: `None` for reserved field combinations.
    fn decode_logical(field: u32, reg_bits: u32) -> Option<u64> {
        let n = field >> 12;
        let immr = (field >> 6) & 0x3f;
        let imms = field & 0x3f;
        let combined = n << 6 | (!imms & 0x3f);
        if combined == 0 {
            return None;
        }
        let len = 31 - combined.leading_zeros();
        if len < 1 || (1 << len) > reg_bits {
            return None;
        }
        let element = 1u32 << len;
        let levels = element - 1;
        let s = imms & levels;
        let r = immr & levels;
        if s == levels {
            return None;
        }
        let ones = (1u64 << (s + 1)) - 1;
        let element_mask = u64::MAX >> (64 - element);
        let rotated = ((ones >> r) | (ones << ((element - r) % element))) & element_mask;
        let mut value = 0u64;
        let mut at = 0;
        while at < reg_bits {
            value |= rotated << at;
            at += element;
        }
        Some(value)
    }

    #[test]
    fn every_logical_immediate_round_trips() {
        for (size, reg_bits) in [(Size::S32, 32), (Size::S64, 64)] {
            let mut count = 0;
            for field in 0..(1u32 << 13) {
                let Some(value) = decode_logical(field, reg_bits) else { continue };
                // Several fields can decode to one value only through immr bits above the
                // element size, which the canonical encoding leaves clear.
                let encoded = logical_imm(value, size);
                assert_eq!(encoded.and_then(|f| decode_logical(f, reg_bits)), Some(value), "{value:#x}");
                count += usize::from(encoded == Some(field));
            }
            // 5334 distinct 64-bit bitmask immediates, 1302 32-bit ones.
            assert_eq!(count, if reg_bits == 64 { 5334 } else { 1302 });
        }
    }

    #[test]
    fn logical_immediates_agree_with_dynasmrt() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut samples: Vec<u64> = (0..20_000).map(|_| next()).collect();
        samples.extend([0, 1, 2, 3, u64::MAX, u64::MAX - 1, 0x5555_5555_5555_5555, 0x00ff_00ff_00ff_00ff]);
        // Runs of ones at every position and length, which random values almost never hit.
        for len in 1..64 {
            for at in 0..64 {
                samples.push(((1u64 << len) - 1).rotate_left(at));
            }
        }
        for value in samples {
            let ours = logical_imm(value, Size::S64);
            let theirs = dynasmrt::aarch64::encode_logical_immediate_64bit(value).map(u32::from);
            assert_eq!(ours, theirs, "64-bit {value:#x}");
            let low = value as u32;
            let ours = logical_imm(u64::from(low), Size::S32);
            let theirs = dynasmrt::aarch64::encode_logical_immediate_32bit(low).map(u32::from);
            assert_eq!(ours, theirs, "32-bit {low:#x}");
        }
        assert_eq!(logical_imm(1 << 32, Size::S32), None, "32-bit value with upper bits");
        assert_eq!(logical_imm(0xff, Size::S8), None);
    }

    #[test]
    fn add_sub_immediates() {
        assert_eq!(add_sub_imm(0), Some((0, false)));
        assert_eq!(add_sub_imm(4095), Some((4095, false)));
        assert_eq!(add_sub_imm(4096), Some((1, true)));
        assert_eq!(add_sub_imm(0xfff000), Some((0xfff, true)));
        assert_eq!(add_sub_imm(4097), None);
        assert_eq!(add_sub_imm(0x100_0000), None);
        assert_eq!(add_sub_imm(u64::MAX), None);
    }

    #[test]
    fn fmov_immediates_are_the_documented_values() {
        let f32_cases: [(f32, Option<u8>); 7] = [
            (1.0, Some(0x70)),
            (2.0, Some(0x00)),
            (-0.5, Some(0xe0)),
            (31.0, Some(0x3f)),
            (0.125, Some(0x40)),
            (0.0, None),
            (0.1, None),
        ];
        for (value, imm8) in f32_cases {
            assert_eq!(fmov_imm(FloatSize::F32, u64::from(value.to_bits())), imm8, "{value}");
        }
        // Every encodable value is (16 + m) / 16 * 2^e: check all 256 against that formula.
        for imm8 in 0..=u8::MAX {
            let sign = if imm8 & 0x80 != 0 { -1.0 } else { 1.0 };
            let b = (imm8 >> 6) & 1;
            let exponent = i32::from(((imm8 >> 4) & 3) | if b == 1 { 0 } else { 4 }) - 3;
            let value = sign * f64::from(16 + (imm8 & 0xf)) / 16.0 * 2f64.powi(exponent);
            assert_eq!(expand_fmov_imm(FloatSize::F64, imm8), value.to_bits(), "imm8 {imm8:#x}");
            assert_eq!(expand_fmov_imm(FloatSize::F32, imm8), u64::from((value as f32).to_bits()));
            assert_eq!(fmov_imm(FloatSize::F64, value.to_bits()), Some(imm8));
            let via_dynasm = dynasmrt::aarch64::encode_floating_point_immediate(value as f32);
            assert_eq!(via_dynasm, Some(imm8), "dynasmrt disagrees on {value}");
        }
    }
}
