//! Versioning a loop: the preheader checks what the plan needs and branches to a vector copy
//! of the loop, or to the loop as it was.

use super::super::edit::Aliases;
use super::super::eval::{self, Const};
use super::pack::{Node, Plan};
use super::shape::{Affine, CountedLoop};
use crate::ir::{BinaryOp, Block, BlockCall, ConvOp, Function, Inst, InstData, IntCC, MemSize, Type, Value, ValueDef};
use crate::vmctx;

/// Appends instructions before a block's terminator, folding integer constants.
struct Emitter<'f> {
    func: &'f mut Function,
    block: Block,
    srcloc: u32,
    /// The constants made, some only as operands of folded operations.
    constants: Vec<Inst>,
}

impl Emitter<'_> {
    fn ins(&mut self, data: InstData, ty: Type) -> Value {
        let inst = self.func.create_inst(data, &[ty], self.srcloc);
        let insts = &mut self.func.blocks[self.block.index()].insts;
        insts.insert(insts.len() - 1, inst);
        self.func.results(inst)[0]
    }

    fn iconst(&mut self, ty: Type, imm: i64) -> Value {
        let imm = if ty == Type::I32 { imm as i32 as i64 } else { imm };
        let v = self.ins(InstData::Iconst { ty, imm }, ty);
        if let ValueDef::Result(inst, _) = self.func.values[v.index()].def {
            self.constants.push(inst);
        }
        v
    }

    /// Drops the constants nothing reads but `keep` (the block's instructions are the only
    /// other readers).
    fn finish(self, keep: Value) {
        let insts = &self.func.blocks[self.block.index()].insts;
        let mut read = std::collections::HashSet::from([keep]);
        for &inst in insts {
            self.func.insts[inst.index()].for_each_arg(|v| {
                read.insert(v);
            });
        }
        let unread: Vec<Inst> =
            self.constants.iter().copied().filter(|&c| !read.contains(&self.func.results(c)[0])).collect();
        self.func.blocks[self.block.index()].insts.retain(|i| !unread.contains(i));
    }

    fn constant(&self, v: Value) -> Option<Const> {
        Const::of_value(self.func, v)
    }

    fn binary(&mut self, op: BinaryOp, ty: Type, a: Value, b: Value) -> Value {
        if op == BinaryOp::Iadd && self.constant(a).and_then(Const::as_i64) == Some(0) {
            return b;
        }
        // A constant `b` (`a` too or not) is folded by `binary_imm`.
        if let Some(y) = self.constant(b).and_then(Const::as_i64) {
            return self.binary_imm(op, ty, a, y);
        }
        self.ins(InstData::Binary { op, ty, args: [a, b] }, ty)
    }

    fn binary_imm(&mut self, op: BinaryOp, ty: Type, a: Value, imm: i64) -> Value {
        let identity = match op {
            BinaryOp::Iadd | BinaryOp::Isub | BinaryOp::Ushr => imm == 0,
            BinaryOp::Imul => imm == 1,
            _ => false,
        };
        if identity {
            return a;
        }
        if let (Some(x), Some(y)) = (self.constant(a), Const::int(ty, imm)) {
            if let Some(c) = eval::binary(op, x, y).and_then(Const::as_i64) {
                return self.iconst(ty, c);
            }
        }
        let b = self.iconst(ty, imm);
        self.ins(InstData::Binary { op, ty, args: [a, b] }, ty)
    }

    fn icmp_imm(&mut self, cond: IntCC, ty: Type, a: Value, imm: i64) -> Value {
        if let (Some(x), Some(y)) = (self.constant(a), Const::int(ty, imm)) {
            if let Some(r) = eval::icmp(cond, x, y) {
                return self.iconst(Type::I32, r as i64);
            }
        }
        let b = self.iconst(ty, imm);
        self.ins(InstData::Icmp { cond, ty, args: [a, b] }, Type::I32)
    }

    fn zext(&mut self, a: Value) -> Value {
        if let Some(Const::I32(c)) = self.constant(a) {
            return self.iconst(Type::I64, c as u32 as i64);
        }
        self.ins(InstData::Conv { op: ConvOp::Uextend, from: Type::I32, to: Type::I64, arg: a }, Type::I64)
    }

    /// Both conditions (each 0 or 1).
    fn and(&mut self, a: Value, b: Value) -> Value {
        match (self.constant(a), self.constant(b)) {
            (Some(Const::I32(1)), _) => b,
            (_, Some(Const::I32(1))) => a,
            _ => self.binary(BinaryOp::And, Type::I32, a, b),
        }
    }

    /// The value of `affine` in the first iteration, where the loop's parameters are `entry`.
    fn affine_at(&mut self, affine: Affine, entry: &[Value]) -> Value {
        let scaled = match affine.iv {
            Some(k) if affine.scale != 0 => Some(self.binary_imm(BinaryOp::Imul, Type::I32, entry[k], affine.scale as i64)),
            _ => None,
        };
        let sum = match (affine.base, scaled) {
            (Some(base), Some(scaled)) => Some(self.binary(BinaryOp::Iadd, Type::I32, scaled, base)),
            (base, scaled) => base.or(scaled),
        };
        match sum {
            Some(sum) => self.binary_imm(BinaryOp::Iadd, Type::I32, sum, affine.constant as i64),
            None => self.iconst(Type::I32, affine.constant as i64),
        }
    }
}

