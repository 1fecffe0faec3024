//! Instruction selection, the part both backends share: the machine block structure, the
//! IR value → virtual register bookkeeping, and the lowering of block terminators. A backend
//! supplies the instructions through [`LowerBackend`].
//!
//! Machine blocks follow the IR layout (unreachable blocks dropped); every critical edge gets
//! its own block, placed right after its predecessor, so the allocator can put edge moves
//! there. When the IR entry block has predecessors, a separate first block receives the
//! arguments. IR values map to virtual registers lazily.

use crate::ir::{Block, Function, Inst, InstData, Signature, TrapCode, Type, Value, ValueDef};
use crate::isa::abi::{ArgLoc, CallLayout};
use crate::isa::lower_call::{lower_return, CallTarget};
use crate::isa::reg::{FixedReg, Reg};
use crate::isa::vcode::{MBlockData, MachInst, VCode};
use crate::regalloc::{PRegSet, RegClass, VReg};
use crate::{Error, Result};
use std::collections::HashMap;

/// A machine block's index in [`VCode::blocks`].
pub type MBlock = u32;

/// What one machine block stands for.
#[derive(Copy, Clone, Debug)]
enum BlockOrigin {
    /// The IR entry block has predecessors: a separate block receives the arguments first.
    ArgsEntry,
    Ir(Block),
    /// The split edge `succ_index` of IR block `from`.
    Edge {
        from: Block,
        succ_index: usize,
    },
}

/// The target-independent state of lowering one function.
pub struct LowerCtx<'f, I> {
    pub f: &'f Function,
    pub vcode: VCode<I>,
    value_vregs: Vec<Option<VReg>>,
    /// Uses of each IR value in reachable blocks.
    pub use_counts: Vec<u32>,
    /// Values read in a loop without calls nested deeper than their definition (such as a
    /// constant that LICM placed before the loop): a backend may keep such a constant in a
    /// register rather than rematerialise it on every iteration. (Across a call it would be
    /// reloaded from the stack anyway.)
    pub used_deeper: Vec<bool>,
    /// Instructions emitted as part of their single user rather than on their own.
    pub sunk: Vec<bool>,
    /// Reachable IR blocks in layout order.
    pub reachable: Vec<Block>,
    ir_block_ids: Vec<Option<MBlock>>,
    edge_blocks: HashMap<(Block, usize), MBlock>,
    origins: Vec<BlockOrigin>,
    /// The IR source location given to instructions emitted now.
    pub srcloc: u32,
    /// Where the function's own arguments and results travel.
    pub layout: CallLayout,
    /// The caller's return-area pointer, when this function returns several results.
    pub ret_area: Option<VReg>,
}

