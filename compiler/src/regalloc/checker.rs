//! A symbolic checker for an allocation (in the spirit of regalloc2's).
//!
//! It runs the allocated program abstractly: every register and stack slot holds a set of vregs
//! whose value it is known to contain. Moves copy sets, defs and clobbers overwrite them, and
//! an edge renames branch arguments to the successor's parameters. At a join, a location keeps
//! only the vregs it holds on every incoming path (a forward dataflow to a fixpoint). Every use
//! must find its vreg in its allocation, and every operand must satisfy its constraint.

use std::collections::{BTreeSet, HashMap};

use super::{
    Allocation, MachineEnv, OperandConstraint, OperandKind, OperandPos, PReg, PRegSet, ProgPoint, RegallocInput,
    RegallocOutput, VReg,
};

/// What each location is known to hold.
type State = HashMap<Allocation, BTreeSet<VReg>>;

#[derive(Debug)]
pub struct CheckError(pub String);

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail<T>(msg: String) -> Result<T, CheckError> {
    Err(CheckError(msg))
}

/// Checks that `out` is a correct allocation of `f` for `env`.
pub fn check(f: &impl RegallocInput, env: &MachineEnv, out: &RegallocOutput) -> Result<(), CheckError> {
    check_shape(f, env, out)?;
    // Facts about dead values are dropped at block entries, so states stay small.
    let live = super::liveness::compute(f).map_err(|e| CheckError(e.0))?;
    let mut edits_at: HashMap<ProgPoint, Vec<usize>> = HashMap::new();
    for (k, e) in out.edits.iter().enumerate() {
        edits_at.entry(e.point).or_default().push(k);
    }
    let nb = f.num_blocks();
    if f.entry_block() >= nb {
        return fail(format!("entry block {} out of range", f.entry_block()));
    }
    let mut entry: Vec<Option<State>> = vec![None; nb];
    entry[f.entry_block()] = Some(State::new());
    // Lowest block first: in a forward layout, predecessors settle before their successors.
    let mut work = BTreeSet::from([f.entry_block()]);
    while let Some(b) = work.pop_first() {
        let mut state = entry[b].clone().unwrap_or_default();
        let range = f.block_insts(b);
        for i in range.clone() {
            apply_edits(out, &edits_at, ProgPoint { inst: i, after: false }, &mut state);
            check_inst(f, env, out, i, &live.def_count, &mut state)?;
            apply_edits(out, &edits_at, ProgPoint { inst: i, after: true }, &mut state);
        }
        let term = range.end - 1;
        for (k, &s) in f.block_succs(b).iter().enumerate() {
            let s = s as usize;
            let params = f.block_params(s);
            let mut edge = rename(&state, f.branch_args(b, term, k), params);
            let live_in = &live.live_in[s];
            edge.retain(|_, held| {
                held.retain(|v| params.contains(v) || live_in.binary_search(&v.index).is_ok());
                !held.is_empty()
            });
            let merged = match &entry[s] {
                None => edge,
                Some(old) => meet(old, &edge),
            };
            if entry[s].as_ref() != Some(&merged) {
                entry[s] = Some(merged);
                work.insert(s);
            }
        }
    }
    Ok(())
}

/// Allocation counts, sorted edits, classes, slot numbers, scratch use, and `used_regs`.
fn check_shape(f: &impl RegallocInput, env: &MachineEnv, out: &RegallocOutput) -> Result<(), CheckError> {
    if out.inst_alloc_offsets.len() != f.num_insts() {
        return fail(format!("{} allocation offsets for {} instructions", out.inst_alloc_offsets.len(), f.num_insts()));
    }
    let mut expected = 0;
    for i in 0..f.num_insts() as u32 {
        if out.inst_alloc_offsets[i as usize] as usize != expected {
            return fail(format!("instruction {i}: allocation offset is not contiguous"));
        }
        expected += f.inst_operands(i).len();
    }
    if out.allocs.len() != expected {
        return fail(format!("{} allocations for {expected} operands", out.allocs.len()));
    }
    let slot_ok = |a: Allocation| match a {
        Allocation::Stack(s) => s.0 < out.num_spillslots,
        Allocation::Reg(r) => r.hw < 64,
    };
    let note_used = |a: Allocation| match a {
        Allocation::Reg(r) if r != env.int_scratch && r != env.float_scratch && !out.used_regs.contains(r) => {
            fail(format!("{a} is used but missing from used_regs"))
        }
        _ => Ok(()),
    };
    for (k, e) in out.edits.iter().enumerate() {
        if k > 0 && out.edits[k - 1].point > e.point {
            return fail(format!("edits not sorted at {:?}", e.point));
        }
        for a in [e.from, e.to] {
            if !slot_ok(a) || matches!(a, Allocation::Reg(r) if r.class != e.class) {
                return fail(format!("edit {k} ({} -> {}) has a bad location", e.from, e.to));
            }
            note_used(a)?;
        }
        if matches!((e.from, e.to), (Allocation::Stack(_), Allocation::Stack(_))) {
            return fail(format!("edit {k} moves memory to memory"));
        }
    }
    for &a in &out.allocs {
        if !slot_ok(a) {
            return fail(format!("allocation {a} out of range"));
        }
        note_used(a)?;
    }
    Ok(())
}

