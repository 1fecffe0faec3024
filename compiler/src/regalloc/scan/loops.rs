//! Which values a loop keeps in registers on entry.
//!
//! A loop header's entry state is fixed by the first edge that reaches it, the preheader; every
//! back edge must then restore it. Taken as it stands, that state can keep values the loop
//! hardly reads in registers while the body needs more registers than there are: the body
//! evicts them, and every back edge reloads them. So when the loop's register pressure exceeds
//! the registers, the live-ins it reads least (uses weighted by nesting depth) wait in their
//! slots, as many as the excess; and a value the loop reads but that was spilled before it is
//! reloaded once in the preheader when a register is free, rather than at each use.

use super::liveness::BitSet;
use super::Scan;
use crate::regalloc::{OperandKind, RegClass, RegallocInput};

/// How much more a use one loop level deeper weighs.
const DEPTH_WEIGHT: u64 = 8;

/// The entry plan of a loop header.
pub(super) struct LoopPlan {
    /// The loop's instructions, from the header to the end of the last block branching back
    /// (the layout keeps loops contiguous; were it not, the plan is only worse).
    pub start: u32,
    pub end: u32,
    /// For each live-in of the header (in `live_in` order), whether it deserves a register.
    pub in_reg: Vec<bool>,
}

impl LoopPlan {
    /// Does the loop read `v`?
    pub fn reads<F: RegallocInput>(&self, scan: &Scan<'_, F>, v: u32) -> bool {
        scan.live.next_use(v, self.start).is_some_and(|u| u < self.end)
    }
}

/// Each block's register pressure, computed only for blocks inside loops, when first needed.
#[derive(Default)]
pub(super) struct PressureCache {
    per_block: Vec<Option<[u32; 2]>>,
    /// Scratch for the backward walk: the values live at the current point, and their list.
    live: Option<BitSet>,
    members: Vec<u32>,
}

impl<F: RegallocInput> Scan<'_, F> {
    /// The plan for block `s` if it heads a loop, else `None`.
    pub(super) fn loop_plan(&mut self, s: u32, live_in: &[u32]) -> Option<LoopPlan> {
        let f = self.f;
        let last = f.block_preds(s as usize).iter().copied().filter(|&p| p >= s).max()?;
        let start = f.block_insts(s as usize).start;
        let end = f.block_insts(last as usize).end;
        let mut peak = [0u32; 2];
        for b in s as usize..=last as usize {
            let p = self.pressure_of(b);
            peak = [peak[0].max(p[0]), peak[1].max(p[1])];
        }
        let header_depth = f.block_loop_depth(s as usize);
        let mut in_reg = vec![true; live_in.len()];
        for class in [RegClass::Int, RegClass::Float] {
            let excess = (peak[class as usize] as usize).saturating_sub(self.regs(class).len());
            if excess == 0 {
                continue;
            }
            // Lightest first; among equals, the one read last. Keys computed once: a next use
            // is a binary search.
            let mut ranked: Vec<(u64, std::cmp::Reverse<Option<u32>>, usize)> = (0..live_in.len())
                .filter(|&k| self.vreg_of(live_in[k]).class == class)
                .map(|k| {
                    let v = live_in[k];
                    (self.loop_weight(v, start, end, header_depth), std::cmp::Reverse(self.live.next_use(v, start)), k)
                })
                .collect();
            if excess < ranked.len() {
                ranked.select_nth_unstable(excess);
                ranked.truncate(excess);
            }
            for (_, _, k) in ranked {
                in_reg[k] = false;
            }
        }
        Some(LoopPlan { start, end, in_reg })
    }

    /// `v`'s uses in `[start, end)`, each weighing `DEPTH_WEIGHT` to the power of its depth
    /// below the header's.
    fn loop_weight(&self, v: u32, start: u32, end: u32, header_depth: u32) -> u64 {
        let uses = self.live.uses.of(v);
        let from = uses.partition_point(|&u| u < start);
        let to = uses.partition_point(|&u| u < end);
        uses[from..to]
            .iter()
            .map(|&u| {
                let depth = self.inst_depth.get(u as usize).map_or(0, |&d| d.saturating_sub(header_depth));
                DEPTH_WEIGHT.saturating_pow(depth.min(6))
            })
            .fold(0u64, u64::saturating_add)
    }

    /// Block `b`'s register pressure per class, cached.
    fn pressure_of(&mut self, b: usize) -> [u32; 2] {
        let cache = &mut self.pressure;
        if cache.per_block.is_empty() {
            cache.per_block = vec![None; self.f.num_blocks()];
        }
        if let Some(p) = cache.per_block[b] {
            return p;
        }
        let mut live = cache.live.take().unwrap_or_else(|| BitSet::new(self.f.num_vregs()));
        let mut members = std::mem::take(&mut cache.members);
        let p = self.block_pressure(b, &mut live, &mut members);
        self.pressure.per_block[b] = Some(p);
        self.pressure.live = Some(live);
        self.pressure.members = members;
        p
    }

    /// The most values live at once in block `b`, per class, counting a def with the values
    /// live across it. `live` comes in empty and is left empty; `members` is scratch.
    fn block_pressure(&self, b: usize, live: &mut BitSet, members: &mut Vec<u32>) -> [u32; 2] {
        let f = self.f;
        let range = f.block_insts(b);
        let term = range.end - 1;
        let mut count = [0u32; 2];
        let enter = |v: u32, live: &mut BitSet, count: &mut [u32; 2], members: &mut Vec<u32>| {
            if live.insert(v) {
                count[self.vreg_of(v).class as usize] += 1;
                members.push(v);
            }
        };
        for &v in &self.live.live_out[b] {
            enter(v, live, &mut count, members);
        }
        for k in 0..f.block_succs(b).len() {
            for a in f.branch_args(b, term, k) {
                enter(a.index, live, &mut count, members);
            }
        }
        let mut peak = count;
        for i in range.rev() {
            let ops = f.inst_operands(i);
            // Live across the instruction, plus its defs.
            let mut at = count;
            for op in ops.iter().filter(|o| o.kind == OperandKind::Def) {
                let c = op.vreg.class as usize;
                if live.contains(op.vreg.index) {
                    live.remove(op.vreg.index);
                    count[c] -= 1;
                } else {
                    at[c] += 1;
                }
            }
            for op in ops.iter().filter(|o| o.kind == OperandKind::Use) {
                enter(op.vreg.index, live, &mut count, members);
            }
            for c in 0..2 {
                peak[c] = peak[c].max(at[c]).max(count[c]);
            }
        }
        for v in members.drain(..) {
            live.remove(v);
        }
        peak
    }
}
