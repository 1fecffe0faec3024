//! Instruction selection, part 1: the block structure and value bookkeeping.
//!
//! Machine blocks follow the IR layout (unreachable blocks dropped); every critical edge gets
//! its own block, placed right after its predecessor, so the allocator can put edge moves
//! there. IR values map to virtual registers lazily. Constants are not given registers where
//! they are defined: each use folds them as an immediate or rematerialises them (cheap, and
//! it keeps register pressure low). Compares used only by the branch, select or trap that
//! follows are emitted there as flags (see `lower_inst.rs`), and a load used once by a nearby
//! arithmetic instruction is folded into it as a memory operand.

use super::cpu::CpuFeatures;
use super::abi::{call_layout, ArgLoc, CallLayout, RetLoc};
use super::inst::{FixedReg, LoadKind, MBlock, MInst, Reg, Size, Amode};
use super::vcode::{MBlockData, VCode};
use crate::ir::{Block, Function, Inst, InstData, Type, Value, ValueDef};
use crate::regalloc::{RegClass, VReg};
use crate::{Error, Result};
use std::collections::HashMap;

/// What one machine block stands for.
#[derive(Copy, Clone, Debug)]
enum BlockOrigin {
    /// The IR entry block has predecessors: a separate block receives the arguments first.
    ArgsEntry,
    Ir(Block),
    /// The split edge `succ_index` of IR block `from`.
    Edge { from: Block, succ_index: usize },
}

pub struct Lower<'f> {
    pub(super) f: &'f Function,
    pub(super) vcode: VCode,
    value_vregs: Vec<Option<VReg>>,
    pub(super) use_counts: Vec<u32>,
    /// Instructions emitted as part of their single user rather than on their own.
    pub(super) sunk: Vec<bool>,
    ir_block_ids: Vec<Option<MBlock>>,
    edge_blocks: HashMap<(Block, usize), MBlock>,
    origins: Vec<BlockOrigin>,
    pub(super) srcloc: u32,
    pub(super) layout: CallLayout,
    /// The caller's return-area pointer, when this function returns several results.
    pub(super) ret_area: Option<VReg>,
    /// Extensions the code may use (`--target-cpu`).
    pub(super) cpu: CpuFeatures,
}

/// Lower `f` to machine instructions over virtual registers.
pub fn lower(f: &Function, cpu: CpuFeatures) -> Result<VCode> {
    if f.layout.is_empty() {
        return Err(Error::msg(format!("function {}: no entry block", f.name)));
    }
    let layout = call_layout(&f.sig)?;
    let mut l = Lower {
        f,
        vcode: VCode::default(),
        value_vregs: vec![None; f.values.len()],
        use_counts: vec![0; f.values.len()],
        sunk: vec![false; f.insts.len()],
        ir_block_ids: vec![None; f.blocks.len()],
        edge_blocks: HashMap::new(),
        origins: Vec::new(),
        srcloc: 0,
        layout,
        ret_area: None,
        cpu,
    };
    let reachable = l.reachable_blocks()?;
    l.count_uses(&reachable);
    l.plan_blocks(&reachable);
    l.mark_sunk(&reachable);
    for i in 0..l.origins.len() {
        l.lower_block(i as MBlock)?;
    }
    l.link_blocks();
    Ok(l.vcode)
}

impl<'f> Lower<'f> {
    /// Blocks reachable from the entry, in layout order.
    fn reachable_blocks(&self) -> Result<Vec<Block>> {
        let n = self.f.blocks.len();
        let mut in_layout = vec![false; n];
        for &b in &self.f.layout {
            *in_layout.get_mut(b.index()).ok_or_else(|| Error::msg("layout names a missing block"))? = true;
        }
        let mut seen = vec![false; n];
        let mut stack = vec![self.f.entry()];
        seen[self.f.entry().index()] = true;
        while let Some(b) = stack.pop() {
            if self.f.terminator(b).is_none() {
                return Err(Error::msg(format!("function {}: block{} has no terminator", self.f.name, b.0)));
            }
            for s in self.f.successors(b) {
                if !in_layout.get(s.index()).copied().unwrap_or(false) {
                    return Err(Error::msg(format!("function {}: branch to a block outside the layout", self.f.name)));
                }
                if !seen[s.index()] {
                    seen[s.index()] = true;
                    stack.push(s);
                }
            }
        }
        Ok(self.f.layout.iter().copied().filter(|b| seen[b.index()]).collect())
    }

    fn count_uses(&mut self, blocks: &[Block]) {
        for &b in blocks {
            for &i in &self.f.blocks[b.index()].insts {
                self.f.insts[i.index()].for_each_arg(|v| self.use_counts[v.index()] += 1);
            }
        }
    }

