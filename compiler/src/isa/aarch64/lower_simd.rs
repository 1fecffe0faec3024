//! Instruction selection, part 4: vector operations. NEON covers nearly every Wasm SIMD
//! operation in one to three instructions, so each `InstData::Simd` becomes one
//! [`MInst::Simd`] and `emit_simd.rs` expands it. Decided here: the register constraints,
//! and shifts by a constant count, which take NEON's immediate forms.

use super::inst::{MInst, Reg, VArr, VecShiftOp};
use super::lower::Lower;
use crate::ir::{Inst, SimdOp, Value};
use crate::regalloc::RegClass;
use crate::{Error, Result};

impl Lower<'_> {
    pub(super) fn lower_simd(&mut self, inst: Inst, op: SimdOp, args: &[Value]) -> Result<()> {
        if args.len() != op.operand_types().len() {
            return Err(Error::msg(format!("function {}: {} takes {} operands", self.f.name, op.name(), args.len())));
        }
        let dst = self.result(inst, 0)?;
        let constant_count = shift_shape(op).zip(args.get(1).and_then(|&count| self.iconst(count)));
        if let Some(((arr, signed, right), count)) = constant_count {
            return self.shift_by_constant(dst, args[0], arr, signed, right, count);
        }
        let args = args.iter().map(|&a| self.put_in_reg(a)).collect::<Result<Vec<_>>>()?;
        let tmp = needs_second_scratch(op).then(|| Reg::Virt(self.new_vreg(RegClass::Float)));
        self.emit(MInst::Simd { op, dst, args, tmp });
        Ok(())
    }

    /// A shift by a constant: the immediate form, the count taken modulo the lane width as
    /// Wasm does (a zero count is a move).
    fn shift_by_constant(
        &mut self,
        dst: Reg,
        v: Value,
        arr: VArr,
        signed: bool,
        right: bool,
        count: u64,
    ) -> Result<()> {
        let src = self.put_in_reg(v)?;
        let amount = (count % u64::from(arr.lane_bits())) as u32;
        let op = match (right, signed) {
            _ if amount == 0 => {
                self.emit(MInst::Move { dst, src, float: true });
                return Ok(());
            }
            (false, _) => VecShiftOp::Shl,
            (true, true) => VecShiftOp::Sshr,
            (true, false) => VecShiftOp::Ushr,
        };
        self.emit(MInst::VecShiftImm { op, arr, dst, src, amount });
        Ok(())
    }
}

/// Sequences that need a vector register besides `v31`: the bitmasks (their `dst` is a
/// general register), for the lane weights.
fn needs_second_scratch(op: SimdOp) -> bool {
    matches!(op, SimdOp::I8x16Bitmask | SimdOp::I16x8Bitmask | SimdOp::I32x4Bitmask | SimdOp::I64x2Bitmask)
}

/// Shifts by a scalar count: lanes, signed, right.
pub(super) fn shift_shape(op: SimdOp) -> Option<(VArr, bool, bool)> {
    use SimdOp as S;
    use VArr::{B16, D2, H8, S4};
    Some(match op {
        S::I8x16Shl => (B16, false, false),
        S::I8x16ShrS => (B16, true, true),
        S::I8x16ShrU => (B16, false, true),
        S::I16x8Shl => (H8, false, false),
        S::I16x8ShrS => (H8, true, true),
        S::I16x8ShrU => (H8, false, true),
        S::I32x4Shl => (S4, false, false),
        S::I32x4ShrS => (S4, true, true),
        S::I32x4ShrU => (S4, false, true),
        S::I64x2Shl => (D2, false, false),
        S::I64x2ShrS => (D2, true, true),
        S::I64x2ShrU => (D2, false, true),
        _ => return None,
    })
}