/// The trip count's facts the checks need, if the loop's entry values leave it possible.
pub(super) fn statically_possible(func: &Function, lp: &CountedLoop) -> bool {
    let init = entry_args(func, lp)[lp.counter];
    let end = lp.end.map_or(Some(Const::I32(0)), |e| Const::of_value(func, e));
    match (Const::of_value(func, init), end) {
        (Some(Const::I32(i)), Some(Const::I32(e))) => {
            let distance = (e as u32).wrapping_sub(i as u32);
            distance != 0 && distance % lp.step == 0
        }
        _ => true,
    }
}

fn entry_args(func: &Function, lp: &CountedLoop) -> Vec<Value> {
    let term = func.terminator(lp.preheader).expect("preheader ends in a jump");
    match &func.insts[term.index()] {
        InstData::Jump { dest } => dest.args.clone(),
        _ => unreachable!("a preheader jumps"),
    }
}

/// Adds the vector copy of the loop and the preheader's choice between the two; `escaping`
/// are the loop's values used after it.
pub(super) fn version(func: &mut Function, lp: &CountedLoop, plan: &Plan, in_loop: &[bool], escaping: &[Value]) {
    let args = entry_args(func, lp);
    let srcloc = func.srclocs[plan.emit_at.index()];
    let mut e = Emitter { func, block: lp.preheader, srcloc, constants: Vec::new() };
    let ok = checks(&mut e, lp, plan, &args);
    // Splats of values from outside the loop are made once, here, one per value.
    let mut made: Vec<(Value, Value)> = Vec::new();
    let splats: Vec<Option<Value>> = plan
        .nodes
        .iter()
        .map(|node| match *node {
            Node::Splat { scalar, op } if !in_loop[scalar.index()] => {
                Some(match made.iter().find(|&&(s, _)| s == scalar) {
                    Some(&(_, vector)) => vector,
                    None => {
                        let vector = e.ins(InstData::Simd { op, args: vec![scalar] }, Type::V128);
                        made.push((scalar, vector));
                        vector
                    }
                })
            }
            _ => None,
        })
        .collect();
    e.finish(ok);
    let (vector, map) = vector_block(func, lp, plan, in_loop, &splats);
    let term = func.terminator(lp.preheader).expect("preheader ends in a jump");
    func.insts[term.index()] = InstData::Brif {
        cond: ok,
        then_dest: BlockCall { block: vector, args: args.clone() },
        else_dest: BlockCall { block: lp.block, args },
    };
    let at = func.layout.iter().position(|&b| b == lp.block).expect("loop in layout");
    func.layout.insert(at + 1, vector);
    if !escaping.is_empty() {
        join(func, lp, vector, escaping, &map);
    }
}

