//! The control-flow graph of a function's layout: successors, predecessors, and a reverse
//! postorder of the blocks reachable from the entry.

use crate::ir::{Block, Function, InstData};

#[derive(PartialEq, Debug)]
pub struct ControlFlowGraph {
    /// Successors of block `b`: `succs[succ_start[b]..succ_start[b + 1]]` (one flat array
    /// rather than a vector per block: building the graph is most of what cheap passes cost).
    succs: Vec<Block>,
    succ_start: Vec<u32>,
    /// Predecessors, laid out the same way.
    preds: Vec<Block>,
    pred_start: Vec<u32>,
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
        let is_node = |b: Block| in_layout.get(b.index()).copied().unwrap_or(false);
        // Successor lists, block by block in index order.
        let mut succs = Vec::new();
        let mut succ_start = Vec::with_capacity(n + 1);
        for (bi, block) in func.blocks.iter().enumerate() {
            succ_start.push(succs.len() as u32);
            if !in_layout[bi] {
                continue;
            }
            let Some(data) = block.insts.last().and_then(|last| func.insts.get(last.index())) else {
                continue;
            };
            let first = succs.len();
            for_each_successor(data, |s| {
                if is_node(s) && !succs[first..].contains(&s) {
                    succs.push(s);
                }
            });
        }
        succ_start.push(succs.len() as u32);
        let entry = func.layout.first().copied().filter(|&e| is_node(e));
        // Predecessor lists: count, then place each edge, sources in layout order.
        let mut pred_start = vec![0u32; n + 1];
        for &s in &succs {
            pred_start[s.index() + 1] += 1;
        }
        for i in 0..n {
            pred_start[i + 1] += pred_start[i];
        }
        let mut fill = pred_start.clone();
        let mut preds = vec![Block(0); succs.len()];
        for &b in &func.layout {
            let Some(placed) = in_layout.get_mut(b.index()).filter(|placed| **placed) else {
                continue;
            };
            // A block listed twice in the layout contributes its edges once.
            *placed = false;
            for &s in &succs[succ_start[b.index()] as usize..succ_start[b.index() + 1] as usize] {
                preds[fill[s.index()] as usize] = b;
                fill[s.index()] += 1;
            }
        }
        let mut cfg = ControlFlowGraph { succs, succ_start, preds, pred_start, rpo: Vec::new(), rpo_number: vec![None; n] };
        if let Some(entry) = entry {
            cfg.rpo = reverse_postorder(entry, &cfg);
        }
        for (i, &b) in cfg.rpo.iter().enumerate() {
            cfg.rpo_number[b.index()] = Some(i as u32);
        }
        cfg
    }

    /// Distinct successors, in the terminator's order.
    pub fn succs(&self, b: Block) -> &[Block] {
        edge_list(&self.succs, &self.succ_start, b)
    }

    /// Distinct predecessors (a block branching twice to `b` is listed once), including
    /// unreachable ones.
    pub fn preds(&self, b: Block) -> &[Block] {
        edge_list(&self.preds, &self.pred_start, b)
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

fn edge_list<'a>(edges: &'a [Block], start: &[u32], b: Block) -> &'a [Block] {
    match (start.get(b.index()), start.get(b.index() + 1)) {
        (Some(&from), Some(&to)) => &edges[from as usize..to as usize],
        _ => &[],
    }
}

/// The successor blocks a terminator names, in order, repeats included (no allocation,
/// unlike `InstData::successors`).
fn for_each_successor(data: &InstData, mut f: impl FnMut(Block)) {
    match data {
        InstData::Jump { dest } => f(dest.block),
        InstData::Brif { then_dest, else_dest, .. } => {
            f(then_dest.block);
            f(else_dest.block);
        }
        InstData::BrTable { targets, default, .. } => {
            targets.iter().copied().for_each(&mut f);
            f(*default);
        }
        _ => {}
    }
}

/// Iterative depth-first search, so deep CFGs cannot overflow the native stack.
fn reverse_postorder(entry: Block, cfg: &ControlFlowGraph) -> Vec<Block> {
    let mut visited = vec![false; cfg.succ_start.len().saturating_sub(1)];
    let mut postorder = Vec::new();
    let mut stack = vec![(entry, 0usize)];
    visited[entry.index()] = true;
    while let Some((b, next_succ)) = stack.last_mut() {
        let b = *b;
        if let Some(&s) = cfg.succs(b).get(*next_succ) {
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
