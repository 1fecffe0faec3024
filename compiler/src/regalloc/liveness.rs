//! Liveness by backward dataflow over blocks, and each vreg's use positions (for next-use
//! distances).

use super::{OperandKind, RegClass, RegallocError, RegallocInput, VReg};

/// A set of vreg indices, dense, for the dataflow's working sets.
pub(super) struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    pub fn new(len: usize) -> BitSet {
        BitSet { words: vec![0; len.div_ceil(64)] }
    }
    pub fn insert(&mut self, i: u32) -> bool {
        let (w, b) = (i as usize / 64, 1u64 << (i % 64));
        let fresh = self.words[w] & b == 0;
        self.words[w] |= b;
        fresh
    }
    pub fn remove(&mut self, i: u32) {
        self.words[i as usize / 64] &= !(1u64 << (i % 64));
    }
    pub fn contains(&self, i: u32) -> bool {
        self.words[i as usize / 64] & (1u64 << (i % 64)) != 0
    }
}

pub(super) struct Liveness {
    /// Vregs live at the start of each block (block parameters excluded), ascending.
    pub live_in: Vec<Vec<u32>>,
    /// Vregs live at the end of each block (branch arguments excluded), ascending.
    pub live_out: Vec<Vec<u32>>,
    /// Instructions that read each vreg (operands and branch arguments), ascending.
    pub uses: FlatLists,
    /// How many times each vreg is defined (instruction defs and block parameters).
    pub def_count: Vec<u32>,
    /// Each vreg as the function mentions it (with its class).
    pub classes: Vec<VReg>,
}

impl Liveness {
    /// The first instruction at or after `inst` that reads `vreg`, in linear order.
    pub fn next_use(&self, vreg: u32, inst: u32) -> Option<u32> {
        let uses = self.uses.of(vreg);
        uses.get(uses.partition_point(|&u| u < inst)).copied()
    }
}

