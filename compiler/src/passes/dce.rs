//! Dead-code elimination: drop blocks the entry cannot reach, instructions without side
//! effects whose results nobody needs, and block parameters nobody reads.
//!
//! Liveness starts from the instructions with side effects (terminators included) and flows
//! backwards through operands. A branch argument counts as a use only when the parameter it
//! feeds is live, so values that merely circulate between loop blocks die too.

use super::analyses::Analyses;
use super::cfg::ControlFlowGraph;
use super::edit::retain_block_params;
use crate::ir::{Block, BlockCall, Function, Inst, InstData, Value, ValueDef};

/// Runs the pass; the shared analyses are invalidated when blocks leave the layout.
pub fn run(func: &mut Function, analyses: &mut Analyses) {
    remove_unreachable_blocks(func, analyses);
    remove_dead_values(func, analyses.cfg(func));
}

/// Take the blocks the entry cannot reach out of the layout (invalidating the analyses when
/// any goes).
pub fn remove_unreachable_blocks(func: &mut Function, analyses: &mut Analyses) {
    let cfg = analyses.cfg(func);
    let before = func.layout.len();
    func.layout.retain(|&b| cfg.is_reachable(b));
    if func.layout.len() != before {
        analyses.invalidate();
    }
}

/// Visits the operands of `data` that are used whatever the successors need: everything
/// except the arguments passed to block parameters.
fn for_each_non_branch_arg(data: &InstData, mut f: impl FnMut(Value)) {
    match data {
        InstData::Jump { .. } => {}
        InstData::Brif { cond, .. } => f(*cond),
        _ => data.for_each_arg(f),
    }
}

fn remove_dead_values(func: &mut Function, cfg: &ControlFlowGraph) {
    let mut live_inst = vec![false; func.insts.len()];
    let mut live_value = vec![false; func.values.len()];
    let mut work: Vec<Value> = Vec::new();
    for &b in &func.layout {
        for &inst in &func.blocks[b.index()].insts {
            let data = &func.insts[inst.index()];
            if data.has_side_effects() {
                live_inst[inst.index()] = true;
                for_each_non_branch_arg(data, |v| mark(v, &mut live_value, &mut work));
            }
        }
    }
    while let Some(v) = work.pop() {
        match func.values[v.index()].def {
            ValueDef::Result(inst, _) => {
                if !live_inst[inst.index()] {
                    live_inst[inst.index()] = true;
                    func.insts[inst.index()].for_each_arg(|arg| mark(arg, &mut live_value, &mut work));
                }
            }
            ValueDef::Param(block, n) => {
                for &pred in cfg.preds(block) {
                    let Some(term) = func.terminator(pred) else {
                        continue;
                    };
                    for_each_branch_arg(&func.insts[term.index()], block, n as usize, |arg| {
                        mark(arg, &mut live_value, &mut work)
                    });
                }
            }
        }
    }
    let entry_params = func.blocks[func.entry().index()].params.clone();
    retain_block_params(func, |p| live_value[p.index()] || entry_params.contains(&p));
    for &b in &func.layout {
        func.blocks[b.index()]
            .insts
            .retain(|&i: &Inst| live_inst[i.index()]);
    }
}

fn mark(v: Value, live_value: &mut [bool], work: &mut Vec<Value>) {
    if !live_value[v.index()] {
        live_value[v.index()] = true;
        work.push(v);
    }
}

/// The argument that `branch` passes to parameter `n` of `target`, on each of its edges there.
fn for_each_branch_arg(branch: &InstData, target: Block, n: usize, mut f: impl FnMut(Value)) {
    let mut visit = |call: &BlockCall| {
        if call.block == target {
            if let Some(&arg) = call.args.get(n) {
                f(arg);
            }
        }
    };
    match branch {
        InstData::Jump { dest } => visit(dest),
        InstData::Brif {
            then_dest,
            else_dest,
            ..
        } => {
            visit(then_dest);
            visit(else_dest);
        }
        _ => {}
    }
}
