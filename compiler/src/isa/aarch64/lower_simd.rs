//! Instruction selection, part 4: vector operations. NEON covers nearly every Wasm SIMD
//! operation in one to three instructions, so each `InstData::Simd` becomes one
//! [`MInst::Simd`] and `emit_simd.rs` expands it; only the register constraints are decided
//! here.

use super::inst::{MInst, Reg};
use super::lower::Lower;
use crate::ir::{Inst, SimdOp, Value};
use crate::regalloc::RegClass;
use crate::{Error, Result};

impl Lower<'_> {
    pub(super) fn lower_simd(&mut self, inst: Inst, op: SimdOp, args: &[Value]) -> Result<()> {
        if args.len() != op.operand_types().len() {
            return Err(Error::msg(format!("function {}: {} takes {} operands", self.f.name, op.name(), args.len())));
        }
        let args = args.iter().map(|&a| self.put_in_reg(a)).collect::<Result<Vec<_>>>()?;
        let dst = self.result(inst, 0)?;
        let tmp = needs_second_scratch(op).then(|| Reg::Virt(self.new_vreg(RegClass::Float)));
        self.emit(MInst::Simd { op, dst, args, tmp });
        Ok(())
    }
}

/// Sequences that need a vector register besides `v31`: the bitmasks (their `dst` is a
/// general register), for the lane weights.
fn needs_second_scratch(op: SimdOp) -> bool {
    matches!(op, SimdOp::I8x16Bitmask | SimdOp::I16x8Bitmask | SimdOp::I32x4Bitmask | SimdOp::I64x2Bitmask)
}