/// A list of numbers per index (each vreg's uses, each block's predecessors) in one flat
/// array: a vector per vreg would cost an allocation each, a large share of the allocator's
/// time on big modules.
pub(super) struct FlatLists {
    /// `items[starts[i]..starts[i + 1]]` is the list of index `i`.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl FlatLists {
    pub fn of(&self, index: u32) -> &[u32] {
        let i = index as usize;
        &self.items[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// Collects the uses in two passes over the function, counting then filling; each
    /// instruction's reads of a vreg count once.
    fn collect(f: &impl RegallocInput) -> FlatLists {
        let nv = f.num_vregs();
        let mut last = vec![u32::MAX; nv];
        let mut starts = vec![0u32; nv + 1];
        each_use(f, |v, i| {
            if last[v as usize] != i {
                last[v as usize] = i;
                starts[v as usize + 1] += 1;
            }
        });
        for v in 0..nv {
            starts[v + 1] += starts[v];
        }
        let mut cursor = starts.clone();
        let mut insts = vec![0u32; starts[nv] as usize];
        last.fill(u32::MAX);
        each_use(f, |v, i| {
            if last[v as usize] != i {
                last[v as usize] = i;
                insts[cursor[v as usize] as usize] = i;
                cursor[v as usize] += 1;
            }
        });
        FlatLists { starts, items: insts }
    }
}

/// Calls `read(vreg, inst)` for every operand use and branch argument, in instruction order.
/// The vregs must have been checked to be in range.
fn each_use(f: &impl RegallocInput, mut read: impl FnMut(u32, u32)) {
    for b in 0..f.num_blocks() {
        let range = f.block_insts(b);
        let term = range.end - 1;
        for i in range {
            for op in f.inst_operands(i).iter().filter(|op| op.kind == OperandKind::Use) {
                read(op.vreg.index, i);
            }
        }
        for k in 0..f.block_succs(b).len() {
            for a in f.branch_args(b, term, k) {
                read(a.index, term);
            }
        }
    }
}

fn check_vreg(f: &impl RegallocInput, index: u32) -> Result<(), RegallocError> {
    if (index as usize) < f.num_vregs() {
        Ok(())
    } else {
        Err(RegallocError(format!("vreg v{index} out of range (num_vregs {})", f.num_vregs())))
    }
}

/// Every (block, succ index, successor) edge with its arguments checked against the
/// successor's parameters.
fn check_edges(f: &impl RegallocInput) -> Result<(), RegallocError> {
    let nb = f.num_blocks();
    if f.entry_block() >= nb {
        return Err(RegallocError(format!("entry block {} out of range", f.entry_block())));
    }
    let mut next_start = 0;
    for b in 0..nb {
        let r = f.block_insts(b);
        if r.start >= r.end || r.start != next_start || r.end as usize > f.num_insts() {
            return Err(RegallocError(format!("block {b}: instruction range {r:?} is empty or not contiguous")));
        }
        next_start = r.end;
        let term = r.end - 1;
        for (k, &s) in f.block_succs(b).iter().enumerate() {
            if s as usize >= nb {
                return Err(RegallocError(format!("block {b}: successor {s} out of range")));
            }
            let args = f.branch_args(b, term, k);
            if args.len() != f.block_params(s as usize).len() {
                return Err(RegallocError(format!(
                    "block {b}: {} arguments for {} parameters of block {s}",
                    args.len(),
                    f.block_params(s as usize).len()
                )));
            }
            for a in args {
                check_vreg(f, a.index)?;
            }
        }
    }
    if next_start as usize != f.num_insts() {
        return Err(RegallocError("blocks do not cover every instruction".into()));
    }
    Ok(())
}

pub(super) fn compute(f: &impl RegallocInput) -> Result<Liveness, RegallocError> {
    check_edges(f)?;
    let nb = f.num_blocks();
    let nv = f.num_vregs();

    // Def counts and classes, checking every vreg is in range; then the use lists.
    let mut def_count = vec![0u32; nv];
    let mut classes: Vec<VReg> = (0..nv as u32).map(|index| VReg { index, class: RegClass::Int }).collect();
    for b in 0..nb {
        for p in f.block_params(b) {
            check_vreg(f, p.index)?;
            def_count[p.index as usize] += 1;
            classes[p.index as usize] = *p;
        }
        let range = f.block_insts(b);
        for i in range.clone() {
            for op in f.inst_operands(i) {
                check_vreg(f, op.vreg.index)?;
                classes[op.vreg.index as usize] = op.vreg;
                if op.kind == OperandKind::Def {
                    def_count[op.vreg.index as usize] += 1;
                }
            }
        }
        let term = range.end - 1;
        for k in 0..f.block_succs(b).len() {
            for a in f.branch_args(b, term, k) {
                classes[a.index as usize] = *a;
            }
        }
    }
    let uses = FlatLists::collect(f);

    // Upward-exposed uses (gen) and definitions (kill) of each block.
    let mut gen: Vec<Vec<u32>> = Vec::with_capacity(nb);
    let mut kill: Vec<Vec<u32>> = Vec::with_capacity(nb);
    let mut set = BitSet::new(nv);
    // Working lists, reused from block to block; each block keeps an exact-size copy (growing
    // fresh vectors cost most of this function's time on large functions).
    let (mut g, mut k, mut out) = (Vec::new(), Vec::new(), Vec::new());
    for b in 0..nb {
        // Forward: a use is upward-exposed unless this block defined the vreg before it.
        let range = f.block_insts(b);
        let term = range.end - 1;
        g.clear();
        k.clear();
        k.extend(f.block_params(b).iter().map(|p| p.index));
        for &d in &k {
            set.insert(d);
        }
        let read = |v: u32, set: &mut BitSet, g: &mut Vec<u32>| {
            if set.insert(v) {
                g.push(v);
            }
        };
        for i in range {
            for op in f.inst_operands(i).iter().filter(|op| op.kind == OperandKind::Use) {
                read(op.vreg.index, &mut set, &mut g);
            }
            for op in f.inst_operands(i).iter().filter(|op| op.kind == OperandKind::Def) {
                if set.insert(op.vreg.index) {
                    k.push(op.vreg.index);
                }
            }
        }
        for s in 0..f.block_succs(b).len() {
            for a in f.branch_args(b, term, s) {
                read(a.index, &mut set, &mut g);
            }
        }
        for &x in g.iter().chain(&k) {
            set.remove(x);
        }
        g.sort_unstable();
        k.sort_unstable();
        k.dedup();
        gen.push(g.clone());
        kill.push(k.clone());
    }

    // live_in = gen ∪ (live_out − kill), to a fixpoint over a worklist: a block is revisited
    // only when a successor's live-in grew (a pass over every block until nothing changes
    // cost one extra full pass, and more per loop nest). Sets only grow, so comparing sizes
    // detects change. Popping in reverse block order visits successors first in a forward
    // layout.
    let preds = predecessors(f);
    let mut live_in: Vec<Vec<u32>> = gen.clone();
    let mut live_out: Vec<Vec<u32>> = vec![Vec::new(); nb];
    let mut queued = vec![true; nb];
    let mut work: Vec<u32> = (0..nb as u32).collect();
    let mut inn = Vec::new();
    while let Some(b) = work.pop() {
        let b = b as usize;
        queued[b] = false;
        // live_out = the union of the successors' live-ins (ascending): a copy or a merge for
        // the usual one or two successors, a set and a sort for a switch.
        out.clear();
        match f.block_succs(b) {
            [] => {}
            &[s] => out.extend_from_slice(&live_in[s as usize]),
            &[s1, s2] => merge_union(&live_in[s1 as usize], &live_in[s2 as usize], &mut out),
            succs => {
                for &s in succs {
                    for &v in &live_in[s as usize] {
                        if set.insert(v) {
                            out.push(v);
                        }
                    }
                }
                for &v in &out {
                    set.remove(v);
                }
                out.sort_unstable();
            }
        }
        if out.len() != live_out[b].len() {
            merge_minus(&out, &kill[b], &gen[b], &mut inn);
            if inn.len() != live_in[b].len() {
                // Swapped, not copied: `inn` takes the old set's storage for the next merge.
                std::mem::swap(&mut live_in[b], &mut inn);
                for &p in preds.of(b as u32) {
                    if !std::mem::replace(&mut queued[p as usize], true) {
                        work.push(p);
                    }
                }
            }
            std::mem::swap(&mut live_out[b], &mut out);
        }
    }
    let entry = f.entry_block();
    if let Some(&v) = live_in.get(entry).and_then(|l| l.first()) {
        return Err(RegallocError(format!("v{v} is used before any definition")));
    }
    Ok(Liveness { live_in, live_out, uses, def_count, classes })
}

/// Each block's predecessors, derived from the successor lists (the dataflow must not depend
/// on the target's predecessor lists agreeing with them).
fn predecessors(f: &impl RegallocInput) -> FlatLists {
    let nb = f.num_blocks();
    let mut starts = vec![0u32; nb + 1];
    for b in 0..nb {
        for &s in f.block_succs(b) {
            starts[s as usize + 1] += 1;
        }
    }
    for b in 0..nb {
        starts[b + 1] += starts[b];
    }
    let mut cursor = starts.clone();
    let mut insts = vec![0u32; starts[nb] as usize];
    for b in 0..nb {
        for &s in f.block_succs(b) {
            insts[cursor[s as usize] as usize] = b as u32;
            cursor[s as usize] += 1;
        }
    }
    FlatLists { starts, items: insts }
}

/// `a ∪ b` over ascending lists without repeats, into `out`.
fn merge_union(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    out.reserve(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        out.push(x.min(y));
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

/// `gen ∪ (out − kill)` over ascending lists without repeats, into `merged`, in one pass.
fn merge_minus(out: &[u32], kill: &[u32], gen: &[u32], merged: &mut Vec<u32>) {
    merged.clear();
    merged.reserve(out.len() + gen.len());
    let (mut k, mut g) = (0, 0);
    for &v in out {
        while g < gen.len() && gen[g] < v {
            merged.push(gen[g]);
            g += 1;
        }
        while k < kill.len() && kill[k] < v {
            k += 1;
        }
        if g < gen.len() && gen[g] == v {
            g += 1;
            merged.push(v);
        } else if k >= kill.len() || kill[k] != v {
            merged.push(v);
        }
    }
    merged.extend_from_slice(&gen[g..]);
}
