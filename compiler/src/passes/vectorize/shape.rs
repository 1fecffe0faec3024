//! The loops the vectorizer takes, and addresses as affine functions of their counter.

use super::super::cfg::ControlFlowGraph;
use super::super::eval::Const;
use crate::ir::{BinaryOp, Block, Function, InstData, IntCC, Type, Value, ValueDef};

/// A loop of one block that counts: its counter (a parameter) grows by `step` per iteration,
/// and the loop leaves after the iteration in which `counter + step` equals `end`.
pub(super) struct CountedLoop {
    pub block: Block,
    /// The only way in: a block that jumps to `block` and nowhere else.
    pub preheader: Block,
    /// The counter's index among the block's parameters.
    pub counter: usize,
    /// A power of two below 2^16.
    pub step: u32,
    /// Defined outside the loop; `None` stands for 0 (`brif counter_next, ...`).
    pub end: Option<Value>,
    /// Per parameter, what it grows by per iteration if it is an induction variable (the
    /// counter, pointers that advance with it).
    pub steps: Vec<Option<u32>>,
}

/// The loop of one block `block`, if it is one and counts. A block that branches to itself
/// and has one other predecessor, which jumps to it, is such a loop: that predecessor is
/// outside the loop (the block, not the entry, is only reached through it) and its preheader.
pub(super) fn counted_loop(func: &Function, cfg: &ControlFlowGraph, block: Block) -> Option<CountedLoop> {
    let preheader = match *cfg.preds(block) {
        [a, b] if a == block && b != block => b,
        [a, b] if b == block && a != block => a,
        _ => return None,
    };
    if block == func.entry() || !cfg.is_reachable(block) {
        return None;
    }
    let pre_term = func.terminator(preheader)?;
    if !matches!(func.insts[pre_term.index()], InstData::Jump { .. }) {
        return None;
    }
    let term = func.terminator(block)?;
    let InstData::Brif { cond, then_dest, else_dest } = &func.insts[term.index()] else {
        return None;
    };
    // Which edge goes round, and whether it is taken when `cond` is non-zero.
    let (back, again_if_nonzero) = match (then_dest.block == block, else_dest.block == block) {
        (true, false) => (then_dest, true),
        (false, true) => (else_dest, false),
        _ => return None,
    };
    let params = &func.blocks[block.index()].params;
    let inside = |v: Value| defined_in(func, v, block);
    // The next counter value: `param + step`, passed back to that parameter.
    let as_next = |v: Value| -> Option<(usize, u32)> {
        let InstData::Binary { op: BinaryOp::Iadd, ty: Type::I32, args } = def_data(func, v)? else {
            return None;
        };
        let counter = params.iter().position(|&p| p == args[0])?;
        let step = Const::of_value(func, args[1])?.as_i64()? as u32;
        (back.args.get(counter) == Some(&v)).then_some((counter, step))
    };
    let ((counter, step), end) = match def_data(func, *cond) {
        Some(InstData::Icmp { cond: cc, ty: Type::I32, args })
            if (*cc == IntCC::Ne) == again_if_nonzero && matches!(cc, IntCC::Ne | IntCC::Eq) =>
        {
            match (as_next(args[0]), as_next(args[1])) {
                (Some(next), _) if !inside(args[1]) => (next, Some(args[1])),
                (_, Some(next)) if !inside(args[0]) => (next, Some(args[0])),
                _ => return None,
            }
        }
        _ if again_if_nonzero => (as_next(*cond)?, None),
        _ => return None,
    };
    // Every parameter passed back as `itself + constant` is an induction variable.
    let steps = (0..params.len())
        .map(|k| {
            let InstData::Binary { op: BinaryOp::Iadd, ty: Type::I32, args } = def_data(func, back.args[k])? else {
                return None;
            };
            (args[0] == params[k]).then(|| Const::of_value(func, args[1])?.as_i64()).flatten().map(|c| c as u32)
        })
        .collect();
    (step.is_power_of_two() && step < 1 << 16).then_some(CountedLoop { block, preheader, counter, step, end, steps })
}

/// The instruction data that defines `v`, if an instruction does.
pub(super) fn def_data(func: &Function, v: Value) -> Option<&InstData> {
    match func.values[v.index()].def {
        ValueDef::Result(inst, _) => Some(&func.insts[inst.index()]),
        ValueDef::Param(..) => None,
    }
}

