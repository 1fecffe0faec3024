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
use crate::ir::hash::FastHashMap;

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
    /// Parameters created while the block was unsealed; filled in by `seal`.
    incomplete: Vec<(Variable, Value)>,
}

/// The per-block variable definitions and predecessor edges of a function under construction.
pub struct SsaBuilder {
    var_types: Vec<Type>,
    blocks: Vec<BlockState>,
    /// Scratch list of the blocks a lookup walked through, kept between lookups so its
    /// storage is allocated once per function instead of grown again on every lookup.
    chain: Vec<Block>,
    /// The value of each variable at the current end of each block that defines or looked it
    /// up. One table for the function: a table per block cost an allocation per block.
    defs: FastHashMap<(Block, Variable), Value>,
}

impl SsaBuilder {
    /// A builder for variables of the given types (variable `i` has type `var_types[i]`).
    pub fn new(var_types: Vec<Type>) -> SsaBuilder {
        SsaBuilder { var_types, blocks: Vec::new(), defs: FastHashMap::default(), chain: Vec::new() }
    }

    fn state(&mut self, b: Block) -> &mut BlockState {
        if self.blocks.len() <= b.index() {
            self.blocks.resize_with(b.index() + 1, BlockState::default);
        }
        &mut self.blocks[b.index()]
    }

    /// Make room for about `defs` more (block, variable) definitions: growing the table
    /// rehashes every entry, which cost 1% of compiling a large module.
    pub fn reserve(&mut self, defs: usize) {
        self.defs.reserve(defs);
    }

    pub fn var_type(&self, var: Variable) -> Option<Type> {
        self.var_types.get(var.0 as usize).copied()
    }

