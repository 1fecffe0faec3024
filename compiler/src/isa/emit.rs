//! Emission, the part both backends share: the walk over the allocated instructions with the
//! allocator's moves around each, in the order and with the copies `emit_plan` decides. A
//! backend supplies the bytes through [`EmitBackend`].

use crate::isa::emit_plan::{self, edits_at, has_edits_after, EmitPlan};
use crate::isa::lower::MBlock;
use crate::isa::vcode::{MachInst, VCode};
use crate::regalloc::{Allocation, Edit, RegallocOutput};
use crate::Result;

/// What a backend provides to emit an allocated function.
pub trait EmitBackend<I> {
    /// The target of `inst` when it is an unconditional jump.
    fn jump_target(inst: &I) -> Option<MBlock>;
    /// `inst` is an indirect jump through a table (the lowering of `br_table`).
    fn is_table_jump(inst: &I) -> bool;
    /// `inst` is a two-way conditional branch that reads nothing the allocator's moves can
    /// change (only flags, which moves leave alone), so moves may go just before it.
    fn branch_reads_only_flags(_inst: &I) -> bool {
        false
    }
    /// Rewrite `inst`'s virtual registers to the allocator's answer.
    fn apply_allocs(inst: &mut I, allocs: &[Allocation]) -> Result<()>;
    /// Bind block `b`'s label at the current offset.
    fn begin_block(&mut self, b: MBlock);
    /// The code offset the next instruction gets.
    fn code_offset(&self) -> u32;
    /// One allocator move (register, stack slot).
    fn emit_edit(&mut self, edit: &Edit);
    /// One allocated instruction. A branch to block `b` goes to `dest[b]`; `next` is the block
    /// emitted next, so a jump there falls through. The same instruction may be emitted more
    /// than once (tail duplication): labels it needs of its own must be made afresh each time.
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
    let plan = emit_plan::plan::<I, E>(vcode, ra);
    let mut walk = Walk {
        e,
        vcode,
        ra,
        plan: &plan,
        srclocs: Vec::new(),
    };
    for (k, &b) in plan.emitted.iter().enumerate() {
        let next = plan.emitted.get(k + 1).copied();
        walk.e.begin_block(b);
        walk.block_body(b, next)?;
    }
    Ok(walk.srclocs)
}

struct Walk<'a, I, E> {
    e: &'a mut E,
    vcode: &'a VCode<I>,
    ra: &'a RegallocOutput,
    plan: &'a EmitPlan,
    srclocs: Vec<(u32, u32)>,
}

impl<I: MachInst + Clone, E: EmitBackend<I>> Walk<'_, I, E> {
    /// The instructions of block `b` and their moves; a jump to a duplicated block becomes
    /// a copy of that block. `next` is the block emitted after this code.
    fn block_body(&mut self, b: MBlock, next: Option<MBlock>) -> Result<()> {
        let block = &self.vcode.blocks[b as usize];
        for i in block.start..block.end {
            let srcloc = self.vcode.srclocs[i as usize];
            let offset = self.e.code_offset();
            match self.srclocs.last_mut() {
                Some(last) if last.1 == srcloc => {}
                // The instruction before emitted no code: this one owns the offset. Keeping
                // one entry per offset leaves the list sorted, so the object writer's sort of
                // the whole module's list is a linear check.
                Some(last) if last.0 == offset => last.1 = srcloc,
                _ => self.srclocs.push((offset, srcloc)),
            }
            let edits = edits_at(self.ra, &self.plan.edit_start, i);
            for ed in edits.iter().filter(|ed| !ed.point.after) {
                self.e.emit_edit(ed);
            }
            if i + 1 == block.end {
                // The moves of an edge block folded into this branch (see `emit_plan`).
                if let Some(edge) = self.plan.hoisted_edge[b as usize] {
                    let first = self.vcode.blocks[edge as usize].start;
                    for ed in edits_at(self.ra, &self.plan.edit_start, first) {
                        self.e.emit_edit(ed);
                    }
                }
            }
            let inst = &self.vcode.insts[i as usize];
            if let Some(target) = E::jump_target(inst) {
                let t = self.plan.dest[target as usize];
                if self.plan.duplicated[t as usize]
                    && t != b
                    && Some(t) != next
                    && !has_edits_after(self.ra, &self.plan.edit_start, i)
                {
                    return self.block_body(t, next);
                }
            }
            let mut inst = inst.clone();
            E::apply_allocs(&mut inst, self.ra.inst_allocs(i))?;
            self.e.emit_inst(&inst, &self.plan.dest, next)?;
            for ed in edits.iter().filter(|ed| ed.point.after) {
                self.e.emit_edit(ed);
            }
        }
        Ok(())
    }
}
