//! A function description for tests: blocks of instructions given directly as operands.

use super::{MachineEnv, Operand, OperandKind, OperandPos, PReg, PRegSet, RegClass, RegallocInput, VReg};

#[derive(Clone, Debug, Default)]
pub struct TestInst {
    pub operands: Vec<Operand>,
    pub clobbers: PRegSet,
    pub is_move: Option<(VReg, VReg)>,
}

#[derive(Clone, Debug, Default)]
pub struct TestBlock {
    pub params: Vec<VReg>,
    /// The last one is the terminator.
    pub insts: Vec<TestInst>,
    pub succs: Vec<u32>,
    /// Arguments for each successor.
    pub args: Vec<Vec<VReg>>,
    pub loop_depth: u32,
}

/// Blocks laid out in order; predecessors and instruction numbers are derived.
#[derive(Clone, Debug)]
pub struct TestFunc {
    pub blocks: Vec<TestBlock>,
    insts: Vec<TestInst>,
    ranges: Vec<std::ops::Range<u32>>,
    preds: Vec<Vec<u32>>,
    num_vregs: usize,
}

impl TestFunc {
    pub fn new(blocks: Vec<TestBlock>) -> TestFunc {
        let mut insts = Vec::new();
        let mut ranges = Vec::new();
        let mut preds = vec![Vec::new(); blocks.len()];
        let mut num_vregs = 0;
        for (b, block) in blocks.iter().enumerate() {
            let start = insts.len() as u32;
            insts.extend(block.insts.iter().cloned());
            ranges.push(start..insts.len() as u32);
            for &s in &block.succs {
                preds[s as usize].push(b as u32);
            }
            let mentioned = block
                .params
                .iter()
                .chain(block.args.iter().flatten())
                .chain(block.insts.iter().flat_map(|i| i.operands.iter().map(|o| &o.vreg)));
            for v in mentioned {
                num_vregs = num_vregs.max(v.index as usize + 1);
            }
        }
        TestFunc { blocks, insts, ranges, preds, num_vregs }
    }
}

impl RegallocInput for TestFunc {
    fn num_insts(&self) -> usize {
        self.insts.len()
    }
    fn num_blocks(&self) -> usize {
        self.blocks.len()
    }
    fn num_vregs(&self) -> usize {
        self.num_vregs
    }
    fn block_insts(&self, block: usize) -> std::ops::Range<u32> {
        self.ranges[block].clone()
    }
    fn block_succs(&self, block: usize) -> &[u32] {
        &self.blocks[block].succs
    }
    fn block_preds(&self, block: usize) -> &[u32] {
        &self.preds[block]
    }
    fn block_params(&self, block: usize) -> &[VReg] {
        &self.blocks[block].params
    }
    fn is_branch(&self, inst: u32) -> bool {
        self.ranges.iter().any(|r| r.end == inst + 1)
    }
    fn is_ret(&self, inst: u32) -> bool {
        self.ranges.iter().enumerate().any(|(b, r)| r.end == inst + 1 && self.blocks[b].succs.is_empty())
    }
    fn branch_args(&self, block: usize, _inst: u32, succ_index: usize) -> &[VReg] {
        &self.blocks[block].args[succ_index]
    }
    fn inst_operands(&self, inst: u32) -> &[Operand] {
        &self.insts[inst as usize].operands
    }
    fn inst_clobbers(&self, inst: u32) -> PRegSet {
        self.insts[inst as usize].clobbers
    }
    fn is_move(&self, inst: u32) -> Option<(VReg, VReg)> {
        self.insts[inst as usize].is_move
    }
    fn block_loop_depth(&self, block: usize) -> u32 {
        self.blocks[block].loop_depth
    }
}

pub fn int(index: u32) -> VReg {
    VReg { index, class: RegClass::Int }
}
pub fn float(index: u32) -> VReg {
    VReg { index, class: RegClass::Float }
}
pub fn gpr(hw: u8) -> PReg {
    PReg { class: RegClass::Int, hw }
}
pub fn xmm(hw: u8) -> PReg {
    PReg { class: RegClass::Float, hw }
}

/// `n` integer and `n` float registers (hw 0..n), scratch hw 15 in each class.
pub fn small_env(n: u8) -> MachineEnv {
    MachineEnv {
        int_regs: (0..n).map(gpr).collect(),
        float_regs: (0..n).map(xmm).collect(),
        int_scratch: gpr(15),
        float_scratch: xmm(15),
    }
}

pub fn inst(operands: Vec<Operand>) -> TestInst {
    TestInst { operands, ..TestInst::default() }
}

impl std::fmt::Display for TestFunc {
    /// One line per instruction: `i3: v1:r=Reg, v2:d/late=Fixed(r0) | clobbers`.
    fn fmt(&self, out: &mut std::fmt::Formatter) -> std::fmt::Result {
        let name = |v: &VReg| format!("{}{}", if v.class == RegClass::Int { "v" } else { "f" }, v.index);
        for (b, block) in self.blocks.iter().enumerate() {
            let params: Vec<String> = block.params.iter().map(name).collect();
            writeln!(out, "block{b}({}) preds {:?} depth {}:", params.join(", "), self.preds[b], block.loop_depth)?;
            for i in self.ranges[b].clone() {
                let ops: Vec<String> = self.insts[i as usize]
                    .operands
                    .iter()
                    .map(|o| {
                        let kind = if o.kind == OperandKind::Def { "def" } else { "use" };
                        let pos = if o.pos == OperandPos::Late { "/late" } else { "" };
                        format!("{}:{kind}{pos}={:?}", name(&o.vreg), o.constraint)
                    })
                    .collect();
                let c = self.insts[i as usize].clobbers;
                writeln!(out, "  i{i}: {} clobbers {:x}/{:x}", ops.join(", "), c.int, c.float)?;
            }
            for (s, args) in block.succs.iter().zip(&block.args) {
                let args: Vec<String> = args.iter().map(name).collect();
                writeln!(out, "  -> block{s}({})", args.join(", "))?;
            }
        }
        Ok(())
    }
}
