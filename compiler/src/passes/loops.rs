//! Natural loops: a back edge `latch -> header` where the header dominates the latch; the
//! body is every block that reaches the latch without passing through the header. Loops that
//! share a header are one loop. Irreducible cycles have no header and are not loops here.

use super::cfg::ControlFlowGraph;
use super::domtree::DomTree;
use crate::ir::Block;

pub struct Loop {
    pub header: Block,
    /// The blocks of the loop, the header included, in reverse postorder.
    pub body: Vec<Block>,
    /// The same blocks sorted by number, for membership tests.
    members: Vec<Block>,
}

impl Loop {
    pub fn contains(&self, b: Block) -> bool {
        self.members.binary_search(&b).is_ok()
    }
}

/// The loops of the function, innermost first (a nested loop is smaller than its parent).
pub fn find_loops(cfg: &ControlFlowGraph, domtree: &DomTree, num_blocks: usize) -> Vec<Loop> {
    let mut loops = Vec::new();
    // Scratch membership flags, cleared after each loop so the cost stays per body size.
    let mut in_body = vec![false; num_blocks];
    for &header in cfg.reverse_postorder() {
        let latches: Vec<Block> = cfg
            .preds(header)
            .iter()
            .copied()
            .filter(|&p| domtree.dominates(header, p))
            .collect();
        if latches.is_empty() {
            continue;
        }
        in_body[header.index()] = true;
        let mut body = vec![header];
        let mut work = latches;
        while let Some(b) = work.pop() {
            if in_body[b.index()] {
                continue;
            }
            in_body[b.index()] = true;
            body.push(b);
            work.extend(
                cfg.preds(b)
                    .iter()
                    .copied()
                    .filter(|&p| cfg.is_reachable(p)),
            );
        }
        for b in &body {
            in_body[b.index()] = false;
        }
        body.sort_by_key(|&b| cfg.rpo_number(b));
        let mut members = body.clone();
        members.sort();
        loops.push(Loop {
            header,
            body,
            members,
        });
    }
    loops.sort_by_key(|l| l.body.len());
    loops
}
