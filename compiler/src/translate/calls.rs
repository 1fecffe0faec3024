//! Calls: direct, through an imported function's funcref, and `call_indirect` through a table.

use super::builder::FuncBuilder;
use super::function::Translator;
use super::native_signature;
use crate::decode::Module;
use crate::error::{Error, Result};
use crate::ir::{BinaryOp, ConvOp, InstData, IntCC, TrapCode, Type, Value};
use crate::vmctx::{self, VmctxLayout};

/// Emit a call of function `func_index` (imports first) with `wasm_args`; returns its results.
/// A defined function is called directly; an import through its funcref in vmctx.
pub(super) fn emit_call(
    b: &mut FuncBuilder,
    module: &Module,
    layout: &VmctxLayout,
    func_index: u32,
    wasm_args: Vec<Value>,
) -> Result<Vec<Value>> {
    let ty =
        module.func_type(func_index).ok_or_else(|| Error::msg(format!("call of unknown function {func_index}")))?;
    let sig = b.func.import_signature(native_signature(ty));
    let vmctx = b.vmctx();
    if func_index >= module.num_imported_funcs() {
        let args = std::iter::once(vmctx).chain(wasm_args).collect();
        return Ok(b.ins_typed(InstData::Call { func: func_index, sig, args }));
    }
    // The funcrefs of imports are filled in at instantiation and never change.
    let funcref = layout.funcref(func_index);
    let code = b.load_ptr(Type::I64, vmctx, funcref + vmctx::FUNCREF_CODE, true);
    let callee_vmctx = b.load_ptr(Type::I64, vmctx, funcref + vmctx::FUNCREF_VMCTX, true);
    let args = std::iter::once(callee_vmctx).chain(wasm_args).collect();
    Ok(b.ins_typed(InstData::CallIndirect { sig, callee: code, args }))
}

impl Translator<'_> {
    pub(super) fn translate_call(&mut self, func: u32) -> Result<()> {
        let ty = self.module.func_type(func).ok_or_else(|| self.error("call of an unknown function"))?;
        let args = self.pop_n(ty.params.len())?;
        let results =
            emit_call(&mut self.b, self.module, self.layout, func, args).map_err(|e| self.error(&e.message))?;
        self.stack.extend(results);
        Ok(())
    }

    /// Bounds check, null check and signature check, then a call through the funcref.
    pub(super) fn translate_call_indirect(&mut self, type_index: u32, table: u32) -> Result<()> {
        let ty = self.module.types.get(type_index as usize).ok_or_else(|| self.error("unknown type"))?;
        if table >= self.module.num_tables() {
            return Err(self.error("unknown table"));
        }
        let sig = self.b.func.import_signature(native_signature(ty));
        let index = self.pop()?;
        let args = self.pop_n(ty.params.len())?;
        let b = &mut self.b;
        let vmctx = b.vmctx();

        // The table descriptor stays put; its size and element array change when it grows.
        let table_ptr = b.load_ptr(Type::I64, vmctx, self.layout.table(table), true);
        let size = b.load_ptr(Type::I32, table_ptr, vmctx::TABLE_SIZE, false);
        let out_of_bounds = b.ins1(InstData::Icmp { cond: IntCC::Uge, ty: Type::I32, args: [index, size] }, Type::I32);
        b.ins(InstData::Trapnz { cond: out_of_bounds, code: TrapCode::TableOutOfBounds }, &[]);

        // The element is the address of a `wasmc_funcref` (0 for null), read as an i64 so it
        // can be used as a pointer.
        let elems = b.load_ptr(Type::I64, table_ptr, vmctx::TABLE_ELEMS, false);
        let index64 =
            b.ins1(InstData::Conv { op: ConvOp::Uextend, from: Type::I32, to: Type::I64, arg: index }, Type::I64);
        let three = b.iconst(Type::I64, 3);
        let byte_offset =
            b.ins1(InstData::Binary { op: BinaryOp::Shl, ty: Type::I64, args: [index64, three] }, Type::I64);
        let slot =
            b.ins1(InstData::Binary { op: BinaryOp::Iadd, ty: Type::I64, args: [elems, byte_offset] }, Type::I64);
        let funcref = b.load_ptr(Type::I64, slot, 0, false);
        let zero = b.iconst(Type::I64, 0);
        let is_null = b.ins1(InstData::Icmp { cond: IntCC::Eq, ty: Type::I64, args: [funcref, zero] }, Type::I32);
        b.ins(InstData::Trapnz { cond: is_null, code: TrapCode::IndirectCallNull }, &[]);

        // Loads through the element are not `readonly`: that would let passes hoist them above
        // the null check. The canonical type ids in vmctx never change.
        let actual = b.load_ptr(Type::I32, funcref, vmctx::FUNCREF_TYPE_ID, false);
        let expected = b.load_ptr(Type::I32, vmctx, self.layout.type_id(type_index), true);
        let mismatch = b.ins1(InstData::Icmp { cond: IntCC::Ne, ty: Type::I32, args: [actual, expected] }, Type::I32);
        b.ins(InstData::Trapnz { cond: mismatch, code: TrapCode::IndirectCallBadSig }, &[]);

        let code = b.load_ptr(Type::I64, funcref, vmctx::FUNCREF_CODE, false);
        let callee_vmctx = b.load_ptr(Type::I64, funcref, vmctx::FUNCREF_VMCTX, false);
        let args = std::iter::once(callee_vmctx).chain(args).collect();
        let results = b.ins_typed(InstData::CallIndirect { sig, callee: code, args });
        self.stack.extend(results);
        Ok(())
    }
}
