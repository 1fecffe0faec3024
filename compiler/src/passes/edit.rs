//! Small editing operations that several passes share.

use crate::ir::{Block, BlockCall, Function, InstData, Value, ValueDef};

/// Values to be replaced by others, resolved transitively (`v3 -> v2 -> v1` gives `v1`).
#[derive(Default)]
pub struct Aliases {
    target: Vec<Option<Value>>,
}

impl Aliases {
    pub fn new(func: &Function) -> Aliases {
        Aliases {
            target: vec![None; func.values.len()],
        }
    }

    /// Make every use of `from` a use of `to`. An alias that would close a cycle is ignored.
    pub fn set(&mut self, from: Value, to: Value) {
        if self.resolve(to) == from {
            return;
        }
        if from.index() >= self.target.len() {
            self.target.resize(from.index() + 1, None);
        }
        self.target[from.index()] = Some(to);
    }

    /// The value `v` finally stands for. Paths are compressed, so long chains of copies
    /// (a loop-carried local through many blocks) cost linear time overall.
    pub fn resolve(&mut self, v: Value) -> Value {
        let mut root = v;
        while let Some(Some(next)) = self.target.get(root.index()) {
            root = *next;
        }
        let mut cur = v;
        while let Some(Some(next)) = self.target.get(cur.index()).copied() {
            self.target[cur.index()] = Some(root);
            cur = next;
        }
        root
    }

    pub fn is_empty(&self) -> bool {
        self.target.iter().all(Option::is_none)
    }

    pub fn is_aliased(&self, v: Value) -> bool {
        matches!(self.target.get(v.index()), Some(Some(_)))
    }
}

/// Rewrite every operand in the laid-out blocks through `aliases`.
pub fn replace_uses(func: &mut Function, aliases: &mut Aliases) {
    if aliases.is_empty() {
        return;
    }
    for &b in &func.layout {
        for &inst in &func.blocks[b.index()].insts {
            func.insts[inst.index()].map_args(|v| aliases.resolve(v));
        }
    }
}

/// Drop the parameters of non-entry blocks for which `keep` is false, with the matching
/// argument of every branch to them, and renumber the remaining parameters' definitions.
pub fn retain_block_params(func: &mut Function, keep: impl Fn(Value) -> bool) {
    let Some(&entry) = func.layout.first() else {
        return;
    };
    // Which parameters stay, for the blocks that lose some; branches to other blocks stay
    // as they are.
    let mut kept: Vec<Option<Vec<bool>>> = vec![None; func.blocks.len()];
    for &b in &func.layout {
        let params = &func.blocks[b.index()].params;
        if b != entry && !params.iter().all(|&p| keep(p)) {
            kept[b.index()] = Some(params.iter().map(|&p| keep(p)).collect());
        }
    }
    if kept.iter().all(Option::is_none) {
        return;
    }
    let filter = |call: &mut BlockCall| {
        if let Some(Some(keep_param)) = kept.get(call.block.index()) {
            let mut n = 0;
            call.args.retain(|_| {
                n += 1;
                keep_param.get(n - 1).copied().unwrap_or(true)
            });
        }
    };
    for &b in &func.layout {
        let Some(&last) = func.blocks[b.index()].insts.last() else {
            continue;
        };
        match &mut func.insts[last.index()] {
            InstData::Jump { dest } => filter(dest),
            InstData::Brif { then_dest, else_dest, .. } => {
                filter(then_dest);
                filter(else_dest);
            }
            _ => {}
        }
    }
    for (bi, keep_param) in kept.iter().enumerate() {
        let Some(keep_param) = keep_param else {
            continue;
        };
        let b = Block(bi as u32);
        let mut n = 0;
        func.blocks[bi].params.retain(|_| {
            n += 1;
            keep_param[n - 1]
        });
        for (n, &p) in func.blocks[bi].params.iter().enumerate() {
            func.values[p.index()].def = ValueDef::Param(b, n as u32);
        }
    }
}
