//! Block boundaries: each block's entry state, and the parallel moves that bring every
//! incoming edge into it.

use super::{before, err, reg_index, Scan};
use crate::regalloc::{Allocation, PReg, PRegSet, RegClass, RegallocError, RegallocInput, SpillSlot, VReg};

/// Where a block expects its live-in values and parameters on entry.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    /// (value, location, whether its spill slot is also known to hold it).
    pub live: Vec<(VReg, Allocation, bool)>,
    pub params: Vec<Allocation>,
}

/// Every block's entry state, kept after allocation so that emission can ask which locations
/// a block relies on when it is entered.
#[derive(Clone, Debug, Default)]
pub struct EntryStates {
    pub(super) entries: Vec<Option<Entry>>,
    pub(super) slot_of: Vec<u32>,
}

impl EntryStates {
    /// Does block `b` rely on `loc` when entered: a live-in's or parameter's place, or the spill
    /// slot of a live-in (it may be read back later)? A move that writes no such location cannot
    /// disturb the block.
    pub fn relies_on(&self, b: usize, loc: Allocation) -> bool {
        let Some(entry) = self.entries.get(b).and_then(Option::as_ref) else { return false };
        entry.params.contains(&loc)
            || entry.live.iter().any(|&(v, place, _)| {
                place == loc || self.slot_of.get(v.index as usize).is_some_and(|&s| loc == Allocation::Stack(SpillSlot(s)))
            })
    }
}

