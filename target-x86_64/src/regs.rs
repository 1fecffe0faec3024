//! Registers and the System V AMD64 register conventions.

/// A 64-bit general-purpose register; the discriminant is its hardware number (the 3 ModRM
/// bits plus the REX extension bit). Operand size is chosen per instruction, so `Rax` also
/// names `eax`, `ax` and `al`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
#[repr(u8)]
pub enum Gpr {
    Rax = 0,
    Rcx = 1,
    Rdx = 2,
    Rbx = 3,
    Rsp = 4,
    Rbp = 5,
    Rsi = 6,
    Rdi = 7,
    R8 = 8,
    R9 = 9,
    R10 = 10,
    R11 = 11,
    R12 = 12,
    R13 = 13,
    R14 = 14,
    R15 = 15,
}

impl Gpr {
    /// All sixteen, in hardware-number order.
    pub const ALL: [Gpr; 16] = [
        Gpr::Rax,
        Gpr::Rcx,
        Gpr::Rdx,
        Gpr::Rbx,
        Gpr::Rsp,
        Gpr::Rbp,
        Gpr::Rsi,
        Gpr::Rdi,
        Gpr::R8,
        Gpr::R9,
        Gpr::R10,
        Gpr::R11,
        Gpr::R12,
        Gpr::R13,
        Gpr::R14,
        Gpr::R15,
    ];

    /// Hardware encoding number, 0..=15.
    pub fn hw(self) -> u8 {
        self as u8
    }

    /// The register with hardware number `hw`, if `hw < 16`.
    pub fn from_hw(hw: u8) -> Option<Gpr> {
        Gpr::ALL.get(usize::from(hw)).copied()
    }
}

/// An SSE register (`xmm0`..`xmm15`); the discriminant is its hardware number.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
#[repr(u8)]
pub enum Xmm {
    Xmm0 = 0,
    Xmm1 = 1,
    Xmm2 = 2,
    Xmm3 = 3,
    Xmm4 = 4,
    Xmm5 = 5,
    Xmm6 = 6,
    Xmm7 = 7,
    Xmm8 = 8,
    Xmm9 = 9,
    Xmm10 = 10,
    Xmm11 = 11,
    Xmm12 = 12,
    Xmm13 = 13,
    Xmm14 = 14,
    Xmm15 = 15,
}

impl Xmm {
    /// All sixteen, in hardware-number order.
    pub const ALL: [Xmm; 16] = [
        Xmm::Xmm0,
        Xmm::Xmm1,
        Xmm::Xmm2,
        Xmm::Xmm3,
        Xmm::Xmm4,
        Xmm::Xmm5,
        Xmm::Xmm6,
        Xmm::Xmm7,
        Xmm::Xmm8,
        Xmm::Xmm9,
        Xmm::Xmm10,
        Xmm::Xmm11,
        Xmm::Xmm12,
        Xmm::Xmm13,
        Xmm::Xmm14,
        Xmm::Xmm15,
    ];

    /// Hardware encoding number, 0..=15.
    pub fn hw(self) -> u8 {
        self as u8
    }

    /// The register with hardware number `hw`, if `hw < 16`.
    pub fn from_hw(hw: u8) -> Option<Xmm> {
        Xmm::ALL.get(usize::from(hw)).copied()
    }
}

/// The System V AMD64 calling convention (Linux, macOS).
pub mod sysv {
    use super::{Gpr, Xmm};

    /// Integer and pointer arguments, in order.
    pub const ARG_GPRS: [Gpr; 6] = [Gpr::Rdi, Gpr::Rsi, Gpr::Rdx, Gpr::Rcx, Gpr::R8, Gpr::R9];
    /// Floating-point arguments, in order.
    pub const ARG_XMMS: [Xmm; 8] =
        [Xmm::Xmm0, Xmm::Xmm1, Xmm::Xmm2, Xmm::Xmm3, Xmm::Xmm4, Xmm::Xmm5, Xmm::Xmm6, Xmm::Xmm7];
    /// Integer results (`rdx` holds the high half of a 128-bit result).
    pub const RET_GPRS: [Gpr; 2] = [Gpr::Rax, Gpr::Rdx];
    /// Floating-point results.
    pub const RET_XMMS: [Xmm; 2] = [Xmm::Xmm0, Xmm::Xmm1];

    /// Registers a call may overwrite.
    pub const CALLER_SAVED_GPRS: [Gpr; 9] =
        [Gpr::Rax, Gpr::Rcx, Gpr::Rdx, Gpr::Rsi, Gpr::Rdi, Gpr::R8, Gpr::R9, Gpr::R10, Gpr::R11];
    /// Registers a callee must restore; `rsp` is excluded (it is the stack pointer, never
    /// allocatable), `rbp` is included (it is callee-saved whether or not it is a frame pointer).
    pub const CALLEE_SAVED_GPRS: [Gpr; 6] = [Gpr::Rbx, Gpr::Rbp, Gpr::R12, Gpr::R13, Gpr::R14, Gpr::R15];
    /// Every SSE register is caller-saved in System V.
    pub const CALLER_SAVED_XMMS: [Xmm; 16] = Xmm::ALL;
}
