//! Global value numbering: an instruction that recomputes a value already computed in a
//! dominating position is removed, and its uses take the earlier value.
//!
//! The walk goes down the dominator tree with a scoped hash table: what a block computes is
//! visible to the blocks it dominates and forgotten on the way back up.
//!
//! Eligible: pure instructions (constants, arithmetic, comparisons, conversions, `select`,
//! `readonly` pointer loads), and also those whose only effect is a deterministic trap
//! (division, trapping float-to-int): once the dominating copy has run without trapping, the
//! second would produce the same value without trapping either. Memory loads, calls and
//! ordinary pointer loads are never merged: what they read may change in between.

use super::analyses::Analyses;
use super::edit::{replace_uses, Aliases};
use crate::ir::{BinaryOp, ConvOp, FloatCC, Function, InstData, IntCC, SimdOp, Type, UnaryOp, Value};
use crate::ir::hash::FastHashMap;

/// What an instruction computes, with commutative operands in a canonical order.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Iconst(Type, i64),
    F32(u32),
    F64(u64),
    V128(u128),
    RefNull,
    Unary(UnaryOp, Type, Value),
    Binary(BinaryOp, Type, Value, Value),
    Icmp(IntCC, Type, Value, Value),
    Fcmp(FloatCC, Type, Value, Value),
    Conv(ConvOp, Type, Type, Value),
    Select(Type, Value, Value, Value),
    IsNull(Value),
    LoadPtr(Type, Value, i32),
    Simd(SimdOp, Vec<Value>),
}

/// The key of an eligible instruction. Every division and conversion gets one: those that
/// may trap are still deterministic (see the module comment).
fn key(data: &InstData) -> Option<Key> {
    use InstData::*;
    Some(match *data {
        Iconst { ty, imm } => Key::Iconst(ty, imm),
        F32const { bits } => Key::F32(bits),
        F64const { bits } => Key::F64(bits),
        V128const { bytes } => Key::V128(bytes),
        RefNull => Key::RefNull,
        Unary { op, ty, arg } => Key::Unary(op, ty, arg),
        Binary {
            op,
            ty,
            args: [a, b],
        } => {
            let (a, b) = if op.is_commutative() && b < a { (b, a) } else { (a, b) };
            Key::Binary(op, ty, a, b)
        }
        Icmp {
            cond,
            ty,
            args: [a, b],
        } => {
            let (a, b) = if matches!(cond, IntCC::Eq | IntCC::Ne) && b < a {
                (b, a)
            } else {
                (a, b)
            };
            Key::Icmp(cond, ty, a, b)
        }
        Fcmp {
            cond,
            ty,
            args: [a, b],
        } => Key::Fcmp(cond, ty, a, b),
        Conv { op, from, to, arg } => Key::Conv(op, from, to, arg),
        Select {
            ty,
            cond,
            args: [a, b],
        } => Key::Select(ty, cond, a, b),
        IsNull { arg } => Key::IsNull(arg),
        LoadPtr {
            ty,
            ptr,
            offset,
            readonly: true,
        } => Key::LoadPtr(ty, ptr, offset),
        Simd { op, ref args } => Key::Simd(op, args.clone()),
        _ => return None,
    })
}

/// A hash table whose insertions are undone when the scope that made them closes.
#[derive(Default)]
struct ScopedTable {
    map: FastHashMap<Key, Value>,
    undo: Vec<Key>,
    scope_starts: Vec<usize>,
}

impl ScopedTable {
    fn open(&mut self) {
        self.scope_starts.push(self.undo.len());
    }

    fn close(&mut self) {
        let start = self.scope_starts.pop().unwrap_or(0);
        for key in self.undo.drain(start..) {
            self.map.remove(&key);
        }
    }

    /// The value already recorded for `key`, or record `value` for it.
    fn lookup_or_insert(&mut self, key: Key, value: Value) -> Option<Value> {
        if let Some(&v) = self.map.get(&key) {
            return Some(v);
        }
        self.undo.push(key.clone());
        self.map.insert(key, value);
        None
    }
}

/// Runs the pass; the shared analyses stay valid (instructions go, edges stay).
pub fn run(func: &mut Function, analyses: &mut Analyses) {
    let Some(&entry) = func.layout.first() else {
        return;
    };
    let (_, domtree) = analyses.cfg_and_domtree(func);
    let mut aliases = Aliases::new(func);
    let mut table = ScopedTable::default();
    // Sized up front: rehashing as it grew cost a tenth of the pass.
    table.map.reserve(func.insts.len() / 4);
    // Explicit stack for the preorder walk; `None` marks leaving a block's scope.
    let mut stack = vec![Some(entry)];
    while let Some(item) = stack.pop() {
        let Some(b) = item else {
            table.close();
            continue;
        };
        table.open();
        stack.push(None);
        number_block(func, b, &mut table, &mut aliases);
        stack.extend(domtree.children(b).iter().rev().map(|&c| Some(c)));
    }
    replace_uses(func, &mut aliases);
}

/// Value numbering inside one block: a later instruction that recomputes what an earlier one
/// of the block computed goes, and `aliases` records where its uses must go. For the
/// blocks LICM hoists into, where invariants from sibling branches meet.
pub fn merge_in_block(func: &mut Function, b: crate::ir::Block, aliases: &mut Aliases) {
    number_block(func, b, &mut ScopedTable::default(), aliases);
}

/// Drops each instruction of block `b` whose value `table` already has (recording the alias),
/// and records the others.
fn number_block(func: &mut Function, b: crate::ir::Block, table: &mut ScopedTable, aliases: &mut Aliases) {
    let insts = std::mem::take(&mut func.blocks[b.index()].insts);
    let mut kept = Vec::with_capacity(insts.len());
    for inst in insts {
        func.insts[inst.index()].map_args(|v| aliases.resolve(v));
        let data = &func.insts[inst.index()];
        let results = func.results(inst);
        let merged = match (key(data), results) {
            (Some(k), &[result]) => table
                .lookup_or_insert(k, result)
                .map(|earlier| (result, earlier)),
            _ => None,
        };
        match merged {
            Some((result, earlier)) => aliases.set(result, earlier),
            None => kept.push(inst),
        }
    }
    func.blocks[b.index()].insts = kept;
}
