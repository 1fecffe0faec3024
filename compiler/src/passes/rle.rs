//! Redundant load elimination: a load of what an earlier load read, or of what an earlier
//! store wrote, takes that value instead of reading memory again.
//!
//! The walk goes down the dominator tree with a scoped table of facts "location L holds value
//! v" (locations: `alias.rs`). A load records what it read; a store records what it wrote
//! and forgets the facts about locations it may overlap (same root, overlapping bytes; every
//! other root of its space); a call forgets everything. A block starts from the facts at the
//! end of its immediate dominator, less what the blocks between the two may write
//! ([`Regions`]): for a loop header, that includes the whole loop.
//!
//! Traps: removing a load that might trap is sound here, because the fact that replaces it
//! comes from an access of the same bytes that already executed without trapping, and
//! memory only grows, so the removed load would not have trapped either.
//!
//! Non-`readonly` host loads (mutable globals, table fields, the memory length) are handled
//! the same way as linear loads; `readonly` ones are merged by `gvn`.
//!
//! What it pays depends on the producer: LLVM at -O2 has already removed what it could
//! prove, so little is left (resvg: 0.3% of its loads), while unoptimized code, which keeps
//! locals in memory, loses a tenth of its loads and runs markedly faster.

use super::alias::{Location, Space, MAX_ACCESS_BYTES};
use super::analyses::Analyses;
use super::cfg::ControlFlowGraph;
use super::edit::{replace_uses, Aliases};
use crate::ir::{
    BinaryOp, Block, Function, Inst, InstData, MemSize, RuntimeFn, Type, UnaryOp, Value,
};
use std::collections::BTreeMap;

/// Runs the pass; the shared analyses stay valid (loads go, edges stay).
pub fn run(func: &mut Function, analyses: &mut Analyses) {
    let Some(&entry) = func.layout.first() else {
        return;
    };
    let tracked = shared_keys(func);
    if tracked.is_empty() {
        return;
    }
    let (cfg, domtree) = analyses.cfg_and_domtree(func);
    let mut regions = Regions::new(func, cfg);
    let mut aliases = Aliases::new(func);
    let mut facts = Facts {
        tracked,
        ..Facts::default()
    };
    // Explicit stack for the preorder walk; `None` marks leaving a block's scope.
    let mut stack = vec![Some(entry)];
    while let Some(item) = stack.pop() {
        let Some(b) = item else {
            facts.close();
            continue;
        };
        facts.open();
        match domtree
            .idom(b)
            .and_then(|idom| regions.writes_between(&cfg, idom, b))
        {
            Some(writes) => writes.iter().for_each(|&loc| facts.write(loc)),
            None => facts.forget_all(),
        }
        stack.push(None);
        let insts = std::mem::take(&mut func.blocks[b.index()].insts);
        let mut kept = Vec::with_capacity(insts.len());
        for inst in insts {
            func.insts[inst.index()].map_args(|v| aliases.resolve(v));
            visit(func, inst, &mut facts, &mut aliases, &mut kept);
        }
        func.blocks[b.index()].insts = kept;
        stack.extend(domtree.children(b).iter().rev().map(|&c| Some(c)));
    }
    replace_uses(func, &mut aliases);
}

