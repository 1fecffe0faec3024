//! Analyses shared between the passes of one pipeline run: the control-flow graph and the
//! dominator tree are built when a pass first asks for them and kept until a pass changes the
//! control flow (the graph was built about ten times per function, 4.5% of compile time).
//!
//! A pass that changes a terminator's targets, the layout or the number of blocks calls
//! [`Analyses::invalidate`]; passes that only rewrite values, instructions or block
//! parameters keep them. [`Analyses::check`] (run after every pass in debug builds) compares
//! what is kept with a fresh build, so a pass that forgets to invalidate fails the tests.

use super::cfg::ControlFlowGraph;
use super::domtree::DomTree;
use crate::ir::Function;

#[derive(Default)]
pub struct Analyses {
    cfg: Option<ControlFlowGraph>,
    domtree: Option<DomTree>,
}

impl Analyses {
    /// The control-flow graph of `func`.
    pub fn cfg(&mut self, func: &Function) -> &ControlFlowGraph {
        self.cfg.get_or_insert_with(|| ControlFlowGraph::new(func))
    }

    /// The control-flow graph of `func` and its dominator tree.
    pub fn cfg_and_domtree(&mut self, func: &Function) -> (&ControlFlowGraph, &DomTree) {
        let cfg = self.cfg.get_or_insert_with(|| ControlFlowGraph::new(func));
        let domtree = self.domtree.get_or_insert_with(|| DomTree::new(cfg, func.blocks.len()));
        (cfg, domtree)
    }

    /// Forget everything: the control flow of the function changed.
    pub fn invalidate(&mut self) {
        self.cfg = None;
        self.domtree = None;
    }

    /// Whether what is kept still describes `func`.
    pub fn check(&self, func: &Function) -> Result<(), String> {
        if self.cfg.is_none() {
            // The dominator tree is only ever kept with the graph it was built from.
            return Ok(());
        }
        let fresh = ControlFlowGraph::new(func);
        if self.cfg.as_ref().is_some_and(|cfg| *cfg != fresh) {
            return Err("the kept control-flow graph is out of date".to_string());
        }
        if self.domtree.as_ref().is_some_and(|d| *d != DomTree::new(&fresh, func.blocks.len())) {
            return Err("the kept dominator tree is out of date".to_string());
        }
        Ok(())
    }
}
