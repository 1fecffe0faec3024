//! Register allocation, shared by every target.
//!
//! A target lowers an IR function into machine instructions over virtual registers and
//! describes them to the allocator through [`RegallocInput`]: blocks, successors, block
//! parameters, and for every instruction its operands with their constraints and the physical
//! registers it clobbers. The allocator answers with a location for every operand and the moves
//! (including spills and reloads) to insert between instructions. The interface follows
//! regalloc2's, so a better allocator can be swapped in behind it.
//!
//! Block parameters: a branch instruction passes `branch_args(block, inst, succ_index)` to the
//! successor's `block_params`; the allocator inserts the parallel moves on the edge. Targets
//! must split critical edges whose successor has block parameters (so edge moves can go at the
//! end of the predecessor or at the start of the successor).
//!
//! The contract in detail ([`allocate`] returns an error, never panics, when it is broken):
//! - Edge moves go before the branch of a single-successor block (such a branch has no operands
//!   or clobbers), else at the start of a single-predecessor successor. A critical edge without
//!   parameters works when the branch has no operands (`jcc`), unless two successors entered
//!   from elsewhere want a value in different places: split critical edges to be safe.
//! - The entry block has no parameters: function arguments are fixed-register defs of its first
//!   instruction. Every use must be reached by a definition (SSA is not required; a vreg may be
//!   defined more than once).
//! - Moves come at `before(i)` points; the only `after(i)` edits are spill stores right after
//!   a definition (hoisted there to keep them out of a loop). No edit follows a branch.
//! - The scratch registers never hold an operand; they are used only inside one point's moves.
//!   A cycle of memory-to-memory moves uses one extra spill slot.

use std::fmt;

mod liveness;
mod moves;
mod scan;

pub use scan::EntryStates;

pub mod checker;

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod test_func;
#[cfg(test)]
mod tests;

/// Allocates registers for `input`: a location for every operand and the moves between them.
///
/// The algorithm is second-chance binpacking (Traub, Holloway and Smith, "Quality and Speed in
/// Linear-scan Register Allocation", 1998), a linear scan that walks the instructions in order
/// and splits a value's lifetime wherever it is evicted: see [`scan`].
pub fn allocate(input: &impl RegallocInput, env: &MachineEnv) -> Result<RegallocOutput, RegallocError> {
    scan::run(input, env)
}

/// Register class.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum RegClass {
    Int,
    Float,
}

/// A physical register: class and hardware encoding number.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct PReg {
    pub class: RegClass,
    pub hw: u8,
}

/// A virtual register.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct VReg {
    pub index: u32,
    pub class: RegClass,
}

/// A set of physical registers (up to 64 per class).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct PRegSet {
    pub int: u64,
    pub float: u64,
}

impl PRegSet {
    pub fn insert(&mut self, r: PReg) {
        match r.class {
            RegClass::Int => self.int |= 1 << r.hw,
            RegClass::Float => self.float |= 1 << r.hw,
        }
    }
    pub fn contains(&self, r: PReg) -> bool {
        match r.class {
            RegClass::Int => self.int & (1 << r.hw) != 0,
            RegClass::Float => self.float & (1 << r.hw) != 0,
        }
    }
    pub fn union(self, o: PRegSet) -> PRegSet {
        PRegSet { int: self.int | o.int, float: self.float | o.float }
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum OperandKind {
    Use,
    Def,
}

/// When in the instruction an operand is read or written. An `Early` def is written before the
/// uses are read (so it cannot share a register with them); a `Late` use is still read when the
/// defs are written (so it must not share a register with them).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum OperandPos {
    Early,
    Late,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum OperandConstraint {
    /// Any register of the class.
    Reg,
    /// A register or a stack slot (the instruction can take a memory operand).
    Any,
    /// This exact register.
    FixedReg(PReg),
    /// A def that must get the same register as use operand `n` of the same instruction
    /// (two-address instructions such as x86 `add`).
    Reuse(usize),
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Operand {
    pub vreg: VReg,
    pub constraint: OperandConstraint,
    pub kind: OperandKind,
    pub pos: OperandPos,
}

impl Operand {
    /// A use read at the start of the instruction, in any register.
    pub fn reg_use(vreg: VReg) -> Operand {
        Operand { vreg, constraint: OperandConstraint::Reg, kind: OperandKind::Use, pos: OperandPos::Early }
    }
    /// A def written at the end of the instruction, in any register.
    pub fn reg_def(vreg: VReg) -> Operand {
        Operand { vreg, constraint: OperandConstraint::Reg, kind: OperandKind::Def, pos: OperandPos::Late }
    }
    pub fn fixed_use(vreg: VReg, preg: PReg) -> Operand {
        Operand { vreg, constraint: OperandConstraint::FixedReg(preg), kind: OperandKind::Use, pos: OperandPos::Early }
    }
    pub fn fixed_def(vreg: VReg, preg: PReg) -> Operand {
        Operand { vreg, constraint: OperandConstraint::FixedReg(preg), kind: OperandKind::Def, pos: OperandPos::Late }
    }
    /// A def that shares the register of use operand `n`.
    pub fn reuse_def(vreg: VReg, n: usize) -> Operand {
        Operand { vreg, constraint: OperandConstraint::Reuse(n), kind: OperandKind::Def, pos: OperandPos::Late }
    }
}

/// A stack slot for spilled values, numbered from 0; each slot is 16 bytes (fits a v128).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct SpillSlot(pub u32);

/// Where an operand lives during an instruction.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Allocation {
    Reg(PReg),
    Stack(SpillSlot),
}

impl fmt::Display for Allocation {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Allocation::Reg(r) => write!(f, "{:?}{}", r.class, r.hw),
            Allocation::Stack(s) => write!(f, "slot{}", s.0),
        }
    }
}

