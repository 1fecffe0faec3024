//! Translation of the fixed-width SIMD instructions. The vector operations map one to one
//! onto `InstData::Simd` (the IR's [`SimdOp`]s carry Wasm's names); the memory accesses are
//! built from scalar loads and stores and vector operations, so the IR needs no vector
//! memory forms besides the full 16-byte `load`/`store`.

use super::function::Translator;
use crate::decode::operators::{MemArg, Operator};
use crate::error::Result;
use crate::ir::{InstData, MemSize, SimdOp, Type};

/// The `SimdOp` of an operator whose IR operation has the same name.
macro_rules! same_name {
    ($op:expr; plain { $($p:ident,)* } lane { $($l:ident,)* }) => {
        match $op {
            $( Operator::$p => Some(SimdOp::$p), )*
            $( Operator::$l { lane } => Some(SimdOp::$l(*lane)), )*
            Operator::I8x16Shuffle { lanes } => Some(SimdOp::I8x16Shuffle(*lanes)),
            _ => None,
        }
    };
}

/// The vector operation `op` performs, if it is one (memory accesses and `v128.const` are not).
fn vector_op(op: &Operator) -> Option<SimdOp> {
    same_name! { op;
        plain {
        I8x16Swizzle, I8x16Splat, I16x8Splat, I32x4Splat, I64x2Splat, F32x4Splat, F64x2Splat, I8x16Eq,
        I8x16Ne, I8x16LtS, I8x16LtU, I8x16GtS, I8x16GtU, I8x16LeS, I8x16LeU, I8x16GeS, I8x16GeU, I16x8Eq,
        I16x8Ne, I16x8LtS, I16x8LtU, I16x8GtS, I16x8GtU, I16x8LeS, I16x8LeU, I16x8GeS, I16x8GeU, I32x4Eq,
        I32x4Ne, I32x4LtS, I32x4LtU, I32x4GtS, I32x4GtU, I32x4LeS, I32x4LeU, I32x4GeS, I32x4GeU, F32x4Eq,
        F32x4Ne, F32x4Lt, F32x4Gt, F32x4Le, F32x4Ge, F64x2Eq, F64x2Ne, F64x2Lt, F64x2Gt, F64x2Le, F64x2Ge,
        V128Not, V128And, V128Andnot, V128Or, V128Xor, V128Bitselect, V128AnyTrue, F32x4DemoteF64x2Zero,
        F64x2PromoteLowF32x4, I8x16Abs, I8x16Neg, I8x16Popcnt, I8x16AllTrue, I8x16Bitmask,
        I8x16NarrowI16x8S, I8x16NarrowI16x8U, F32x4Ceil, F32x4Floor, F32x4Trunc, F32x4Nearest, I8x16Shl,
        I8x16ShrS, I8x16ShrU, I8x16Add, I8x16AddSatS, I8x16AddSatU, I8x16Sub, I8x16SubSatS, I8x16SubSatU,
        F64x2Ceil, F64x2Floor, I8x16MinS, I8x16MinU, I8x16MaxS, I8x16MaxU, F64x2Trunc, I8x16AvgrU,
        I16x8ExtaddPairwiseI8x16S, I16x8ExtaddPairwiseI8x16U, I32x4ExtaddPairwiseI16x8S,
        I32x4ExtaddPairwiseI16x8U, I16x8Abs, I16x8Neg, I16x8Q15mulrSatS, I16x8AllTrue, I16x8Bitmask,
        I16x8NarrowI32x4S, I16x8NarrowI32x4U, I16x8ExtendLowI8x16S, I16x8ExtendHighI8x16S,
        I16x8ExtendLowI8x16U, I16x8ExtendHighI8x16U, I16x8Shl, I16x8ShrS, I16x8ShrU, I16x8Add,
        I16x8AddSatS, I16x8AddSatU, I16x8Sub, I16x8SubSatS, I16x8SubSatU, F64x2Nearest, I16x8Mul,
        I16x8MinS, I16x8MinU, I16x8MaxS, I16x8MaxU, I16x8AvgrU, I16x8ExtmulLowI8x16S,
        I16x8ExtmulHighI8x16S, I16x8ExtmulLowI8x16U, I16x8ExtmulHighI8x16U, I32x4Abs, I32x4Neg,
        I32x4AllTrue, I32x4Bitmask, I32x4ExtendLowI16x8S, I32x4ExtendHighI16x8S, I32x4ExtendLowI16x8U,
        I32x4ExtendHighI16x8U, I32x4Shl, I32x4ShrS, I32x4ShrU, I32x4Add, I32x4Sub, I32x4Mul, I32x4MinS,
        I32x4MinU, I32x4MaxS, I32x4MaxU, I32x4DotI16x8S, I32x4ExtmulLowI16x8S, I32x4ExtmulHighI16x8S,
        I32x4ExtmulLowI16x8U, I32x4ExtmulHighI16x8U, I64x2Abs, I64x2Neg, I64x2AllTrue, I64x2Bitmask,
        I64x2ExtendLowI32x4S, I64x2ExtendHighI32x4S, I64x2ExtendLowI32x4U, I64x2ExtendHighI32x4U, I64x2Shl,
        I64x2ShrS, I64x2ShrU, I64x2Add, I64x2Sub, I64x2Mul, I64x2Eq, I64x2Ne, I64x2LtS, I64x2GtS, I64x2LeS,
        I64x2GeS, I64x2ExtmulLowI32x4S, I64x2ExtmulHighI32x4S, I64x2ExtmulLowI32x4U, I64x2ExtmulHighI32x4U,
        F32x4Abs, F32x4Neg, F32x4Sqrt, F32x4Add, F32x4Sub, F32x4Mul, F32x4Div, F32x4Min, F32x4Max,
        F32x4Pmin, F32x4Pmax, F64x2Abs, F64x2Neg, F64x2Sqrt, F64x2Add, F64x2Sub, F64x2Mul, F64x2Div,
        F64x2Min, F64x2Max, F64x2Pmin, F64x2Pmax, I32x4TruncSatF32x4S, I32x4TruncSatF32x4U,
        F32x4ConvertI32x4S, F32x4ConvertI32x4U, I32x4TruncSatF64x2SZero, I32x4TruncSatF64x2UZero,
        F64x2ConvertLowI32x4S, F64x2ConvertLowI32x4U,
        }
        lane {
        I8x16ExtractLaneS, I8x16ExtractLaneU, I8x16ReplaceLane, I16x8ExtractLaneS, I16x8ExtractLaneU,
        I16x8ReplaceLane, I32x4ExtractLane, I32x4ReplaceLane, I64x2ExtractLane, I64x2ReplaceLane,
        F32x4ExtractLane, F32x4ReplaceLane, F64x2ExtractLane, F64x2ReplaceLane,
        }
    }
}

