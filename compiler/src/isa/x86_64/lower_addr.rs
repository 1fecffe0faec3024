//! What the accesses of a function say about its address arithmetic, before instruction
//! selection: which `x + c` cannot wrap because an access at `x` already ran (earlier in its
//! block or in a block that dominates it), and which address values only ever serve as the
//! address of accesses in their own block.
//!
//! The runtime caps every memory at 65535 pages (`MAX_MEMORY_PAGES` in runtime-lib), so a memory
//! ends at least 64 KiB below 4 GiB. An access at `x` that did not trap had `x + offset + size`
//! within the memory, so `x < 2^32 - 65536` and `x + c` does not wrap for any `c < 65536`:
//! the Wasm address `zext32(x + c)` is the 64-bit `zext(x) + c`, which the access can compute
//! in its machine address. Selection keeps accesses in program order (a load folded into its
//! user moves past no other access), so an access after such an add runs after the access at
//! `x`.

use super::lower::Lower;
use crate::ir::{BinaryOp, InstData, Type, Value};
use crate::passes::{cfg::ControlFlowGraph, domtree::DomTree};

/// The largest `c` an access at `x` proves `x + c` free of wrapping for.
const MAX_DISP_AFTER_ACCESS: u64 = 65535;

/// Per-function facts from [`Lower::scan_accesses`].
#[derive(Default)]
pub(super) struct AddrFacts {
    /// Per instruction: an i32 `x + c` (0 < c < 65536) defined after an access at address `x`
    /// ran: earlier in its block, or in a block that dominates it.
    pub after_access: Vec<bool>,
    /// Per value: uses as the address of a load or store in the block that defines it, and the
    /// largest offset among them.
    pub local_addr_uses: Vec<(u32, u32)>,
}

impl Lower<'_> {
    /// Fills `addr_facts` in one walk of the dominator tree, which keeps, per address value,
    /// how many accesses ran before the current instruction: those earlier in its block and
    /// those in the blocks that dominate it.
    pub(super) fn scan_accesses(&mut self) {
        let f = self.f;
        let mut facts = AddrFacts {
            after_access: vec![false; f.insts.len()],
            local_addr_uses: vec![(0, 0); f.values.len()],
        };
        // Per instruction, 1 + the number of its block once the walk has entered it.
        let mut block_of = vec![0u32; f.insts.len()];
        let mut accessed = vec![0u32; f.values.len()];
        let dom = DomTree::new(&ControlFlowGraph::new(f), f.blocks.len());
        let mut walk = vec![(f.entry(), false)];
        while let Some((b, leaving)) = walk.pop() {
            let mark = b.index() as u32 + 1;
            for &i in &f.blocks[b.index()].insts {
                match f.insts[i.index()] {
                    InstData::Load { addr, .. } | InstData::Store { addr, .. } if leaving => accessed[addr.index()] -= 1,
                    InstData::Load { addr, offset, .. } | InstData::Store { addr, offset, .. } => {
                        accessed[addr.index()] += 1;
                        if self.def_inst(addr).is_some_and(|d| block_of[d.index()] == mark) {
                            let uses = &mut facts.local_addr_uses[addr.index()];
                            *uses = (uses.0 + 1, uses.1.max(offset));
                        }
                    }
                    InstData::Binary { op: BinaryOp::Iadd, ty: Type::I32, args: [x, y] } if !leaving => {
                        let small = self.iconst(y).is_some_and(|c| (1..=MAX_DISP_AFTER_ACCESS).contains(&c));
                        facts.after_access[i.index()] = small && accessed[x.index()] > 0;
                    }
                    _ => {}
                }
                block_of[i.index()] = mark;
            }
            if !leaving {
                walk.push((b, true));
                walk.extend(dom.children(b).iter().map(|&c| (c, false)));
            }
        }
        self.addr_facts = facts;
    }

    /// An `x + c` address with at least two uses, all of them as the address of an access in
    /// its block that can fold it: the add, to be emitted inside each access.
    pub(super) fn add_folded_into_every_access(&self, v: Value) -> Option<crate::ir::Inst> {
        let d = self.def_inst(v)?;
        let (uses, max_offset) = *self.addr_facts.local_addr_uses.get(v.index())?;
        let all_uses = uses >= 2 && uses == self.use_counts[v.index()];
        (all_uses && self.address_parts(d, max_offset).is_some()).then_some(d)
    }
}
