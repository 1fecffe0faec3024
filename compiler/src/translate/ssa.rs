//! SSA construction for variables (Wasm locals), after Braun et al., "Simple and Efficient
//! Construction of SSA Form" (CC 2013), with block parameters in place of phi nodes.
//!
//! The translator defines and reads variables block by block and declares each control-flow
//! edge through [`SsaBuilder::add_edge`]. A block is *sealed* once all of its predecessors are
//! known; reading a variable in an unsealed block creates an "incomplete" parameter whose
//! arguments are filled in when the block is sealed. [`SsaBuilder::finish`] then removes the
//! trivial parameters (those that receive one single value on every edge), so loops and joins
//! keep a parameter only where two different definitions really meet.
//!
//! Everything is iterative: deep nests of blocks must not overflow the compiler's stack.

use crate::ir::{Block, Function, Inst, InstData, Type, Value, ValueDef};
use std::collections::HashMap;

/// A variable of the function being built (a Wasm local index).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Variable(pub u32);

/// A control-flow edge: destination `slot` (0: `Jump`/then, 1: else) of `branch` in `from`.
#[derive(Copy, Clone, Debug)]
struct Edge {
    from: Block,
    branch: Inst,
    slot: u8,
}

#[derive(Default)]
struct BlockState {
    sealed: bool,
    preds: Vec<Edge>,
    defs: HashMap<Variable, Value>,
    /// Parameters created while the block was unsealed; filled in by `seal`.
    incomplete: Vec<(Variable, Value)>,
}

/// The per-block variable definitions and predecessor edges of a function under construction.
pub struct SsaBuilder {
    var_types: Vec<Type>,
    blocks: Vec<BlockState>,
}

impl SsaBuilder {
    /// A builder for variables of the given types (variable `i` has type `var_types[i]`).
    pub fn new(var_types: Vec<Type>) -> SsaBuilder {
        SsaBuilder { var_types, blocks: Vec::new() }
    }

    fn state(&mut self, b: Block) -> &mut BlockState {
        if self.blocks.len() <= b.index() {
            self.blocks.resize_with(b.index() + 1, BlockState::default);
        }
        &mut self.blocks[b.index()]
    }

    pub fn var_type(&self, var: Variable) -> Option<Type> {
        self.var_types.get(var.0 as usize).copied()
    }

    /// Record that `var` holds `value` at the current end of block `b`.
    pub fn def_var(&mut self, b: Block, var: Variable, value: Value) {
        self.state(b).defs.insert(var, value);
    }

    /// Number of predecessor edges declared so far.
    pub fn pred_count(&mut self, b: Block) -> usize {
        self.state(b).preds.len()
    }

    /// Declare that destination `slot` of terminator `branch` (in block `from`) goes to `to`.
    /// The branch must already carry its explicit arguments; variable arguments are appended.
    pub fn add_edge(&mut self, from: Block, branch: Inst, slot: u8, to: Block) {
        // Edges into a sealed block are a translator bug: its parameters would lack arguments.
        debug_assert!(!self.state(to).sealed, "edge into sealed block {to:?}");
        self.state(to).preds.push(Edge { from, branch, slot });
    }

    /// Move the edge `slot` of `branch` (in block `from`) from target `old` to target `new`.
    pub fn move_edge(&mut self, from: Block, branch: Inst, slot: u8, old: Block, new: Block) {
        self.state(old).preds.retain(|e| !(e.branch == branch && e.slot == slot));
        self.add_edge(from, branch, slot, new);
    }

    /// Declare that every predecessor of `b` is known, and complete its pending parameters.
    pub fn seal(&mut self, func: &mut Function, b: Block) {
        if self.state(b).sealed {
            return;
        }
        self.state(b).sealed = true;
        let pending = std::mem::take(&mut self.state(b).incomplete);
        let mut work: Vec<(Variable, Value, Block)> = pending.into_iter().map(|(var, p)| (var, p, b)).collect();
        // `work` is a stack, but the order of a block's parameters must match the order of
        // its branch arguments: complete them in creation order.
        work.reverse();
        self.complete_params(func, work);
    }

    /// The value of `var` at the current end of block `b`.
    pub fn use_var(&mut self, func: &mut Function, b: Block, var: Variable) -> Value {
        let mut work = Vec::new();
        let v = self.lookup(func, b, var, &mut work);
        self.complete_params(func, work);
        v
    }

    /// Find `var` walking up single-predecessor chains; create a parameter where the walk
    /// meets a join or an unsealed block. Parameters of sealed joins are pushed on `work`.
    fn lookup(&mut self, func: &mut Function, b: Block, var: Variable, work: &mut Vec<(Variable, Value, Block)>) -> Value {
        let mut chain = Vec::new();
        let mut cur = b;
        let value = loop {
            let state = self.state(cur);
            if let Some(&v) = state.defs.get(&var) {
                break v;
            }
            let ty = self.var_type(var).unwrap_or(Type::I32);
            let state = self.state(cur);
            if !state.sealed {
                let p = func.append_block_param(cur, ty);
                state.incomplete.push((var, p));
                break p;
            }
            match state.preds.len() {
                // Nothing reaches this block (the entry block, or code only a trap leads to):
                // the variable is still its initial zero.
                0 => break zero_at_block_start(func, cur, ty),
                1 => {
                    chain.push(cur);
                    cur = state.preds[0].from;
                }
                _ => {
                    let p = func.append_block_param(cur, ty);
                    work.push((var, p, cur));
                    break p;
                }
            }
        };
        self.def_var(cur, var, value);
        for c in chain {
            self.def_var(c, var, value);
        }
        value
    }

