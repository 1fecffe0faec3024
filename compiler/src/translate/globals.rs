//! `global.get` and `global.set`: a defined global lives inline in vmctx, an imported one
//! behind a pointer in its vmctx slot.

use super::function::Translator;
use super::ir_type;
use crate::error::Result;
use crate::ir::{InstData, Type, Value};

impl Translator<'_> {
    /// The pointer and offset at which global `index` lives, and its IR type and mutability.
    fn global_cell(&mut self, index: u32) -> Result<(Value, i32, Type, bool)> {
        let gt = self.module.global_type(index).ok_or_else(|| self.error("unknown global"))?;
        let vmctx = self.b.vmctx();
        let slot = self.layout.global(index);
        if index < self.module.num_imported_globals() {
            // The pointer to the exporter's cell is set at instantiation and never changes.
            let cell = self.b.load_ptr(Type::I64, vmctx, slot, true);
            Ok((cell, 0, ir_type(gt.ty), gt.mutable))
        } else {
            Ok((vmctx, slot, ir_type(gt.ty), gt.mutable))
        }
    }

    pub(super) fn translate_global_get(&mut self, index: u32) -> Result<()> {
        let (ptr, offset, ty, mutable) = self.global_cell(index)?;
        let v = self.b.load_ptr(ty, ptr, offset, !mutable);
        self.push(v);
        Ok(())
    }

    pub(super) fn translate_global_set(&mut self, index: u32) -> Result<()> {
        let value = self.pop()?;
        let (ptr, offset, ty, _) = self.global_cell(index)?;
        self.b.ins(InstData::StorePtr { ty, ptr, offset, value }, &[]);
        Ok(())
    }
}