/// A point between instructions: before or after instruction `inst`.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct ProgPoint {
    pub inst: u32,
    pub after: bool,
}

/// A move the target must emit at a program point, in the order given. Moves at one point
/// are already sequentialised (cycles broken with the class's scratch register).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Edit {
    pub point: ProgPoint,
    pub class: RegClass,
    pub from: Allocation,
    pub to: Allocation,
}

/// What a target tells the allocator about its registers.
#[derive(Clone, Debug)]
pub struct MachineEnv {
    /// Allocatable registers, most preferred first (caller-saved before callee-saved).
    pub int_regs: Vec<PReg>,
    pub float_regs: Vec<PReg>,
    /// One register per class kept out of allocation, for the allocator's move cycles and
    /// stack-to-stack moves.
    pub int_scratch: PReg,
    pub float_scratch: PReg,
}

/// The function being allocated, as the target describes it. Instructions are numbered
/// 0..num_insts() across the function; each block is a contiguous range of them, and the
/// last instruction of a block is its branch or return.
pub trait RegallocInput {
    fn num_insts(&self) -> usize;
    fn num_blocks(&self) -> usize;
    fn num_vregs(&self) -> usize;
    fn entry_block(&self) -> usize {
        0
    }
    /// Instruction range `[start, end)` of a block.
    fn block_insts(&self, block: usize) -> std::ops::Range<u32>;
    fn block_succs(&self, block: usize) -> &[u32];
    fn block_preds(&self, block: usize) -> &[u32];
    fn block_params(&self, block: usize) -> &[VReg];
    /// True for the instruction that ends a block (branch, return, trap).
    fn is_branch(&self, inst: u32) -> bool;
    fn is_ret(&self, inst: u32) -> bool;
    /// Values the branch `inst` at the end of `block` passes to successor number `succ_index`.
    fn branch_args(&self, block: usize, inst: u32, succ_index: usize) -> &[VReg];
    fn inst_operands(&self, inst: u32) -> &[Operand];
    /// Registers the instruction overwrites besides its defs (calls clobber caller-saved ones).
    fn inst_clobbers(&self, inst: u32) -> PRegSet;
    /// A plain register-to-register move `dst = src` the allocator may coalesce.
    fn is_move(&self, inst: u32) -> Option<(VReg, VReg)> {
        let _ = inst;
        None
    }
    /// Loop depth of a block (0 outside loops), to keep spills out of loops.
    fn block_loop_depth(&self, block: usize) -> u32 {
        let _ = block;
        0
    }
}

/// The allocator's answer.
#[derive(Clone, Debug, Default)]
pub struct RegallocOutput {
    /// `allocs[inst_alloc_offsets[i] + k]` is where operand `k` of instruction `i` lives.
    pub allocs: Vec<Allocation>,
    pub inst_alloc_offsets: Vec<u32>,
    /// Sorted by program point.
    pub edits: Vec<Edit>,
    pub num_spillslots: u32,
    /// Callee-saved registers the allocation uses (the prologue must save them).
    pub used_regs: PRegSet,
    /// Where each block expects its values on entry (see [`EntryStates::relies_on`]).
    pub entry_states: EntryStates,
}

impl RegallocOutput {
    pub fn inst_allocs(&self, inst: u32) -> &[Allocation] {
        let start = self.inst_alloc_offsets[inst as usize] as usize;
        let end = self.inst_alloc_offsets.get(inst as usize + 1).map(|&e| e as usize).unwrap_or(self.allocs.len());
        &self.allocs[start..end]
    }
}

#[derive(Debug)]
pub struct RegallocError(pub String);

impl fmt::Display for RegallocError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "register allocation: {}", self.0)
    }
}

impl std::error::Error for RegallocError {}

impl From<RegallocError> for crate::Error {
    fn from(e: RegallocError) -> crate::Error {
        crate::Error::msg(e.to_string())
    }
}
