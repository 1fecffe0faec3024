//! Copy propagation through block parameters.
//!
//! The translator gives every Wasm local a parameter at every join, so many parameters
//! receive the same value on every edge, or themselves around a loop. Such a parameter is a
//! copy: its uses become uses of that value and the parameter goes. Removing one can make
//! another trivial (Braun et al., "Simple and Efficient Construction of SSA Form", trivial
//! phi removal), so a worklist revisits the parameters fed by each one removed.
//!
//! Edges from unreachable blocks are ignored: they carry values no execution produces.

use super::analyses::Analyses;
use super::cfg::ControlFlowGraph;
use super::edit::{replace_uses, retain_block_params, Aliases};
use crate::ir::{Block, BlockCall, Function, InstData, Value};
use crate::ir::hash::FastHashMap;

/// A block parameter, by block and position.
type Param = (Block, usize);

/// Runs the pass; the shared analyses stay valid (parameters and arguments change, edges do not).
pub fn run(func: &mut Function, analyses: &mut Analyses) {
    let Some(&entry) = func.layout.first() else {
        return;
    };
    let cfg = analyses.cfg(func);
    // For each value, the parameters it is passed to.
    let mut feeds: FastHashMap<Value, Vec<Param>> = FastHashMap::default();
    let mut work: Vec<Param> = Vec::new();
    for &b in cfg.reverse_postorder() {
        for_each_reachable_edge(func, &cfg, b, |call| {
            for (n, &arg) in call.args.iter().enumerate() {
                feeds.entry(arg).or_default().push((call.block, n));
            }
        });
        if b != entry {
            work.extend(
                (0..func.blocks[b.index()].params.len())
                    .map(|n| (b, n))
                    .rev(),
            );
        }
    }
    work.reverse();
    let mut aliases = Aliases::new(func);
    while let Some((b, n)) = work.pop() {
        let param = func.blocks[b.index()].params[n];
        if aliases.is_aliased(param) {
            continue;
        }
        if let Some(value) = sole_incoming_value(func, &cfg, &mut aliases, b, n, param) {
            aliases.set(param, value);
            // Whatever `param` fed now sees `value`, and may have become trivial in turn.
            // Parameters already resolved never change again: drop them, so the lists that
            // move from alias to alias stay short.
            let mut fed = feeds.remove(&param).unwrap_or_default();
            fed.retain(|&(fb, fn_)| {
                fb != entry && !aliases.is_aliased(func.blocks[fb.index()].params[fn_])
            });
            work.extend(fed.iter().copied());
            feeds.entry(value).or_default().extend(fed);
        }
    }
    replace_uses(func, &mut aliases);
    retain_block_params(func, |p| !aliases.is_aliased(p));
}

/// Calls `f` with each branch target of `b`'s terminator, if `b` is reachable.
fn for_each_reachable_edge(
    func: &Function,
    cfg: &ControlFlowGraph,
    b: Block,
    mut f: impl FnMut(&BlockCall),
) {
    if !cfg.is_reachable(b) {
        return;
    }
    let Some(term) = func.terminator(b) else {
        return;
    };
    match &func.insts[term.index()] {
        InstData::Jump { dest } => f(dest),
        InstData::Brif {
            then_dest,
            else_dest,
            ..
        } => {
            f(then_dest);
            f(else_dest);
        }
        _ => {}
    }
}

/// The one value other than `param` itself that reachable edges pass to parameter `n` of `b`.
fn sole_incoming_value(
    func: &Function,
    cfg: &ControlFlowGraph,
    aliases: &mut Aliases,
    b: Block,
    n: usize,
    param: Value,
) -> Option<Value> {
    let mut sole = None;
    let mut conflict = false;
    for &pred in cfg.preds(b) {
        for_each_reachable_edge(func, cfg, pred, |call| {
            let Some(&arg) = call.args.get(n).filter(|_| call.block == b) else {
                return;
            };
            let arg = aliases.resolve(arg);
            if arg == param {
                return;
            }
            match sole {
                None => sole = Some(arg),
                Some(v) if v == arg => {}
                Some(_) => conflict = true,
            }
        });
    }
    if conflict {
        None
    } else {
        sole
    }
}
