//! Dominator tree (Cooper, Harvey and Kennedy, "A Simple, Fast Dominance Algorithm").

use super::cfg::ControlFlowGraph;
use crate::ir::Block;

#[derive(PartialEq, Debug)]
pub struct DomTree {
    /// Immediate dominator of each reachable block; the entry and unreachable blocks have none.
    idom: Vec<Option<Block>>,
    children: Vec<Vec<Block>>,
    /// Preorder entry and exit numbers in the tree: `a` dominates `b` iff `b`'s interval
    /// lies inside `a`'s.
    enter: Vec<u32>,
    exit: Vec<u32>,
    reachable: Vec<bool>,
}

impl DomTree {
    pub fn new(cfg: &ControlFlowGraph, num_blocks: usize) -> DomTree {
        let rpo = cfg.reverse_postorder();
        let mut idom: Vec<Option<Block>> = vec![None; num_blocks];
        if let Some(&entry) = rpo.first() {
            idom[entry.index()] = Some(entry);
        }
        let mut changed = true;
        while changed {
            changed = false;
            for &b in rpo.iter().skip(1) {
                let mut new_idom = None;
                for &p in cfg.preds(b) {
                    if idom[p.index()].is_none() {
                        continue;
                    }
                    new_idom = Some(match new_idom {
                        None => p,
                        Some(other) => intersect(cfg, &idom, p, other),
                    });
                }
                if new_idom.is_some() && idom[b.index()] != new_idom {
                    idom[b.index()] = new_idom;
                    changed = true;
                }
            }
        }
        if let Some(&entry) = rpo.first() {
            idom[entry.index()] = None;
        }
        let mut children = vec![Vec::new(); num_blocks];
        for &b in rpo {
            if let Some(parent) = idom[b.index()] {
                children[parent.index()].push(b);
            }
        }
        let mut tree = DomTree {
            idom,
            children,
            enter: vec![0; num_blocks],
            exit: vec![0; num_blocks],
            reachable: vec![false; num_blocks],
        };
        for &b in rpo {
            tree.reachable[b.index()] = true;
        }
        if let Some(&entry) = rpo.first() {
            tree.number(entry);
        }
        tree
    }

    fn number(&mut self, root: Block) {
        let mut clock = 0;
        let mut stack = vec![(root, 0usize)];
        self.enter[root.index()] = clock;
        while let Some(&mut (b, ref mut next_child)) = stack.last_mut() {
            if let Some(&c) = self.children[b.index()].get(*next_child) {
                *next_child += 1;
                clock += 1;
                self.enter[c.index()] = clock;
                stack.push((c, 0));
            } else {
                self.exit[b.index()] = clock;
                stack.pop();
            }
        }
    }

    pub fn idom(&self, b: Block) -> Option<Block> {
        self.idom.get(b.index()).copied().flatten()
    }

    /// Blocks immediately dominated by `b`, in reverse postorder.
    pub fn children(&self, b: Block) -> &[Block] {
        self.children.get(b.index()).map_or(&[], |c| &c[..])
    }

    /// True if every path from the entry to `b` goes through `a` (a block dominates itself).
    /// Unreachable blocks dominate nothing and are dominated by nothing.
    pub fn dominates(&self, a: Block, b: Block) -> bool {
        let reachable = |x: Block| self.reachable.get(x.index()).copied().unwrap_or(false);
        reachable(a)
            && reachable(b)
            && self.enter[a.index()] <= self.enter[b.index()]
            && self.exit[b.index()] <= self.exit[a.index()]
    }
}

fn intersect(cfg: &ControlFlowGraph, idom: &[Option<Block>], mut a: Block, mut b: Block) -> Block {
    let number = |x: Block| cfg.rpo_number(x).unwrap_or(0);
    while a != b {
        while number(a) > number(b) {
            a = idom[a.index()].unwrap_or(a);
        }
        while number(b) > number(a) {
            b = idom[b.index()].unwrap_or(b);
        }
    }
    a
}
