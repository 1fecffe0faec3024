//! Finding the pairs: two stores of 8-byte values to adjacent addresses, and below each the
//! two computations of the stored values, operation by operation, down to adjacent loads and
//! values both lanes share. Then what the pairing reorders, and what must hold at run time
//! for that to be harmless.

use super::shape::{def_data, Affine, AffineReader, CountedLoop};
use crate::ir::{BinaryOp, Function, Inst, InstData, MemSize, SimdOp, Type, UnaryOp, Value, ValueDef};
use crate::vmctx;

/// A vector value of the new loop body, built from two scalar lanes.
pub(super) enum Node {
    /// The same scalar in both lanes.
    Splat { scalar: Value, op: SimdOp },
    /// Lane 0's load, 16 bytes wide.
    Load { lanes: [Inst; 2] },
    /// The lane operation on vectors `args` (indices of earlier nodes).
    Op { op: SimdOp, lanes: [Inst; 2], args: Vec<usize> },
}

/// Two stores that become one 16-byte store of node `value` at lane 0's address.
pub(super) struct StorePair {
    pub lanes: [Inst; 2],
    pub value: usize,
}

/// A 16-byte access of the vector loop: `heap + zext(address) + offset`.
pub(super) struct VectorAccess {
    pub address: Affine,
    pub offset: u32,
}

/// Two 8-byte accesses whose order the vector loop swaps: they must not overlap. Their
/// addresses have the same stride, so the difference does not change from one iteration to
/// the next.
pub(super) struct Apart {
    pub a: (Affine, u32),
    pub b: (Affine, u32),
}

pub(super) struct Plan {
    /// Children before parents.
    pub nodes: Vec<Node>,
    pub stores: Vec<StorePair>,
    /// Where the vector code goes: the last paired store.
    pub emit_at: Inst,
    /// Every paired instruction; the others stay as they are.
    pub paired: Vec<Inst>,
    /// Must lie within memory for the vector loop to run.
    pub accesses: Vec<VectorAccess>,
    /// Must hold for the vector loop to run.
    pub apart: Vec<Apart>,
}

/// The plan for `lp`, if something pairs and the rest of the loop allows it.
pub(super) fn plan(func: &Function, lp: &CountedLoop, in_loop: &[bool], uses: &[u32]) -> Option<Plan> {
    let insts = &func.blocks[lp.block.index()].insts;
    let body = &insts[..insts.len() - 1];
    // Anything that could trap or write beyond linear memory and globals stays out.
    let allowed = |d: &InstData| {
        matches!(d, InstData::Load { .. } | InstData::Store { .. } | InstData::StorePtr { .. } | InstData::LoadPtr { .. })
            || !d.has_side_effects()
    };
    if body.len() > 400 || !body.iter().all(|i| allowed(&func.insts[i.index()])) {
        return None;
    }
    let reader = AffineReader { func, lp, in_loop };
    let mut pairer = Pairer { func, reader: &reader, in_loop, uses, nodes: Vec::new() };
    let candidates: Vec<(Inst, StoreLane)> =
        body.iter().filter_map(|&s| Some((s, pairable_store(func, s)?))).collect();
    let mut stores: Vec<StorePair> = Vec::new();
    let mut used = vec![false; candidates.len()];
    for (a, &(s0, ref lane0)) in candidates.iter().enumerate() {
        for (b, &(s1, ref lane1)) in candidates.iter().enumerate() {
            if used[a] || used[b] || a == b || lane0.ty != lane1.ty || lane0.heap != lane1.heap {
                continue;
            }
            if !pairer.adjacent((lane0.addr, lane0.offset), (lane1.addr, lane1.offset)) {
                continue;
            }
            let mark = pairer.nodes.len();
            match pairer.pair([lane0.value, lane1.value], lane0.ty) {
                Some(value) => {
                    stores.push(StorePair { lanes: [s0, s1], value });
                    used[a] = true;
                    used[b] = true;
                }
                None => pairer.nodes.truncate(mark),
            }
        }
    }
    if stores.is_empty() {
        return None;
    }
    let nodes = pairer.nodes;
    let mut paired: Vec<Inst> = stores.iter().flat_map(|s| s.lanes).collect();
    for node in &nodes {
        match node {
            Node::Load { lanes } | Node::Op { lanes, .. } => paired.extend(lanes),
            Node::Splat { .. } => {}
        }
    }
    let position = |i: Inst| body.iter().position(|&x| x == i).expect("paired instruction in the loop");
    let store_positions: Vec<usize> = stores.iter().flat_map(|s| s.lanes).map(position).collect();
    let last = *store_positions.iter().max()?;
    let first_store = *store_positions.iter().min()?;
    let first = paired.iter().map(|&i| position(i)).min()?;
    // The vector code runs at the last paired store: what it moves down must not pass a store
    // it does not know of, and the stores it moves must not pass a load it does not know of.
    for (p, &inst) in body.iter().enumerate().take(last).skip(first) {
        if paired.contains(&inst) {
            continue;
        }
        match func.insts[inst.index()] {
            InstData::Store { .. } => return None,
            InstData::Load { .. } if p > first_store => return None,
            _ => {}
        }
    }
    // Paired accesses whose order changes: a store and a load after it (the vector loop
    // loads first), two stores of different pairs.
    let mut apart = Vec::new();
    let lane_access = |i: Inst| -> Option<(Affine, u32)> {
        match func.insts[i.index()] {
            InstData::Load { addr, offset, .. } | InstData::Store { addr, offset, .. } => Some((reader.read(addr)?, offset)),
            _ => None,
        }
    };
    let loads: Vec<Inst> = nodes
        .iter()
        .filter_map(|n| match n {
            Node::Load { lanes } => Some(*lanes),
            _ => None,
        })
        .flatten()
        .collect();
    for (k, pair) in stores.iter().enumerate() {
        for &s in &pair.lanes {
            let later_loads = loads.iter().filter(|&&l| position(l) > position(s));
            let other_stores = stores[k + 1..].iter().flat_map(|p| p.lanes);
            for other in later_loads.copied().chain(other_stores) {
                let (a, b) = (lane_access(s)?, lane_access(other)?);
                match overlap(lp, a, b)? {
                    Overlap::Never => {}
                    Overlap::Always => return None,
                    Overlap::Unknown => apart.push(Apart { a, b }),
                }
            }
        }
    }
    let mut accesses = Vec::new();
    for lanes in stores.iter().map(|s| s.lanes).chain(loads.chunks(2).map(|l| [l[0], l[1]])) {
        let (address, offset) = lane_access(lanes[0])?;
        // The stride must be small and upward, so that the last iteration's access bounds the others.
        if address.stride(lp) >= 1 << 16 {
            return None;
        }
        if !accesses.iter().any(|a: &VectorAccess| a.address == address && a.offset == offset) {
            accesses.push(VectorAccess { address, offset });
        }
    }
    if apart.len() > 8 || accesses.len() > 8 {
        return None;
    }
    Some(Plan { nodes, stores, emit_at: body[last], paired, accesses, apart })
}

