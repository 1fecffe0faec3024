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
        let v2 = CpuFeatures { popcnt: true, ..CpuFeatures::default() };
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

    /// The features of the machine running the compiler (none when it is not x86-64).
    pub fn host() -> CpuFeatures {
        #[cfg(target_arch = "x86_64")]
        {
            CpuFeatures {
                popcnt: std::arch::is_x86_feature_detected!("popcnt"),
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
    fn unknown_name_is_an_error_listing_the_choices() {
        let err = CpuFeatures::from_name("pentium").unwrap_err();
        assert!(err.message.contains("pentium") && err.message.contains("x86-64-v3"), "{}", err.message);
    }
}
