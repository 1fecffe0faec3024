//! The control-flow graph of a function's layout: successors, predecessors, and a reverse
//! postorder of the blocks reachable from the entry.

use crate::ir::{Block, Function};

pub struct ControlFlowGraph {
    succs: Vec<Vec<Block>>,
    preds: Vec<Vec<Block>>,
    /// Reachable blocks, each before its successors except along back edges.
    rpo: Vec<Block>,
    /// Position of each block in `rpo`; `None` for unreachable blocks.
    rpo_number: Vec<Option<u32>>,
}

impl ControlFlowGraph {
    /// Edges to blocks outside the layout or outside `func.blocks` are ignored (the verifier
    /// reports them), so this never panics on malformed functions.
    pub fn new(func: &Function) -> ControlFlowGraph {
        let n = func.blocks.len();
        let mut in_layout = vec![false; n];
        for &b in &func.layout {
            if let Some(slot) = in_layout.get_mut(b.index()) {
                *slot = true;
            }
        }
        let mut succs = vec![Vec::new(); n];
        let mut preds = vec![Vec::new(); n];
        for &b in &func.layout {
            if !in_layout.get(b.index()).copied().unwrap_or(false) {
                continue;
            }
            let Some(&last) = func.blocks[b.index()].insts.last() else {
                continue;
            };
            let Some(data) = func.insts.get(last.index()) else {
                continue;
            };
            for s in data.successors() {
                if in_layout.get(s.index()).copied().unwrap_or(false)
                    && !succs[b.index()].contains(&s)
                {
                    succs[b.index()].push(s);
                    preds[s.index()].push(b);
                }
            }
        }
        let rpo = match func.layout.first() {
            Some(&entry) if in_layout.get(entry.index()).copied().unwrap_or(false) => {
                reverse_postorder(entry, &succs)
            }
            _ => Vec::new(),
        };
        let mut rpo_number = vec![None; n];
        for (i, &b) in rpo.iter().enumerate() {
            rpo_number[b.index()] = Some(i as u32);
        }
        ControlFlowGraph {
            succs,
            preds,
            rpo,
            rpo_number,
        }
    }

    /// Distinct successors, in the terminator's order.
    pub fn succs(&self, b: Block) -> &[Block] {
        self.succs.get(b.index()).map_or(&[], |s| &s[..])
    }

    /// Distinct predecessors (a block branching twice to `b` is listed once), including
    /// unreachable ones.
    pub fn preds(&self, b: Block) -> &[Block] {
        self.preds.get(b.index()).map_or(&[], |p| &p[..])
    }

    pub fn reverse_postorder(&self) -> &[Block] {
        &self.rpo
    }

    pub fn rpo_number(&self, b: Block) -> Option<u32> {
        self.rpo_number.get(b.index()).copied().flatten()
    }

    pub fn is_reachable(&self, b: Block) -> bool {
        self.rpo_number(b).is_some()
    }
}

/// Iterative depth-first search, so deep CFGs cannot overflow the native stack.
fn reverse_postorder(entry: Block, succs: &[Vec<Block>]) -> Vec<Block> {
    let mut visited = vec![false; succs.len()];
    let mut postorder = Vec::new();
    let mut stack = vec![(entry, 0usize)];
    visited[entry.index()] = true;
    while let Some((b, next_succ)) = stack.last_mut() {
        let b = *b;
        if let Some(&s) = succs[b.index()].get(*next_succ) {
            *next_succ += 1;
            if !visited[s.index()] {
                visited[s.index()] = true;
                stack.push((s, 0));
            }
        } else {
            postorder.push(b);
            stack.pop();
        }
    }
    postorder.reverse();
    postorder
}
