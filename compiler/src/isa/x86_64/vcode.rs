//! The lowered function: machine blocks of [`MInst`]s over virtual registers, as the register
//! allocator reads it (the shared [`crate::isa::vcode::VCode`]), and the rewriting of each
//! instruction's registers to the allocator's answer.

use super::inst::{Amode, MInst, OperandCollector, OperandVisitor, Reg, RegMem};
use crate::isa::vcode::MachInst;
use crate::regalloc::{Allocation, Operand, OperandConstraint, OperandKind, OperandPos, PRegSet, VReg};
use crate::{Error, Result};

pub type VCode = crate::isa::vcode::VCode<MInst>;

impl MachInst for MInst {
    fn collect_operands(&mut self, out: &mut Vec<Operand>) {
        self.visit_operands(&mut OperandCollector(out));
    }
    fn clobbers(&self) -> PRegSet {
        MInst::clobbers(self)
    }
    fn is_terminator(&self) -> bool {
        MInst::is_terminator(self)
    }
    fn is_ret(&self) -> bool {
        matches!(self, MInst::Ret { .. } | MInst::Ud2 { .. })
    }
    fn as_move(&self) -> Option<(VReg, VReg)> {
        match self {
            MInst::Move { dst: Reg::Virt(d), src: Reg::Virt(s), .. } => Some((*d, *s)),
            _ => None,
        }
    }
}

/// Rewrites an instruction's virtual registers to the allocator's locations, in the same
/// order [`OperandCollector`] listed them.
pub struct AllocApplier<'a> {
    allocs: std::slice::Iter<'a, Allocation>,
    error: Option<&'static str>,
}

impl<'a> AllocApplier<'a> {
    pub fn apply(inst: &mut MInst, allocs: &'a [Allocation]) -> Result<()> {
        let mut a = AllocApplier { allocs: allocs.iter(), error: None };
        inst.visit_operands(&mut a);
        if a.allocs.next().is_some() {
            a.error.get_or_insert("more allocations than operands");
        }
        match a.error {
            Some(e) => Err(Error::msg(format!("x86_64: bad register allocation: {e}"))),
            None => Ok(()),
        }
    }
}

impl OperandVisitor for AllocApplier<'_> {
    fn reg(&mut self, reg: &mut Reg, _: OperandConstraint, _: OperandKind, _: OperandPos) {
        if let Reg::Virt(_) = reg {
            match self.allocs.next() {
                Some(Allocation::Reg(p)) => *reg = Reg::Phys(*p),
                Some(Allocation::Stack(_)) => self.error = Some("register operand in a stack slot"),
                None => self.error = Some("missing allocation"),
            }
        }
    }
    fn reg_or_slot(&mut self, rm: &mut RegMem) {
        if let RegMem::Reg(Reg::Virt(_)) = rm {
            match self.allocs.next() {
                Some(Allocation::Reg(p)) => *rm = RegMem::Reg(Reg::Phys(*p)),
                Some(Allocation::Stack(s)) => *rm = RegMem::Mem { amode: Amode::Slot(*s), trap: false },
                None => self.error = Some("missing allocation"),
            }
        }
    }
}
