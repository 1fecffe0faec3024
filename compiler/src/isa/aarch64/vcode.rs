//! The lowered function: machine blocks of [`MInst`]s over virtual registers, as the register
//! allocator reads it.

use super::inst::{MInst, OperandCollector, OperandVisitor, Reg};
use crate::regalloc::{Allocation, Operand, OperandConstraint, OperandKind, OperandPos, PRegSet, RegallocInput, VReg};
use crate::{Error, Result};

#[derive(Clone, Debug, Default)]
pub struct MBlockData {
    /// Instruction range `[start, end)`.
    pub start: u32,
    pub end: u32,
    pub succs: Vec<u32>,
    pub preds: Vec<u32>,
    pub params: Vec<VReg>,
    /// Arguments passed to each successor, in `succs` order.
    pub branch_args: Vec<Vec<VReg>>,
    pub loop_depth: u32,
}

/// Fixed-size parts of the frame that lowering decides (spill slots come after allocation).
#[derive(Copy, Clone, Debug, Default)]
pub struct FrameNeeds {
    /// Bytes of outgoing stack arguments and call return areas at `sp`.
    pub fixed_area: u32,
}

#[derive(Debug, Default)]
pub struct VCode {
    pub insts: Vec<MInst>,
    /// IR srcloc of each instruction.
    pub srclocs: Vec<u32>,
    operands: Vec<Operand>,
    operand_starts: Vec<u32>,
    clobbers: Vec<PRegSet>,
    pub blocks: Vec<MBlockData>,
    pub num_vregs: u32,
    pub frame: FrameNeeds,
}

impl VCode {
    /// Append an instruction to the block under construction.
    pub fn push(&mut self, mut inst: MInst, srcloc: u32) {
        self.operand_starts.push(self.operands.len() as u32);
        inst.visit_operands(&mut OperandCollector(&mut self.operands));
        self.clobbers.push(inst.clobbers());
        self.insts.push(inst);
        self.srclocs.push(srcloc);
    }

    /// The allocator operands of instruction `inst`.
    pub fn operands_of(&self, inst: u32) -> &[Operand] {
        let start = self.operand_starts[inst as usize] as usize;
        let end = self.operand_starts.get(inst as usize + 1).map_or(self.operands.len(), |&e| e as usize);
        &self.operands[start..end]
    }
}

impl RegallocInput for VCode {
    fn num_insts(&self) -> usize {
        self.insts.len()
    }
    fn num_blocks(&self) -> usize {
        self.blocks.len()
    }
    fn num_vregs(&self) -> usize {
        self.num_vregs as usize
    }
    fn block_insts(&self, block: usize) -> std::ops::Range<u32> {
        self.blocks[block].start..self.blocks[block].end
    }
    fn block_succs(&self, block: usize) -> &[u32] {
        &self.blocks[block].succs
    }
    fn block_preds(&self, block: usize) -> &[u32] {
        &self.blocks[block].preds
    }
    fn block_params(&self, block: usize) -> &[VReg] {
        &self.blocks[block].params
    }
    fn is_branch(&self, inst: u32) -> bool {
        self.insts[inst as usize].is_terminator()
    }
    fn is_ret(&self, inst: u32) -> bool {
        matches!(self.insts[inst as usize], MInst::Ret { .. } | MInst::Udf { .. })
    }
    fn branch_args(&self, block: usize, _inst: u32, succ_index: usize) -> &[VReg] {
        &self.blocks[block].branch_args[succ_index]
    }
    fn inst_operands(&self, inst: u32) -> &[Operand] {
        self.operands_of(inst)
    }
    fn inst_clobbers(&self, inst: u32) -> PRegSet {
        self.clobbers[inst as usize]
    }
    fn is_move(&self, inst: u32) -> Option<(VReg, VReg)> {
        match self.insts[inst as usize] {
            MInst::Move { dst: Reg::Virt(d), src: Reg::Virt(s), .. } => Some((d, s)),
            _ => None,
        }
    }
    fn block_loop_depth(&self, block: usize) -> u32 {
        self.blocks[block].loop_depth
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
            Some(e) => Err(Error::msg(format!("aarch64: bad register allocation: {e}"))),
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
}
