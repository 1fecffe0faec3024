//! The "array-call" entry of a function: `(i64 vmctx, i64 vals) -> ()`, which reads the
//! arguments from an array of 16-byte `wasmc_val`s and writes the results back over them, so
//! the runtime can call any signature without generated C code per signature.

use super::builder::FuncBuilder;
use super::calls::emit_call;
use super::function_name;
use super::ir_type;
use super::ssa::Variable;
use crate::decode::Module;
use crate::error::{Error, Result};
use crate::ir::{self, InstData, Signature, TrapCode, Type};
use crate::vmctx::{VmctxLayout, VAL_SIZE};

/// The array-call trampoline of function `func_index` (imports first: an export may re-export
/// an import, which is then called through its funcref). For an index the module does not
/// have, the trampoline traps (`unreachable`) rather than failing.
pub fn array_call_trampoline(module: &Module, func_index: u32, layout: &VmctxLayout) -> ir::Function {
    let name = format!("{}_array_call", function_name(module, func_index));
    let sig = Signature { params: vec![Type::I64, Type::I64], results: Vec::new() };
    let mut b = FuncBuilder::new(ir::Function::new(name, sig), vec![Type::I64]);
    if emit_body(&mut b, module, func_index, layout).is_err() {
        b.ins(InstData::Trap { code: TrapCode::Unreachable }, &[]);
    }
    b.finish()
}

fn emit_body(b: &mut FuncBuilder, module: &Module, func_index: u32, layout: &VmctxLayout) -> Result<()> {
    let ty = module.func_type(func_index).ok_or_else(|| Error::msg("unknown function"))?;
    let vals = b.use_var(Variable(0));
    let mut args = Vec::with_capacity(ty.params.len());
    for (i, &t) in ty.params.iter().enumerate() {
        args.push(b.load_ptr(ir_type(t), vals, val_offset(i)?, false));
    }
    let results = emit_call(b, module, layout, func_index, args)?;
    for (i, value) in results.into_iter().enumerate() {
        let ty = b.func.value_type(value);
        b.ins(InstData::StorePtr { ty, ptr: vals, offset: val_offset(i)?, value }, &[]);
    }
    b.ins(InstData::Return { args: Vec::new() }, &[]);
    Ok(())
}

/// Byte offset of the `i`-th `wasmc_val`.
fn val_offset(i: usize) -> Result<i32> {
    i.checked_mul(VAL_SIZE as usize)
        .and_then(|o| i32::try_from(o).ok())
        .ok_or_else(|| Error::msg("too many values for an array call"))
}
