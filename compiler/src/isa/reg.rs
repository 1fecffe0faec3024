//! Register operands as both backends' machine instructions name them.

use crate::regalloc::{PReg, VReg};

/// A register operand: virtual before allocation, physical after.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Reg {
    Virt(VReg),
    Phys(PReg),
}

/// A register constrained to one physical register at an instruction boundary.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct FixedReg {
    pub reg: Reg,
    pub preg: PReg,
}