enum Overlap {
    Never,
    Always,
    /// Depends on values only known at run time.
    Unknown,
}

/// Whether two 8-byte accesses overlap, for accesses that lie within memory (whose size is
/// below 2^32 − 2^16, so that an address difference below 8 in 32-bit arithmetic is the
/// true one). `None`: the difference changes from iteration to iteration.
fn overlap(lp: &CountedLoop, a: (Affine, u32), b: (Affine, u32)) -> Option<Overlap> {
    if a.0.stride(lp) != b.0.stride(lp) {
        return None;
    }
    if !a.0.same_terms(&b.0) {
        return Some(Overlap::Unknown);
    }
    let difference = a.0.constant.wrapping_add(a.1).wrapping_sub(b.0.constant.wrapping_add(b.1));
    Some(if difference.wrapping_add(7) < 15 { Overlap::Always } else { Overlap::Never })
}

struct StoreLane {
    ty: Type,
    heap: Value,
    addr: Value,
    offset: u32,
    value: Value,
}

fn pairable_store(func: &Function, inst: Inst) -> Option<StoreLane> {
    match func.insts[inst.index()] {
        InstData::Store { ty: ty @ (Type::F64 | Type::I64), size: MemSize::Full, heap, addr, offset, value }
            if is_memory0_base(func, heap) =>
        {
            Some(StoreLane { ty, heap, addr, offset, value })
        }
        _ => None,
    }
}

/// Whether `heap` is memory 0's base, read from the vmctx: the memory whose length the
/// preheader's bounds check reads.
fn is_memory0_base(func: &Function, heap: Value) -> bool {
    let vmctx = func.blocks[func.entry().index()].params[0];
    matches!(def_data(func, heap), Some(&InstData::LoadPtr { ptr, offset: vmctx::MEM0_BASE, .. }) if ptr == vmctx)
}

struct Pairer<'a> {
    func: &'a Function,
    reader: &'a AffineReader<'a>,
    in_loop: &'a [bool],
    uses: &'a [u32],
    nodes: Vec<Node>,
}