impl<F: RegallocInput> Scan<'_, F> {
    /// The entry state of a block no predecessor has reached yet: the entry block starts
    /// empty; elsewhere everything is expected in memory.
    pub(super) fn unreached_entry(&mut self, b: usize) -> Result<Entry, RegallocError> {
        let f = self.f;
        if b == f.entry_block() {
            if !f.block_params(b).is_empty() {
                return err("the entry block cannot have parameters: define arguments with fixed-register defs".into());
            }
            return Ok(Entry { live: Vec::new(), params: Vec::new() });
        }
        let live_in = std::mem::take(&mut self.live.live_in[b]);
        let live = live_in
            .iter()
            .map(|&v| {
                let v = self.vreg_of(v);
                (v, self.slot(v), true)
            })
            .collect();
        self.live.live_in[b] = live_in;
        Ok(Entry { live, params: f.block_params(b).iter().map(|&p| self.slot(p)).collect() })
    }

    /// Does successor `s` (reached by several edges) need its moves before the branch?
    fn shared_successor(&self, b: usize, s: u32) -> bool {
        self.f.block_preds(s as usize).len() > 1 || self.f.block_succs(b).iter().filter(|&&x| x == s).count() > 1
    }

    /// (value, where successor `s` wants it) for each of its live-ins and parameters, into
    /// `targets` (a buffer reused from edge to edge).
    fn edge_targets(&self, b: usize, term: u32, k: usize, s: u32, targets: &mut Vec<(VReg, Allocation)>) {
        targets.clear();
        let Some(entry) = &self.entry[s as usize] else { return };
        let args = self.f.branch_args(b, term, k);
        targets.extend(entry.live.iter().map(|&(v, loc, _)| (v, loc)));
        targets.extend(args.iter().copied().zip(entry.params.iter().copied()));
    }

    fn holds(&self, v: VReg, loc: Allocation) -> bool {
        match loc {
            Allocation::Reg(r) => self.content[reg_index(r)] == Some(v),
            Allocation::Stack(SpillSlot(s)) => match self.slot_writes.iter().rev().find(|w| w.0 == s) {
                Some(&(_, written)) => written == v,
                None => self.slot_of[v.index as usize] == s && self.in_slot(v),
            },
        }
    }

    fn edge_moves(
        &mut self,
        targets: &[(VReg, Allocation)],
    ) -> Result<Vec<(RegClass, Allocation, Allocation)>, RegallocError> {
        let mut moves = Vec::new();
        for &(v, to) in targets {
            if !self.holds(v, to) {
                let from = self.where_is(v)?;
                moves.push((v.class, from, to));
            }
        }
        Ok(moves)
    }

    /// Moves the values to where `targets` want them, before the branch, saving any value in
    /// the way that another successor (`needed`) still reads.
    fn conform(&mut self, targets: &[(VReg, Allocation)], needed: &[VReg]) -> Result<(), RegallocError> {
        let mut moves = self.edge_moves(targets)?;
        if moves.is_empty() {
            return Ok(());
        }
        // Values in the way that another successor still needs are saved in their slots.
        let mut displaced = Vec::new();
        for &(_, _, to) in &moves {
            if let Allocation::Reg(r) = to {
                if let Some(w) = self.occupant(r) {
                    if !targets.contains(&(w, to)) {
                        displaced.push((w, r));
                    }
                }
            }
        }
        let mut saved = Vec::new();
        for &(w, r) in &displaced {
            if !needed.contains(&w) {
                continue;
            }
            let slot = self.slot(w);
            if moves.iter().any(|m| m.2 == slot) {
                return err(format!("block edge: v{} and a parameter both need {slot}; split the edge", w.index));
            }
            if !self.holds(w, slot) {
                moves.push((w.class, Allocation::Reg(r), slot));
            }
            saved.push(w);
        }
        let major = self.bump();
        self.emit_parallel(before(self.inst), major, moves.clone());
        for &(v, to) in targets {
            if let Allocation::Stack(SpillSlot(s)) = to {
                self.slot_writes.push((s, v));
            }
        }
        for &(w, _) in &displaced {
            self.home[w.index as usize] = None;
        }
        for w in saved {
            self.slot_writes.push((self.slot_of[w.index as usize], w));
            self.mark_slot_valid(w);
        }
        for &(_, _, to) in &moves {
            if let Allocation::Reg(r) = to {
                self.content[reg_index(r)] = None;
            }
        }
        for &(v, to) in targets {
            match to {
                Allocation::Reg(r) => {
                    self.hold(r, v);
                    if self.home_of(v).is_some() || self.exit_live.contains(v.index) {
                        self.home[v.index as usize] = Some(r);
                    }
                }
                Allocation::Stack(SpillSlot(s)) if self.slot_of[v.index as usize] == s => self.mark_slot_valid(v),
                Allocation::Stack(_) => {}
            }
        }
        Ok(())
    }

    /// Fixes the entry state of successor `s` from the current state: live-ins stay where they
    /// are (a loop header's as its plan says), parameters take their argument's register when
    /// the argument dies on the edge.
    fn define_entry(&mut self, b: usize, term: u32, k: usize, s: u32) -> Result<Entry, RegallocError> {
        // Borrowed out of the liveness (nothing below reads it there) rather than cloned.
        let live_in = std::mem::take(&mut self.live.live_in[s as usize]);
        let entry = self.entry_from(b, term, k, s, &live_in);
        self.live.live_in[s as usize] = live_in;
        entry
    }

    /// `define_entry` with the successor's live-ins at hand.
    fn entry_from(&mut self, b: usize, term: u32, k: usize, s: u32, live_in: &[u32]) -> Result<Entry, RegallocError> {
        let shared = self.shared_successor(b, s);
        let first = self.f.block_insts(s as usize).start;
        // A loop header is shared, so changing locations needs moves before a plain branch.
        let plain_branch = self.f.inst_operands(term).is_empty() && self.f.inst_clobbers(term) == PRegSet::default();
        let plan = self.loop_plan(s, live_in).filter(|_| plain_branch);
        let mut taken = PRegSet::default();
        // Registers of live-ins the plan sends to their slots: free once the edge's moves ran.
        let mut released = PRegSet::default();
        let mut live = Vec::with_capacity(live_in.len());
        let mut reload = Vec::new();
        for (n, &vi) in live_in.iter().enumerate() {
            let v = self.vreg_of(vi);
            let wanted = plan.as_ref().map(|p| p.in_reg[n]);
            let loc = match self.home_of(v) {
                Some(r) if wanted == Some(false) => {
                    // Stored at the definition if that is no deeper than here, else on the edge.
                    if !self.in_slot(v) {
                        self.store_at_def(v, self.loop_depth);
                    }
                    released.insert(r);
                    self.slot(v)
                }
                Some(r) => {
                    // A register the loop overwrites would cost a move on every iteration;
                    // one move on the way in is cheaper.
                    let spared = plan
                        .as_ref()
                        .filter(|p| self.next_clobber(r, first) < p.end)
                        .and_then(|p| self.loop_safe_reg(v.class, first, p.end, taken));
                    if spared.is_some() {
                        released.insert(r);
                    }
                    let r = spared.unwrap_or(r);
                    taken.insert(r);
                    Allocation::Reg(r)
                }
                None => {
                    if !self.in_slot(v) {
                        return err(format!("internal: live-in v{vi} of block {s} has no location"));
                    }
                    if wanted == Some(true) && plan.as_ref().is_some_and(|p| p.reads(self, vi)) {
                        reload.push(n);
                    }
                    self.slot(v)
                }
            };
            let slot_ok = if shared { self.stored_at_def[vi as usize] } else { self.in_slot(v) };
            live.push((v, loc, slot_ok));
        }
        // Spilled values the loop reads often: loaded once before it, into a register free now
        // that the loop does not overwrite.
        if let Some(plan) = &plan {
            for n in reload {
                let v = live[n].0;
                if let Some(r) = self.loop_safe_reg(v.class, first, plan.end, taken) {
                    taken.insert(r);
                    live[n].1 = Allocation::Reg(r);
                }
            }
        }
        let f = self.f;
        let args = f.branch_args(b, term, k);
        let mut params = Vec::with_capacity(args.len());
        for (&a, &p) in args.iter().zip(f.block_params(s as usize)) {
            let arg_reg = self.home_of(a).filter(|&r| p.class == r.class && live_in.binary_search(&a.index).is_err());
            // Before a shared successor's branch, a register must be free, or hold the argument
            // itself (no move then).
            let usable = |this: &Self, r: PReg| {
                !taken.contains(r) && (!shared || released.contains(r) || this.occupant(r).is_none_or(|w| w == a))
            };
            // The argument's register, unless something overwrites it while the parameter
            // lives (a division's rax, a call's clobbers) and another register is spared.
            let end = self.live.uses.of(p.index).last().copied().unwrap_or(first);
            let spared = |this: &Self, r: PReg| this.next_clobber(r, first) > end;
            let loc = match arg_reg.filter(|&r| usable(self, r)) {
                Some(r) if spared(self, r) => Some(r),
                arg_reg => {
                    let regs = self.regs(p.class);
                    let mut free = regs.iter().copied().filter(|&r| usable(self, r));
                    let first_free = arg_reg.or_else(|| free.clone().next());
                    free.find(|&r| spared(self, r)).or(first_free)
                }
            };
            params.push(match loc {
                Some(r) => {
                    taken.insert(r);
                    Allocation::Reg(r)
                }
                None => self.slot(p),
            });
        }
        Ok(Entry { live, params })
    }

    /// A register free now, not in `taken`, that no instruction in `[first, end)` overwrites.
    fn loop_safe_reg(&self, class: RegClass, first: u32, end: u32, taken: PRegSet) -> Option<PReg> {
        self.regs(class)
            .iter()
            .copied()
            .find(|&r| !taken.contains(r) && self.occupant(r).is_none() && self.next_clobber(r, first) >= end)
    }

    /// Fixes block `s`'s entry state, and hints each argument any predecessor passes to a
    /// parameter in a register towards that register: a loop-carried value defined there
    /// needs no move on the back edge.
    fn set_entry(&mut self, s: u32, e: Entry) {
        let f = self.f;
        for &p in f.block_preds(s as usize) {
            let term = f.block_insts(p as usize).end - 1;
            for (k, _) in f.block_succs(p as usize).iter().enumerate().filter(|&(_, &x)| x == s) {
                for (&a, &loc) in f.branch_args(p as usize, term, k).iter().zip(&e.params) {
                    if let (Allocation::Reg(r), None) = (loc, self.param_hint[a.index as usize]) {
                        self.param_hint[a.index as usize] = Some(r);
                    }
                }
            }
        }
        self.entry[s as usize] = Some(e);
    }

    pub(super) fn leave_block(&mut self, b: usize, term: u32) -> Result<(), RegallocError> {
        self.slot_writes.clear();
        let mut targets = std::mem::take(&mut self.targets_buf);
        let result = self.conform_edges(b, term, &mut targets);
        self.targets_buf = targets;
        result
    }

    /// Brings every edge out of block `b` into its successor's entry state.
    fn conform_edges(
        &mut self,
        b: usize,
        term: u32,
        targets: &mut Vec<(VReg, Allocation)>,
    ) -> Result<(), RegallocError> {
        let f = self.f;
        let succs = f.block_succs(b);
        let plain_branch = f.inst_operands(term).is_empty() && f.inst_clobbers(term) == PRegSet::default();
        let critical = |s: u32| err(format!("edge from block {b} to block {s} needs moves but is critical: split it"));
        // Successors that other edges also enter: their moves go before the branch, which
        // must then have no operands. Those with an entry state already come first.
        let mut moved = false;
        for pass in 0..2 {
            for (k, &s) in succs.iter().enumerate() {
                if !self.shared_successor(b, s) || (pass == 0) != self.entry[s as usize].is_some() {
                    continue;
                }
                if self.entry[s as usize].is_none() {
                    let e = self.define_entry(b, term, k, s)?;
                    self.set_entry(s, e);
                }
                self.edge_targets(b, term, k, s, targets);
                if !targets.iter().all(|&(v, loc)| self.holds(v, loc)) {
                    if !plain_branch {
                        return critical(s);
                    }
                    let others: Vec<(usize, u32)> =
                        succs.iter().copied().enumerate().filter(|&(j, _)| j != k).collect();
                    let occupants =
                        self.env.int_regs.iter().chain(&self.env.float_regs).filter_map(|&r| self.occupant(r));
                    let needed: Vec<VReg> = occupants
                        .filter(|w| {
                            others.iter().any(|&(j, s2)| {
                                self.live.live_in[s2 as usize].binary_search(&w.index).is_ok()
                                    || f.branch_args(b, term, j).contains(w)
                            })
                        })
                        .collect();
                    self.conform(targets, &needed)?;
                    moved = true;
                }
            }
        }
        // Moving for one shared successor must not have undone another's. Without moves, every
        // check above passed and nothing since can have undone it (defining an entry only adds
        // stores at definitions).
        for (k, &s) in succs.iter().enumerate() {
            if moved && self.shared_successor(b, s) {
                self.edge_targets(b, term, k, s, targets);
                if let Some((v, loc)) = targets.iter().find(|&&(v, loc)| !self.holds(v, loc)) {
                    return err(format!(
                        "block {b}: successors need incompatible moves (v{} in {loc}); split the edge to block {s}",
                        v.index
                    ));
                }
            }
        }
        // A successor only this edge enters: moves at its start.
        for (k, &s) in succs.iter().enumerate() {
            if self.shared_successor(b, s) {
                continue;
            }
            if self.entry[s as usize].is_none() {
                let e = self.define_entry(b, term, k, s)?;
                self.set_entry(s, e);
            }
            self.edge_targets(b, term, k, s, targets);
            let moves = self.edge_moves(targets)?;
            let major = match self.entry_major[s as usize] {
                Some(m) => m,
                None => self.bump(),
            };
            let first = f.block_insts(s as usize).start;
            self.emit_parallel(before(first), major, moves);
        }
        Ok(())
    }
}