    /// Append, for each parameter in `work`, its argument on every incoming edge.
    fn complete_params(&mut self, func: &mut Function, mut work: Vec<(Variable, Value, Block)>) {
        while let Some((var, _param, block)) = work.pop() {
            let preds = self.state(block).preds.clone();
            for edge in preds {
                let arg = self.lookup(func, edge.from, var, &mut work);
                push_branch_arg(func, edge, arg);
            }
        }
    }

    /// Remove the parameters that receive a single value (besides themselves) on every edge,
    /// replacing their uses by that value. Only blocks whose edges all went through
    /// `add_edge` are considered; the entry block's parameters are the function's.
    pub fn finish(self, func: &mut Function) {
        let entry = func.layout.first().copied();
        // For each value, the parameters it flows into (to recheck when it gets replaced).
        let mut users: HashMap<Value, Vec<(Block, usize)>> = HashMap::new();
        let mut work = Vec::new();
        for (bi, state) in self.blocks.iter().enumerate() {
            let b = Block(bi as u32);
            if Some(b) == entry || state.preds.is_empty() {
                continue;
            }
            for i in 0..func.blocks[bi].params.len() {
                for edge in &state.preds {
                    if let Some(&arg) = branch_args(func, *edge).and_then(|a| a.get(i)) {
                        users.entry(arg).or_default().push((b, i));
                    }
                }
                work.push((b, i));
            }
        }

        let mut alias: HashMap<Value, Value> = HashMap::new();
        while let Some((b, i)) = work.pop() {
            let param = func.blocks[b.index()].params[i];
            if alias.contains_key(&param) {
                continue;
            }
            let mut same = None;
            let mut trivial = true;
            for edge in &self.blocks[b.index()].preds {
                let Some(&arg) = branch_args(func, *edge).and_then(|a| a.get(i)) else {
                    trivial = false;
                    break;
                };
                let arg = resolve(&alias, arg);
                if arg == param || Some(arg) == same {
                    continue;
                }
                if same.is_some() {
                    trivial = false;
                    break;
                }
                same = Some(arg);
            }
            // `same == None` means the parameter only feeds itself: dead code keeps it.
            if let (true, Some(v)) = (trivial, same) {
                alias.insert(param, v);
                if let Some(us) = users.get(&param) {
                    work.extend(us.iter().copied());
                }
            }
        }
        if alias.is_empty() {
            return;
        }

        for data in func.insts.iter_mut() {
            data.map_args(|v| resolve(&alias, v));
        }
        for (bi, state) in self.blocks.iter().enumerate() {
            let keep: Vec<bool> = func.blocks.get(bi).map_or(Vec::new(), |bd| {
                bd.params.iter().map(|p| !alias.contains_key(p)).collect()
            });
            if keep.iter().all(|&k| k) {
                continue;
            }
            for edge in &state.preds {
                if let Some(args) = branch_args_mut(func, *edge) {
                    let mut idx = 0;
                    args.retain(|_| {
                        idx += 1;
                        keep.get(idx - 1).copied().unwrap_or(true)
                    });
                }
            }
            let b = Block(bi as u32);
            let params: Vec<Value> = func.blocks[bi].params.iter().copied().filter(|p| !alias.contains_key(p)).collect();
            for (n, &p) in params.iter().enumerate() {
                func.values[p.index()].def = ValueDef::Param(b, n as u32);
            }
            func.blocks[bi].params = params;
        }
    }
}

/// Follow replacements to the final value.
fn resolve(alias: &HashMap<Value, Value>, mut v: Value) -> Value {
    // Chains are acyclic: a parameter is only replaced by a value other than itself, and
    // replaced values are never the target of a later replacement's resolution.
    let mut steps = 0usize;
    while let Some(&next) = alias.get(&v) {
        v = next;
        steps += 1;
        if steps > alias.len() {
            break;
        }
    }
    v
}

fn branch_args(func: &Function, edge: Edge) -> Option<&Vec<Value>> {
    match (&func.insts[edge.branch.index()], edge.slot) {
        (InstData::Jump { dest }, 0) | (InstData::Brif { then_dest: dest, .. }, 0) => Some(&dest.args),
        (InstData::Brif { else_dest, .. }, 1) => Some(&else_dest.args),
        _ => None,
    }
}

fn branch_args_mut(func: &mut Function, edge: Edge) -> Option<&mut Vec<Value>> {
    match (&mut func.insts[edge.branch.index()], edge.slot) {
        (InstData::Jump { dest }, 0) | (InstData::Brif { then_dest: dest, .. }, 0) => Some(&mut dest.args),
        (InstData::Brif { else_dest, .. }, 1) => Some(&mut else_dest.args),
        _ => None,
    }
}

fn push_branch_arg(func: &mut Function, edge: Edge, arg: Value) {
    if let Some(args) = branch_args_mut(func, edge) {
        args.push(arg);
    }
}

/// A zero constant of type `ty` placed at the start of block `b` (it has no operands, so it
/// may go before anything else).
fn zero_at_block_start(func: &mut Function, b: Block, ty: Type) -> Value {
    let data = match ty {
        Type::I32 | Type::I64 => InstData::Iconst { ty, imm: 0 },
        Type::F32 => InstData::F32const { bits: 0 },
        Type::F64 => InstData::F64const { bits: 0 },
        Type::V128 => InstData::V128const { bytes: 0 },
        Type::Ref => InstData::RefNull,
    };
    let inst = func.create_inst(data, &[ty], 0);
    func.blocks[b.index()].insts.insert(0, inst);
    func.results(inst)[0]
}