impl Pairer<'_> {
    /// Whether lane 1's effective address is lane 0's plus 8 whenever lane 0's 16 bytes lie
    /// within memory.
    fn adjacent(&self, lane0: (Value, u32), lane1: (Value, u32)) -> bool {
        let (Some(a0), Some(a1)) = (self.reader.read(lane0.0), self.reader.read(lane1.0)) else {
            return false;
        };
        if !a0.same_terms(&a1) {
            return false;
        }
        match a1.constant.wrapping_sub(a0.constant) {
            8 => lane1.1 == lane0.1,
            0 => lane0.1.checked_add(8) == Some(lane1.1),
            _ => false,
        }
    }

    /// The node computing `lanes` (of scalar type `ty`), built with everything below it.
    fn pair(&mut self, lanes: [Value; 2], ty: Type) -> Option<usize> {
        if lanes[0] == lanes[1] {
            let op = if ty == Type::F64 { SimdOp::F64x2Splat } else { SimdOp::I64x2Splat };
            return Some(self.push(Node::Splat { scalar: lanes[0], op }));
        }
        // Each lane's instruction is in the loop and computes only this lane.
        let inst = |v: Value| match self.func.values[v.index()].def {
            ValueDef::Result(i, 0) if self.in_loop[v.index()] && self.uses[v.index()] == 1 => Some(i),
            _ => None,
        };
        let insts = [inst(lanes[0])?, inst(lanes[1])?];
        let (d0, d1) = (def_data(self.func, lanes[0])?, def_data(self.func, lanes[1])?);
        match (d0, d1) {
            (
                &InstData::Load { ty: t0, size: MemSize::Full, heap: h0, addr: a0, offset: o0 },
                &InstData::Load { ty: t1, size: MemSize::Full, heap: h1, addr: a1, offset: o1 },
            ) if t0 == ty && t1 == ty && h0 == h1 && is_memory0_base(self.func, h0) && self.adjacent((a0, o0), (a1, o1)) => {
                Some(self.push(Node::Load { lanes: insts }))
            }
            (&InstData::Binary { op, ty: t0, args: x }, &InstData::Binary { op: op1, ty: t1, args: y })
                if op == op1 && t0 == ty && t1 == ty =>
            {
                let vop = vector_binary(op, ty)?;
                let mark = self.nodes.len();
                let args = match self.pair_operands(x, y, ty) {
                    Some(args) => args,
                    None if commutative(op) => {
                        self.nodes.truncate(mark);
                        self.pair_operands(x, [y[1], y[0]], ty)?
                    }
                    None => return None,
                };
                Some(self.push(Node::Op { op: vop, lanes: insts, args }))
            }
            (&InstData::Unary { op, ty: t0, arg: x }, &InstData::Unary { op: op1, ty: t1, arg: y })
                if op == op1 && t0 == ty && t1 == ty =>
            {
                let vop = vector_unary(op, ty)?;
                let arg = self.pair([x, y], ty)?;
                Some(self.push(Node::Op { op: vop, lanes: insts, args: vec![arg] }))
            }
            _ => None,
        }
    }

    /// Operand `i` of lane 0 with operand `i` of lane 1, for both operands.
    fn pair_operands(&mut self, x: [Value; 2], y: [Value; 2], ty: Type) -> Option<Vec<usize>> {
        Some(vec![self.pair([x[0], y[0]], ty)?, self.pair([x[1], y[1]], ty)?])
    }

    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }
}

/// Float add and multiply commute too here: the lanes' NaN payloads are Wasm's to choose.
fn commutative(op: BinaryOp) -> bool {
    op.is_commutative() || matches!(op, BinaryOp::Fadd | BinaryOp::Fmul)
}

/// The vector operation doing `op` on both lanes, with the same result per lane (NaN
/// payloads aside, which Wasm leaves open for both).
fn vector_binary(op: BinaryOp, ty: Type) -> Option<SimdOp> {
    Some(match (ty, op) {
        (Type::F64, BinaryOp::Fadd) => SimdOp::F64x2Add,
        (Type::F64, BinaryOp::Fsub) => SimdOp::F64x2Sub,
        (Type::F64, BinaryOp::Fmul) => SimdOp::F64x2Mul,
        (Type::F64, BinaryOp::Fdiv) => SimdOp::F64x2Div,
        (Type::F64, BinaryOp::Fmin) => SimdOp::F64x2Min,
        (Type::F64, BinaryOp::Fmax) => SimdOp::F64x2Max,
        (Type::I64, BinaryOp::Iadd) => SimdOp::I64x2Add,
        (Type::I64, BinaryOp::Isub) => SimdOp::I64x2Sub,
        (Type::I64, BinaryOp::And) => SimdOp::V128And,
        (Type::I64, BinaryOp::Or) => SimdOp::V128Or,
        (Type::I64, BinaryOp::Xor) => SimdOp::V128Xor,
        _ => return None,
    })
}

fn vector_unary(op: UnaryOp, ty: Type) -> Option<SimdOp> {
    Some(match (ty, op) {
        (Type::F64, UnaryOp::Fabs) => SimdOp::F64x2Abs,
        (Type::F64, UnaryOp::Fneg) => SimdOp::F64x2Neg,
        (Type::F64, UnaryOp::Fsqrt) => SimdOp::F64x2Sqrt,
        (Type::F64, UnaryOp::Fceil) => SimdOp::F64x2Ceil,
        (Type::F64, UnaryOp::Ffloor) => SimdOp::F64x2Floor,
        (Type::F64, UnaryOp::Ftrunc) => SimdOp::F64x2Trunc,
        (Type::F64, UnaryOp::Fnearest) => SimdOp::F64x2Nearest,
        _ => return None,
    })
}