/// Apply one instruction to the facts; push it to `kept` unless it became redundant (its
/// result then aliases the known value), preceded by any instruction it now needs.
fn visit(
    func: &mut Function,
    inst: Inst,
    facts: &mut Facts,
    aliases: &mut Aliases,
    kept: &mut Vec<Inst>,
) {
    let (loc, ty, ext) = match access(func, &func.insts[inst.index()]) {
        Some(Access {
            loc,
            ty,
            kind: AccessKind::Load(ext),
        }) => (loc, ty, ext),
        Some(Access {
            loc,
            ty,
            kind: AccessKind::Store(value),
        }) => {
            facts.write(loc);
            facts.insert(loc, ty, Fact::Stored { value });
            kept.push(inst);
            return;
        }
        None => {
            if may_write_memory(&func.insts[inst.index()]) {
                facts.forget_all();
            }
            kept.push(inst);
            return;
        }
    };
    let [result] = func.inst_results[inst.index()][..] else {
        kept.push(inst);
        return;
    };
    match facts.get(loc, ty) {
        Some(Fact::Loaded { ext: known, value }) if known == ext => aliases.set(result, value),
        Some(Fact::Stored { value }) if ext == Extension::None => aliases.set(result, value),
        Some(Fact::Stored { value }) if ty.is_int() && ty != Type::Ref => {
            // The load now extends the stored value's low bytes itself.
            let srcloc = func.srclocs[inst.index()];
            let data = match ext {
                Extension::Signed => {
                    let op = match loc.bytes {
                        1 => UnaryOp::Sext8,
                        2 => UnaryOp::Sext16,
                        _ => UnaryOp::Sext32,
                    };
                    InstData::Unary { op, ty, arg: value }
                }
                _ => {
                    let mask = (1i64 << (8 * loc.bytes)) - 1;
                    let imm = if ty == Type::I32 {
                        mask as i32 as i64
                    } else {
                        mask
                    };
                    let mask = func.create_inst(InstData::Iconst { ty, imm }, &[ty], srcloc);
                    kept.push(mask);
                    let mask = func.inst_results[mask.index()][0];
                    InstData::Binary {
                        op: BinaryOp::And,
                        ty,
                        args: [value, mask],
                    }
                }
            };
            func.insts[inst.index()] = data;
            kept.push(inst);
        }
        Some(_) => kept.push(inst),
        None => {
            facts.insert(loc, ty, Fact::Loaded { ext, value: result });
            kept.push(inst);
        }
    }
}

#[derive(Copy, Clone)]
enum AccessKind {
    Load(Extension),
    Store(Value),
}

/// A load or store that this pass follows, with the type of the value read or written.
#[derive(Copy, Clone)]
struct Access {
    loc: Location,
    ty: Type,
    kind: AccessKind,
}

fn access(func: &Function, data: &InstData) -> Option<Access> {
    let (loc, ty, kind) = match *data {
        InstData::Load {
            ty,
            size,
            heap,
            addr,
            offset,
        } => (
            Location::linear(func, heap, addr, offset, size.bytes(ty)),
            ty,
            AccessKind::Load(Extension::of(ty, size)),
        ),
        InstData::LoadPtr {
            ty,
            ptr,
            offset,
            readonly: false,
        } => (
            Location::host(ptr, offset, ty.bytes()),
            ty,
            AccessKind::Load(Extension::None),
        ),
        InstData::Store {
            ty,
            size,
            heap,
            addr,
            offset,
            value,
        } => (
            Location::linear(func, heap, addr, offset, size.bytes(ty)),
            ty,
            AccessKind::Store(value),
        ),
        InstData::StorePtr {
            ty,
            ptr,
            offset,
            value,
        } => (
            Location::host(ptr, offset, ty.bytes()),
            ty,
            AccessKind::Store(value),
        ),
        _ => return None,
    };
    Some(Access { loc, ty, kind })
}

/// The keys that a load shares with at least one other access: only facts about them can
/// ever serve, so only they are recorded. In optimized code most loads have no such twin,
/// and a function without any is left alone before the dominator tree is even built.
/// Sorted, for binary search (no hashing of offsets the input chooses).
fn shared_keys(func: &Function) -> Vec<Key> {
    let mut accesses: Vec<(Key, bool)> = Vec::new();
    for &b in &func.layout {
        for &inst in &func.blocks[b.index()].insts {
            if let Some(a) = access(func, &func.insts[inst.index()]) {
                accesses.push((key(a.loc, a.ty), matches!(a.kind, AccessKind::Load(_))));
            }
        }
    }
    accesses.sort_unstable_by_key(|a| a.0);
    accesses
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() >= 2 && run.iter().any(|&(_, is_load)| is_load))
        .map(|run| run[0].0)
        .collect()
}

/// Calls may write any memory, except runtime functions that only read.
fn may_write_memory(data: &InstData) -> bool {
    match data {
        InstData::Call { .. } | InstData::CallIndirect { .. } => true,
        InstData::CallRuntime { func, .. } => !matches!(
            func,
            RuntimeFn::TableGet | RuntimeFn::TableSize | RuntimeFn::RefFunc
        ),
        _ => false,
    }
}

