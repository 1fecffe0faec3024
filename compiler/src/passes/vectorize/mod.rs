//! Vectorization of unrolled loops (superword-level parallelism). In a counted loop of one
//! block, two stores of 8-byte values (f64 or i64) to adjacent addresses, whose values are
//! computed the same way from adjacent loads and shared values, become one computation on
//! `v128` pairs. Clang leaves exactly this when it unrolls a loop it cannot vectorize for Wasm
//! without SIMD: matrix and vector arithmetic over arrays of doubles, copies of 64-bit words.
//!
//! The vector body loads both lanes before it stores either, and it accesses 16 bytes at
//! once. That is the scalar loop's behaviour only if no store passes a load it overlaps, and if
//! no access traps halfway through an iteration (the scalar loop would have stored lane 0
//! before lane 1 trapped, and an embedder can look at memory after a trap). So the loop is
//! versioned: its preheader computes the trip count from the counter, checks that every paired
//! access of every iteration lies within memory and that the reordered accesses do not overlap,
//! and only then runs the vector copy; otherwise the original loop runs. In the copy the
//! paired accesses cannot trap, and nothing can grow memory (there are no calls). Values of the
//! loop used after it reach their uses through a join block, from whichever copy ran.
//!
//! - `shape`: which loops (one block, a counter stepping by a power of two up to an end value,
//!   other induction variables such as pointers), and addresses as `base + scale * iv +
//!   constant`;
//! - `pack`: the pairs, what they reorder, the checks that makes necessary;
//! - `emit`: the checks in the preheader, the vector copy of the loop, the join.

mod emit;
mod pack;
mod shape;

use super::analyses::Analyses;
use crate::ir::{Block, Function, InstData, Value};

pub fn run(func: &mut Function, analyses: &mut Analyses) {
    if func.layout.is_empty() {
        return;
    }
    // Blocks that branch to themselves, before any graph is built: most functions have none.
    let looping: Vec<Block> = func
        .layout
        .iter()
        .copied()
        .filter(|&b| match func.blocks[b.index()].insts.last().map(|t| &func.insts[t.index()]) {
            Some(InstData::Brif { then_dest, else_dest, .. }) => then_dest.block == b || else_dest.block == b,
            _ => false,
        })
        .collect();
    if looping.is_empty() {
        return;
    }
    let cfg = analyses.cfg(func);
    let candidates: Vec<shape::CountedLoop> =
        looping.into_iter().filter_map(|b| shape::counted_loop(func, cfg, b)).collect();
    if candidates.is_empty() {
        return;
    }
    let uses = use_counts(func);
    let escaping = escaping_values(func, &candidates);
    let mut in_loop = vec![false; func.values.len()];
    let mut changed = false;
    for (lp, escaping) in candidates.iter().zip(escaping) {
        if !emit::statically_possible(func, lp) {
            continue;
        }
        in_loop.resize(func.values.len(), false);
        mark_defined_in(func, lp.block, &mut in_loop, true);
        if let Some(plan) = pack::plan(func, lp, &in_loop, &uses) {
            emit::version(func, lp, &plan, &in_loop, &escaping);
            changed = true;
        }
        mark_defined_in(func, lp.block, &mut in_loop, false);
    }
    if changed {
        analyses.invalidate();
    }
}

/// How many times each value is an operand, over the laid-out blocks.
fn use_counts(func: &Function) -> Vec<u32> {
    let mut uses = vec![0u32; func.values.len()];
    for &b in &func.layout {
        for &inst in &func.blocks[b.index()].insts {
            func.insts[inst.index()].for_each_arg(|v| uses[v.index()] += 1);
        }
    }
    uses
}

/// Sets `flags` of the parameters and results of `block` to `to`.
fn mark_defined_in(func: &Function, block: Block, flags: &mut [bool], to: bool) {
    for &p in &func.blocks[block.index()].params {
        flags[p.index()] = to;
    }
    for &inst in &func.blocks[block.index()].insts {
        for &v in func.results(inst) {
            flags[v.index()] = to;
        }
    }
}

/// For each loop, its values used after it (other than through the exit's arguments, which
/// the exit block receives from either copy): the two copies' versions of them meet in a join
/// block.
fn escaping_values(func: &Function, loops: &[shape::CountedLoop]) -> Vec<Vec<Value>> {
    const NONE: u32 = u32::MAX;
    let mut owner = vec![NONE; func.values.len()];
    for (k, lp) in loops.iter().enumerate() {
        let block = &func.blocks[lp.block.index()];
        let results = block.insts.iter().flat_map(|&i| func.results(i).iter().copied());
        for v in block.params.iter().copied().chain(results) {
            owner[v.index()] = k as u32;
        }
    }
    let mut escaping = vec![Vec::new(); loops.len()];
    for &b in &func.layout {
        for &inst in &func.blocks[b.index()].insts {
            func.insts[inst.index()].for_each_arg(|v| {
                let k = owner[v.index()];
                if k != NONE && loops[k as usize].block != b && !escaping[k as usize].contains(&v) {
                    escaping[k as usize].push(v);
                }
            });
        }
    }
    escaping
}