/// What a backend provides to lower a function. Its own state derefs to the shared
/// [`LowerCtx`] so selection code reads `self.f`, `self.vreg(v)`, `self.emit(i)` directly.
pub trait LowerBackend<'f> {
    type Inst: MachInst;
    fn ctx(&mut self) -> &mut LowerCtx<'f, Self::Inst>;
    /// An unconditional jump.
    fn jump(target: MBlock) -> Self::Inst;
    /// A trap that ends its block.
    fn trap(code: TrapCode) -> Self::Inst;
    /// The pseudo-instruction that defines the argument registers at entry.
    fn args_inst(args: Vec<FixedReg>) -> Self::Inst;
    /// `dst = src` zero-extended from 32 bits.
    fn zext32(dst: Reg, src: Reg) -> Self::Inst;
    /// A load of a whole `ty` value from the caller's stack arguments at `offset`.
    fn load_incoming_arg(ty: Type, dst: Reg, offset: i32) -> Result<Self::Inst>;
    /// Decide which instructions are folded into their user ([`LowerCtx::sunk`]), before any block is lowered.
    fn select_sunk(&mut self);
    fn lower_body_inst(&mut self, inst: Inst) -> Result<()>;
    /// `v` in a virtual register of its own (constants are materialised).
    fn value_vreg(&mut self, v: Value) -> Result<VReg>;
    fn lower_cond_branch(&mut self, cond: Value, taken: MBlock, not_taken: MBlock) -> Result<()>;
    /// An indexed jump through `targets`, `default` when the index is out of range;
    /// `targets` is not empty.
    fn lower_jump_table(&mut self, index: Value, targets: &[MBlock], default: MBlock) -> Result<()>;
    /// `v` in a register (constants are materialised; the register may be shared).
    fn value_reg(&mut self, v: Value) -> Result<Reg>;
    /// Where `sig`'s arguments and results travel under this target's convention.
    fn call_layout(&self, sig: &Signature) -> Result<CallLayout>;
    /// Registers a call clobbers, result registers included.
    fn call_clobbers(&self) -> PRegSet;
    fn call_inst(target: CallTarget, uses: Vec<FixedReg>, defs: Vec<FixedReg>, clobbers: PRegSet) -> Self::Inst;
    fn ret_inst(results: Vec<FixedReg>) -> Self::Inst;
    /// `dst` = the address `offset` bytes above the stack pointer.
    fn frame_addr(dst: Reg, offset: i32) -> Self::Inst;
    /// A load of a whole `ty` value from `offset` bytes above the stack pointer.
    fn load_from_frame(ty: Type, dst: Reg, offset: i32) -> Result<Self::Inst>;
    /// Store `v` at `offset` bytes above the stack pointer (an outgoing stack argument).
    fn store_to_frame(&mut self, v: Value, offset: i32) -> Result<()>;
    /// Store `v`, of type `ty`, at `offset` bytes from the return-area pointer `base`.
    fn store_to_ret_area(&mut self, v: Value, ty: Type, base: VReg, offset: i32) -> Result<()>;
}

/// Lower every block of the function `backend` was made for (with [`LowerCtx::new`]).
pub fn lower_function<'f, B: LowerBackend<'f>>(backend: &mut B) -> Result<()> {
    backend.select_sunk();
    for id in 0..backend.ctx().origins.len() {
        lower_block(backend, id as MBlock)?;
    }
    backend.ctx().link_blocks();
    Ok(())
}

fn lower_block<'f, B: LowerBackend<'f>>(backend: &mut B, id: MBlock) -> Result<()> {
    let start = backend.ctx().vcode.insts.len() as u32;
    let mut data = MBlockData { start, ..Default::default() };
    let origin = backend.ctx().origins[id as usize];
    match origin {
        BlockOrigin::ArgsEntry => {
            backend.ctx().srcloc = 0;
            let params = lower_args(backend)?;
            let ctx = backend.ctx();
            let target = ctx.block_id(ctx.f.entry());
            data.succs = vec![target];
            data.branch_args = vec![params];
            ctx.emit(B::jump(target));
        }
        BlockOrigin::Ir(b) => {
            let f = backend.ctx().f;
            if id == 0 {
                backend.ctx().srcloc = 0;
                lower_args(backend)?;
            } else {
                data.params = f.blocks[b.index()].params.iter().map(|&p| backend.ctx().vreg(p)).collect();
            }
            for &inst in &f.blocks[b.index()].insts {
                if backend.ctx().sunk[inst.index()] {
                    continue;
                }
                backend.ctx().srcloc = f.srclocs.get(inst.index()).copied().unwrap_or(0);
                if f.insts[inst.index()].is_terminator() {
                    let (succs, args) = lower_terminator(backend, b, inst)?;
                    data.succs = succs;
                    data.branch_args = args;
                } else {
                    backend.lower_body_inst(inst)?;
                }
            }
        }
        BlockOrigin::Edge { from, succ_index } => {
            let f = backend.ctx().f;
            let term = f.terminator(from).ok_or_else(|| Error::msg("edge from an unterminated block"))?;
            let dest = match &f.insts[term.index()] {
                InstData::Brif { then_dest, else_dest, .. } => {
                    let d = if succ_index == 0 { then_dest } else { else_dest };
                    Some((d.block, &d.args[..]))
                }
                other => other.successors().get(succ_index).map(|&b| (b, &[][..])),
            };
            let (to, args) = dest.ok_or_else(|| Error::msg("edge to a missing successor"))?;
            let target = backend.ctx().block_id(to);
            data.succs = vec![target];
            data.branch_args = vec![args.iter().map(|&a| backend.value_vreg(a)).collect::<Result<_>>()?];
            backend.ctx().emit(B::jump(target));
        }
    }
    let ctx = backend.ctx();
    data.end = ctx.vcode.insts.len() as u32;
    ctx.vcode.blocks.push(data);
    Ok(())
}

