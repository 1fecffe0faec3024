//! Physical registers as the register allocator sees them, and the AAPCS64 register roles.
//!
//! Never allocated: `x16`/`x17` (scratch of the allocator's moves and the emitter's short
//! sequences; linker veneers may clobber them anyway), `x18` (reserved by Apple), `x29` (frame
//! pointer), `x30` (link register) and `v31` (float scratch).

use crate::regalloc::{MachineEnv, PReg, PRegSet, RegClass};
use target_aarch64::aapcs64;

pub const fn gpr(hw: u8) -> PReg {
    PReg { class: RegClass::Int, hw }
}
pub const fn vreg(hw: u8) -> PReg {
    PReg { class: RegClass::Float, hw }
}

pub const X0: PReg = gpr(0);
pub const V0: PReg = vreg(0);

/// Integer argument registers, in order.
pub fn int_args() -> [PReg; 8] {
    aapcs64::ARG_GPRS.map(|g| gpr(g.hw()))
}
/// Float argument registers, in order.
pub fn float_args() -> [PReg; 8] {
    aapcs64::ARG_VREGS.map(|v| vreg(v.hw()))
}

/// The allocator's move scratch; also free inside any instruction's own sequence.
pub const INT_SCRATCH: PReg = gpr(16);
pub const FLOAT_SCRATCH: PReg = vreg(31);

/// Callee-saved registers the allocator may use, in save order.
pub fn callee_saved() -> impl Iterator<Item = PReg> {
    aapcs64::CALLEE_SAVED_GPRS
        .into_iter()
        .map(|g| gpr(g.hw()))
        .chain(aapcs64::CALLEE_SAVED_VREGS.into_iter().map(|v| vreg(v.hw())))
}

/// Everything a call may overwrite (the low halves of `v8`..`v15` survive; scalars live there).
pub fn caller_saved() -> PRegSet {
    let mut set = PRegSet::default();
    for g in aapcs64::CALLER_SAVED_GPRS {
        set.insert(gpr(g.hw()));
    }
    set.insert(gpr(aapcs64::LR.hw()));
    for v in aapcs64::CALLER_SAVED_VREGS {
        set.insert(vreg(v.hw()));
    }
    set
}

/// The allocator's view: caller-saved registers first, so short-lived values avoid the cost of
/// saving a callee-saved register in the prologue.
pub fn machine_env() -> MachineEnv {
    let int_caller = (0..16).map(gpr);
    let float_caller = (0..8).chain(16..31).map(vreg);
    MachineEnv {
        int_regs: int_caller.chain(aapcs64::CALLEE_SAVED_GPRS.iter().map(|g| gpr(g.hw()))).collect(),
        float_regs: float_caller.chain(aapcs64::CALLEE_SAVED_VREGS.iter().map(|v| vreg(v.hw()))).collect(),
        int_scratch: INT_SCRATCH,
        float_scratch: FLOAT_SCRATCH,
    }
}