/// Routes both copies' exits through a new block that receives, besides the exit's
/// arguments, each escaping value from whichever copy ran; every use after the loop reads
/// that block's parameter instead. The block dominates those uses: the loop had one exit.
fn join(func: &mut Function, lp: &CountedLoop, vector: Block, escaping: &[Value], map: &[Option<Value>]) {
    let exit_of = |func: &Function, b: Block| -> BlockCall {
        let term = func.terminator(b).expect("loop ends in a branch");
        match &func.insts[term.index()] {
            InstData::Brif { then_dest, else_dest, .. } => {
                if then_dest.block == b { else_dest.clone() } else { then_dest.clone() }
            }
            _ => unreachable!("a counted loop ends in brif"),
        }
    };
    let exit = exit_of(func, lp.block);
    let join = func.create_block();
    let mut exit_args = Vec::new();
    for &a in &exit.args {
        let ty = func.value_type(a);
        exit_args.push(func.append_block_param(join, ty));
    }
    let mut aliases = Aliases::new(func);
    for &v in escaping {
        let ty = func.value_type(v);
        let p = func.append_block_param(join, ty);
        aliases.set(v, p);
    }
    func.append_inst(join, InstData::Jump { dest: BlockCall { block: exit.block, args: exit_args } }, &[], 0);
    for (copy, own) in [(lp.block, false), (vector, true)] {
        let mut args = exit_of(func, copy).args;
        args.extend(escaping.iter().map(|&v| if own { map[v.index()].expect("defined in the loop") } else { v }));
        let term = func.terminator(copy).expect("loop ends in a branch");
        if let InstData::Brif { then_dest, else_dest, .. } = &mut func.insts[term.index()] {
            let dest = if then_dest.block == copy { else_dest } else { then_dest };
            *dest = BlockCall { block: join, args };
        }
    }
    for &b in &func.layout {
        if b == lp.block || b == vector {
            continue;
        }
        for &inst in &func.blocks[b.index()].insts {
            func.insts[inst.index()].map_args(|v| aliases.resolve(v));
        }
    }
    let at = func.layout.iter().position(|&b| b == vector).expect("copy in layout");
    func.layout.insert(at + 1, join);
}

/// An i32 that is non-zero when the vector loop may run: the loop's trip count `n` is what
/// its counter says, and every paired access of every iteration lies within memory and does
/// not overlap the accesses it now passes.
fn checks(e: &mut Emitter, lp: &CountedLoop, plan: &Plan, entry: &[Value]) -> Value {
    let init = entry[lp.counter];
    let end = match lp.end {
        Some(end) => end,
        None => e.iconst(Type::I32, 0),
    };
    let distance = e.binary(BinaryOp::Isub, Type::I32, end, init);
    let mut ok = e.icmp_imm(IntCC::Ne, Type::I32, distance, 0);
    if lp.step > 1 {
        let rest = e.binary_imm(BinaryOp::And, Type::I32, distance, lp.step as i64 - 1);
        let whole = e.icmp_imm(IntCC::Eq, Type::I32, rest, 0);
        ok = e.and(ok, whole);
    }
    let trips = e.binary_imm(BinaryOp::Ushr, Type::I32, distance, lp.step.trailing_zeros() as i64);
    let last_trip = e.binary_imm(BinaryOp::Isub, Type::I32, trips, 1);
    let last_trip = e.zext(last_trip);
    let vmctx = e.func.blocks[e.func.entry().index()].params[0];
    let memory = e.ins(InstData::LoadPtr { ty: Type::I64, ptr: vmctx, offset: vmctx::MEM0_DEF, readonly: true }, Type::I64);
    let length = e.ins(
        InstData::LoadPtr { ty: Type::I64, ptr: memory, offset: vmctx::MEMORY_LENGTH, readonly: false },
        Type::I64,
    );
    for access in &plan.accesses {
        // Strides are below 2^16 and trip counts below 2^32: no 64-bit overflow.
        let stride = access.address.stride(lp) as i64;
        let first = e.affine_at(access.address, entry);
        let first = e.zext(first);
        let span = e.binary_imm(BinaryOp::Imul, Type::I64, last_trip, stride);
        let span = e.binary_imm(BinaryOp::Iadd, Type::I64, span, access.offset as i64 + 16);
        let beyond_last = e.binary(BinaryOp::Iadd, Type::I64, first, span);
        let inside = e.ins(InstData::Icmp { cond: IntCC::Ule, ty: Type::I64, args: [beyond_last, length] }, Type::I32);
        ok = e.and(ok, inside);
    }
    for apart in &plan.apart {
        // Both 8 bytes wide: apart when the difference is not in -7..=7.
        // Both grow by the same stride: the first iteration's difference is every iteration's.
        let a = e.affine_at(apart.a.0, entry);
        let b = e.affine_at(apart.b.0, entry);
        let a = e.binary_imm(BinaryOp::Iadd, Type::I32, a, apart.a.1 as i64);
        let b = e.binary_imm(BinaryOp::Iadd, Type::I32, b, apart.b.1 as i64);
        let difference = e.binary(BinaryOp::Isub, Type::I32, a, b);
        let shifted = e.binary_imm(BinaryOp::Iadd, Type::I32, difference, 7);
        let far = e.icmp_imm(IntCC::Uge, Type::I32, shifted, 15);
        ok = e.and(ok, far);
    }
    ok
}