/// Define the function's parameters at entry; returns the entry block parameters' vregs.
fn lower_args<'f, B: LowerBackend<'f>>(backend: &mut B) -> Result<Vec<VReg>> {
    let ctx = backend.ctx();
    let f = ctx.f;
    let params = &f.blocks[f.entry().index()].params;
    if params.len() != ctx.layout.args.len() {
        return Err(Error::msg(format!("function {}: entry block parameters differ from the signature", f.name)));
    }
    let mut fixed = Vec::new();
    let mut after = Vec::new();
    if let Some(preg) = ctx.layout.ret_area_ptr {
        let v = ctx.new_vreg(RegClass::Int);
        ctx.ret_area = Some(v);
        fixed.push(FixedReg { reg: Reg::Virt(v), preg });
    }
    let mut vregs = Vec::new();
    for (i, &param) in params.iter().enumerate() {
        let ty = f.value_type(param);
        let dst = ctx.vreg(param);
        vregs.push(dst);
        match ctx.layout.args[i] {
            // i32 arguments may come from C with garbage in the upper half.
            ArgLoc::Reg(preg) if ty == Type::I32 => {
                let t = ctx.new_vreg(RegClass::Int);
                fixed.push(FixedReg { reg: Reg::Virt(t), preg });
                after.push(B::zext32(Reg::Virt(dst), Reg::Virt(t)));
            }
            ArgLoc::Reg(preg) => fixed.push(FixedReg { reg: Reg::Virt(dst), preg }),
            ArgLoc::Stack(offset) => after.push(B::load_incoming_arg(ty, Reg::Virt(dst), offset)?),
        }
    }
    ctx.emit(B::args_inst(fixed));
    for inst in after {
        ctx.emit(inst);
    }
    Ok(vregs)
}

/// Lower a block's terminator; returns its successors and the arguments passed to each.
fn lower_terminator<'f, B: LowerBackend<'f>>(
    backend: &mut B,
    b: Block,
    inst: Inst,
) -> Result<(Vec<MBlock>, Vec<Vec<VReg>>)> {
    let f = backend.ctx().f;
    match &f.insts[inst.index()] {
        InstData::Jump { dest } => {
            let args = branch_args(backend, b, 0, &dest.args)?;
            let target = backend.ctx().edge_target(b, 0, dest.block);
            backend.ctx().emit(B::jump(target));
            Ok((vec![target], vec![args]))
        }
        InstData::Brif { cond, then_dest, else_dest } => {
            // Arguments before the branch: materialising them may clobber the flags.
            let then_args = branch_args(backend, b, 0, &then_dest.args)?;
            let else_args = branch_args(backend, b, 1, &else_dest.args)?;
            let taken = backend.ctx().edge_target(b, 0, then_dest.block);
            let not_taken = backend.ctx().edge_target(b, 1, else_dest.block);
            backend.lower_cond_branch(*cond, taken, not_taken)?;
            Ok((vec![taken, not_taken], vec![then_args, else_args]))
        }
        InstData::BrTable { index, targets, default } => {
            let ctx = backend.ctx();
            let mut succs: Vec<MBlock> = targets.iter().enumerate().map(|(i, &t)| ctx.edge_target(b, i, t)).collect();
            let default = ctx.edge_target(b, targets.len(), *default);
            if succs.is_empty() {
                ctx.emit(B::jump(default));
                return Ok((vec![default], vec![Vec::new()]));
            }
            backend.lower_jump_table(*index, &succs, default)?;
            succs.push(default);
            let n = succs.len();
            Ok((succs, vec![Vec::new(); n]))
        }
        InstData::Return { args } => {
            lower_return(backend, args)?;
            Ok((Vec::new(), Vec::new()))
        }
        InstData::Trap { code } => {
            backend.ctx().emit(B::trap(*code));
            Ok((Vec::new(), Vec::new()))
        }
        _ => Err(Error::msg(format!("function {}: not a terminator", f.name))),
    }
}