    /// Assign machine block ids: each IR block, then its split critical edges.
    fn plan_blocks(&mut self, blocks: &[Block]) {
        let mut pred_edges = vec![0u32; self.f.blocks.len()];
        for &b in blocks {
            for s in self.f.successors(b) {
                pred_edges[s.index()] += 1;
            }
        }
        let entry = self.f.entry();
        if pred_edges[entry.index()] > 0 {
            self.origins.push(BlockOrigin::ArgsEntry);
        }
        for &b in blocks {
            self.ir_block_ids[b.index()] = Some(self.origins.len() as MBlock);
            self.origins.push(BlockOrigin::Ir(b));
            let succs = self.f.successors(b);
            if succs.len() > 1 {
                for (i, s) in succs.iter().enumerate() {
                    if pred_edges[s.index()] > 1 {
                        self.edge_blocks.insert((b, i), self.origins.len() as MBlock);
                        self.origins.push(BlockOrigin::Edge { from: b, succ_index: i });
                    }
                }
            }
        }
    }

    pub(super) fn is_split_edge(&self, from: Block, succ_index: usize) -> bool {
        self.edge_blocks.contains_key(&(from, succ_index))
    }

    /// The machine block a branch from `from` along successor `succ_index` goes to.
    pub(super) fn edge_target(&self, from: Block, succ_index: usize, to: Block) -> MBlock {
        match self.edge_blocks.get(&(from, succ_index)) {
            Some(&e) => e,
            None => self.ir_block_ids[to.index()].unwrap_or(0),
        }
    }

    fn lower_block(&mut self, id: MBlock) -> Result<()> {
        let start = self.vcode.insts.len() as u32;
        let mut data = MBlockData { start, ..Default::default() };
        match self.origins[id as usize] {
            BlockOrigin::ArgsEntry => {
                let entry = self.f.entry();
                self.srcloc = 0;
                let params = self.lower_args()?;
                let target = self.ir_block_ids[entry.index()].unwrap_or(0);
                data.succs = vec![target];
                data.branch_args = vec![params];
                self.emit(MInst::Jmp { target });
            }
            BlockOrigin::Ir(b) => {
                let params = self.f.blocks[b.index()].params.clone();
                if id == 0 {
                    self.srcloc = 0;
                    self.lower_args()?;
                } else {
                    data.params = params.iter().map(|&p| self.vreg(p)).collect();
                }
                let insts = self.f.blocks[b.index()].insts.clone();
                for inst in insts {
                    if self.sunk[inst.index()] {
                        continue;
                    }
                    self.srcloc = self.f.srclocs.get(inst.index()).copied().unwrap_or(0);
                    if self.f.insts[inst.index()].is_terminator() {
                        let (succs, args) = self.lower_terminator(b, inst)?;
                        data.succs = succs;
                        data.branch_args = args;
                    } else {
                        self.lower_inst(inst)?;
                    }
                }
            }
            BlockOrigin::Edge { from, succ_index } => {
                let term = self.f.terminator(from).ok_or_else(|| Error::msg("edge from an unterminated block"))?;
                let dest = match &self.f.insts[term.index()] {
                    InstData::Brif { then_dest, else_dest, .. } => {
                        let d = if succ_index == 0 { then_dest } else { else_dest };
                        Some((d.block, d.args.clone()))
                    }
                    other => other.successors().get(succ_index).map(|&b| (b, Vec::new())),
                };
                let (to, args) = dest.ok_or_else(|| Error::msg("edge to a missing successor"))?;
                let target = self.ir_block_ids[to.index()].unwrap_or(0);
                data.succs = vec![target];
                data.branch_args = vec![args.iter().map(|&a| self.put_in_vreg(a)).collect::<Result<_>>()?];
                self.emit(MInst::Jmp { target });
            }
        }
        data.end = self.vcode.insts.len() as u32;
        self.vcode.blocks.push(data);
        Ok(())
    }

    /// Define the function's parameters at entry; returns the entry block parameters' vregs.
    fn lower_args(&mut self) -> Result<Vec<VReg>> {
        let entry = self.f.entry();
        let params = self.f.blocks[entry.index()].params.clone();
        if params.len() != self.layout.args.len() {
            return Err(Error::msg(format!("function {}: entry block parameters differ from the signature", self.f.name)));
        }
        let mut fixed = Vec::new();
        let mut after = Vec::new();
        if let Some(p) = self.layout.ret_area_ptr {
            let v = self.new_vreg(RegClass::Int);
            self.ret_area = Some(v);
            fixed.push(FixedReg { reg: Reg::Virt(v), preg: p });
        }
        let mut vregs = Vec::new();
        for (&param, &loc) in params.iter().zip(&self.layout.args.clone()) {
            let ty = self.f.value_type(param);
            let dst = self.vreg(param);
            vregs.push(dst);
            match loc {
                // i32 arguments may come from C with garbage in the upper half.
                ArgLoc::Reg(preg) if ty == Type::I32 => {
                    let t = self.new_vreg(RegClass::Int);
                    fixed.push(FixedReg { reg: Reg::Virt(t), preg });
                    after.push(MInst::Zext32 { dst: Reg::Virt(dst), src: Reg::Virt(t) });
                }
                ArgLoc::Reg(preg) => fixed.push(FixedReg { reg: Reg::Virt(dst), preg }),
                ArgLoc::Stack(off) => {
                    let kind = load_kind_full(ty)?;
                    after.push(MInst::Load { kind, dst: Reg::Virt(dst), amode: Amode::IncomingArg(off), trap: false });
                }
            }
        }
        self.emit(MInst::Args { args: fixed });
        for i in after {
            self.emit(i);
        }
        Ok(vregs)
    }

