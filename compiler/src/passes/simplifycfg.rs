//! Control-flow cleanup: route branches around empty blocks that only jump on (a `brif`
//! whose two ways then meet becomes a `jump`), then merge a block into its predecessor when
//! that predecessor jumps to it and nothing else does.
//!
//! The translator leaves many of both (one block per Wasm `block`, `loop` and `if` end).
//! Forwarding is limited to targets without parameters, so it creates no critical edge
//! that carries arguments (the backends would have to split it again).

use super::analyses::Analyses;
use super::dce::remove_unreachable_blocks;
use super::edit::{replace_uses, Aliases};
use crate::ir::{Block, Function, InstData};

/// Runs the pass; it rewrites edges, so the shared analyses go.
pub fn run(func: &mut Function, analyses: &mut Analyses) {
    forward_empty_blocks(func, analyses);
    merge_straight_lines(func);
    analyses.invalidate();
}

/// How many edges enter each block, from the laid-out blocks' terminators.
fn edge_counts(func: &Function) -> Vec<usize> {
    let mut counts = vec![0; func.blocks.len()];
    for &b in &func.layout {
        if let Some(term) = func.terminator(b) {
            for s in func.insts[term.index()].successors() {
                counts[s.index()] += 1;
            }
        }
    }
    counts
}

/// `b` ends with `jump c(args)` and that is the only edge into `c`: `c`'s instructions join
/// `b`'s, and `c`'s parameters become the arguments.
fn merge_straight_lines(func: &mut Function) {
    let Some(&entry) = func.layout.first() else { return };
    let counts = edge_counts(func);
    let mut aliases = Aliases::new(func);
    let mut merged = vec![false; func.blocks.len()];
    for i in 0..func.layout.len() {
        let b = func.layout[i];
        if merged[b.index()] {
            continue;
        }
        while let Some(term) = func.terminator(b) {
            let InstData::Jump { dest } = &func.insts[term.index()] else { break };
            let c = dest.block;
            if c == b || c == entry || counts[c.index()] != 1 {
                break;
            }
            for (&param, &arg) in func.blocks[c.index()].params.iter().zip(&dest.args) {
                aliases.set(param, arg);
            }
            let moved = std::mem::take(&mut func.blocks[c.index()].insts);
            let insts = &mut func.blocks[b.index()].insts;
            insts.pop();
            insts.extend(moved);
            merged[c.index()] = true;
        }
    }
    func.layout.retain(|b| !merged[b.index()]);
    replace_uses(func, &mut aliases);
}

/// Branches to an empty, parameterless block that jumps without arguments to a
/// parameterless block go straight there.
fn forward_empty_blocks(func: &mut Function, analyses: &mut Analyses) {
    let Some(&entry) = func.layout.first() else { return };
    let mut forward: Vec<Option<Block>> = vec![None; func.blocks.len()];
    for &b in &func.layout {
        let data = &func.blocks[b.index()];
        if b == entry || !data.params.is_empty() || data.insts.len() != 1 {
            continue;
        }
        if let InstData::Jump { dest } = &func.insts[data.insts[0].index()] {
            if dest.args.is_empty() && dest.block != b && func.blocks[dest.block.index()].params.is_empty() {
                forward[b.index()] = Some(dest.block);
            }
        }
    }
    // Follow chains of empty blocks; a cycle of them (an empty infinite loop) stays as it is.
    let limit = func.blocks.len();
    let resolve = |mut b: Block| {
        for _ in 0..limit {
            match forward[b.index()] {
                Some(next) => b = next,
                None => return b,
            }
        }
        b
    };
    let mut changed = false;
    for &b in &func.layout {
        let Some(term) = func.terminator(b) else { continue };
        let mut retarget = |t: &mut Block| {
            let to = resolve(*t);
            changed |= to != *t;
            *t = to;
        };
        match &mut func.insts[term.index()] {
            InstData::Jump { dest } => retarget(&mut dest.block),
            InstData::Brif { then_dest, else_dest, .. } => {
                retarget(&mut then_dest.block);
                retarget(&mut else_dest.block);
                if then_dest == else_dest {
                    let dest = then_dest.clone();
                    func.insts[term.index()] = InstData::Jump { dest };
                }
            }
            InstData::BrTable { targets, default, .. } => {
                targets.iter_mut().for_each(&mut retarget);
                retarget(default);
            }
            _ => {}
        }
    }
    if changed {
        analyses.invalidate();
        remove_unreachable_blocks(func, analyses);
    }
}
