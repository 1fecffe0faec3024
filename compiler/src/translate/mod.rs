//! Translation of validated Wasm functions into the SSA IR (`crate::ir`).
//!
//! - [`translate_function`]: one defined function; functions are independent, so the driver
//!   may translate them on several threads.
//! - [`array_call_trampoline`]: the "array-call" entry of an exported function (see DESIGN.md).
//! - [`function_name`], [`function_names`], [`native_signature`]: naming and ABI helpers.
//!
//! Wasm locals become SSA values (`ssa.rs`), the operand stack is a stack of SSA values, and
//! structured control flow maps onto blocks with parameters (`control.rs`).
//!
//! Choices the later stages rely on:
//! - The heap base is one `readonly` load at the top of the entry block; memory accesses
//!   carry no bounds checks (guard pages).
//! - `readonly` loads are used only where the address is always valid (vmctx fields, an
//!   imported global's cell, an import's funcref): a load through a table element stays
//!   ordinary, so no pass can hoist it above the null check that guards it.
//! - `call_indirect` reads table elements as `i64` (they are addresses of `wasmc_funcref`s)
//!   and compares them with 0 for null: no `Ref` value is ever used as an address.
//! - `br_table` always goes through one edge block per distinct label, so its targets never
//!   need arguments, even when SSA construction later adds parameters to the label's block.

mod builder;
mod calls;
mod control;
mod function;
mod globals;
mod memory;
mod numeric;
mod simd;
mod ssa;
mod tables;
mod trampoline;

pub use trampoline::array_call_trampoline;

use crate::decode::{FuncType, Module, ValType};
use crate::error::{Error, Result};
use crate::ir::{self, Signature, Type};
use crate::vmctx::VmctxLayout;
use crate::validate::ValidatedOperators;
use function::Translator;

/// Translate the `defined_index`-th function defined in `module` (imports not counted).
/// `bytes` are the module's bytes; the module must have passed `validate_module`. The body is
/// validated as it is translated (one decoding of it, not two), so an invalid body gives the
/// validator's error; anything else unexpected still gives an error, never a panic.
pub fn translate_function(
    module: &Module,
    bytes: &[u8],
    defined_index: u32,
    layout: &VmctxLayout,
) -> Result<ir::Function> {
    let func_index = module
        .num_imported_funcs()
        .checked_add(defined_index)
        .ok_or_else(|| Error::msg(format!("no defined function {defined_index}")))?;
    let ty = module.func_type(func_index).ok_or_else(|| Error::msg(format!("no defined function {defined_index}")))?;
    let body = module.function_body(bytes, defined_index)?;

    let mut locals: Vec<Type> = ty.params.iter().map(|&t| ir_type(t)).collect();
    for &(count, t) in &body.locals {
        // The decoder bounds the total number of locals.
        locals.extend(std::iter::repeat_n(ir_type(t), count as usize));
    }
    let results = ty.results.iter().map(|&t| ir_type(t)).collect();
    let mut func = ir::Function::new(function_name(module, func_index), native_signature(ty));
    // About one IR instruction per two bytes of Wasm code.
    let code_bytes = body.operators.remaining_bytes();
    func.reserve(code_bytes / 2);
    let mut translator = Translator::new(module, layout, func, locals, results);
    // Up to about one local definition or lookup per two bytes of Wasm code.
    translator.b.ssa.reserve(code_bytes / 2);
    translator.translate(ValidatedOperators::new(module, defined_index, body)?)
}

/// The IR type of a Wasm value type; both reference types are `Ref`.
pub fn ir_type(ty: ValType) -> Type {
    match ty {
        ValType::I32 => Type::I32,
        ValType::I64 => Type::I64,
        ValType::F32 => Type::F32,
        ValType::F64 => Type::F64,
        ValType::V128 => Type::V128,
        ValType::FuncRef | ValType::ExternRef => Type::Ref,
    }
}

/// The native signature of a Wasm function type: `(i64 vmctx, params…) -> results`.
pub fn native_signature(ty: &FuncType) -> Signature {
    let params = std::iter::once(Type::I64).chain(ty.params.iter().map(|&t| ir_type(t))).collect();
    Signature { params, results: ty.results.iter().map(|&t| ir_type(t)).collect() }
}

/// A symbol-friendly name for function `func_index` (imports first): its name-section name
/// with every character outside `[A-Za-z0-9_]` replaced by `_`, or `f<index>`. Two functions
/// may get the same name; [`function_names`] gives names that are unique in the module.
pub fn function_name(module: &Module, func_index: u32) -> String {
    match module.func_name(func_index) {
        Some(name) if !name.is_empty() => sanitize(name),
        _ => format!("f{func_index}"),
    }
}

/// [`function_name`] of every function (imports first), made unique in the module: a name
/// already taken by an earlier function gets `_<index>` appended (and `_` until it is free).
pub fn function_names(module: &Module) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    (0..module.num_funcs())
        .map(|i| {
            let mut name = function_name(module, i);
            if taken.contains(&name) {
                name = format!("{name}_{i}");
                while taken.contains(&name) {
                    name.push('_');
                }
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect()
}
