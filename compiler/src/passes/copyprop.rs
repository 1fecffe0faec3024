//! Copy propagation through block parameters.
//!
//! The translator gives every Wasm local a parameter at every join, so most parameters
//! receive the same value on every edge, or themselves around a loop. Such a parameter is a
//! copy: its uses become uses of that value and the parameter goes. Removing one can make
//! another trivial, so this runs to a fixed point (Braun et al., "Simple and Efficient
//! Construction of SSA Form", trivial phi removal).
//!
//! Edges from unreachable blocks are ignored: they carry values no execution produces.

use super::cfg::ControlFlowGraph;
use super::edit::{replace_uses, retain_block_params, Aliases};
use crate::ir::{Block, Function, InstData, Value};

pub fn run(func: &mut Function) {
    let Some(&entry) = func.layout.first() else { return };
    let cfg = ControlFlowGraph::new(func);
    let mut aliases = Aliases::new(func);
    let mut changed = true;
    while changed {
        changed = false;
        for &b in cfg.reverse_postorder() {
            if b == entry {
                continue;
            }
            for (n, &param) in func.blocks[b.index()].params.iter().enumerate() {
                if aliases.is_aliased(param) {
                    continue;
                }
                if let Some(value) = sole_incoming_value(func, &cfg, &mut aliases, b, n, param) {
                    aliases.set(param, value);
                    changed = true;
                }
            }
        }
    }
    replace_uses(func, &mut aliases);
    retain_block_params(func, |p| !aliases.is_aliased(p));
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
    for &pred in cfg.preds(b) {
        if !cfg.is_reachable(pred) {
            continue;
        }
        let term = func.terminator(pred)?;
        let calls = match &func.insts[term.index()] {
            InstData::Jump { dest } => vec![dest],
            InstData::Brif { then_dest, else_dest, .. } => vec![then_dest, else_dest],
            _ => Vec::new(),
        };
        for call in calls.into_iter().filter(|c| c.block == b) {
            let arg = aliases.resolve(*call.args.get(n)?);
            if arg == param {
                continue;
            }
            match sole {
                None => sole = Some(arg),
                Some(v) if v == arg => {}
                Some(_) => return None,
            }
        }
    }
    sole
}
