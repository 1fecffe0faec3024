//! Linear memory: loads and stores (a table from operator to IR access), `memory.size`, and
//! the instructions that call the runtime (grow, fill, copy, init, data.drop).

use super::function::Translator;
use crate::decode::operators::{MemArg, Operator};
use crate::error::Result;
use crate::ir::{BinaryOp, ConvOp, InstData, MemSize, RuntimeFn, Type, Value};
use crate::vmctx;

/// One scalar load or store: the value type in the IR, the width in memory, the immediate.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(super) struct Access {
    pub is_store: bool,
    pub ty: Type,
    pub size: MemSize,
    pub memarg: MemArg,
}

/// The access an operator performs, or `None` if it is not a scalar load or store.
pub(super) fn access(op: &Operator) -> Option<Access> {
    use MemSize::*;
    use Operator as O;
    use Type::*;
    let (is_store, ty, size, memarg) = match *op {
        O::I32Load { memarg } => (false, I32, Full, memarg),
        O::I64Load { memarg } => (false, I64, Full, memarg),
        O::F32Load { memarg } => (false, F32, Full, memarg),
        O::F64Load { memarg } => (false, F64, Full, memarg),
        O::I32Load8S { memarg } => (false, I32, S8, memarg),
        O::I32Load8U { memarg } => (false, I32, U8, memarg),
        O::I32Load16S { memarg } => (false, I32, S16, memarg),
        O::I32Load16U { memarg } => (false, I32, U16, memarg),
        O::I64Load8S { memarg } => (false, I64, S8, memarg),
        O::I64Load8U { memarg } => (false, I64, U8, memarg),
        O::I64Load16S { memarg } => (false, I64, S16, memarg),
        O::I64Load16U { memarg } => (false, I64, U16, memarg),
        O::I64Load32S { memarg } => (false, I64, S32, memarg),
        O::I64Load32U { memarg } => (false, I64, U32, memarg),
        O::I32Store { memarg } => (true, I32, Full, memarg),
        O::I64Store { memarg } => (true, I64, Full, memarg),
        O::F32Store { memarg } => (true, F32, Full, memarg),
        O::F64Store { memarg } => (true, F64, Full, memarg),
        O::I32Store8 { memarg } => (true, I32, U8, memarg),
        O::I32Store16 { memarg } => (true, I32, U16, memarg),
        O::I64Store8 { memarg } => (true, I64, U8, memarg),
        O::I64Store16 { memarg } => (true, I64, U16, memarg),
        O::I64Store32 { memarg } => (true, I64, U32, memarg),
        _ => return None,
    };
    Some(Access { is_store, ty, size, memarg })
}

/// log2 of the Wasm page size (64 KiB).
const PAGE_SHIFT: i64 = 16;

impl Translator<'_> {
    pub(super) fn memory_access(&mut self, access: Access) -> Result<()> {
        let offset = u32::try_from(access.memarg.offset).map_err(|_| self.error("memory offset beyond 32 bits"))?;
        let Access { ty, size, .. } = access;
        if access.is_store {
            let value = self.pop()?;
            let addr = self.pop()?;
            let heap = self.b.heap_base();
            self.b.ins(InstData::Store { ty, size, heap, addr, offset, value }, &[]);
        } else {
            let addr = self.pop()?;
            let heap = self.b.heap_base();
            let v = self.b.ins1(InstData::Load { ty, size, heap, addr, offset }, ty);
            self.push(v);
        }
        Ok(())
    }

    /// The current length of memory 0, read from its descriptor, in pages.
    pub(super) fn translate_memory_size(&mut self) {
        let b = &mut self.b;
        let vmctx = b.vmctx();
        let memory = b.load_ptr(Type::I64, vmctx, vmctx::MEM0_DEF, true);
        // Not readonly: the length changes when the memory grows, in this or another function.
        let bytes = b.load_ptr(Type::I64, memory, vmctx::MEMORY_LENGTH, false);
        let shift = b.iconst(Type::I64, PAGE_SHIFT);
        let pages = b.ins1(InstData::Binary { op: BinaryOp::Ushr, ty: Type::I64, args: [bytes, shift] }, Type::I64);
        let v = b.ins1(InstData::Conv { op: ConvOp::Wrap, from: Type::I64, to: Type::I32, arg: pages }, Type::I32);
        self.push(v);
    }

    pub(super) fn translate_memory_grow(&mut self) -> Result<()> {
        let delta = self.pop()?;
        self.call_runtime(RuntimeFn::MemoryGrow, vec![delta]);
        Ok(())
    }

    pub(super) fn translate_memory_fill(&mut self) -> Result<()> {
        let args = self.pop_n(3)?;
        self.call_runtime(RuntimeFn::MemoryFill, args);
        Ok(())
    }

    pub(super) fn translate_memory_copy(&mut self) -> Result<()> {
        let args = self.pop_n(3)?;
        self.call_runtime(RuntimeFn::MemoryCopy, args);
        Ok(())
    }

    pub(super) fn translate_memory_init(&mut self, segment: u32) -> Result<()> {
        let operands = self.pop_n(3)?;
        let seg = self.b.iconst(Type::I32, segment.into());
        self.call_runtime(RuntimeFn::MemoryInit, std::iter::once(seg).chain(operands).collect());
        Ok(())
    }

    pub(super) fn translate_data_drop(&mut self, segment: u32) {
        let seg = self.b.iconst(Type::I32, segment.into());
        self.call_runtime(RuntimeFn::DataDrop, vec![seg]);
    }

    /// Call a runtime function with `vmctx` and `args`, and push its results.
    pub(super) fn call_runtime(&mut self, func: RuntimeFn, args: Vec<Value>) {
        let args = std::iter::once(self.b.vmctx()).chain(args).collect();
        let results = self.b.ins_typed(InstData::CallRuntime { func, args });
        self.stack.extend(results);
    }
}