    /// Fill in predecessors and loop depths once every block exists.
    fn link_blocks(&mut self) {
        let n = self.vcode.blocks.len();
        for b in 0..n {
            for s in self.vcode.blocks[b].succs.clone() {
                self.vcode.blocks[s as usize].preds.push(b as u32);
            }
        }
        // Structured Wasm control flow lays loops out contiguously: a back edge p -> h
        // (h not after p) spans the loop body h..=p.
        let mut delta = vec![0i64; n + 1];
        for p in 0..n {
            for &h in &self.vcode.blocks[p].succs {
                if (h as usize) <= p {
                    delta[h as usize] += 1;
                    delta[p + 1] -= 1;
                }
            }
        }
        let mut depth = 0i64;
        for (b, d) in delta.iter().take(n).enumerate() {
            depth += d;
            self.vcode.blocks[b].loop_depth = depth.max(0) as u32;
        }
    }

    pub(super) fn emit(&mut self, inst: MInst) {
        self.vcode.push(inst, self.srcloc);
    }

    pub(super) fn new_vreg(&mut self, class: RegClass) -> VReg {
        let v = VReg { index: self.vcode.num_vregs, class };
        self.vcode.num_vregs += 1;
        v
    }

    /// The virtual register holding IR value `v` (zero-extensions share their operand's).
    pub(super) fn vreg(&mut self, v: Value) -> VReg {
        let v = self.alias_root(v);
        if let Some(r) = self.value_vregs[v.index()] {
            return r;
        }
        let r = self.new_vreg(class_of(self.f.value_type(v)));
        self.value_vregs[v.index()] = Some(r);
        r
    }

    /// i32 values are kept zero-extended in their 64-bit registers (every i32 definition
    /// guarantees it), so a `uextend` of a non-constant is its operand.
    fn alias_root(&self, mut v: Value) -> Value {
        while let Some(InstData::Conv { op: crate::ir::ConvOp::Uextend, arg, .. }) = self.def_data(v) {
            if self.iconst(*arg).is_some() {
                break;
            }
            v = *arg;
        }
        v
    }

    /// The instruction defining `v`, if an instruction does.
    pub(super) fn def_inst(&self, v: Value) -> Option<Inst> {
        match self.f.values.get(v.index())?.def {
            ValueDef::Result(i, _) => Some(i),
            ValueDef::Param(..) => None,
        }
    }

    pub(super) fn def_data(&self, v: Value) -> Option<&'f InstData> {
        self.def_inst(v).and_then(|i| self.f.insts.get(i.index()))
    }

    /// The value of an integer constant as it sits in a 64-bit register (i32 zero-extended).
    pub(super) fn iconst(&self, v: Value) -> Option<u64> {
        match self.def_data(v)? {
            InstData::Iconst { ty: Type::I32, imm } => Some(*imm as u32 as u64),
            InstData::Iconst { imm, .. } => Some(*imm as u64),
            InstData::RefNull => Some(0),
            InstData::Conv { op: crate::ir::ConvOp::Uextend, arg, .. } => self.iconst(*arg),
            _ => None,
        }
    }

    /// The result register of `inst`'s result `n`.
    pub(super) fn result(&mut self, inst: Inst, n: usize) -> Result<Reg> {
        let v = *self
            .f
            .results(inst)
            .get(n)
            .ok_or_else(|| Error::msg(format!("function {}: instruction without result", self.f.name)))?;
        Ok(Reg::Virt(self.vreg(v)))
    }

    pub(super) fn ret_layout(&self) -> RetLoc {
        self.layout.rets.clone()
    }
}

/// Floats and vectors live in xmm registers.
pub(super) fn class_of(ty: Type) -> RegClass {
    if ty.is_float() || ty == Type::V128 {
        RegClass::Float
    } else {
        RegClass::Int
    }
}

pub(super) fn size_of(ty: Type) -> Size {
    if ty == Type::I32 {
        Size::S32
    } else {
        Size::S64
    }
}

/// A load of a whole value of type `ty`.
pub(super) fn load_kind_full(ty: Type) -> Result<LoadKind> {
    Ok(match ty {
        Type::I32 => LoadKind::Int(Size::S32),
        Type::I64 | Type::Ref => LoadKind::Int(Size::S64),
        Type::F32 => LoadKind::Float(super::inst::FSize::F32),
        Type::F64 => LoadKind::Float(super::inst::FSize::F64),
        Type::V128 => LoadKind::V128,
    })
}
