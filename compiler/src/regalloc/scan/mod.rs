//! Second-chance binpacking: a linear scan over the instructions in block order.
//!
//! Every value has at most one *home* register at a time, and once spilled a stack slot of its
//! own. The scan keeps the register file's contents while walking a block: an operand is
//! served from the value's home, or reloaded into a free register (its second chance), or, when
//! no register is free, the value whose next use is furthest away is evicted. An eviction ends
//! the value's current register lifetime (a split); the next use starts a new one, perhaps in
//! another register. Liveness (backward dataflow) says when a home can be released, and next-use
//! positions pick the victims.
//!
//! Per instruction, all moves go before it, in order: values that the instruction's clobbers or
//! fixed defs would destroy are moved to another register or spilled, fixed uses are copied into
//! their registers, a two-address def gets a copy of its input unless that input dies there.
//!
//! At block boundaries each block has an entry state (where each live-in and parameter is); the
//! first predecessor to reach a block fixes it, the others are resolved with parallel moves on
//! their edges (at the end of a single-successor predecessor, or at the start of a
//! single-predecessor successor). A value evicted inside a loop deeper than its definition is
//! stored once, right after its definition, so the loop only reloads it.

use super::liveness::{self, BitSet, Liveness};
use super::moves::ParallelMove;
use super::{
    Allocation, Edit, MachineEnv, OperandConstraint, OperandKind, OperandPos, PReg, PRegSet, ProgPoint, RegClass, RegallocError,
    RegallocInput, RegallocOutput, SpillSlot, VReg,
};

mod edges;
mod loops;
mod operands;

use edges::Entry;
pub use edges::EntryStates;

const NO_SLOT: u32 = u32::MAX;
const NUM_REG_INDICES: usize = 128;

pub(super) fn reg_index(r: PReg) -> usize {
    r.class as usize * 64 + r.hw as usize
}

fn before(inst: u32) -> ProgPoint {
    ProgPoint { inst, after: false }
}

fn err<T>(msg: String) -> Result<T, RegallocError> {
    Err(RegallocError(msg))
}

/// Where a value was defined, for a store placed there after the fact.
#[derive(Copy, Clone)]
struct DefSite {
    point: ProgPoint,
    major: u32,
    reg: PReg,
    loop_depth: u32,
}

pub(super) fn run(f: &impl RegallocInput, env: &MachineEnv) -> Result<RegallocOutput, RegallocError> {
    check_env(env)?;
    let live = liveness::compute(f)?;
    let mut scan = Scan::new(f, env, live);
    for b in 0..f.num_blocks() {
        scan.block(b)?;
    }
    Ok(scan.finish())
}

fn check_env(env: &MachineEnv) -> Result<(), RegallocError> {
    for (class, regs, scratch) in
        [(RegClass::Int, &env.int_regs, env.int_scratch), (RegClass::Float, &env.float_regs, env.float_scratch)]
    {
        let mut seen = PRegSet::default();
        for &r in regs.iter().chain([&scratch]) {
            if r.class != class || r.hw >= 64 || seen.contains(r) {
                return err(format!("machine env: bad or repeated {class:?} register {r:?}"));
            }
            seen.insert(r);
        }
    }
    Ok(())
}

