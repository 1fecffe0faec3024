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
    Allocation, Edit, MachineEnv, OperandConstraint, OperandKind, OperandPos, PReg, PRegSet, ProgPoint, RegClass,
    RegallocError, RegallocInput, RegallocOutput, SpillSlot, VReg,
};

const NO_SLOT: u32 = u32::MAX;
const NUM_REG_INDICES: usize = 128;

fn reg_index(r: PReg) -> usize {
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

/// Where a block expects its live-in values and parameters on entry.
struct Entry {
    /// (value, location, whether its spill slot is also known to hold it).
    live: Vec<(VReg, Allocation, bool)>,
    params: Vec<Allocation>,
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
    entry: Vec<Option<Entry>>,
    /// Ordering key reserved for moves on the edges into each block, once it is processed.
    entry_major: Vec<Option<u32>>,
    /// Instructions clobbering each register, ascending.
    clobber_insts: Vec<Vec<u32>>,
    /// Stack slots written by moves before the current branch, and with which value (a
    /// parameter's slot receives its argument).
    slot_writes: Vec<(u32, VReg)>,

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

/// Registers an instruction reads and writes, gathered before assigning its operands.
#[derive(Default)]
struct InstRegs {
    /// Written before the uses are read (early fixed defs).
    early_written: PRegSet,
    /// Written at the end (clobbers, late fixed defs, reused fixed inputs).
    late_written: PRegSet,
    /// Fixed uses: register and value.
    fixed_uses: Vec<(PReg, VReg)>,
    /// Registers holding values the instruction reads, early or late.
    read: PRegSet,
    read_late: PRegSet,
    /// Registers given to defs so far.
    defs: PRegSet,
}

impl<'a, F: RegallocInput> Scan<'a, F> {
    fn new(f: &'a F, env: &'a MachineEnv, live: Liveness) -> Self {
        let nv = f.num_vregs();
        let nb = f.num_blocks();
        let mut clobber_insts = vec![Vec::new(); NUM_REG_INDICES];
        for i in 0..f.num_insts() as u32 {
            let c = f.inst_clobbers(i);
            for (class, bits) in [(RegClass::Int, c.int), (RegClass::Float, c.float)] {
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
            home: vec![None; nv],
            slot_valid: vec![false; nv],
            slot_valid_list: Vec::new(),
            exit_live: BitSet::new(nv),
            slot_of: vec![NO_SLOT; nv],
            num_slots: 0,
            spare_slot: None,
            stored_at_def: vec![false; nv],
            def_site: vec![None; nv],
            entry: (0..nb).map(|_| None).collect(),
            entry_major: vec![None; nb],
            clobber_insts,
            slot_writes: Vec::new(),
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

    /// The next instruction at or after `from` clobbering `r`.
    fn next_clobber(&self, r: PReg, from: u32) -> u32 {
        let list = &self.clobber_insts[reg_index(r)];
        list.get(list.partition_point(|&i| i < from)).copied().unwrap_or(u32::MAX)
    }

    /// Roughly where `v`'s lifetime ends, to keep values that cross calls out of clobbered
    /// registers.
    fn lifetime_end(&self, v: VReg) -> u32 {
        let last = self.live.uses[v.index as usize].last().copied().unwrap_or(0);
        if self.exit_live.contains(v.index) {
            last.max(self.block_end)
        } else {
            last
        }
    }

    /// A free register for `v`: the hint if possible, else the first (most preferred) one that
    /// no call clobbers during `v`'s lifetime, else the first one.
    fn pick_reg(&self, v: VReg, avoid: PRegSet, hint: Option<PReg>) -> Option<PReg> {
        let free = |r: PReg| !avoid.contains(r) && self.occupant(r).is_none();
        let regs = self.regs(v.class);
        if let Some(h) = hint.filter(|&h| regs.contains(&h) && free(h)) {
            return Some(h);
        }
        let end = self.lifetime_end(v);
        let mut first_free = None;
        for &r in regs.iter().filter(|&&r| free(r)) {
            if self.next_clobber(r, self.inst + 1) > end {
                return Some(r);
            }
            first_free.get_or_insert(r);
        }
        first_free
    }

    /// How soon a value is needed again; loop-carried values count as needed at the block end.
    fn next_use_distance(&self, w: VReg) -> u32 {
        match self.live.next_use(w.index, self.inst) {
            Some(u) => u,
            None if self.exit_live.contains(w.index) => self.block_end,
            None => u32::MAX,
        }
    }

    /// Frees a register of `class` outside `avoid` by spilling the value needed furthest away.
    fn evict(&mut self, class: RegClass, avoid: PRegSet) -> Option<PReg> {
        let mut best: Option<(u32, bool, PReg, VReg)> = None;
        for &r in self.regs(class) {
            if avoid.contains(r) {
                continue;
            }
            if let Some(w) = self.occupant(r) {
                let key = (self.next_use_distance(w), self.in_slot(w));
                if best.is_none_or(|(d, clean, _, _)| key > (d, clean)) {
                    best = Some((key.0, key.1, r, w));
                }
            }
        }
        let (_, _, r, w) = best?;
        self.spill(w);
        Some(r)
    }

    /// Ends `w`'s register lifetime, storing it first unless its slot already holds it.
    fn spill(&mut self, w: VReg) {
        let Some(r) = self.home_of(w) else { return };
        if !self.in_slot(w) {
            let slot = self.slot(w);
            match self.def_site[w.index as usize] {
                // Out of the loop: store once at the definition rather than on every iteration.
                Some(site) if site.loop_depth < self.loop_depth && self.single_def(w) => {
                    self.emit_at(site.point, site.major, w.class, Allocation::Reg(site.reg), slot);
                    self.stored_at_def[w.index as usize] = true;
                }
                _ => {
                    self.emit(w.class, Allocation::Reg(r), slot);
                    self.mark_slot_valid(w);
                }
            }
        }
        self.home[w.index as usize] = None;
    }

    /// Moves `w` out of its home into a free register outside `avoid`, or spills it.
    fn relocate(&mut self, w: VReg, avoid: PRegSet) {
        let Some(from) = self.home_of(w) else { return };
        match self.pick_reg(w, avoid, None) {
            Some(to) => {
                self.emit(w.class, Allocation::Reg(from), Allocation::Reg(to));
                self.content[reg_index(to)] = Some(w);
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
        for idx in 0..NUM_REG_INDICES {
            if let Some(w) = self.content[idx].take() {
                if self.home[w.index as usize].is_some_and(|r| reg_index(r) == idx) {
                    self.home[w.index as usize] = None;
                }
            }
        }
        for v in self.slot_valid_list.drain(..) {
            self.slot_valid[v as usize] = false;
        }
        let exits: Vec<u32> = self.live.live_out[b]
            .iter()
            .copied()
            .chain((0..f.block_succs(b).len()).flat_map(|k| f.branch_args(b, term, k).iter().map(|a| a.index)))
            .collect();
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
        result
    }

    /// The entry state of a block no predecessor has reached yet: the entry block starts
    /// empty; elsewhere everything is expected in memory.
    fn unreached_entry(&mut self, b: usize) -> Result<Entry, RegallocError> {
        let f = self.f;
        if b == f.entry_block() {
            if !f.block_params(b).is_empty() {
                return err("the entry block cannot have parameters: define arguments with fixed-register defs".into());
            }
            return Ok(Entry { live: Vec::new(), params: Vec::new() });
        }
        let live_in: Vec<VReg> = self.live.live_in[b].iter().map(|&v| self.vreg_of(v)).collect();
        Ok(Entry {
            live: live_in.into_iter().map(|v| (v, self.slot(v), true)).collect(),
            params: f.block_params(b).iter().map(|&p| self.slot(p)).collect(),
        })
    }

    /// The vreg with index `v` (its class read from wherever the function mentions it).
    fn vreg_of(&self, v: u32) -> VReg {
        self.live.classes[v as usize]
    }

    fn place(&mut self, v: VReg, loc: Allocation, slot_ok: bool) {
        match loc {
            Allocation::Reg(r) => {
                self.content[reg_index(r)] = Some(v);
                self.home[v.index as usize] = Some(r);
                if slot_ok {
                    self.mark_slot_valid(v);
                }
            }
            Allocation::Stack(_) => self.mark_slot_valid(v),
        }
    }

    // ---- edges -----------------------------------------------------------------------------

    /// Does successor `s` (reached by several edges) need its moves before the branch?
    fn shared_successor(&self, b: usize, s: u32) -> bool {
        self.f.block_preds(s as usize).len() > 1 || self.f.block_succs(b).iter().filter(|&&x| x == s).count() > 1
    }

    /// (value, where successor `s` wants it) for each of its live-ins and parameters.
    fn edge_targets(&self, b: usize, term: u32, k: usize, s: u32) -> Vec<(VReg, Allocation)> {
        let Some(entry) = &self.entry[s as usize] else { return Vec::new() };
        let args = self.f.branch_args(b, term, k);
        entry.live.iter().map(|&(v, loc, _)| (v, loc)).chain(args.iter().copied().zip(entry.params.iter().copied())).collect()
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

    fn edge_moves(&mut self, targets: &[(VReg, Allocation)]) -> Result<Vec<(RegClass, Allocation, Allocation)>, RegallocError> {
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
                    self.content[reg_index(r)] = Some(v);
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
    /// are, parameters take their argument's register when the argument dies on the edge.
    fn define_entry(&mut self, b: usize, term: u32, k: usize, s: u32) -> Result<Entry, RegallocError> {
        let shared = self.shared_successor(b, s);
        let live_in = self.live.live_in[s as usize].clone();
        let mut taken = PRegSet::default();
        let mut live = Vec::with_capacity(live_in.len());
        for &vi in &live_in {
            let v = self.vreg_of(vi);
            let loc = match self.home_of(v) {
                Some(r) => {
                    taken.insert(r);
                    Allocation::Reg(r)
                }
                None => {
                    if !self.in_slot(v) {
                        return err(format!("internal: live-in v{vi} of block {s} has no location"));
                    }
                    self.slot(v)
                }
            };
            let slot_ok = if shared { self.stored_at_def[vi as usize] } else { self.in_slot(v) };
            live.push((v, loc, slot_ok));
        }
        let f = self.f;
        let args = f.branch_args(b, term, k);
        let first = f.block_insts(s as usize).start;
        let mut params = Vec::with_capacity(args.len());
        for (&a, &p) in args.iter().zip(f.block_params(s as usize)) {
            let arg_reg = self.home_of(a).filter(|&r| p.class == r.class && live_in.binary_search(&a.index).is_err());
            let usable = |this: &Self, r: PReg| !taken.contains(r) && (!shared || this.occupant(r).is_none());
            let loc = match arg_reg.filter(|&r| usable(self, r)) {
                Some(r) => Some(r),
                None => {
                    let end = self.live.uses[p.index as usize].last().copied().unwrap_or(first);
                    let regs = self.regs(p.class);
                    let free: Vec<PReg> = regs.iter().copied().filter(|&r| usable(self, r)).collect();
                    free.iter().copied().find(|&r| self.next_clobber(r, first) > end).or(free.first().copied())
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

    fn leave_block(&mut self, b: usize, term: u32) -> Result<(), RegallocError> {
        let f = self.f;
        let succs = f.block_succs(b);
        let plain_branch = f.inst_operands(term).is_empty() && f.inst_clobbers(term) == PRegSet::default();
        self.slot_writes.clear();
        let critical = |s: u32| {
            err(format!("edge from block {b} to block {s} needs moves but is critical: split it"))
        };
        // Successors that other edges also enter: their moves go before the branch, which
        // must then have no operands. Those with an entry state already come first.
        for pass in 0..2 {
            for (k, &s) in succs.iter().enumerate() {
                if !self.shared_successor(b, s) || (pass == 0) != self.entry[s as usize].is_some() {
                    continue;
                }
                if self.entry[s as usize].is_none() {
                    let e = self.define_entry(b, term, k, s)?;
                    self.entry[s as usize] = Some(e);
                }
                let targets = self.edge_targets(b, term, k, s);
                if !targets.iter().all(|&(v, loc)| self.holds(v, loc)) {
                    if !plain_branch {
                        return critical(s);
                    }
                    let others: Vec<(usize, u32)> =
                        succs.iter().copied().enumerate().filter(|&(j, _)| j != k).collect();
                    let occupants = self.env.int_regs.iter().chain(&self.env.float_regs).filter_map(|&r| self.occupant(r));
                    let needed: Vec<VReg> = occupants
                        .filter(|w| {
                            others.iter().any(|&(j, s2)| {
                                self.live.live_in[s2 as usize].binary_search(&w.index).is_ok()
                                    || f.branch_args(b, term, j).contains(w)
                            })
                        })
                        .collect();
                    self.conform(&targets, &needed)?;
                }
            }
        }
        // Moving for one shared successor must not have undone another's.
        for (k, &s) in succs.iter().enumerate() {
            if self.shared_successor(b, s) {
                let targets = self.edge_targets(b, term, k, s);
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
                self.entry[s as usize] = Some(e);
            }
            let targets = self.edge_targets(b, term, k, s);
            let moves = self.edge_moves(&targets)?;
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

/// Checks an instruction's constraints; returns, for each use, the def that reuses it.
fn check_operands(i: u32, ops: &[super::Operand], env: &MachineEnv) -> Result<Vec<Option<usize>>, RegallocError> {
    let mut reused_by = vec![None; ops.len()];
    for (k, op) in ops.iter().enumerate() {
        if let OperandConstraint::FixedReg(p) = op.constraint {
            let scratch = if p.class == RegClass::Int { env.int_scratch } else { env.float_scratch };
            if p.class != op.vreg.class || p.hw >= 64 || p == scratch {
                return err(format!("instruction {i}: operand {k} fixed to unusable register {p:?}"));
            }
        }
        match (op.kind, op.constraint) {
            (OperandKind::Use, OperandConstraint::Reuse(_)) => {
                return err(format!("instruction {i}: operand {k} is a use with a reuse constraint"));
            }
            (OperandKind::Def, OperandConstraint::Reuse(n)) => {
                let ok = ops.get(n).is_some_and(|u| u.kind == OperandKind::Use && u.vreg.class == op.vreg.class);
                if !ok || reused_by[n].is_some() {
                    return err(format!("instruction {i}: operand {k} reuses operand {n}, which is not a free use of its class"));
                }
                reused_by[n] = Some(k);
            }
            _ => {}
        }
        if op.kind == OperandKind::Def && ops[..k].iter().any(|o| o.kind == OperandKind::Def && o.vreg == op.vreg) {
            return err(format!("instruction {i}: v{} defined twice", op.vreg.index));
        }
    }
    Ok(reused_by)
}

impl<F: RegallocInput> Scan<'_, F> {
    /// Gathers the registers an instruction's fixed operands and clobbers write and read.
    fn fixed_regs(&self, i: u32, reused_by: &[Option<usize>]) -> Result<InstRegs, RegallocError> {
        let ops = self.f.inst_operands(i);
        let clobbers = self.f.inst_clobbers(i);
        let mut r = InstRegs { late_written: clobbers, ..InstRegs::default() };
        let mut fixed_defs = PRegSet::default();
        for (k, op) in ops.iter().enumerate() {
            let OperandConstraint::FixedReg(p) = op.constraint else { continue };
            match op.kind {
                OperandKind::Def => {
                    if fixed_defs.contains(p) {
                        return err(format!("instruction {i}: two defs fixed to {p:?}"));
                    }
                    fixed_defs.insert(p);
                    match op.pos {
                        OperandPos::Early => r.early_written.insert(p),
                        OperandPos::Late => r.late_written.insert(p),
                    }
                }
                OperandKind::Use => {
                    match r.fixed_uses.iter().find(|(q, _)| *q == p) {
                        Some(&(_, w)) if w != op.vreg => {
                            return err(format!("instruction {i}: two values fixed to {p:?}"));
                        }
                        Some(_) => {}
                        None => r.fixed_uses.push((p, op.vreg)),
                    }
                    if reused_by[k].is_some() {
                        r.late_written.insert(p);
                        r.defs.insert(p);
                    }
                }
            }
        }
        if fixed_defs.int & r.defs.int != 0 || fixed_defs.float & r.defs.float != 0 {
            return err(format!("instruction {i}: a def reuses a fixed input whose register another def has"));
        }
        for op in ops.iter().filter(|o| o.kind == OperandKind::Use) {
            if let OperandConstraint::FixedReg(p) = op.constraint {
                let late_clash = op.pos == OperandPos::Late && (clobbers.contains(p) || fixed_defs.contains(p));
                if r.early_written.contains(p) || late_clash {
                    return err(format!("instruction {i}: {p:?} is read by a use and written before it is read"));
                }
            }
        }
        Ok(r)
    }

    fn instruction(&mut self, i: u32) -> Result<(), RegallocError> {
        let f = self.f;
        let ops = f.inst_operands(i);
        let reused_by = check_operands(i, ops, self.env)?;
        let mut r = self.fixed_regs(i, &reused_by)?;
        let mut alloc: Vec<Option<Allocation>> = vec![None; ops.len()];
        let danger = r.early_written.union(r.late_written);
        let mut fixed_use_regs = PRegSet::default();
        r.fixed_uses.iter().for_each(|&(p, _)| fixed_use_regs.insert(p));
        let used_here = |v: VReg| ops.iter().any(|o| o.kind == OperandKind::Use && o.vreg == v);
        let late_use_here =
            |v: VReg| ops.iter().any(|o| o.kind == OperandKind::Use && o.vreg == v && o.pos == OperandPos::Late);

        // 1. Values in registers the instruction writes, or that fixed uses need, move out.
        for class in [RegClass::Int, RegClass::Float] {
            for &reg in self.regs(class) {
                if !danger.contains(reg) && !fixed_use_regs.contains(reg) {
                    continue;
                }
                let Some(w) = self.occupant(reg) else { continue };
                let owner = r.fixed_uses.iter().find(|(p, _)| *p == reg).map(|&(_, v)| v);
                let stays = if danger.contains(reg) {
                    // Only a value read early and dead afterwards survives until the write.
                    !self.live_after(w)
                        && !late_use_here(w)
                        && !r.early_written.contains(reg)
                        && owner.is_none_or(|o| o == w)
                } else {
                    owner == Some(w)
                };
                if stays {
                    continue;
                }
                if self.live_after(w) || used_here(w) {
                    self.relocate(w, danger.union(fixed_use_regs));
                } else {
                    self.home[w.index as usize] = None;
                }
            }
        }

        // 2. Fixed uses: copy each value into its register.
        for (k, op) in ops.iter().enumerate() {
            let (OperandKind::Use, OperandConstraint::FixedReg(p)) = (op.kind, op.constraint) else { continue };
            let v = op.vreg;
            if self.content[reg_index(p)] != Some(v) {
                let from = self.where_is(v)?;
                self.emit(v.class, from, Allocation::Reg(p));
                self.content[reg_index(p)] = Some(v);
            }
            self.note_read(&mut r, p, op.pos);
            let can_be_home = !danger.contains(p) && self.regs(v.class).contains(&p);
            if self.home_of(v).is_none() && self.live_after(v) && can_be_home {
                self.home[v.index as usize] = Some(p);
            }
            alloc[k] = Some(Allocation::Reg(p));
        }

        // 3. Register and register-or-memory uses.
        for (k, op) in ops.iter().enumerate() {
            let free_use = matches!(op.constraint, OperandConstraint::Reg | OperandConstraint::Any);
            if op.kind != OperandKind::Use || !free_use || reused_by[k].is_some() {
                continue;
            }
            let v = op.vreg;
            // A register written before this use reads it is no good.
            let bad = if op.pos == OperandPos::Late { danger } else { r.early_written };
            let in_reg = self.home_of(v).filter(|&x| !bad.contains(x)).or_else(|| {
                self.regs(v.class).iter().copied().find(|&x| self.content[reg_index(x)] == Some(v) && !bad.contains(x))
            });
            let loc = match in_reg {
                Some(x) => Allocation::Reg(x),
                None if op.constraint == OperandConstraint::Any && self.in_slot(v) => self.slot(v),
                None => {
                    // Prefer a register that can stay the value's home after the instruction.
                    let avoid = r.read.union(bad).union(r.defs);
                    let y = match self.pick_reg(v, avoid.union(danger), None) {
                        Some(y) => y,
                        None => self.take_reg(v, avoid, None)?,
                    };
                    let from = self.where_is(v)?;
                    self.emit(v.class, from, Allocation::Reg(y));
                    self.content[reg_index(y)] = Some(v);
                    if self.home_of(v).is_none() && !danger.contains(y) {
                        self.home[v.index as usize] = Some(y);
                    }
                    Allocation::Reg(y)
                }
            };
            if let Allocation::Reg(x) = loc {
                self.note_read(&mut r, x, op.pos);
            }
            alloc[k] = Some(loc);
        }

        // 4. Two-address defs: the input's register if the input dies here, else a copy.
        for (k, op) in ops.iter().enumerate() {
            let OperandConstraint::Reuse(n) = op.constraint else { continue };
            let input = ops[n];
            let v = input.vreg;
            let reg = match input.constraint {
                OperandConstraint::FixedReg(p) => p,
                _ => {
                    let dies = !self.live_after(v) && !late_use_here(v);
                    let own = self.home_of(v).filter(|&x| dies && !danger.contains(x) && !r.defs.contains(x));
                    let reg = match own {
                        Some(x) => x,
                        None => {
                            let avoid = r.read.union(danger).union(r.defs);
                            let y = self.take_reg(op.vreg, avoid, self.home_of(v))?;
                            let from = self.where_is(v)?;
                            self.emit(v.class, from, Allocation::Reg(y));
                            self.content[reg_index(y)] = Some(v);
                            y
                        }
                    };
                    self.note_read(&mut r, reg, input.pos);
                    alloc[n] = Some(Allocation::Reg(reg));
                    reg
                }
            };
            r.defs.insert(reg);
            alloc[k] = Some(Allocation::Reg(reg));
        }

        // Values read here for the last time give up their registers to the defs.
        for op in ops.iter().filter(|o| o.kind == OperandKind::Use) {
            if !self.live_after(op.vreg) {
                self.home[op.vreg.index as usize] = None;
            }
        }

        // 5. Other defs, early ones first.
        let move_src = f.is_move(i);
        for pos in [OperandPos::Early, OperandPos::Late] {
            for (k, op) in ops.iter().enumerate() {
                if op.kind != OperandKind::Def || op.pos != pos {
                    continue;
                }
                let loc = match op.constraint {
                    OperandConstraint::FixedReg(p) => Allocation::Reg(p),
                    OperandConstraint::Reg | OperandConstraint::Any => {
                        let reads = if pos == OperandPos::Early { r.read } else { r.read_late };
                        let avoid = r.defs.union(danger).union(reads);
                        let hint = move_src.filter(|&(d, _)| d == op.vreg).and_then(|(_, s)| {
                            ops.iter().zip(&alloc).find_map(|(o, a)| match (o.kind, a) {
                                (OperandKind::Use, Some(Allocation::Reg(x))) if o.vreg == s => Some(*x),
                                _ => None,
                            })
                        });
                        match self.pick_reg(op.vreg, avoid, hint) {
                            Some(x) => Allocation::Reg(x),
                            None if op.constraint == OperandConstraint::Any => self.slot(op.vreg),
                            None => Allocation::Reg(self.take_reg(op.vreg, avoid, None)?),
                        }
                    }
                    OperandConstraint::Reuse(_) => continue,
                };
                if let Allocation::Reg(x) = loc {
                    r.defs.insert(x);
                }
                alloc[k] = Some(loc);
            }
        }

        // 6. The instruction runs: clobbers, then defs.
        let clobbers = f.inst_clobbers(i);
        for class in [RegClass::Int, RegClass::Float] {
            let mut bits = if class == RegClass::Int { clobbers.int } else { clobbers.float };
            while bits != 0 {
                let hw = bits.trailing_zeros() as u8;
                bits &= bits - 1;
                let reg = PReg { class, hw };
                if let Some(w) = self.occupant(reg) {
                    self.home[w.index as usize] = None;
                }
                self.content[reg_index(reg)] = None;
            }
        }
        let is_terminator = i + 1 == self.block_end;
        for (k, op) in ops.iter().enumerate() {
            if op.kind != OperandKind::Def {
                continue;
            }
            let v = op.vreg;
            let Some(loc) = alloc[k] else { continue };
            // A redefinition makes every old copy stale.
            for &x in self.regs(v.class) {
                if self.content[reg_index(x)] == Some(v) {
                    self.content[reg_index(x)] = None;
                }
            }
            self.home[v.index as usize] = None;
            self.slot_valid[v.index as usize] = false;
            self.def_site[v.index as usize] = None;
            match loc {
                Allocation::Reg(x) => {
                    if let Some(w) = self.occupant(x) {
                        self.home[w.index as usize] = None;
                    }
                    self.content[reg_index(x)] = Some(v);
                    if self.live_after(v) {
                        self.home[v.index as usize] = Some(x);
                    }
                    if !is_terminator {
                        let point = ProgPoint { inst: i, after: true };
                        self.def_site[v.index as usize] =
                            Some(DefSite { point, major: 0, reg: x, loop_depth: self.loop_depth });
                    }
                }
                Allocation::Stack(_) => {
                    self.mark_slot_valid(v);
                    if self.single_def(v) {
                        self.stored_at_def[v.index as usize] = true;
                    }
                }
            }
        }

        self.offsets.push(self.allocs.len() as u32);
        for (k, a) in alloc.into_iter().enumerate() {
            match a {
                Some(a) => self.allocs.push(a),
                None => return err(format!("internal: operand {k} of instruction {i} left unallocated")),
            }
        }
        Ok(())
    }

    fn note_read(&self, r: &mut InstRegs, reg: PReg, pos: OperandPos) {
        r.read.insert(reg);
        if pos == OperandPos::Late {
            r.read_late.insert(reg);
        }
    }
}
