//! Emission, the part both backends share: which machine blocks are emitted, and the walk
//! over the allocated instructions with the allocator's moves around each. A backend supplies
//! the bytes through [`EmitBackend`].
//!
//! Blocks that hold nothing but a jump (split edges that needed no moves) are skipped: a
//! branch to one goes straight to where its chain of jumps ends.

use crate::isa::lower::MBlock;
use crate::isa::vcode::{MachInst, VCode};
use crate::regalloc::{Allocation, Edit, RegallocOutput};
use crate::Result;

/// What a backend provides to emit an allocated function.
pub trait EmitBackend<I> {
    /// The target of `inst` when it is an unconditional jump.
    fn jump_target(inst: &I) -> Option<MBlock>;
    /// Rewrite `inst`'s virtual registers to the allocator's answer.
    fn apply_allocs(inst: &mut I, allocs: &[Allocation]) -> Result<()>;
    /// Bind block `b`'s label at the current offset.
    fn begin_block(&mut self, b: MBlock);
    /// The code offset the next instruction gets.
    fn code_offset(&self) -> u32;
    /// One allocator move (register, stack slot).
    fn emit_edit(&mut self, edit: &Edit);
    /// One allocated instruction. A branch to block `b` goes to `dest[b]`; `next` is the block
    /// emitted next, so a jump there falls through.
    fn emit_inst(&mut self, inst: &I, dest: &[MBlock], next: Option<MBlock>) -> Result<()>;
}

/// Emit every block that is not skipped, in order (the prologue comes before, the
/// out-of-line parts after: both the backend's). Returns the (code offset, Wasm byte offset)
/// pairs where the source location changes, ascending.
pub fn emit_blocks<I: MachInst + Clone, E: EmitBackend<I>>(
    e: &mut E,
    vcode: &VCode<I>,
    ra: &RegallocOutput,
) -> Result<Vec<(u32, u32)>> {
    let (emitted, dest) = plan_blocks::<I, E>(vcode, ra);
    let mut edits = ra.edits.iter().peekable();
    let mut srclocs: Vec<(u32, u32)> = Vec::new();
    for (k, &b) in emitted.iter().enumerate() {
        let next = emitted.get(k + 1).copied();
        e.begin_block(b);
        let block = &vcode.blocks[b as usize];
        for i in block.start..block.end {
            // Skip edits of instructions in skipped blocks (there are none by construction).
            while edits.peek().is_some_and(|ed| ed.point.inst < i) {
                edits.next();
            }
            let srcloc = vcode.srclocs[i as usize];
            if srclocs.last().map(|&(_, s)| s) != Some(srcloc) {
                srclocs.push((e.code_offset(), srcloc));
            }
            while let Some(ed) = edits.next_if(|ed| ed.point.inst == i && !ed.point.after) {
                e.emit_edit(ed);
            }
            let mut inst = vcode.insts[i as usize].clone();
            E::apply_allocs(&mut inst, ra.inst_allocs(i))?;
            e.emit_inst(&inst, &dest, next)?;
            while let Some(ed) = edits.next_if(|ed| ed.point.inst == i && ed.point.after) {
                e.emit_edit(ed);
            }
        }
    }
    Ok(srclocs)
}

/// The blocks to emit, in order, and where a branch to each block really lands.
fn plan_blocks<I, E: EmitBackend<I>>(vcode: &VCode<I>, ra: &RegallocOutput) -> (Vec<MBlock>, Vec<MBlock>) {
    let mut skip = skippable_blocks::<I, E>(vcode, ra);
    let dest = final_targets::<I, E>(vcode, &skip);
    // A cycle of skippable blocks (an empty infinite loop) resolves to a block of the cycle:
    // that one must be emitted after all.
    for &d in &dest {
        skip[d as usize] = false;
    }
    let emitted = (0..vcode.blocks.len() as MBlock).filter(|&b| !skip[b as usize]).collect();
    (emitted, dest)
}

/// Blocks made of a lone jump with no moves around it: branches to them go to their target.
fn skippable_blocks<I, E: EmitBackend<I>>(vcode: &VCode<I>, ra: &RegallocOutput) -> Vec<bool> {
    let mut has_edits = vec![false; vcode.insts.len()];
    for ed in &ra.edits {
        if let Some(h) = has_edits.get_mut(ed.point.inst as usize) {
            *h = true;
        }
    }
    vcode
        .blocks
        .iter()
        .enumerate()
        .map(|(b, blk)| {
            b != 0
                && blk.end == blk.start + 1
                && !has_edits[blk.start as usize]
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