    /// Record that `var` holds `value` at the current end of block `b`.
    pub fn def_var(&mut self, b: Block, var: Variable, value: Value) {
        self.defs.insert((b, var), value);
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
    fn lookup(
        &mut self,
        func: &mut Function,
        b: Block,
        var: Variable,
        work: &mut Vec<(Variable, Value, Block)>,
    ) -> Value {
        let mut chain = std::mem::take(&mut self.chain);
        chain.clear();
        let mut cur = b;
        let value = loop {
            if let Some(&v) = self.defs.get(&(cur, var)) {
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
        for &c in &chain {
            self.def_var(c, var, value);
        }
        self.chain = chain;
        value
    }

    /// Append, for each parameter in `work`, its argument on every incoming edge.
    fn complete_params(&mut self, func: &mut Function, mut work: Vec<(Variable, Value, Block)>) {
        while let Some((var, _param, block)) = work.pop() {
            // `lookup` never adds edges, so the list stays the same while we walk it.
            for n in 0..self.state(block).preds.len() {
                let edge = self.blocks[block.index()].preds[n];
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
        // Each parameter's feeding values, as (argument, block, position): grouped by argument,
        // they list the parameters to recheck when an argument gets replaced.
        let mut users: Vec<(Value, Block, usize)> = Vec::new();
        let mut work = Vec::new();
        for (bi, state) in self.blocks.iter().enumerate() {
            let b = Block(bi as u32);
            if Some(b) == entry || state.preds.is_empty() {
                continue;
            }
            for i in 0..func.blocks[bi].params.len() {
                for edge in &state.preds {
                    if let Some(&arg) = branch_args(func, *edge).and_then(|a| a.get(i)) {
                        users.push((arg, b, i));
                    }
                }
                work.push((b, i));
            }
        }
        let users = ParamUsers::new(users, func.values.len());

        let mut alias = Aliases::new(func.values.len());
        while let Some((b, i)) = work.pop() {
            let param = func.blocks[b.index()].params[i];
            if alias.is_replaced(param) {
                continue;
            }
            let mut same = None;
            let mut trivial = true;
            for edge in &self.blocks[b.index()].preds {
                let Some(&arg) = branch_args(func, *edge).and_then(|a| a.get(i)) else {
                    trivial = false;
                    break;
                };
                let arg = alias.resolve(arg);
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
                alias.replace(param, v);
                work.extend(users.of(param).iter().copied());
            }
        }
        if alias.is_empty() {
            return;
        }

        for data in func.insts.iter_mut() {
            data.map_args(|v| alias.resolve(v));
        }
        let mut keep = Vec::new();
        for (bi, state) in self.blocks.iter().enumerate() {
            let Some(block) = func.blocks.get(bi) else {
                continue;
            };
            keep.clear();
            keep.extend(block.params.iter().map(|&p| !alias.is_replaced(p)));
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
            func.blocks[bi].params.retain(|&p| !alias.is_replaced(p));
            for (n, &p) in func.blocks[bi].params.iter().enumerate() {
                func.values[p.index()].def = ValueDef::Param(b, n as u32);
            }
        }
    }
}

/// The block parameters each value is passed to: `params[start[v]..start[v + 1]]`, grouped
/// by a counting sort (values are dense indices; a comparison sort cost a quarter of `finish`).
struct ParamUsers {
    start: Vec<u32>,
    params: Vec<(Block, usize)>,
}

impl ParamUsers {
    fn new(pairs: Vec<(Value, Block, usize)>, num_values: usize) -> ParamUsers {
        let mut start = vec![0u32; num_values + 1];
        let pairs: Vec<_> = pairs.into_iter().filter(|&(v, _, _)| v.index() < num_values).collect();
        for &(v, _, _) in &pairs {
            start[v.index() + 1] += 1;
        }
        for i in 0..num_values {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut params = vec![(Block(0), 0); pairs.len()];
        for (v, b, i) in pairs {
            params[fill[v.index()] as usize] = (b, i);
            fill[v.index()] += 1;
        }
        ParamUsers { start, params }
    }

    fn of(&self, v: Value) -> &[(Block, usize)] {
        match (self.start.get(v.index()), self.start.get(v.index() + 1)) {
            (Some(&from), Some(&to)) => &self.params[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// Replacements of trivial parameters, indexed by value (a hash table here cost more than
/// the rest of `finish`: every operand of the function is looked up).
struct Aliases {
    to: Vec<Option<Value>>,
    count: usize,
}

impl Aliases {
    fn new(num_values: usize) -> Aliases {
        Aliases { to: vec![None; num_values], count: 0 }
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn is_replaced(&self, v: Value) -> bool {
        self.to.get(v.index()).is_some_and(Option::is_some)
    }

    fn replace(&mut self, param: Value, by: Value) {
        if let Some(slot) = self.to.get_mut(param.index()) {
            *slot = Some(by);
            self.count += 1;
        }
    }

    /// Follow replacements to the final value, shortening the chain for later lookups (chains
    /// of trivial parameters can be as long as the function).
    fn resolve(&mut self, v: Value) -> Value {
        // Chains are acyclic: a parameter is only replaced by a value that is not itself
        // replaced at that moment.
        let mut root = v;
        while let Some(next) = self.to.get(root.index()).copied().flatten() {
            root = next;
        }
        let mut cur = v;
        while cur != root {
            let slot = &mut self.to[cur.index()];
            let next = slot.replace(root);
            match next {
                Some(next) => cur = next,
                None => break,
            }
        }
        root
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::verify::verify;
    use crate::ir::{BlockCall, Signature};

    /// A function `(i64 vmctx, i32 x)` whose builder has one i32 variable, defined as `x`.
    fn setup() -> (Function, SsaBuilder, Block, Value) {
        let sig = Signature { params: vec![Type::I64, Type::I32], results: vec![Type::I32] };
        let mut func = Function::new("t", sig);
        let entry = func.create_block();
        func.append_block(entry);
        func.append_block_param(entry, Type::I64);
        let x = func.append_block_param(entry, Type::I32);
        let mut ssa = SsaBuilder::new(vec![Type::I32]);
        ssa.def_var(entry, Variable(0), x);
        ssa.seal(&mut func, entry);
        (func, ssa, entry, x)
    }

    fn jump(func: &mut Function, ssa: &mut SsaBuilder, from: Block, to: Block) {
        let inst = func.append_inst(from, InstData::Jump { dest: BlockCall { block: to, args: vec![] } }, &[], 0);
        ssa.add_edge(from, inst, 0, to);
    }

    fn brif(func: &mut Function, ssa: &mut SsaBuilder, from: Block, cond: Value, t: Block, e: Block) {
        let call = |block| BlockCall { block, args: vec![] };
        let inst = func.append_inst(from, InstData::Brif { cond, then_dest: call(t), else_dest: call(e) }, &[], 0);
        ssa.add_edge(from, inst, 0, t);
        ssa.add_edge(from, inst, 1, e);
    }

    fn iconst(func: &mut Function, b: Block, imm: i64) -> Value {
        let inst = func.append_inst(b, InstData::Iconst { ty: Type::I32, imm }, &[Type::I32], 0);
        func.results(inst)[0]
    }

    fn ret(func: &mut Function, b: Block, v: Value) {
        func.append_inst(b, InstData::Return { args: vec![v] }, &[], 0);
    }

    fn new_block(func: &mut Function) -> Block {
        let b = func.create_block();
        func.append_block(b);
        b
    }

    /// A diamond: the join gets a parameter only when the arms define different values.
    #[test]
    fn join_gets_a_param_only_for_differing_definitions() {
        for differ in [false, true] {
            let (mut func, mut ssa, entry, x) = setup();
            let (then_b, else_b, join) = (new_block(&mut func), new_block(&mut func), new_block(&mut func));
            brif(&mut func, &mut ssa, entry, x, then_b, else_b);
            ssa.seal(&mut func, then_b);
            ssa.seal(&mut func, else_b);
            if differ {
                let one = iconst(&mut func, then_b, 1);
                ssa.def_var(then_b, Variable(0), one);
            }
            jump(&mut func, &mut ssa, then_b, join);
            jump(&mut func, &mut ssa, else_b, join);
            ssa.seal(&mut func, join);
            let v = ssa.use_var(&mut func, join, Variable(0));
            ret(&mut func, join, v);
            ssa.finish(&mut func);
            verify(&func).unwrap();
            assert_eq!(func.blocks[join.index()].params.len(), differ as usize);
            let returned = func.insts[func.terminator(join).unwrap().index()].args()[0];
            assert_eq!(returned == x, !differ);
        }
    }

    /// Nested loops that never write the variable: the parameters read in the unsealed
    /// headers are all trivial, including the inner one that only sees the outer one.
    #[test]
    fn loop_params_of_unchanged_variables_are_removed() {
        let (mut func, mut ssa, entry, x) = setup();
        let (outer, inner, exit) = (new_block(&mut func), new_block(&mut func), new_block(&mut func));
        jump(&mut func, &mut ssa, entry, outer);
        jump(&mut func, &mut ssa, outer, inner);
        let v = ssa.use_var(&mut func, inner, Variable(0));
        brif(&mut func, &mut ssa, inner, v, inner, outer);
        ssa.seal(&mut func, inner);
        ssa.seal(&mut func, outer);
        let _ = exit;
        func.layout.pop();
        ssa.finish(&mut func);
        verify(&func).unwrap();
        assert!(func.blocks[outer.index()].params.is_empty());
        assert!(func.blocks[inner.index()].params.is_empty());
        assert_eq!(func.insts[func.terminator(inner).unwrap().index()].args()[0], x);
    }

    /// A variable changed in a loop keeps exactly one header parameter.
    #[test]
    fn loop_param_of_changed_variable_is_kept() {
        let (mut func, mut ssa, entry, _) = setup();
        let (header, exit) = (new_block(&mut func), new_block(&mut func));
        jump(&mut func, &mut ssa, entry, header);
        let v = ssa.use_var(&mut func, header, Variable(0));
        let one = iconst(&mut func, header, 1);
        let inst = func.append_inst(
            header,
            InstData::Binary { op: crate::ir::BinaryOp::Isub, ty: Type::I32, args: [v, one] },
            &[Type::I32],
            0,
        );
        let next = func.results(inst)[0];
        ssa.def_var(header, Variable(0), next);
        brif(&mut func, &mut ssa, header, next, header, exit);
        ssa.seal(&mut func, header);
        ssa.seal(&mut func, exit);
        let r = ssa.use_var(&mut func, exit, Variable(0));
        ret(&mut func, exit, r);
        ssa.finish(&mut func);
        verify(&func).unwrap();
        assert_eq!(func.blocks[header.index()].params, vec![v]);
        assert_eq!(r, next);
    }

    /// Long chains of blocks are walked without recursion.
    #[test]
    fn deep_chains_do_not_overflow_the_stack() {
        let (mut func, mut ssa, entry, x) = setup();
        let mut prev = entry;
        for _ in 0..200_000 {
            let (a, join) = (new_block(&mut func), new_block(&mut func));
            brif(&mut func, &mut ssa, prev, x, a, join);
            ssa.seal(&mut func, a);
            jump(&mut func, &mut ssa, a, join);
            ssa.seal(&mut func, join);
            prev = join;
        }
        let v = ssa.use_var(&mut func, prev, Variable(0));
        ret(&mut func, prev, v);
        ssa.finish(&mut func);
        assert_eq!(func.insts[func.terminator(prev).unwrap().index()].args()[0], x);
    }
}