/// Branch arguments in registers; a split edge's block passes them itself.
fn branch_args<'f, B: LowerBackend<'f>>(
    backend: &mut B,
    b: Block,
    succ_index: usize,
    args: &[Value],
) -> Result<Vec<VReg>> {
    if backend.ctx().is_split_edge(b, succ_index) {
        return Ok(Vec::new());
    }
    args.iter().map(|&a| backend.value_vreg(a)).collect()
}

impl<'f, I: MachInst> LowerCtx<'f, I> {
    /// Check `f`'s block structure and plan its machine blocks; `layout` is where `f`'s
    /// arguments and results travel.
    pub fn new(f: &'f Function, layout: CallLayout) -> Result<Self> {
        if f.layout.is_empty() {
            return Err(Error::msg(format!("function {}: no entry block", f.name)));
        }
        let mut ctx = LowerCtx {
            f,
            // Machine instructions are about as many as IR ones; blocks a little more (edges).
            vcode: VCode::with_capacity(f.insts.len() + f.insts.len() / 4, f.blocks.len() * 2),
            value_vregs: vec![None; f.values.len()],
            use_counts: vec![0; f.values.len()],
            used_deeper: vec![false; f.values.len()],
            sunk: vec![false; f.insts.len()],
            reachable: Vec::new(),
            ir_block_ids: vec![None; f.blocks.len()],
            edge_blocks: HashMap::new(),
            origins: Vec::new(),
            srcloc: 0,
            layout,
            ret_area: None,
        };
        ctx.reachable = ctx.reachable_blocks()?;
        ctx.count_uses();
        ctx.find_used_deeper();
        ctx.plan_blocks();
        Ok(ctx)
    }

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

    fn count_uses(&mut self) {
        for &b in &self.reachable {
            for &i in &self.f.blocks[b.index()].insts {
                self.f.insts[i.index()].for_each_arg(|v| self.use_counts[v.index()] += 1);
            }
        }
    }

    /// Fills `used_deeper`, from the loops of the layout (laid out contiguously, as in
    /// `link_blocks`): a back edge `p -> h` spans the loop `h..=p`. Per block, counts of the
    /// loops around it and of those among them with a call come from running sums of +1 at
    /// each loop's first block and -1 after its last; loops nest, so a block has a call-free
    /// loop around it iff its innermost loop is call-free.
    fn find_used_deeper(&mut self) {
        let f = self.f;
        let n = self.reachable.len();
        let mut position = vec![usize::MAX; f.blocks.len()];
        for (k, &b) in self.reachable.iter().enumerate() {
            position[b.index()] = k;
        }
        let is_call = |i: &Inst| matches!(f.insts[i.index()], InstData::Call { .. } | InstData::CallIndirect { .. });
        let mut calls_before = vec![0u32; n + 1];
        for (k, &b) in self.reachable.iter().enumerate() {
            calls_before[k + 1] = calls_before[k] + f.blocks[b.index()].insts.iter().filter(|i| is_call(i)).count() as u32;
        }
        let (mut loops_delta, mut with_call_delta) = (vec![0i64; n + 1], vec![0i64; n + 1]);
        let mut any_loop = false;
        for (k, &b) in self.reachable.iter().enumerate() {
            for h in f.successors(b).into_iter().map(|h| position[h.index()]).filter(|&h| h <= k) {
                any_loop = true;
                let has_call = i64::from(calls_before[k + 1] > calls_before[h]);
                loops_delta[h] += 1;
                loops_delta[k + 1] -= 1;
                with_call_delta[h] += has_call;
                with_call_delta[k + 1] -= has_call;
            }
        }
        if !any_loop {
            return;
        }
        let (mut depth, mut inst_depth) = (vec![0u32; n], vec![0u32; f.insts.len()]);
        let mut call_free = vec![false; n];
        let (mut loops, mut with_call) = (0i64, 0i64);
        for (k, &b) in self.reachable.iter().enumerate() {
            loops += loops_delta[k];
            with_call += with_call_delta[k];
            depth[k] = loops.max(0) as u32;
            call_free[k] = with_call < loops;
            for &i in &f.blocks[b.index()].insts {
                inst_depth[i.index()] = depth[k];
            }
        }
        for (k, &b) in self.reachable.iter().enumerate() {
            if !call_free[k] {
                continue;
            }
            for &i in &f.blocks[b.index()].insts {
                f.insts[i.index()].for_each_arg(|v| {
                    if let ValueDef::Result(d, _) = f.values[v.index()].def {
                        if inst_depth[d.index()] < depth[k] {
                            self.used_deeper[v.index()] = true;
                        }
                    }
                });
            }
        }
    }