/// How a SIMD load or store maps onto IR instructions.
enum Access {
    /// `v128.load`/`v128.store`: one 16-byte access.
    Full { store: bool },
    /// A scalar load of `ty` (`size` in memory), made a vector by `ops` applied in order.
    LoadThen { ty: Type, size: MemSize, ops: &'static [SimdOp] },
    /// A scalar load replacing one lane of the vector operand (`replace`).
    LoadLane { ty: Type, size: MemSize, replace: SimdOp },
    /// One lane (`extract`) stored as a scalar.
    StoreLane { ty: Type, size: MemSize, extract: SimdOp },
}

fn access(op: &Operator) -> Option<(MemArg, Access)> {
    use Access::*;
    use MemSize::{Full as W, U16, U8};
    use Operator as O;
    use SimdOp as S;
    use Type::{I32, I64};
    let load = |ty, size, ops| LoadThen { ty, size, ops };
    Some(match *op {
        O::V128Load { memarg } => (memarg, Full { store: false }),
        O::V128Store { memarg } => (memarg, Full { store: true }),
        O::V128Load8x8S { memarg } => (memarg, load(I64, W, &[S::I64x2ScalarToVector, S::I16x8ExtendLowI8x16S])),
        O::V128Load8x8U { memarg } => (memarg, load(I64, W, &[S::I64x2ScalarToVector, S::I16x8ExtendLowI8x16U])),
        O::V128Load16x4S { memarg } => (memarg, load(I64, W, &[S::I64x2ScalarToVector, S::I32x4ExtendLowI16x8S])),
        O::V128Load16x4U { memarg } => (memarg, load(I64, W, &[S::I64x2ScalarToVector, S::I32x4ExtendLowI16x8U])),
        O::V128Load32x2S { memarg } => (memarg, load(I64, W, &[S::I64x2ScalarToVector, S::I64x2ExtendLowI32x4S])),
        O::V128Load32x2U { memarg } => (memarg, load(I64, W, &[S::I64x2ScalarToVector, S::I64x2ExtendLowI32x4U])),
        O::V128Load8Splat { memarg } => (memarg, load(I32, U8, &[S::I8x16Splat])),
        O::V128Load16Splat { memarg } => (memarg, load(I32, U16, &[S::I16x8Splat])),
        O::V128Load32Splat { memarg } => (memarg, load(I32, W, &[S::I32x4Splat])),
        O::V128Load64Splat { memarg } => (memarg, load(I64, W, &[S::I64x2Splat])),
        O::V128Load32Zero { memarg } => (memarg, load(I32, W, &[S::I32x4ScalarToVector])),
        O::V128Load64Zero { memarg } => (memarg, load(I64, W, &[S::I64x2ScalarToVector])),
        O::V128Load8Lane { memarg, lane } => {
            (memarg, LoadLane { ty: I32, size: U8, replace: S::I8x16ReplaceLane(lane) })
        }
        O::V128Load16Lane { memarg, lane } => {
            (memarg, LoadLane { ty: I32, size: U16, replace: S::I16x8ReplaceLane(lane) })
        }
        O::V128Load32Lane { memarg, lane } => {
            (memarg, LoadLane { ty: I32, size: W, replace: S::I32x4ReplaceLane(lane) })
        }
        O::V128Load64Lane { memarg, lane } => {
            (memarg, LoadLane { ty: I64, size: W, replace: S::I64x2ReplaceLane(lane) })
        }
        O::V128Store8Lane { memarg, lane } => {
            (memarg, StoreLane { ty: I32, size: U8, extract: S::I8x16ExtractLaneU(lane) })
        }
        O::V128Store16Lane { memarg, lane } => {
            (memarg, StoreLane { ty: I32, size: U16, extract: S::I16x8ExtractLaneU(lane) })
        }
        O::V128Store32Lane { memarg, lane } => {
            (memarg, StoreLane { ty: I32, size: W, extract: S::I32x4ExtractLane(lane) })
        }
        O::V128Store64Lane { memarg, lane } => {
            (memarg, StoreLane { ty: I64, size: W, extract: S::I64x2ExtractLane(lane) })
        }
        _ => return None,
    })
}

impl Translator<'_> {
    /// Translate a SIMD instruction (one that takes or produces a `v128`).
    pub(super) fn translate_simd(&mut self, op: &Operator) -> Result<()> {
        if let Operator::V128Const { bytes } = op {
            let v = self.b.ins1(InstData::V128const { bytes: u128::from_le_bytes(*bytes) }, Type::V128);
            self.push(v);
            return Ok(());
        }
        if let Some(simd) = vector_op(op) {
            let args = self.pop_n(simd.operand_types().len())?;
            return self.vector(simd, args);
        }
        match access(op) {
            Some((memarg, a)) => self.vector_access(memarg, a),
            None => Err(self.error(&format!("`{}` is not supported yet", op.name()))),
        }
    }

