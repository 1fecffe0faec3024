//! Which machine blocks the shared emission walk emits, where a branch to each really lands,
//! and which blocks are copied in place of a jump to them.
//!
//! - Blocks that hold nothing but a jump (split edges that needed no moves) are skipped: a
//!   branch to one goes straight to where its chain of jumps ends.
//! - Tail duplication: a short block that ends in a jump-table dispatch is emitted again in
//!   place of every jump to it (and so is a short block that jumps to such a block). Each copy
//!   has its own indirect branch, which the processor then predicts per predecessor: a
//!   bytecode interpreter's dispatch loop goes from one shared, badly predicted `jmp *reg` to
//!   one per case. The copies are exact: after allocation the code of a block is valid
//!   wherever control arrives with the block's entry state, and a jump carries that state.

use crate::isa::emit::EmitBackend;
use crate::isa::lower::MBlock;
use crate::isa::vcode::VCode;
use crate::regalloc::{Edit, RegallocOutput};

/// A block copied in place of a jump may hold at most this many instructions and moves,
/// counting the blocks it jumps to that are copied too.
pub const MAX_DUPLICATED_LEN: u32 = 12;

pub struct EmitPlan {
    /// The blocks to emit, in order.
    pub emitted: Vec<MBlock>,
    /// Where a branch to each block really lands.
    pub dest: Vec<MBlock>,
    /// Blocks whose code replaces a jump to them.
    pub duplicated: Vec<bool>,
    /// `edits[edit_start[i]..edit_start[i + 1]]` are the allocator's moves at instruction `i`.
    pub edit_start: Vec<u32>,
    /// Per block ending in a two-way branch: the successor edge block (moves and a jump) whose
    /// moves go before the branch instead, so that the branch goes straight to the jump's
    /// target (a loop's back edge becomes one conditional branch, not a branch over a jump).
    pub hoisted_edge: Vec<Option<MBlock>>,
}

pub fn plan<I, E: EmitBackend<I>>(vcode: &VCode<I>, ra: &RegallocOutput) -> EmitPlan {
    let edit_start = edit_starts(vcode.insts.len(), ra);
    let mut skip = skippable_blocks::<I, E>(vcode, &edit_start);
    let mut dest = final_targets::<I, E>(vcode, &skip);
    // A cycle of skippable blocks (an empty infinite loop) resolves to a block of the cycle:
    // that one must be emitted after all.
    for &d in &dest {
        skip[d as usize] = false;
    }
    let hoisted_edge = hoistable_edges::<I, E>(vcode, ra, &edit_start);
    for &edge in hoisted_edge.iter().flatten() {
        let blk = &vcode.blocks[edge as usize];
        if let Some(target) = E::jump_target(&vcode.insts[blk.start as usize]) {
            dest[edge as usize] = dest[target as usize];
            skip[edge as usize] = true;
        }
    }
    let emitted = (0..vcode.blocks.len() as MBlock)
        .filter(|&b| !skip[b as usize])
        .collect();
    let duplicated = duplicated_blocks::<I, E>(vcode, ra, &dest, &edit_start);
    EmitPlan {
        emitted,
        dest,
        duplicated,
        edit_start,
        hoisted_edge,
    }
}

/// For each block ending in a branch that reads only flags: a successor that only this block
/// enters and that holds nothing but moves and a jump elsewhere, when those moves write no
/// location the other successor's entry relies on. Its moves can then run before the branch
/// on both paths.
fn hoistable_edges<I, E: EmitBackend<I>>(vcode: &VCode<I>, ra: &RegallocOutput, edit_start: &[u32]) -> Vec<Option<MBlock>> {
    let mut hoisted = vec![None; vcode.blocks.len()];
    for (b, blk) in vcode.blocks.iter().enumerate() {
        if blk.end == blk.start || !E::branch_reads_only_flags(&vcode.insts[blk.end as usize - 1]) {
            continue;
        }
        let [first, second] = blk.succs[..] else { continue };
        if first == second {
            continue;
        }
        for (edge, other) in [(first, second), (second, first)] {
            let e = &vcode.blocks[edge as usize];
            let jump = vcode.insts.get(e.start as usize).and_then(E::jump_target);
            let moves = edits_at(ra, edit_start, e.start);
            let plain_edge = edge != 0
                && e.preds.len() == 1
                && e.end == e.start + 1
                && jump.is_some_and(|t| t != edge)
                && !moves.is_empty()
                && moves.iter().all(|m| !m.point.after);
            if !plain_edge || !vcode.blocks[other as usize].params.is_empty() {
                continue;
            }
            if moves.iter().all(|m| !ra.entry_states.relies_on(other as usize, m.to)) {
                hoisted[b] = Some(edge);
                break;
            }
        }
    }
    hoisted
}