fn apply_edits(out: &RegallocOutput, edits_at: &HashMap<ProgPoint, Vec<usize>>, point: ProgPoint, state: &mut State) {
    for &k in edits_at.get(&point).map(|v| v.as_slice()).unwrap_or(&[]) {
        let e = out.edits[k];
        match state.get(&e.from).cloned() {
            Some(held) => state.insert(e.to, held),
            None => state.remove(&e.to),
        };
    }
}

/// Overwrites `loc` with a new value of `v`. Other locations holding an older value of `v`
/// lose it; a vreg defined once can have no older value here, since facts about dead vregs are
/// dropped at block entries, so only redefined vregs need the search.
fn write(state: &mut State, loc: Allocation, v: VReg, redefined: bool) {
    if redefined {
        for held in state.values_mut() {
            held.remove(&v);
        }
    }
    state.insert(loc, BTreeSet::from([v]));
}

fn allocatable(env: &MachineEnv, r: PReg) -> bool {
    env.int_regs.contains(&r) || env.float_regs.contains(&r)
}

fn check_inst(
    f: &impl RegallocInput,
    env: &MachineEnv,
    out: &RegallocOutput,
    i: u32,
    def_count: &[u32],
    state: &mut State,
) -> Result<(), CheckError> {
    let ops = f.inst_operands(i);
    let allocs = out.inst_allocs(i);
    // Constraints.
    for (k, (op, &a)) in ops.iter().zip(allocs).enumerate() {
        let where_ = || format!("instruction {i} operand {k} (v{} in {a})", op.vreg.index);
        if let Allocation::Reg(r) = a {
            if r.class != op.vreg.class {
                return fail(format!("{}: wrong register class", where_()));
            }
        }
        let ok = match op.constraint {
            OperandConstraint::Reg => matches!(a, Allocation::Reg(r) if allocatable(env, r)),
            OperandConstraint::Any => match a {
                Allocation::Reg(r) => allocatable(env, r),
                Allocation::Stack(_) => true,
            },
            OperandConstraint::FixedReg(p) => a == Allocation::Reg(p),
            OperandConstraint::Reuse(n) => matches!(a, Allocation::Reg(_)) && allocs.get(n) == Some(&a),
        };
        if !ok {
            return fail(format!("{}: violates {:?}", where_(), op.constraint));
        }
    }
    let defs: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].kind == OperandKind::Def).collect();
    for (x, &k) in defs.iter().enumerate() {
        if defs[..x].iter().any(|&j| allocs[j] == allocs[k]) {
            return fail(format!("instruction {i}: two defs in {}", allocs[k]));
        }
    }
    let is = |k: usize, kind: OperandKind, pos: OperandPos| ops[k].kind == kind && ops[k].pos == pos;
    let read = |state: &State, k: usize| -> Result<(), CheckError> {
        let held = state.get(&allocs[k]);
        if held.is_some_and(|h| h.contains(&ops[k].vreg)) {
            Ok(())
        } else {
            fail(format!(
                "instruction {i} operand {k}: v{} read from {}, which holds {:?}",
                ops[k].vreg.index, allocs[k], held
            ))
        }
    };
    // Early defs are written before any use is read.
    for k in (0..ops.len()).filter(|&k| is(k, OperandKind::Def, OperandPos::Early)) {
        write(state, allocs[k], ops[k].vreg, def_count[ops[k].vreg.index as usize] > 1);
    }
    for k in (0..ops.len()).filter(|&k| is(k, OperandKind::Use, OperandPos::Early)) {
        read(state, k)?;
    }
    let clobbers = f.inst_clobbers(i);
    if clobbers != PRegSet::default() {
        state.retain(|a, _| !matches!(a, Allocation::Reg(r) if clobbers.contains(*r)));
    }
    for k in (0..ops.len()).filter(|&k| is(k, OperandKind::Use, OperandPos::Late)) {
        read(state, k)?;
    }
    for k in (0..ops.len()).filter(|&k| is(k, OperandKind::Def, OperandPos::Late)) {
        let reuses = match ops[k].constraint {
            OperandConstraint::Reuse(n) => Some(n),
            _ => None,
        };
        let clash = (0..ops.len())
            .any(|u| is(u, OperandKind::Use, OperandPos::Late) && allocs[u] == allocs[k] && Some(u) != reuses);
        if clash {
            return fail(format!(
                "instruction {i}: late def v{} shares {} with a late use",
                ops[k].vreg.index, allocs[k]
            ));
        }
        write(state, allocs[k], ops[k].vreg, def_count[ops[k].vreg.index as usize] > 1);
    }
    Ok(())
}

/// The state on an edge: branch arguments become the successor's parameters (a parameter's
/// value from an earlier pass round a loop is gone).
fn rename(state: &State, args: &[VReg], params: &[VReg]) -> State {
    let mut out = State::new();
    for (&loc, held) in state {
        let mut now: BTreeSet<VReg> = held.iter().filter(|v| !params.contains(v)).copied().collect();
        for (a, p) in args.iter().zip(params) {
            if held.contains(a) {
                now.insert(*p);
            }
        }
        if !now.is_empty() {
            out.insert(loc, now);
        }
    }
    out
}

fn meet(a: &State, b: &State) -> State {
    let mut out = State::new();
    for (loc, held) in a {
        if let Some(other) = b.get(loc) {
            let both: BTreeSet<VReg> = held.intersection(other).copied().collect();
            if !both.is_empty() {
                out.insert(*loc, both);
            }
        }
    }
    out
}
