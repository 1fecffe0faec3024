//! The lowered function both backends hand to the register allocator: machine blocks of one
//! ISA's instructions over virtual registers. Only the instruction type differs per target.

use crate::regalloc::{Operand, PRegSet, RegallocInput, VReg};

/// What the allocator needs to know of one machine instruction.
pub trait MachInst {
    /// Append the instruction's allocator operands, in the order the target later applies
    /// the allocation to them.
    fn collect_operands(&mut self, out: &mut Vec<Operand>);
    /// Registers overwritten besides the defs.
    fn clobbers(&self) -> PRegSet;
    /// Ends its block (branch, return, trap).
    fn is_terminator(&self) -> bool;
    /// Leaves the function (return or trap).
    fn is_ret(&self) -> bool;
    /// A plain `dst = src` between virtual registers.
    fn as_move(&self) -> Option<(VReg, VReg)>;
}

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
    /// Bytes of outgoing stack arguments and call return areas at the stack pointer.
    pub fixed_area: u32,
}

#[derive(Debug)]
pub struct VCode<I> {
    pub insts: Vec<I>,
    /// IR srcloc of each instruction.
    pub srclocs: Vec<u32>,
    operands: Vec<Operand>,
    operand_starts: Vec<u32>,
    clobbers: Vec<PRegSet>,
    pub blocks: Vec<MBlockData>,
    pub num_vregs: u32,
    pub frame: FrameNeeds,
}

impl<I> Default for VCode<I> {
    fn default() -> Self {
        VCode {
            insts: Vec::new(),
            srclocs: Vec::new(),
            operands: Vec::new(),
            operand_starts: Vec::new(),
            clobbers: Vec::new(),
            blocks: Vec::new(),
            num_vregs: 0,
            frame: FrameNeeds::default(),
        }
    }
}

impl<I> VCode<I> {
    /// An empty function with room for about `insts` instructions and `blocks` blocks (growing
    /// the vectors one doubling at a time was a visible share of compile time).
    pub fn with_capacity(insts: usize, blocks: usize) -> Self {
        VCode {
            insts: Vec::with_capacity(insts),
            srclocs: Vec::with_capacity(insts),
            operands: Vec::with_capacity(insts * 2),
            operand_starts: Vec::with_capacity(insts),
            clobbers: Vec::with_capacity(insts),
            blocks: Vec::with_capacity(blocks),
            ..VCode::default()
        }
    }
}

impl<I: MachInst> VCode<I> {
    /// Append an instruction to the block under construction.
    pub fn push(&mut self, mut inst: I, srcloc: u32) {
        self.operand_starts.push(self.operands.len() as u32);
        inst.collect_operands(&mut self.operands);
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

impl<I: MachInst> RegallocInput for VCode<I> {
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
        self.insts[inst as usize].is_ret()
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
        self.insts[inst as usize].as_move()
    }
    fn block_loop_depth(&self, block: usize) -> u32 {
        self.blocks[block].loop_depth
    }
}
