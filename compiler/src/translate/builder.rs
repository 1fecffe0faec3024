//! The cursor that appends IR to the block being translated, and records control-flow edges
//! for SSA construction.

use super::ssa::{SsaBuilder, Variable};
use crate::ir::{Block, BlockCall, Function, Inst, InstData, Type, Value};
use crate::vmctx;

pub(super) struct FuncBuilder {
    pub func: Function,
    pub ssa: SsaBuilder,
    /// The block instructions are appended to.
    pub block: Block,
    /// The module offset of the operator being translated, recorded on each instruction.
    pub srcloc: u32,
    vmctx: Value,
    heap_base: Option<Value>,
}

impl FuncBuilder {
    /// A builder whose entry block takes the parameters of `func.sig` (vmctx first).
    pub fn new(mut func: Function, local_types: Vec<Type>) -> FuncBuilder {
        let entry = func.create_block();
        func.append_block(entry);
        let params = func.sig.params.clone();
        let vmctx = func.append_block_param(entry, Type::I64);
        let mut ssa = SsaBuilder::new(local_types);
        for (i, &ty) in params.iter().enumerate().skip(1) {
            let p = func.append_block_param(entry, ty);
            ssa.def_var(entry, Variable(i as u32 - 1), p);
        }
        ssa.seal(&mut func, entry);
        FuncBuilder { func, ssa, block: entry, srcloc: 0, vmctx, heap_base: None }
    }

    pub fn vmctx(&self) -> Value {
        self.vmctx
    }

    /// Append an instruction to the current block; returns it.
    pub fn ins(&mut self, data: InstData, result_types: &[Type]) -> Inst {
        self.func.append_inst(self.block, data, result_types, self.srcloc)
    }

    /// Append an instruction with exactly one result; returns that result.
    pub fn ins1(&mut self, data: InstData, ty: Type) -> Value {
        let inst = self.ins(data, &[ty]);
        self.func.results(inst)[0]
    }

    /// Append an instruction whose result types follow from its data (calls).
    pub fn ins_typed(&mut self, data: InstData) -> Vec<Value> {
        let types = self.func.result_types_of(&data);
        let inst = self.ins(data, &types);
        self.func.results(inst).to_vec()
    }

    pub fn iconst(&mut self, ty: Type, imm: i64) -> Value {
        let imm = if ty == Type::I32 { imm as i32 as i64 } else { imm };
        self.ins1(InstData::Iconst { ty, imm }, ty)
    }

    /// Read a `vmctx`-relative host pointer field.
    pub fn load_ptr(&mut self, ty: Type, ptr: Value, offset: i32, readonly: bool) -> Value {
        self.ins1(InstData::LoadPtr { ty, ptr, offset, readonly }, ty)
    }

    /// Base of linear memory 0, loaded once at the top of the entry block: with guard pages
    /// the base never moves, and the entry block dominates every use.
    pub fn heap_base(&mut self) -> Value {
        if let Some(v) = self.heap_base {
            return v;
        }
        let data = InstData::LoadPtr { ty: Type::I64, ptr: self.vmctx, offset: vmctx::MEM0_BASE, readonly: true };
        let inst = self.func.create_inst(data, &[Type::I64], 0);
        let entry = self.func.entry();
        self.func.blocks[entry.index()].insts.insert(0, inst);
        let v = self.func.results(inst)[0];
        self.heap_base = Some(v);
        v
    }

    /// Create a block, not yet in the layout.
    pub fn create_block(&mut self) -> Block {
        self.func.create_block()
    }

    /// Create a block with parameters of the given types.
    pub fn create_block_with_params(&mut self, types: &[Type]) -> (Block, Vec<Value>) {
        let b = self.func.create_block();
        let params = types.iter().map(|&ty| self.func.append_block_param(b, ty)).collect();
        (b, params)
    }

    /// Continue appending in `b`, which is placed at the end of the layout.
    pub fn switch_to(&mut self, b: Block) {
        self.func.append_block(b);
        self.block = b;
    }

    pub fn jump(&mut self, dest: Block, args: Vec<Value>) {
        let from = self.block;
        let inst = self.ins(InstData::Jump { dest: BlockCall { block: dest, args } }, &[]);
        self.ssa.add_edge(from, inst, 0, dest);
    }

    pub fn brif(&mut self, cond: Value, then_dest: BlockCall, else_dest: BlockCall) -> Inst {
        let from = self.block;
        let (t, e) = (then_dest.block, else_dest.block);
        let inst = self.ins(InstData::Brif { cond, then_dest, else_dest }, &[]);
        self.ssa.add_edge(from, inst, 0, t);
        self.ssa.add_edge(from, inst, 1, e);
        inst
    }

    /// Record the edge `slot` of an existing branch `inst` of block `from` (after retargeting).
    pub fn add_edge(&mut self, from: Block, inst: Inst, slot: u8, to: Block) {
        self.ssa.add_edge(from, inst, slot, to);
    }

    /// Point the else edge of `branch` (in block `from`) at `new` with `args` instead of `old`.
    pub fn redirect_else_edge(&mut self, from: Block, branch: Inst, old: Block, new: Block, args: Vec<Value>) {
        if let InstData::Brif { else_dest, .. } = &mut self.func.insts[branch.index()] {
            *else_dest = BlockCall { block: new, args };
            self.ssa.move_edge(from, branch, 1, old, new);
        }
    }

    pub fn seal(&mut self, b: Block) {
        self.ssa.seal(&mut self.func, b);
    }

    pub fn use_var(&mut self, var: Variable) -> Value {
        self.ssa.use_var(&mut self.func, self.block, var)
    }

    pub fn def_var(&mut self, var: Variable, value: Value) {
        self.ssa.def_var(self.block, var, value);
    }

    /// Complete SSA construction and return the function.
    pub fn finish(mut self) -> Function {
        self.ssa.finish(&mut self.func);
        self.func
    }
}