/// Whether `v` is a parameter of `block` or the result of one of its instructions.
fn defined_in(func: &Function, v: Value, block: Block) -> bool {
    match func.values[v.index()].def {
        ValueDef::Param(b, _) => b == block,
        ValueDef::Result(inst, _) => func.blocks[block.index()].insts.contains(&inst),
    }
}

/// `base + scale * iv + constant`, in 32-bit wrapping arithmetic: `iv` is an induction
/// variable of the loop (a parameter index; `None`: no such term) and `base` a value defined
/// outside the loop (`None`: 0).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(super) struct Affine {
    pub base: Option<Value>,
    pub iv: Option<usize>,
    pub scale: u32,
    pub constant: u32,
}

impl Affine {
    fn add(self, other: Affine) -> Option<Affine> {
        let base = match (self.base, other.base) {
            (Some(_), Some(_)) => return None,
            (a, b) => a.or(b),
        };
        let iv = match (self.iv, other.iv) {
            (Some(a), Some(b)) if a != b => return None,
            (a, b) => a.or(b),
        };
        Some(Affine {
            base,
            iv,
            scale: self.scale.wrapping_add(other.scale),
            constant: self.constant.wrapping_add(other.constant),
        })
    }

    /// Times `k`; only without a base (`k * base` is no value of the function).
    fn times(self, k: u32) -> Option<Affine> {
        if self.base.is_some() && k != 1 {
            return None;
        }
        Some(Affine { scale: self.scale.wrapping_mul(k), constant: self.constant.wrapping_mul(k), ..self })
    }

    /// How much the value grows per iteration.
    pub fn stride(&self, lp: &CountedLoop) -> u32 {
        self.iv.and_then(|k| lp.steps[k]).map_or(0, |step| step.wrapping_mul(self.scale))
    }

    /// Whether the two differ by the same amount in every iteration, known at compile time.
    pub fn same_terms(&self, other: &Affine) -> bool {
        self.base == other.base && self.iv == other.iv && self.scale == other.scale
    }
}

/// Reads i32 values of a loop as affine functions of its induction variables.
pub(super) struct AffineReader<'a> {
    pub func: &'a Function,
    pub lp: &'a CountedLoop,
    /// Indexed by value: defined in the loop's block.
    pub in_loop: &'a [bool],
}

impl AffineReader<'_> {
    pub fn read(&self, v: Value) -> Option<Affine> {
        self.read_within(v, 8)
    }

    fn read_within(&self, v: Value, depth: u32) -> Option<Affine> {
        let constant = |c: u32| Affine { base: None, iv: None, scale: 0, constant: c };
        if let ValueDef::Param(b, k) = self.func.values[v.index()].def {
            if b == self.lp.block {
                let k = k as usize;
                return self.lp.steps[k].map(|_| Affine { base: None, iv: Some(k), scale: 1, constant: 0 });
            }
        }
        if let Some(Const::I32(c)) = Const::of_value(self.func, v) {
            return Some(constant(c as u32));
        }
        if !self.in_loop[v.index()] {
            return Some(Affine { base: Some(v), iv: None, scale: 0, constant: 0 });
        }
        if depth == 0 {
            return None;
        }
        let InstData::Binary { op, ty: Type::I32, args } = def_data(self.func, v)? else {
            return None;
        };
        let k = |v: Value| match Const::of_value(self.func, v) {
            Some(Const::I32(c)) => Some(c as u32),
            _ => None,
        };
        let read = |v: Value| self.read_within(v, depth - 1);
        match op {
            BinaryOp::Iadd => read(args[0])?.add(read(args[1])?),
            BinaryOp::Isub => read(args[0])?.add(read(args[1])?.times(u32::MAX)?),
            BinaryOp::Shl => read(args[0])?.times(1u32.checked_shl(k(args[1])? & 31)?),
            BinaryOp::Imul => match (k(args[0]), k(args[1])) {
                (_, Some(c)) => read(args[0])?.times(c),
                (Some(c), _) => read(args[1])?.times(c),
                _ => None,
            },
            _ => None,
        }
    }
}