/// How a load narrower than its type fills the upper bits.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Extension {
    /// The load is as wide as its type.
    None,
    Signed,
    Unsigned,
}

impl Extension {
    fn of(ty: Type, size: MemSize) -> Extension {
        match size {
            _ if size.bytes(ty) == ty.bytes() => Extension::None,
            MemSize::S8 | MemSize::S16 | MemSize::S32 => Extension::Signed,
            _ => Extension::Unsigned,
        }
    }
}

/// What a location is known to hold.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Fact {
    /// A load of this location (with this extension) produced `value`.
    Loaded { ext: Extension, value: Value },
    /// A store wrote `value` (of the key's type; truncated if the location is narrower).
    Stored { value: Value },
}

/// Facts are keyed by location and value type: the same bytes read as `i32` and as `f32`
/// are two facts.
type Key = (Location, u8);

fn key(loc: Location, ty: Type) -> Key {
    (loc, ty as u8)
}

#[derive(Copy, Clone, Debug)]
struct Entry {
    fact: Fact,
    /// When the fact was recorded; a later kill that covers it makes it stale.
    stamp: u64,
}

/// Stores seen in one space, enough to tell which roots they killed: a store kills every
/// other root of its space, so a root's facts are stale if older than the last store to a
/// different root.
#[derive(Copy, Clone, Debug, Default)]
struct StoreHistory {
    last_root: Option<(Value, Value)>,
    last_stamp: u64,
    /// The last store before `last_stamp` whose root differs from `last_root`.
    before_last_root: u64,
}

impl StoreHistory {
    fn killed_until(&self, root: (Value, Value)) -> u64 {
        if self.last_root == Some(root) {
            self.before_last_root
        } else {
            self.last_stamp
        }
    }

    fn record(&mut self, root: (Value, Value), stamp: u64) {
        if self.last_root != Some(root) {
            self.before_last_root = self.last_stamp;
            self.last_root = Some(root);
        }
        self.last_stamp = stamp;
    }
}

/// Everything about the facts that a scope restores when it closes, apart from the map.
#[derive(Copy, Clone, Debug, Default)]
struct Kills {
    /// Facts older than this were forgotten by a call or a block entry.
    forgotten_before: u64,
    linear: StoreHistory,
    host: StoreHistory,
}

impl Kills {
    fn history(&mut self, space: Space) -> &mut StoreHistory {
        match space {
            Space::Linear => &mut self.linear,
            Space::Host => &mut self.host,
        }
    }

    fn is_live(&mut self, loc: &Location, entry: &Entry) -> bool {
        entry.stamp >= self.forgotten_before
            && entry.stamp > self.history(loc.space).killed_until(loc.root)
    }
}

/// The fact table: an ordered map (so a store finds the facts it overlaps by a range query
/// on its root), with an undo log per dominator-tree scope. Kills that cover whole roots or
/// everything are O(1): stamps compared against `Kills`, not removals.
#[derive(Default)]
struct Facts {
    /// The only keys recorded (see `shared_keys`), sorted.
    tracked: Vec<Key>,
    map: BTreeMap<Key, Entry>,
    clock: u64,
    kills: Kills,
    /// Previous entries of the keys changed since the outer scopes opened.
    undo: Vec<(Key, Option<Entry>)>,
    scopes: Vec<(usize, Kills)>,
}

impl Facts {
    fn open(&mut self) {
        self.scopes.push((self.undo.len(), self.kills));
    }