/// The loop's copy, with the paired instructions replaced by vector ones.
/// Also returns, for each value of the loop, its copy.
fn vector_block(
    func: &mut Function,
    lp: &CountedLoop,
    plan: &Plan,
    in_loop: &[bool],
    splats: &[Option<Value>],
) -> (Block, Vec<Option<Value>>) {
    let block = func.create_block();
    let mut map: Vec<Option<Value>> = vec![None; func.values.len()];
    for p in func.blocks[lp.block.index()].params.clone() {
        let ty = func.value_type(p);
        map[p.index()] = Some(func.append_block_param(block, ty));
    }
    let mapped = |map: &[Option<Value>], v: Value| if in_loop[v.index()] { map[v.index()].expect("defined before use") } else { v };
    for inst in func.blocks[lp.block.index()].insts.clone() {
        let srcloc = func.srclocs[inst.index()];
        if inst == plan.emit_at {
            let mut values: Vec<Value> = Vec::with_capacity(plan.nodes.len());
            for (k, node) in plan.nodes.iter().enumerate() {
                let (data, lane0) = match node {
                    Node::Splat { scalar, op } => match splats[k] {
                        Some(v) => {
                            values.push(v);
                            continue;
                        }
                        None => (InstData::Simd { op: *op, args: vec![mapped(&map, *scalar)] }, None),
                    },
                    Node::Load { lanes } => {
                        let InstData::Load { heap, addr, offset, .. } = func.insts[lanes[0].index()] else {
                            unreachable!("a load pair")
                        };
                        let (heap, addr) = (mapped(&map, heap), mapped(&map, addr));
                        (InstData::Load { ty: Type::V128, size: MemSize::Full, heap, addr, offset }, Some(lanes[0]))
                    }
                    Node::Op { op, args, lanes } => {
                        (InstData::Simd { op: *op, args: args.iter().map(|&a| values[a]).collect() }, Some(lanes[0]))
                    }
                };
                let srcloc = lane0.map_or(srcloc, |i| func.srclocs[i.index()]);
                let inst = func.append_inst(block, data, &[Type::V128], srcloc);
                values.push(func.results(inst)[0]);
            }
            for pair in &plan.stores {
                let InstData::Store { heap, addr, offset, .. } = func.insts[pair.lanes[0].index()] else {
                    unreachable!("a store pair")
                };
                let (heap, addr) = (mapped(&map, heap), mapped(&map, addr));
                let value = values[pair.value];
                let data = InstData::Store { ty: Type::V128, size: MemSize::Full, heap, addr, offset, value };
                func.append_inst(block, data, &[], func.srclocs[pair.lanes[0].index()]);
            }
            continue;
        }
        if plan.paired.contains(&inst) {
            continue;
        }
        let mut data = func.insts[inst.index()].clone();
        data.map_args(|v| mapped(&map, v));
        if let InstData::Brif { then_dest, else_dest, .. } = &mut data {
            for dest in [then_dest, else_dest] {
                if dest.block == lp.block {
                    dest.block = block;
                }
            }
        }
        let types: Vec<Type> = func.results(inst).iter().map(|&v| func.value_type(v)).collect();
        let copy = func.append_inst(block, data, &types, srcloc);
        for (old, new) in func.results(inst).to_vec().into_iter().zip(func.results(copy).to_vec()) {
            map[old.index()] = Some(new);
        }
    }
    (block, map)
}
