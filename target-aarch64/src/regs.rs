//! Registers and the AAPCS64 register conventions (Linux, and Apple's arm64 variant).

/// A general-purpose register. `X0`..`X30` are the numbered registers (the discriminant is
/// the hardware number); an operand size picks `x` vs `w`, so `X3` also names `w3`.
///
/// Hardware number 31 means the stack pointer in some operand positions and the zero register
/// in others: [`Gpr::Sp`] and [`Gpr::Zr`] name the two meanings, and the assembler reports an
/// error where the instruction's field would silently mean the other one (e.g. `sp` in
/// `orr`).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
#[repr(u8)]
pub enum Gpr {
    X0 = 0,
    X1 = 1,
    X2 = 2,
    X3 = 3,
    X4 = 4,
    X5 = 5,
    X6 = 6,
    X7 = 7,
    X8 = 8,
    X9 = 9,
    X10 = 10,
    X11 = 11,
    X12 = 12,
    X13 = 13,
    X14 = 14,
    X15 = 15,
    X16 = 16,
    X17 = 17,
    X18 = 18,
    X19 = 19,
    X20 = 20,
    X21 = 21,
    X22 = 22,
    X23 = 23,
    X24 = 24,
    X25 = 25,
    X26 = 26,
    X27 = 27,
    X28 = 28,
    X29 = 29,
    X30 = 30,
    /// The stack pointer (`sp` / `wsp`), hardware number 31 where the field allows it.
    Sp = 31,
    /// The zero register (`xzr` / `wzr`): reads as 0, writes are discarded. Hardware number
    /// 31 where the field allows it; the discriminant only keeps it apart from `Sp`.
    Zr = 32,
}

impl Gpr {
    /// The numbered registers `X0`..`X30`, in hardware-number order (without `Sp` and `Zr`).
    pub const ALL: [Gpr; 31] = [
        Gpr::X0,
        Gpr::X1,
        Gpr::X2,
        Gpr::X3,
        Gpr::X4,
        Gpr::X5,
        Gpr::X6,
        Gpr::X7,
        Gpr::X8,
        Gpr::X9,
        Gpr::X10,
        Gpr::X11,
        Gpr::X12,
        Gpr::X13,
        Gpr::X14,
        Gpr::X15,
        Gpr::X16,
        Gpr::X17,
        Gpr::X18,
        Gpr::X19,
        Gpr::X20,
        Gpr::X21,
        Gpr::X22,
        Gpr::X23,
        Gpr::X24,
        Gpr::X25,
        Gpr::X26,
        Gpr::X27,
        Gpr::X28,
        Gpr::X29,
        Gpr::X30,
    ];

    /// Hardware encoding number, 0..=31 (31 for both `Sp` and `Zr`).
    pub fn hw(self) -> u8 {
        match self {
            Gpr::Zr => 31,
            reg => reg as u8,
        }
    }

    /// The numbered register `X<hw>`, if `hw <= 30` (31 is ambiguous: `Sp` or `Zr`).
    pub fn from_hw(hw: u8) -> Option<Gpr> {
        Gpr::ALL.get(usize::from(hw)).copied()
    }
}

/// A SIMD and floating-point register `v0`..`v31`; the discriminant is its hardware number.
/// An instruction's size picks the view: `s3` (f32), `d3` (f64), `q3` (128 bits).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
#[repr(u8)]
pub enum Vreg {
    V0 = 0,
    V1 = 1,
    V2 = 2,
    V3 = 3,
    V4 = 4,
    V5 = 5,
    V6 = 6,
    V7 = 7,
    V8 = 8,
    V9 = 9,
    V10 = 10,
    V11 = 11,
    V12 = 12,
    V13 = 13,
    V14 = 14,
    V15 = 15,
    V16 = 16,
    V17 = 17,
    V18 = 18,
    V19 = 19,
    V20 = 20,
    V21 = 21,
    V22 = 22,
    V23 = 23,
    V24 = 24,
    V25 = 25,
    V26 = 26,
    V27 = 27,
    V28 = 28,
    V29 = 29,
    V30 = 30,
    V31 = 31,
}

impl Vreg {
    /// All thirty-two, in hardware-number order.
    pub const ALL: [Vreg; 32] = [
        Vreg::V0,
        Vreg::V1,
        Vreg::V2,
        Vreg::V3,
        Vreg::V4,
        Vreg::V5,
        Vreg::V6,
        Vreg::V7,
        Vreg::V8,
        Vreg::V9,
        Vreg::V10,
        Vreg::V11,
        Vreg::V12,
        Vreg::V13,
        Vreg::V14,
        Vreg::V15,
        Vreg::V16,
        Vreg::V17,
        Vreg::V18,
        Vreg::V19,
        Vreg::V20,
        Vreg::V21,
        Vreg::V22,
        Vreg::V23,
        Vreg::V24,
        Vreg::V25,
        Vreg::V26,
        Vreg::V27,
        Vreg::V28,
        Vreg::V29,
        Vreg::V30,
        Vreg::V31,
    ];

    /// Hardware encoding number, 0..=31.
    pub fn hw(self) -> u8 {
        self as u8
    }

    /// The register with hardware number `hw`, if `hw < 32`.
    pub fn from_hw(hw: u8) -> Option<Vreg> {
        Vreg::ALL.get(usize::from(hw)).copied()
    }
}

/// The AAPCS64 procedure call standard, with the restriction Apple's arm64 variant adds
/// (`x18` is reserved on every target, so code runs unchanged on both).
pub mod aapcs64 {
    use super::{Gpr, Vreg};