struct Scan<'a, F: RegallocInput> {
    f: &'a F,
    env: &'a MachineEnv,
    live: Liveness,

    // The register file and each value's whereabouts, valid while walking one block.
    /// The value each register holds (a stale copy unless it is that value's home).
    content: [Option<VReg>; NUM_REG_INDICES],
    /// Register indices given a value in this block (a superset of those holding one now), so
    /// the next block forgets only those.
    held: u128,
    home: Vec<Option<PReg>>,
    slot_valid: Vec<bool>,
    slot_valid_list: Vec<u32>,
    /// Live after the current block: its live-outs and its branch arguments.
    exit_live: BitSet,

    // Per function.
    slot_of: Vec<u32>,
    num_slots: u32,
    spare_slot: Option<u32>,
    /// The value's slot was written right after its (only) definition: valid wherever it lives.
    stored_at_def: Vec<bool>,
    def_site: Vec<Option<DefSite>>,
    /// The register of a block parameter the value is passed to, where its defs should go.
    param_hint: Vec<Option<PReg>>,
    /// The fixed register an instruction reads the value from at its start (such as a call
    /// argument's), the last such use: a value read only there is best defined in it.
    fixed_use: Vec<Option<PReg>>,
    entry: Vec<Option<Entry>>,
    /// Ordering key reserved for moves on the edges into each block, once it is processed.
    entry_major: Vec<Option<u32>>,
    /// Instructions overwriting each register (clobbers and fixed defs, such as a division's
    /// rax and rdx), ascending: values living across them are better kept elsewhere.
    clobber_insts: Vec<Vec<u32>>,
    /// Loop depth of each instruction's block.
    inst_depth: Vec<u32>,
    /// Register pressure of the blocks in loops.
    pressure: loops::PressureCache,
    /// Stack slots written by moves before the current branch, and with which value (a
    /// parameter's slot receives its argument).
    slot_writes: Vec<(u32, VReg)>,

    /// Scratch buffers of the instruction being allocated (see `instruction`).
    reused_by_buf: Vec<Option<usize>>,
    alloc_buf: Vec<Option<Allocation>>,
    /// Scratch buffers of the current block: its exit values, and an edge's targets.
    exits_buf: Vec<u32>,
    targets_buf: Vec<(VReg, Allocation)>,

    /// (point, major, minor, edit): sorted at the end; majors follow emission order.
    edits: Vec<(ProgPoint, u32, u32, Edit)>,
    major: u32,
    allocs: Vec<Allocation>,
    offsets: Vec<u32>,

    // Position of the walk.
    inst: u32,
    block_end: u32,
    loop_depth: u32,
}

impl<'a, F: RegallocInput> Scan<'a, F> {
    fn new(f: &'a F, env: &'a MachineEnv, live: Liveness) -> Self {
        let nv = f.num_vregs();
        let nb = f.num_blocks();
        let mut clobber_insts: Vec<Vec<u32>> = vec![Vec::new(); NUM_REG_INDICES];
        let mut fixed_use = vec![None; nv];
        for i in 0..f.num_insts() as u32 {
            let mut written = f.inst_clobbers(i);
            for op in f.inst_operands(i) {
                match (op.kind, op.constraint, op.pos) {
                    (OperandKind::Def, OperandConstraint::FixedReg(p), _) if p.hw < 64 => written.insert(p),
                    (OperandKind::Use, OperandConstraint::FixedReg(p), OperandPos::Early) if p.hw < 64 => {
                        fixed_use[op.vreg.index as usize] = Some(p)
                    }
                    _ => {}
                }
            }
            for (class, bits) in [(RegClass::Int, written.int), (RegClass::Float, written.float)] {
                let mut bits = bits;
                while bits != 0 {
                    let hw = bits.trailing_zeros() as u8;
                    bits &= bits - 1;
                    clobber_insts[reg_index(PReg { class, hw })].push(i);
                }
            }
        }
        Scan {
            f,
            env,
            live,
            content: [None; NUM_REG_INDICES],
            held: 0,
            home: vec![None; nv],
            slot_valid: vec![false; nv],
            slot_valid_list: Vec::new(),
            exit_live: BitSet::new(nv),
            slot_of: vec![NO_SLOT; nv],
            num_slots: 0,
            spare_slot: None,
            stored_at_def: vec![false; nv],
            def_site: vec![None; nv],
            param_hint: vec![None; nv],
            fixed_use,
            entry: (0..nb).map(|_| None).collect(),
            entry_major: vec![None; nb],
            clobber_insts,
            inst_depth: (0..nb).flat_map(|b| f.block_insts(b).map(move |_| f.block_loop_depth(b))).collect(),
            pressure: loops::PressureCache::default(),
            slot_writes: Vec::new(),
            reused_by_buf: Vec::new(),
            alloc_buf: Vec::new(),
            exits_buf: Vec::new(),
            targets_buf: Vec::new(),
            edits: Vec::new(),
            major: 0,
            allocs: Vec::new(),
            offsets: Vec::with_capacity(f.num_insts()),
            inst: 0,
            block_end: 0,
            loop_depth: 0,
        }
    }

    fn finish(mut self) -> RegallocOutput {
        self.edits.sort_by_key(|&(point, major, minor, _)| (point, major, minor));
        let scratch = [self.env.int_scratch, self.env.float_scratch];
        let mut used_regs = PRegSet::default();
        let mut note = |a: Allocation| {
            if let Allocation::Reg(r) = a {
                if !scratch.contains(&r) {
                    used_regs.insert(r);
                }
            }
        };
        self.allocs.iter().for_each(|&a| note(a));
        self.edits.iter().for_each(|(_, _, _, e)| {
            note(e.from);
            note(e.to)
        });
        RegallocOutput {
            entry_states: EntryStates { entries: self.entry, slot_of: self.slot_of },
            allocs: self.allocs,
            inst_alloc_offsets: self.offsets,
            edits: self.edits.into_iter().map(|(_, _, _, e)| e).collect(),
            num_spillslots: self.num_slots,
            used_regs,
        }
    }