    fn close(&mut self) {
        let Some((start, kills)) = self.scopes.pop() else {
            return;
        };
        for (key, previous) in self.undo.drain(start..).rev() {
            match previous {
                Some(entry) => self.map.insert(key, entry),
                None => self.map.remove(&key),
            };
        }
        self.kills = kills;
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    fn forget_all(&mut self) {
        self.kills.forgotten_before = self.tick();
    }

    fn get(&mut self, loc: Location, ty: Type) -> Option<Fact> {
        let entry = *self.map.get(&key(loc, ty))?;
        self.kills.is_live(&loc, &entry).then_some(entry.fact)
    }

    fn insert(&mut self, loc: Location, ty: Type, fact: Fact) {
        let key = key(loc, ty);
        if self.tracked.binary_search(&key).is_err() {
            return;
        }
        let stamp = self.tick();
        let previous = self.map.insert(key, Entry { fact, stamp });
        self.undo.push((key, previous));
    }

    /// A write to `loc`: every fact it may overwrite goes.
    fn write(&mut self, loc: Location) {
        let stamp = self.tick();
        self.kills.history(loc.space).record(loc.root, stamp);
        let mut overwritten = Vec::new();
        for shift in loc.shifts() {
            let first = (loc.pos - (MAX_ACCESS_BYTES - 1)).saturating_add(*shift);
            let last = (loc.pos + i64::from(loc.bytes) - 1).saturating_add(*shift);
            let low = Location {
                pos: first,
                wrapped: 0,
                bytes: 0,
                ..loc
            };
            let high = Location {
                pos: last,
                wrapped: u32::MAX,
                bytes: u32::MAX,
                ..loc
            };
            overwritten.extend(
                self.map
                    .range((low, 0)..=(high, u8::MAX))
                    .map(|(k, _)| *k)
                    .filter(|(other, _)| other.may_overlap(&loc)),
            );
        }
        for key in overwritten {
            if let Some(previous) = self.map.remove(&key) {
                self.undo.push((key, Some(previous)));
            }
        }
    }
}

/// Beyond these, a block forgets everything at its entry rather than look for what the
/// paths from its dominator write: the search stays cheap on huge functions.
const MAX_REGION_BLOCKS: usize = 32;
const MAX_REGION_WRITES: usize = 64;

/// What each block writes, to find what the paths between a block and its immediate
/// dominator may write.
struct Regions {
    /// Per block: the locations its stores write, or `None` if it calls.
    writes: Vec<Option<Vec<Location>>>,
    /// Visit marks for one search: `seen[b] == search` when `b` was visited.
    seen: Vec<u32>,
    search: u32,
    stack: Vec<Block>,
    found: Vec<Location>,
}

impl Regions {
    fn new(func: &Function, cfg: &ControlFlowGraph) -> Regions {
        let mut writes = vec![Some(Vec::new()); func.blocks.len()];
        for &b in cfg.reverse_postorder() {
            let mut locs = Vec::new();
            for &inst in &func.blocks[b.index()].insts {
                let data = &func.insts[inst.index()];
                if may_write_memory(data) {
                    writes[b.index()] = None;
                    break;
                }
                if let Some(Access {
                    loc,
                    kind: AccessKind::Store(_),
                    ..
                }) = access(func, data)
                {
                    locs.push(loc);
                }
            }
            if let Some(w) = &mut writes[b.index()] {
                *w = locs;
            }
        }
        Regions {
            writes,
            seen: vec![0; func.blocks.len()],
            search: 0,
            stack: Vec::new(),
            found: Vec::new(),
        }
    }

    /// Every location that may be written between the end of `idom` and the entry of `b`
    /// (which `idom` immediately dominates), or `None` if anything may be (a call, or more
    /// than the search covers).
    ///
    /// The blocks on those paths are exactly those that reach `b` without going through
    /// `idom`: found backwards from `b`'s predecessors, stopping at `idom`. (A block that
    /// reaches `b` that way is reachable only through `idom`, as `idom` dominates `b`.) `b`
    /// itself is among them when it lies on a cycle that avoids `idom`: a loop header's
    /// region is its whole loop.
    fn writes_between(
        &mut self,
        cfg: &ControlFlowGraph,
        idom: Block,
        b: Block,
    ) -> Option<&[Location]> {
        self.search += 1;
        self.found.clear();
        let mut visited = 0;
        self.stack.clear();
        self.stack.extend_from_slice(cfg.preds(b));
        while let Some(p) = self.stack.pop() {
            if p == idom || !cfg.is_reachable(p) || self.seen[p.index()] == self.search {
                continue;
            }
            self.seen[p.index()] = self.search;
            visited += 1;
            if visited > MAX_REGION_BLOCKS {
                return None;
            }
            self.found
                .extend_from_slice(self.writes[p.index()].as_deref()?);
            if self.found.len() > MAX_REGION_WRITES {
                return None;
            }
            self.stack.extend_from_slice(cfg.preds(p));
        }
        Some(&self.found)
    }
}