    /// Assign machine block ids: each IR block, then its split critical edges.
    fn plan_blocks(&mut self) {
        let mut pred_edges = vec![0u32; self.f.blocks.len()];
        for &b in &self.reachable {
            for s in self.f.successors(b) {
                pred_edges[s.index()] += 1;
            }
        }
        if pred_edges[self.f.entry().index()] > 0 {
            self.origins.push(BlockOrigin::ArgsEntry);
        }
        for &b in &self.reachable {
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

    /// The machine block of reachable IR block `b`.
    fn block_id(&self, b: Block) -> MBlock {
        self.ir_block_ids[b.index()].unwrap_or(0)
    }

    pub fn is_split_edge(&self, from: Block, succ_index: usize) -> bool {
        self.edge_blocks.contains_key(&(from, succ_index))
    }

    /// The machine block a branch from `from` along successor `succ_index` goes to.
    pub fn edge_target(&self, from: Block, succ_index: usize, to: Block) -> MBlock {
        match self.edge_blocks.get(&(from, succ_index)) {
            Some(&e) => e,
            None => self.block_id(to),
        }
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

    pub fn emit(&mut self, inst: I) {
        self.vcode.push(inst, self.srcloc);
    }

    pub fn new_vreg(&mut self, class: RegClass) -> VReg {
        let v = VReg { index: self.vcode.num_vregs, class };
        self.vcode.num_vregs += 1;
        v
    }

    /// The virtual register holding IR value `v` (zero-extensions share their operand's).
    pub fn vreg(&mut self, v: Value) -> VReg {
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
    pub fn def_inst(&self, v: Value) -> Option<Inst> {
        match self.f.values.get(v.index())?.def {
            ValueDef::Result(i, _) => Some(i),
            ValueDef::Param(..) => None,
        }
    }

    pub fn def_data(&self, v: Value) -> Option<&'f InstData> {
        self.def_inst(v).and_then(|i| self.f.insts.get(i.index()))
    }

    /// The value of an integer constant as it sits in a 64-bit register (i32 zero-extended).
    pub fn iconst(&self, v: Value) -> Option<u64> {
        match self.def_data(v)? {
            InstData::Iconst { ty: Type::I32, imm } => Some(*imm as u32 as u64),
            InstData::Iconst { imm, .. } => Some(*imm as u64),
            InstData::RefNull => Some(0),
            InstData::Conv { op: crate::ir::ConvOp::Uextend, arg, .. } => self.iconst(*arg),
            _ => None,
        }
    }

    /// The virtual register of `inst`'s result `n`.
    pub fn result_vreg(&mut self, inst: Inst, n: usize) -> Result<VReg> {
        let v = *self
            .f
            .results(inst)
            .get(n)
            .ok_or_else(|| Error::msg(format!("function {}: instruction without result", self.f.name)))?;
        Ok(self.vreg(v))
    }
}

/// Integers and references live in general registers; floats and vectors in the FP/SIMD file.
pub fn class_of(ty: Type) -> RegClass {
    if ty.is_float() || ty == Type::V128 {
        RegClass::Float
    } else {
        RegClass::Int
    }
}