    // ---- small helpers -------------------------------------------------------------------

    fn bump(&mut self) -> u32 {
        self.major += 1;
        self.major
    }

    fn regs(&self, class: RegClass) -> &'a [PReg] {
        match class {
            RegClass::Int => &self.env.int_regs,
            RegClass::Float => &self.env.float_regs,
        }
    }

    fn scratch(&self, class: RegClass) -> PReg {
        match class {
            RegClass::Int => self.env.int_scratch,
            RegClass::Float => self.env.float_scratch,
        }
    }

    fn slot(&mut self, v: VReg) -> Allocation {
        let s = &mut self.slot_of[v.index as usize];
        if *s == NO_SLOT {
            *s = self.num_slots;
            self.num_slots += 1;
        }
        Allocation::Stack(SpillSlot(*s))
    }

    fn in_slot(&self, v: VReg) -> bool {
        self.slot_valid[v.index as usize] || self.stored_at_def[v.index as usize]
    }

    fn mark_slot_valid(&mut self, v: VReg) {
        if !self.slot_valid[v.index as usize] {
            self.slot_valid[v.index as usize] = true;
            self.slot_valid_list.push(v.index);
        }
    }

    /// Records that register `r` now holds `v`.
    fn hold(&mut self, r: PReg, v: VReg) {
        let idx = reg_index(r);
        self.content[idx] = Some(v);
        self.held |= 1 << idx;
    }

    fn home_of(&self, v: VReg) -> Option<PReg> {
        self.home[v.index as usize]
    }

    /// The value whose home `r` is.
    fn occupant(&self, r: PReg) -> Option<VReg> {
        self.content[reg_index(r)].filter(|w| self.home[w.index as usize] == Some(r))
    }

    fn single_def(&self, v: VReg) -> bool {
        self.live.def_count[v.index as usize] == 1
    }

    /// Is `v` still needed after the current instruction?
    fn live_after(&self, v: VReg) -> bool {
        self.exit_live.contains(v.index)
            || self.live.next_use(v.index, self.inst + 1).is_some_and(|u| u < self.block_end)
    }

    /// Where `v` can be read now: its home, another register holding it, or its slot.
    fn where_is(&mut self, v: VReg) -> Result<Allocation, RegallocError> {
        if let Some(r) = self.home_of(v) {
            return Ok(Allocation::Reg(r));
        }
        if let Some(&r) = self.regs(v.class).iter().find(|&&r| self.content[reg_index(r)] == Some(v)) {
            return Ok(Allocation::Reg(r));
        }
        if self.in_slot(v) {
            return Ok(self.slot(v));
        }
        err(format!("internal: v{} has no location at instruction {}", v.index, self.inst))
    }

    fn emit_at(&mut self, point: ProgPoint, major: u32, class: RegClass, from: Allocation, to: Allocation) {
        if from != to {
            let minor = self.edits.len() as u32;
            self.edits.push((point, major, minor, Edit { point, class, from, to }));
        }
    }

    /// A move before the current instruction, after every move emitted so far there.
    fn emit(&mut self, class: RegClass, from: Allocation, to: Allocation) {
        let major = self.bump();
        self.emit_at(before(self.inst), major, class, from, to);
    }

    /// Sequentialises a parallel move and emits it at `point` under one ordering key.
    fn emit_parallel(&mut self, point: ProgPoint, major: u32, moves: Vec<(RegClass, Allocation, Allocation)>) {
        for class in [RegClass::Int, RegClass::Float] {
            let pm = ParallelMove {
                moves: moves.iter().filter(|m| m.0 == class).map(|&(_, from, to)| (from, to)).collect(),
            };
            if pm.moves.is_empty() {
                continue;
            }
            let scratch = Allocation::Reg(self.scratch(class));
            let spare = &mut self.spare_slot;
            let num_slots = &mut self.num_slots;
            let seq = pm.sequentialize(scratch, || {
                let s = *spare.get_or_insert_with(|| {
                    *num_slots += 1;
                    *num_slots - 1
                });
                Allocation::Stack(SpillSlot(s))
            });
            for (from, to) in seq {
                self.emit_at(point, major, class, from, to);
            }
            self.content[reg_index(self.scratch(class))] = None;
        }
    }

    /// The next instruction at or after `from` overwriting `r`.
    fn next_clobber(&self, r: PReg, from: u32) -> u32 {
        let list = &self.clobber_insts[reg_index(r)];
        list.get(list.partition_point(|&i| i < from)).copied().unwrap_or(u32::MAX)
    }

    /// Roughly where `v`'s lifetime ends, to keep values that cross calls out of clobbered
    /// registers.
    fn lifetime_end(&self, v: VReg) -> u32 {
        let last = self.live.uses.of(v.index).last().copied().unwrap_or(0);
        if self.exit_live.contains(v.index) {
            last.max(self.block_end)
        } else {
            last
        }
    }

    /// A free register for `v`: the hint if possible (free and not clobbered while `v` lives),
    /// else the first (most preferred) one that no call clobbers during `v`'s lifetime, else
    /// the first one.
    fn pick_reg(&self, v: VReg, avoid: PRegSet, hint: Option<PReg>) -> Option<PReg> {
        let free = |r: PReg| !avoid.contains(r) && self.occupant(r).is_none();
        let regs = self.regs(v.class);
        let end = self.lifetime_end(v);
        // A hint clobbered during the lifetime would only trade this move for one at the call;
        // the instruction of a fixed use reads the register before it clobbers it.
        let kept = |h: PReg| {
            let clobber = self.next_clobber(h, self.inst + 1);
            clobber > end || (clobber == end && self.only_use_fixed_in(v) == Some(h))
        };
        if let Some(h) = hint.filter(|&h| regs.contains(&h) && free(h) && kept(h)) {
            return Some(h);
        }
        let mut first_free = None;
        for &r in regs.iter().filter(|&&r| free(r)) {
            if self.next_clobber(r, self.inst + 1) > end {
                return Some(r);
            }
            first_free.get_or_insert(r);
        }
        first_free
    }

    /// The fixed register `v` is read from when that read is its only use, in this block.
    fn only_use_fixed_in(&self, v: VReg) -> Option<PReg> {
        let single = self.live.uses.of(v.index).len() == 1 && !self.exit_live.contains(v.index);
        self.fixed_use[v.index as usize].filter(|_| single)
    }

    /// How cheap `w` is to evict, larger is cheaper: first whether its next use is outside the
    /// current loop (spill weight: loop values stay in registers), then how far that use is
    /// (loop-carried values count as needed at the block end), then whether its slot already
    /// holds it (no store needed).
    fn eviction_key(&self, w: VReg) -> (bool, u32, bool) {
        let (leaves_loop, distance) = match self.live.next_use(w.index, self.inst) {
            Some(u) => (self.inst_depth.get(u as usize).is_some_and(|&d| d < self.loop_depth), u),
            None if self.exit_live.contains(w.index) => (false, self.block_end),
            None => (true, u32::MAX),
        };
        (leaves_loop, distance, self.in_slot(w))
    }

    /// Frees a register of `class` outside `avoid` by spilling the cheapest value to evict.
    fn evict(&mut self, class: RegClass, avoid: PRegSet) -> Option<PReg> {
        let mut best: Option<((bool, u32, bool), PReg, VReg)> = None;
        for &r in self.regs(class) {
            if avoid.contains(r) {
                continue;
            }
            if let Some(w) = self.occupant(r) {
                let key = self.eviction_key(w);
                if best.is_none_or(|(k, _, _)| key > k) {
                    best = Some((key, r, w));
                }
            }
        }
        let (_, r, w) = best?;
        self.spill(w);
        Some(r)
    }

    /// Ends `w`'s register lifetime, storing it first unless its slot already holds it.
    fn spill(&mut self, w: VReg) {
        let Some(r) = self.home_of(w) else { return };
        // Out of the loop: store once at the definition rather than on every iteration.
        if !self.in_slot(w) && !(self.loop_depth > 0 && self.store_at_def(w, self.loop_depth - 1)) {
            let slot = self.slot(w);
            self.emit(w.class, Allocation::Reg(r), slot);
            self.mark_slot_valid(w);
        }
        self.home[w.index as usize] = None;
    }

    /// Stores `w` into its slot right after its only definition, if that is at loop depth
    /// `max_depth` or less; the slot then holds it wherever it lives.
    fn store_at_def(&mut self, w: VReg, max_depth: u32) -> bool {
        match self.def_site[w.index as usize] {
            Some(site) if site.loop_depth <= max_depth && self.single_def(w) => {
                let slot = self.slot(w);
                self.emit_at(site.point, site.major, w.class, Allocation::Reg(site.reg), slot);
                self.stored_at_def[w.index as usize] = true;
                true
            }
            _ => false,
        }
    }

    /// Moves `w` out of its home into a free register outside `avoid`, or spills it.
    fn relocate(&mut self, w: VReg, avoid: PRegSet) {
        let Some(from) = self.home_of(w) else { return };
        match self.pick_reg(w, avoid, None) {
            Some(to) => {
                self.emit(w.class, Allocation::Reg(from), Allocation::Reg(to));
                self.hold(to, w);
                self.home[w.index as usize] = Some(to);
            }
            None => self.spill(w),
        }
    }

    /// A register for `v` outside `avoid`, evicting a value if none is free.
    fn take_reg(&mut self, v: VReg, avoid: PRegSet, hint: Option<PReg>) -> Result<PReg, RegallocError> {
        if let Some(r) = self.pick_reg(v, avoid, hint) {
            return Ok(r);
        }
        match self.evict(v.class, avoid) {
            Some(r) => Ok(r),
            None => err(format!("no {:?} register left for v{} at instruction {}", v.class, v.index, self.inst)),
        }
    }

    // ---- blocks ----------------------------------------------------------------------------

    fn block(&mut self, b: usize) -> Result<(), RegallocError> {
        let f = self.f;
        let range = f.block_insts(b);
        let term = range.end - 1;
        self.block_end = range.end;
        self.loop_depth = f.block_loop_depth(b);
        self.inst = range.start;

        // Forget the previous block's register file.
        let mut held = std::mem::take(&mut self.held);
        while held != 0 {
            let idx = held.trailing_zeros() as usize;
            held &= held - 1;
            if let Some(w) = self.content[idx].take() {
                if self.home[w.index as usize].is_some_and(|r| reg_index(r) == idx) {
                    self.home[w.index as usize] = None;
                }
            }
        }
        for v in self.slot_valid_list.drain(..) {
            self.slot_valid[v as usize] = false;
        }
        let mut exits = std::mem::take(&mut self.exits_buf);
        exits.clear();
        exits.extend_from_slice(&self.live.live_out[b]);
        exits.extend((0..f.block_succs(b).len()).flat_map(|k| f.branch_args(b, term, k).iter().map(|a| a.index)));
        for &v in &exits {
            self.exit_live.insert(v);
        }

        self.entry_major[b] = Some(self.bump());
        let param_major = self.bump();
        let entry = match self.entry[b].take() {
            Some(entry) => entry,
            None => self.unreached_entry(b)?,
        };
        for &(v, loc, slot_ok) in &entry.live {
            self.place(v, loc, slot_ok);
        }
        for (&p, &loc) in f.block_params(b).iter().zip(&entry.params) {
            self.place(p, loc, false);
            if let Allocation::Reg(reg) = loc {
                let point = before(range.start);
                self.def_site[p.index as usize] =
                    Some(DefSite { point, major: param_major, reg, loop_depth: self.loop_depth });
                let used = self.live.next_use(p.index, range.start).is_some_and(|u| u < self.block_end);
                if !used && !self.exit_live.contains(p.index) {
                    self.home[p.index as usize] = None;
                }
            } else if self.single_def(p) {
                self.stored_at_def[p.index as usize] = true;
            }
        }
        self.entry[b] = Some(entry);

        for i in range {
            self.inst = i;
            self.instruction(i)?;
        }
        self.inst = term;
        let result = self.leave_block(b, term);
        for &v in &exits {
            self.exit_live.remove(v);
        }
        self.exits_buf = exits;
        result
    }

    /// The vreg with index `v` (its class read from wherever the function mentions it).
    fn vreg_of(&self, v: u32) -> VReg {
        self.live.classes[v as usize]
    }

    fn place(&mut self, v: VReg, loc: Allocation, slot_ok: bool) {
        match loc {
            Allocation::Reg(r) => {
                self.hold(r, v);
                self.home[v.index as usize] = Some(r);
                if slot_ok {
                    self.mark_slot_valid(v);
                }
            }
            Allocation::Stack(_) => self.mark_slot_valid(v),
        }
    }
}
