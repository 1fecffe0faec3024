//! Natural loops: a back edge `latch -> header` where the header dominates the latch; the
//! body is every block that reaches the latch without passing through the header. Loops that
//! share a header are one loop. Irreducible cycles have no header and are not loops here.

use super::cfg::ControlFlowGraph;
use super::domtree::DomTree;
use crate::ir::Block;

pub struct Loop {
    pub header: Block,
    /// `in_body[b]`: block `b` belongs to the loop (the header included).
    pub in_body: Vec<bool>,
    pub size: usize,
}

impl Loop {
    pub fn contains(&self, b: Block) -> bool {
        self.in_body.get(b.index()).copied().unwrap_or(false)
    }
}

/// The loops of the function, innermost first (a nested loop is smaller than its parent).
pub fn find_loops(cfg: &ControlFlowGraph, domtree: &DomTree, num_blocks: usize) -> Vec<Loop> {
    let mut loops = Vec::new();
    for &header in cfg.reverse_postorder() {
        let latches: Vec<Block> =
            cfg.preds(header).iter().copied().filter(|&p| domtree.dominates(header, p)).collect();
        if latches.is_empty() {
            continue;
        }
        let mut in_body = vec![false; num_blocks];
        in_body[header.index()] = true;
        let mut size = 1;
        let mut work = latches;
        while let Some(b) = work.pop() {
            if in_body[b.index()] {
                continue;
            }
            in_body[b.index()] = true;
            size += 1;
            work.extend(cfg.preds(b).iter().copied().filter(|&p| cfg.is_reachable(p)));
        }
        loops.push(Loop { header, in_body, size });
    }
    loops.sort_by_key(|l| l.size);
    loops
}
