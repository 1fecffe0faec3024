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
    let keep_param = |func: &Function, b: Block, n: usize| -> bool {
        b == entry
            || func.blocks[b.index()]
                .params
                .get(n)
                .is_none_or(|&p| keep(p))
    };
    let mut edits = Vec::new();
    for &b in &func.layout {
        let Some(&last) = func.blocks[b.index()].insts.last() else {
            continue;
        };
        let mut data = func.insts[last.index()].clone();
        let filter = |call: &mut BlockCall| {
            let target = call.block;
            let mut n = 0;
            call.args.retain(|_| {
                n += 1;
                keep_param(func, target, n - 1)
            });
        };
        match &mut data {
            InstData::Jump { dest } => filter(dest),
            InstData::Brif {
                then_dest,
                else_dest,
                ..
            } => {
                filter(then_dest);
                filter(else_dest);
            }
            _ => continue,
        }
        edits.push((last, data));
    }
    for (inst, data) in edits {
        func.insts[inst.index()] = data;
    }
    for &b in &func.layout {
        if b == entry {
            continue;
        }
        let mut params = std::mem::take(&mut func.blocks[b.index()].params);
        params.retain(|&p| keep(p));
        for (n, &p) in params.iter().enumerate() {
            func.values[p.index()].def = ValueDef::Param(b, n as u32);
        }
        func.blocks[b.index()].params = params;
    }
}
