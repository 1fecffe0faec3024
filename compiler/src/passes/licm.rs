//! Loop-invariant code motion: pure instructions (and `readonly` pointer loads, such as the
//! heap base) whose operands are all defined outside a loop move to the loop's preheader, so
//! they run once instead of once per iteration.
//!
//! Every loop first gets a preheader: a block outside the loop whose only successor is the
//! header and through which every entry into the loop passes. Loops are processed innermost
//! first; an inner preheader lies in the outer loop, so invariants keep moving outwards.
//! Only instructions without side effects move: they cannot trap, so running them when the
//! loop body would not have is harmless.

use super::analyses::Analyses;
use super::cfg::ControlFlowGraph;
use super::edit::{replace_uses, Aliases};
use super::gvn;
use super::loops::{find_loops, Loop};
use crate::ir::{Block, BlockCall, Function, Inst, InstData, ValueDef};

/// Runs the pass; the shared analyses are invalidated when preheaders are added.
pub fn run(func: &mut Function, analyses: &mut Analyses) {
    if func.layout.is_empty() {
        return;
    }
    let (cfg, domtree) = analyses.cfg_and_domtree(func);
    let mut added_preheader = false;
    for lp in find_loops(cfg, domtree, func.blocks.len()) {
        if preheader(func, cfg, &lp).is_none() {
            insert_preheader(func, cfg, &lp);
            added_preheader = true;
        }
    }
    if added_preheader {
        analyses.invalidate();
    }
    let (cfg, domtree) = analyses.cfg_and_domtree(func);
    let mut inst_block = vec![None; func.insts.len()];
    for &b in &func.layout {
        for &inst in &func.blocks[b.index()].insts {
            inst_block[inst.index()] = Some(b);
        }
    }
    let mut targets = Vec::new();
    for lp in find_loops(cfg, domtree, func.blocks.len()) {
        if let Some(pre) = preheader(func, cfg, &lp) {
            if hoist(func, &lp, pre, &mut inst_block) {
                targets.push(pre);
            }
        }
    }
    // Invariants hoisted from branches that do not dominate one another (the cases of a
    // switch) meet in one preheader, where equal ones merge: value numbering ran before and
    // could not merge them.
    let mut aliases = Aliases::new(func);
    for pre in targets {
        gvn::merge_in_block(func, pre, &mut aliases);
    }
    if !aliases.is_empty() {
        replace_uses(func, &mut aliases);
    }
}

/// The existing preheader: the header's only predecessor outside the loop, if that block
/// jumps unconditionally to the header.
fn preheader(func: &Function, cfg: &ControlFlowGraph, lp: &Loop) -> Option<Block> {
    let mut outside = cfg
        .preds(lp.header)
        .iter()
        .copied()
        .filter(|&p| !lp.contains(p));
    let pred = outside.next()?;
    if outside.next().is_some() {
        return None;
    }
    let term = func.terminator(pred)?;
    matches!(func.insts[term.index()], InstData::Jump { .. }).then_some(pred)
}

/// A new block before the header that takes the header's parameters and passes them on; the
/// branches from outside the loop go to it instead of the header.
fn insert_preheader(func: &mut Function, cfg: &ControlFlowGraph, lp: &Loop) {
    let header = lp.header;
    let pre = func.create_block();
    let types: Vec<_> = func.blocks[header.index()]
        .params
        .iter()
        .map(|&v| func.value_type(v))
        .collect();
    let args = types
        .iter()
        .map(|&ty| func.append_block_param(pre, ty))
        .collect();
    func.append_inst(
        pre,
        InstData::Jump {
            dest: BlockCall {
                block: header,
                args,
            },
        },
        &[],
        0,
    );
    for &p in cfg.preds(header).iter().filter(|&&p| !lp.contains(p)) {
        let Some(term) = func.terminator(p) else {
            continue;
        };
        let retarget = |b: &mut Block| {
            if *b == header {
                *b = pre;
            }
        };
        match &mut func.insts[term.index()] {
            InstData::Jump { dest } => retarget(&mut dest.block),
            InstData::Brif {
                then_dest,
                else_dest,
                ..
            } => {
                retarget(&mut then_dest.block);
                retarget(&mut else_dest.block);
            }
            InstData::BrTable {
                targets, default, ..
            } => {
                targets.iter_mut().for_each(retarget);
                retarget(default);
            }
            _ => {}
        }
    }
    let at = func
        .layout
        .iter()
        .position(|&b| b == header)
        .unwrap_or(func.layout.len());
    func.layout.insert(at, pre);
}

/// Moves `lp`'s invariants into `pre`; says whether there were any.
fn hoist(func: &mut Function, lp: &Loop, pre: Block, inst_block: &mut [Option<Block>]) -> bool {
    let mut hoisted: Vec<Inst> = Vec::new();
    for &b in &lp.body {
        let insts = std::mem::take(&mut func.blocks[b.index()].insts);
        let mut kept = Vec::with_capacity(insts.len());
        for inst in insts {
            let data = &func.insts[inst.index()];
            let mut invariant = !data.has_side_effects();
            data.for_each_arg(|v| {
                let def_block = match func.values[v.index()].def {
                    ValueDef::Param(db, _) => Some(db),
                    ValueDef::Result(di, _) => inst_block[di.index()],
                };
                invariant &= def_block.is_some_and(|db| !lp.contains(db));
            });
            if invariant {
                inst_block[inst.index()] = Some(pre);
                hoisted.push(inst);
            } else {
                kept.push(inst);
            }
        }
        func.blocks[b.index()].insts = kept;
    }
    if hoisted.is_empty() {
        return false;
    }
    // Before the preheader's terminator, in the order found: operands before their uses.
    let pre_insts = &mut func.blocks[pre.index()].insts;
    let at = pre_insts.len().saturating_sub(1);
    pre_insts.splice(at..at, hoisted);
    true
}
