//! Physical registers as the register allocator sees them, and the System V register roles.

use crate::regalloc::{MachineEnv, PReg, PRegSet, RegClass};

pub const fn gpr(hw: u8) -> PReg {
    PReg { class: RegClass::Int, hw }
}
pub const fn xmm(hw: u8) -> PReg {
    PReg { class: RegClass::Float, hw }
}

pub const RAX: PReg = gpr(0);
pub const RCX: PReg = gpr(1);
pub const RDX: PReg = gpr(2);
pub const RBX: PReg = gpr(3);
pub const RSI: PReg = gpr(6);
pub const RDI: PReg = gpr(7);
pub const R8: PReg = gpr(8);
pub const R9: PReg = gpr(9);
pub const R10: PReg = gpr(10);
pub const R11: PReg = gpr(11);
pub const R12: PReg = gpr(12);
pub const R13: PReg = gpr(13);
pub const R14: PReg = gpr(14);
pub const R15: PReg = gpr(15);
pub const XMM0: PReg = xmm(0);
pub const XMM15: PReg = xmm(15);

/// Integer argument registers, in order.
pub const INT_ARGS: [PReg; 6] = [RDI, RSI, RDX, RCX, R8, R9];
/// Float argument registers, in order.
pub const FLOAT_ARGS: [PReg; 8] = [xmm(0), xmm(1), xmm(2), xmm(3), xmm(4), xmm(5), xmm(6), xmm(7)];
/// Registers a callee must preserve (rbp is the frame pointer and never allocated).
pub const CALLEE_SAVED: [PReg; 5] = [RBX, R12, R13, R14, R15];

/// Kept out of allocation: the allocator's move scratch, never live across instructions.
pub const INT_SCRATCH: PReg = R11;
pub const FLOAT_SCRATCH: PReg = XMM15;

/// Everything a call may overwrite: all registers but the callee-saved ones.
pub fn caller_saved() -> PRegSet {
    let mut set = PRegSet::default();
    for r in [RAX, RCX, RDX, RSI, RDI, R8, R9, R10, R11] {
        set.insert(r);
    }
    for hw in 0..16 {
        set.insert(xmm(hw));
    }
    set
}

/// The allocator's view: caller-saved registers first, so short-lived values avoid the cost of
/// saving a callee-saved register in the prologue.
pub fn machine_env() -> MachineEnv {
    MachineEnv {
        int_regs: vec![RAX, RCX, RDX, RSI, RDI, R8, R9, R10, RBX, R12, R13, R14, R15],
        float_regs: (0..15).map(xmm).collect(),
        int_scratch: INT_SCRATCH,
        float_scratch: FLOAT_SCRATCH,
    }
}