/// For each instruction, the index of its first edit (edits are sorted by program point).
fn edit_starts(num_insts: usize, ra: &RegallocOutput) -> Vec<u32> {
    let mut start = Vec::with_capacity(num_insts + 1);
    let mut e = 0usize;
    for i in 0..=num_insts as u32 {
        while e < ra.edits.len() && ra.edits[e].point.inst < i {
            e += 1;
        }
        start.push(e as u32);
    }
    start
}

/// The allocator's moves at instruction `i`.
pub fn edits_at<'a>(ra: &'a RegallocOutput, edit_start: &[u32], i: u32) -> &'a [Edit] {
    &ra.edits[edit_start[i as usize] as usize..edit_start[i as usize + 1] as usize]
}

fn num_edits(edit_start: &[u32], i: u32) -> u32 {
    edit_start[i as usize + 1] - edit_start[i as usize]
}

/// Blocks made of a lone jump with no moves around it: branches to them go to their target.
fn skippable_blocks<I, E: EmitBackend<I>>(vcode: &VCode<I>, edit_start: &[u32]) -> Vec<bool> {
    vcode
        .blocks
        .iter()
        .enumerate()
        .map(|(b, blk)| {
            b != 0
                && blk.end == blk.start + 1
                && num_edits(edit_start, blk.start) == 0
                && E::jump_target(&vcode.insts[blk.start as usize]).is_some()
        })
        .collect()
}

/// Where a branch to each block really lands, following skipped blocks (a cycle of them, an
/// empty infinite loop, keeps its first block).
fn final_targets<I, E: EmitBackend<I>>(vcode: &VCode<I>, skip: &[bool]) -> Vec<MBlock> {
    (0..vcode.blocks.len())
        .map(|b| {
            let mut cur = b;
            for _ in 0..vcode.blocks.len() {
                if !skip[cur] {
                    return cur as MBlock;
                }
                match E::jump_target(&vcode.insts[vcode.blocks[cur].start as usize]) {
                    Some(target) => cur = target as usize,
                    None => return cur as MBlock,
                }
            }
            b as MBlock
        })
        .collect()
}

/// Blocks to copy in place of a jump to them: short blocks ending in a jump-table dispatch,
/// or in a jump to such a block.
fn duplicated_blocks<I, E: EmitBackend<I>>(
    vcode: &VCode<I>,
    ra: &RegallocOutput,
    dest: &[MBlock],
    edit_start: &[u32],
) -> Vec<bool> {
    let n = vcode.blocks.len();
    // The copied length of each block, when it can be copied; `None` when not (yet).
    let mut len: Vec<Option<u32>> = vec![None; n];
    let own_len = |b: usize| {
        let blk = &vcode.blocks[b];
        (blk.end - blk.start)
            + (blk.start..blk.end)
                .map(|i| num_edits(edit_start, i))
                .sum::<u32>()
    };
    let mut any = false;
    for (b, blk) in vcode.blocks.iter().enumerate() {
        if b != 0 && blk.end > blk.start && E::is_table_jump(&vcode.insts[blk.end as usize - 1]) {
            let l = own_len(b);
            if l <= MAX_DUPLICATED_LEN {
                len[b] = Some(l);
                any = true;
            }
        }
    }
    if !any {
        return vec![false; n];
    }
    // Blocks jumping to copied blocks, one level of jumps per round; each round only adds
    // blocks, and a block is added once, so this ends.
    let mut changed = true;
    while changed {
        changed = false;
        for (b, blk) in vcode.blocks.iter().enumerate() {
            if b == 0 || len[b].is_some() || blk.end == blk.start {
                continue;
            }
            let last = blk.end - 1;
            let Some(t) = E::jump_target(&vcode.insts[last as usize]) else {
                continue;
            };
            let t = dest[t as usize] as usize;
            if t == b || has_edits_after(ra, edit_start, last) {
                continue;
            }
            if let Some(tl) = len[t] {
                let l = own_len(b) - 1 + tl;
                if l <= MAX_DUPLICATED_LEN {
                    len[b] = Some(l);
                    changed = true;
                }
            }
        }
    }
    len.iter().map(|l| l.is_some()).collect()
}

/// Moves placed after instruction `i` (a jump with some cannot be replaced by a copy).
pub fn has_edits_after(ra: &RegallocOutput, edit_start: &[u32], i: u32) -> bool {
    edits_at(ra, edit_start, i).iter().any(|ed| ed.point.after)
}
