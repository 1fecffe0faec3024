//! Which x86-64 instruction-set extensions the generated code may use (`--target-cpu`).
//!
//! The choice is made at compile time: code for `x86-64-v3` uses AVX2, BMI and LZCNT without a
//! run-time check, so the executable refuses to start on an older CPU (see the runtime's
//! start-up check) rather than falling over with SIGILL.

use crate::{Error, Result};

/// Extensions beyond the baseline (x86-64 with SSE4.1, which SIMD lowering always needs).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct CpuFeatures {
    pub popcnt: bool,
    /// SSE4.2: `pcmpgtq`.
    pub sse42: bool,
    /// `lzcnt` (ABM / LZCNT).
    pub lzcnt: bool,
    /// BMI1: `tzcnt`, `andn`, `blsr`…
    pub bmi1: bool,
    /// BMI2: `shlx`/`shrx`/`sarx`, `mulx`, `rorx`.
    pub bmi2: bool,
    /// VEX-encoded three-operand SSE forms.
    pub avx: bool,
    /// 256-bit integer AVX and `vpbroadcast*`.
    pub avx2: bool,
}

impl CpuFeatures {
    /// The names `--target-cpu` accepts, for error messages and `--help`.
    pub const NAMES: &'static [&'static str] = &["baseline", "x86-64-v2", "x86-64-v3", "native"];

    /// The features of a named CPU level (psABI micro-architecture levels), or of this machine.
    pub fn from_name(name: &str) -> Result<CpuFeatures> {
        let v2 = CpuFeatures { popcnt: true, sse42: true, ..CpuFeatures::default() };
        match name {
            "baseline" => Ok(CpuFeatures::default()),
            "x86-64-v2" => Ok(v2),
            "x86-64-v3" => Ok(CpuFeatures { lzcnt: true, bmi1: true, bmi2: true, avx: true, avx2: true, ..v2 }),
            "native" => Ok(CpuFeatures::host()),
            _ => Err(Error::msg(format!(
                "unknown --target-cpu `{name}` (expected one of: {})",
                CpuFeatures::NAMES.join(", ")
            ))),
        }
    }

    /// `--target-cpu NAME` for an x86-64 target (`x86`) or an aarch64 one, where the x86-64
    /// levels make no sense and only `baseline` and `native` (no extension) are accepted.
    pub fn for_target(name: &str, x86: bool) -> Result<CpuFeatures> {
        let features = CpuFeatures::from_name(name)?;
        match (x86, name) {
            (true, _) => Ok(features),
            (false, "baseline" | "native") => Ok(CpuFeatures::default()),
            (false, _) => Err(Error::msg(format!(
                "--target-cpu {name} is an x86-64 level; aarch64 targets take only baseline or native"
            ))),
        }
    }

    /// The features as the `WASMC_CPU_*` bits of `wasmc_meta.h`, which the runtime checks
    /// with `cpuid` before running any compiled code.
    pub fn meta_bits(self) -> u32 {
        let flags = [self.popcnt, self.sse42, self.lzcnt, self.bmi1, self.bmi2, self.avx, self.avx2];
        flags.iter().enumerate().map(|(i, &on)| u32::from(on) << i).sum()
    }

    /// The features of the machine running the compiler (none when it is not x86-64).
    pub fn host() -> CpuFeatures {
        #[cfg(target_arch = "x86_64")]
        {
            CpuFeatures {
                popcnt: std::arch::is_x86_feature_detected!("popcnt"),
                sse42: std::arch::is_x86_feature_detected!("sse4.2"),
                lzcnt: std::arch::is_x86_feature_detected!("lzcnt"),
                bmi1: std::arch::is_x86_feature_detected!("bmi1"),
                bmi2: std::arch::is_x86_feature_detected!("bmi2"),
                avx: std::arch::is_x86_feature_detected!("avx"),
                avx2: std::arch::is_x86_feature_detected!("avx2"),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            CpuFeatures::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_grow_monotonically() {
        let base = CpuFeatures::from_name("baseline").unwrap();
        let v2 = CpuFeatures::from_name("x86-64-v2").unwrap();
        let v3 = CpuFeatures::from_name("x86-64-v3").unwrap();
        assert_eq!(base, CpuFeatures::default());
        assert!(v2.popcnt && !v2.avx);
        assert!(v3.popcnt && v3.lzcnt && v3.bmi1 && v3.bmi2 && v3.avx && v3.avx2);
    }

    #[test]
    fn meta_bits_follow_wasmc_meta_h() {
        let header = include_str!("../../../../runtime-lib/include/wasmc_meta.h");
        let bit = |name: &str| -> u32 {
            let line = header.lines().find(|l| l.contains(&format!("#define WASMC_CPU_{name} "))).unwrap();
            let value = line.split_whitespace().nth(2).unwrap().trim_end_matches('u');
            u32::from_str_radix(value.trim_start_matches("0x"), 16).unwrap()
        };
        let one = |f: fn(&mut CpuFeatures)| {
            let mut c = CpuFeatures::default();
            f(&mut c);
            c.meta_bits()
        };
        assert_eq!(one(|c| c.popcnt = true), bit("POPCNT"));
        assert_eq!(one(|c| c.sse42 = true), bit("SSE42"));
        assert_eq!(one(|c| c.lzcnt = true), bit("LZCNT"));
        assert_eq!(one(|c| c.bmi1 = true), bit("BMI1"));
        assert_eq!(one(|c| c.bmi2 = true), bit("BMI2"));
        assert_eq!(one(|c| c.avx = true), bit("AVX"));
        assert_eq!(one(|c| c.avx2 = true), bit("AVX2"));
        assert_eq!(CpuFeatures::default().meta_bits(), 0);
    }

    #[test]
    fn aarch64_targets_take_no_x86_level() {
        assert_eq!(CpuFeatures::for_target("native", false).unwrap(), CpuFeatures::default());
        assert_eq!(CpuFeatures::for_target("baseline", false).unwrap(), CpuFeatures::default());
        let err = CpuFeatures::for_target("x86-64-v3", false).unwrap_err();
        assert!(err.message.contains("aarch64"), "{}", err.message);
        assert!(CpuFeatures::for_target("x86-64-v3", true).unwrap().avx2);
    }

    #[test]
    fn unknown_name_is_an_error_listing_the_choices() {
        let err = CpuFeatures::from_name("pentium").unwrap_err();
        assert!(err.message.contains("pentium") && err.message.contains("x86-64-v3"), "{}", err.message);
    }
}