    /// Push the result of `op` on `args`.
    fn vector(&mut self, op: SimdOp, args: Vec<crate::ir::Value>) -> Result<()> {
        let v = self.vector_value(op, args)?;
        self.push(v);
        Ok(())
    }

    fn vector_value(&mut self, op: SimdOp, args: Vec<crate::ir::Value>) -> Result<crate::ir::Value> {
        if !op.immediate_in_range() {
            return Err(self.error("lane index out of range"));
        }
        Ok(self.b.ins1(InstData::Simd { op, args }, op.result_type()))
    }

    fn vector_access(&mut self, memarg: MemArg, access: Access) -> Result<()> {
        let offset = u32::try_from(memarg.offset).map_err(|_| self.error("memory offset beyond 32 bits"))?;
        match access {
            Access::Full { store: true } => {
                let value = self.pop()?;
                let addr = self.pop()?;
                let heap = self.b.heap_base();
                let (ty, size) = (Type::V128, MemSize::Full);
                self.b.ins(InstData::Store { ty, size, heap, addr, offset, value }, &[]);
            }
            Access::Full { store: false } => {
                let addr = self.pop()?;
                let heap = self.b.heap_base();
                let v =
                    self.b.ins1(InstData::Load { ty: Type::V128, size: MemSize::Full, heap, addr, offset }, Type::V128);
                self.push(v);
            }
            Access::LoadThen { ty, size, ops } => {
                let addr = self.pop()?;
                let heap = self.b.heap_base();
                let mut v = self.b.ins1(InstData::Load { ty, size, heap, addr, offset }, ty);
                for &op in ops {
                    v = self.vector_value(op, vec![v])?;
                }
                self.push(v);
            }
            Access::LoadLane { ty, size, replace } => {
                let vector = self.pop()?;
                let addr = self.pop()?;
                let heap = self.b.heap_base();
                let scalar = self.b.ins1(InstData::Load { ty, size, heap, addr, offset }, ty);
                self.vector(replace, vec![vector, scalar])?;
            }
            Access::StoreLane { ty, size, extract } => {
                let vector = self.pop()?;
                let addr = self.pop()?;
                let value = self.vector_value(extract, vec![vector])?;
                let heap = self.b.heap_base();
                self.b.ins(InstData::Store { ty, size, heap, addr, offset, value }, &[]);
            }
        }
        Ok(())
    }
}