    /// Integer and pointer arguments, in order.
    pub const ARG_GPRS: [Gpr; 8] = [Gpr::X0, Gpr::X1, Gpr::X2, Gpr::X3, Gpr::X4, Gpr::X5, Gpr::X6, Gpr::X7];
    /// Floating-point and vector arguments, in order.
    pub const ARG_VREGS: [Vreg; 8] = [Vreg::V0, Vreg::V1, Vreg::V2, Vreg::V3, Vreg::V4, Vreg::V5, Vreg::V6, Vreg::V7];
    /// Integer results (`x1` holds the high half of a 128-bit result).
    pub const RET_GPRS: [Gpr; 2] = [Gpr::X0, Gpr::X1];
    /// Floating-point results.
    pub const RET_VREGS: [Vreg; 2] = [Vreg::V0, Vreg::V1];
    /// Where the caller passes the address of a result returned in memory.
    pub const INDIRECT_RESULT: Gpr = Gpr::X8;

    /// Intra-procedure-call scratch registers: linker veneers may clobber them between a
    /// `bl` and its target, so they never carry a value across a call; the code generator
    /// uses them for its own short sequences.
    pub const IP0: Gpr = Gpr::X16;
    pub const IP1: Gpr = Gpr::X17;
    /// The platform register: reserved by Apple (and by Windows), never touched by our code.
    pub const PLATFORM: Gpr = Gpr::X18;
    /// Frame pointer: callee-saved, and kept as a frame chain for debuggers and profilers.
    pub const FP: Gpr = Gpr::X29;
    /// Link register: `bl` and `blr` write the return address here, so every call clobbers it.
    pub const LR: Gpr = Gpr::X30;

    /// Registers a call may overwrite (besides `LR`, which the call instruction itself writes).
    pub const CALLER_SAVED_GPRS: [Gpr; 18] = [
        Gpr::X0,
        Gpr::X1,
        Gpr::X2,
        Gpr::X3,
        Gpr::X4,
        Gpr::X5,
        Gpr::X6,
        Gpr::X7,
        Gpr::X8,
        Gpr::X9,
        Gpr::X10,
        Gpr::X11,
        Gpr::X12,
        Gpr::X13,
        Gpr::X14,
        Gpr::X15,
        Gpr::X16,
        Gpr::X17,
    ];
    /// Registers a callee must restore, apart from `FP` (which the frame record saves).
    pub const CALLEE_SAVED_GPRS: [Gpr; 10] =
        [Gpr::X19, Gpr::X20, Gpr::X21, Gpr::X22, Gpr::X23, Gpr::X24, Gpr::X25, Gpr::X26, Gpr::X27, Gpr::X28];
    /// Registers whose **low 64 bits** (`d8`..`d15`) a callee must restore; their upper
    /// halves are caller-saved, so a live 128-bit value does not survive a call in them.
    pub const CALLEE_SAVED_VREGS: [Vreg; 8] =
        [Vreg::V8, Vreg::V9, Vreg::V10, Vreg::V11, Vreg::V12, Vreg::V13, Vreg::V14, Vreg::V15];
    /// Registers a call may overwrite entirely.
    pub const CALLER_SAVED_VREGS: [Vreg; 24] = [
        Vreg::V0,
        Vreg::V1,
        Vreg::V2,
        Vreg::V3,
        Vreg::V4,
        Vreg::V5,
        Vreg::V6,
        Vreg::V7,
        Vreg::V16,
        Vreg::V17,
        Vreg::V18,
        Vreg::V19,
        Vreg::V20,
        Vreg::V21,
        Vreg::V22,
        Vreg::V23,
        Vreg::V24,
        Vreg::V25,
        Vreg::V26,
        Vreg::V27,
        Vreg::V28,
        Vreg::V29,
        Vreg::V30,
        Vreg::V31,
    ];
}

#[cfg(test)]
mod tests {
    use super::aapcs64::*;
    use super::*;

    #[test]
    fn hardware_numbers_round_trip() {
        for (hw, reg) in Gpr::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(reg.hw()), hw);
            assert_eq!(Gpr::from_hw(reg.hw()), Some(reg));
        }
        assert_eq!((Gpr::Sp.hw(), Gpr::Zr.hw()), (31, 31));
        assert_eq!(Gpr::from_hw(31), None, "31 is ambiguous");
        for (hw, reg) in Vreg::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(reg.hw()), hw);
            assert_eq!(Vreg::from_hw(reg.hw()), Some(reg));
        }
        assert_eq!(Vreg::from_hw(32), None);
    }

    #[test]
    fn every_register_has_exactly_one_role() {
        let mut gprs: Vec<Gpr> = CALLER_SAVED_GPRS.iter().chain(&CALLEE_SAVED_GPRS).copied().collect();
        gprs.extend([PLATFORM, FP, LR]);
        gprs.sort();
        assert_eq!(gprs, Gpr::ALL);
        let mut vregs: Vec<Vreg> = CALLER_SAVED_VREGS.iter().chain(&CALLEE_SAVED_VREGS).copied().collect();
        vregs.sort();
        assert_eq!(vregs, Vreg::ALL);
        for reg in ARG_GPRS.iter().chain(&RET_GPRS).chain([&INDIRECT_RESULT, &IP0, &IP1]) {
            assert!(CALLER_SAVED_GPRS.contains(reg), "{reg:?}");
        }
        for reg in ARG_VREGS.iter().chain(&RET_VREGS) {
            assert!(CALLER_SAVED_VREGS.contains(reg), "{reg:?}");
        }
    }
}
