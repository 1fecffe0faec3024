//! Table instructions and `ref.func`, all of which call the runtime.

use super::function::Translator;
use crate::error::Result;
use crate::ir::{RuntimeFn, Type, Value};

impl Translator<'_> {
    fn index_const(&mut self, index: u32) -> Value {
        self.b.iconst(Type::I32, index.into())
    }

    pub(super) fn translate_table_get(&mut self, table: u32) -> Result<()> {
        let index = self.pop()?;
        let t = self.index_const(table);
        self.call_runtime(RuntimeFn::TableGet, vec![t, index]);
        Ok(())
    }

    pub(super) fn translate_table_set(&mut self, table: u32) -> Result<()> {
        let operands = self.pop_n(2)?;
        let t = self.index_const(table);
        self.call_runtime(RuntimeFn::TableSet, std::iter::once(t).chain(operands).collect());
        Ok(())
    }

    pub(super) fn translate_table_size(&mut self, table: u32) {
        let t = self.index_const(table);
        self.call_runtime(RuntimeFn::TableSize, vec![t]);
    }

    /// Operands `[init, delta]`.
    pub(super) fn translate_table_grow(&mut self, table: u32) -> Result<()> {
        let operands = self.pop_n(2)?;
        let t = self.index_const(table);
        self.call_runtime(RuntimeFn::TableGrow, std::iter::once(t).chain(operands).collect());
        Ok(())
    }

    /// Operands `[dst, value, len]`.
    pub(super) fn translate_table_fill(&mut self, table: u32) -> Result<()> {
        let operands = self.pop_n(3)?;
        let t = self.index_const(table);
        self.call_runtime(RuntimeFn::TableFill, std::iter::once(t).chain(operands).collect());
        Ok(())
    }

    /// Operands `[dst, src, len]`.
    pub(super) fn translate_table_copy(&mut self, dst_table: u32, src_table: u32) -> Result<()> {
        let operands = self.pop_n(3)?;
        let dst = self.index_const(dst_table);
        let src = self.index_const(src_table);
        self.call_runtime(RuntimeFn::TableCopy, [dst, src].into_iter().chain(operands).collect());
        Ok(())
    }

    /// Operands `[dst, src, len]`.
    pub(super) fn translate_table_init(&mut self, segment: u32, table: u32) -> Result<()> {
        let operands = self.pop_n(3)?;
        let t = self.index_const(table);
        let seg = self.index_const(segment);
        self.call_runtime(RuntimeFn::TableInit, [t, seg].into_iter().chain(operands).collect());
        Ok(())
    }

    pub(super) fn translate_elem_drop(&mut self, segment: u32) {
        let seg = self.index_const(segment);
        self.call_runtime(RuntimeFn::ElemDrop, vec![seg]);
    }

    pub(super) fn translate_ref_func(&mut self, func: u32) -> Result<()> {
        let f = self.index_const(func);
        self.call_runtime(RuntimeFn::RefFunc, vec![f]);
        Ok(())
    }
}
