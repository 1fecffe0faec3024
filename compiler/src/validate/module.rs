//! Module-level validation rules: everything outside function bodies.

use std::collections::HashSet;

use crate::decode::{
    ConstExpr, ConstOp, DataMode, ElementItems, ElementMode, ExternKind, ImportKind, Limits,
    Module, ValType,
};
use crate::error::{Error, Result};

/// The most pages a 32-bit memory can have (4 GiB).
const MAX_PAGES: u64 = 65536;
const MEMORY_TOO_LARGE: &str = "memory size must be at most 65536 pages (4GiB)";
const MAX_TABLE_SIZE: u64 = u32::MAX as u64;
const TABLE_TOO_LARGE: &str = "table size must be at most 2^32-1";

pub fn validate_module(module: &Module) -> Result<()> {
    for import in &module.imports {
        let at = |msg: &str| {
            Error::at(
                import.offset,
                format!("import {}.{}: {msg}", import.module, import.field),
            )
        };
        match import.kind {
            ImportKind::Func(ty) if ty as usize >= module.types.len() => {
                return Err(at("unknown type"))
            }
            ImportKind::Func(_) | ImportKind::Global(_) => {}
            ImportKind::Table(t) => {
                check_limits(&t.limits, MAX_TABLE_SIZE, TABLE_TOO_LARGE).map_err(|m| at(&m))?
            }
            ImportKind::Memory(m) => {
                check_limits(&m.limits, MAX_PAGES, MEMORY_TOO_LARGE).map_err(|m| at(&m))?
            }
        }
    }
    for (i, &ty) in module.functions.iter().enumerate() {
        if ty as usize >= module.types.len() {
            return Err(Error::msg(format!("function {i}: unknown type {ty}")));
        }
    }
    for (i, table) in module.tables.iter().enumerate() {
        check_limits(&table.limits, MAX_TABLE_SIZE, TABLE_TOO_LARGE)
            .map_err(|m| Error::msg(format!("table {i}: {m}")))?;
    }
    for (i, memory) in module.memories.iter().enumerate() {
        check_limits(&memory.limits, MAX_PAGES, MEMORY_TOO_LARGE)
            .map_err(|m| Error::msg(format!("memory {i}: {m}")))?;
    }
    if module.num_memories() > 1 {
        return Err(Error::msg("multiple memories"));
    }
    for global in &module.globals {
        expect_const_type(module, &global.init, global.ty.ty)?;
    }
    validate_exports(module)?;
    if let Some(start) = module.start {
        let ty = module
            .func_type(start)
            .ok_or_else(|| Error::at(module.start_offset, format!("unknown function {start}")))?;
        if !ty.params.is_empty() || !ty.results.is_empty() {
            return Err(Error::at(
                module.start_offset,
                "start function must have type [] -> []",
            ));
        }
    }
    validate_elements(module)?;
    for segment in &module.data {
        if let DataMode::Active { memory, offset } = &segment.mode {
            if module.memory_type(*memory).is_none() {
                return Err(Error::at(
                    segment.offset,
                    format!("unknown memory {memory}"),
                ));
            }
            expect_const_type(module, offset, ValType::I32)?;
        }
    }
    Ok(())
}

/// Checks `min <= max` and both within `bound`; `too_large` says what exceeding it means.
fn check_limits(limits: &Limits, bound: u64, too_large: &str) -> Result<(), String> {
    if limits.min > bound || limits.max.is_some_and(|max| max > bound) {
        return Err(too_large.to_string());
    }
    if limits.max.is_some_and(|max| limits.min > max) {
        return Err("size minimum must not be greater than maximum".to_string());
    }
    Ok(())
}

fn validate_exports(module: &Module) -> Result<()> {
    let mut names = HashSet::new();
    for export in &module.exports {
        if !names.insert(export.name.as_str()) {
            return Err(Error::at(
                export.offset,
                format!("duplicate export name {:?}", export.name),
            ));
        }
        let (count, what) = match export.kind {
            ExternKind::Func => (module.num_funcs(), "function"),
            ExternKind::Table => (module.num_tables(), "table"),
            ExternKind::Memory => (module.num_memories(), "memory"),
            ExternKind::Global => (module.num_globals(), "global"),
        };
        if export.index >= count {
            return Err(Error::at(
                export.offset,
                format!("unknown {what} {}", export.index),
            ));
        }
    }
    Ok(())
}

fn validate_elements(module: &Module) -> Result<()> {
    for segment in &module.elements {
        let segment_type = ValType::from(segment.ty);
        match &segment.items {
            ElementItems::Functions(funcs) => {
                if let Some(func) = funcs.iter().find(|&&f| f >= module.num_funcs()) {
                    return Err(Error::at(
                        segment.offset,
                        format!("unknown function {func}"),
                    ));
                }
            }
            ElementItems::Expressions(exprs) => {
                for expr in exprs {
                    expect_const_type(module, expr, segment_type)?;
                }
            }
        }
        if let ElementMode::Active { table, offset } = &segment.mode {
            let table_type = module
                .table_type(*table)
                .ok_or_else(|| Error::at(segment.offset, format!("unknown table {table}")))?;
            if ValType::from(table_type.element) != segment_type {
                return Err(Error::at(
                    segment.offset,
                    "type mismatch: element segment and table types differ",
                ));
            }
            expect_const_type(module, offset, ValType::I32)?;
        }
    }
    Ok(())
}

fn expect_const_type(module: &Module, expr: &ConstExpr, expected: ValType) -> Result<()> {
    let actual = const_type(module, expr)?;
    if actual != expected {
        return Err(Error::at(
            expr.offset,
            format!("type mismatch: expected {expected}, found {actual}"),
        ));
    }
    Ok(())
}

/// The type of a constant expression. Wasm 2.0 lets `global.get` read only imported,
/// immutable globals there.
fn const_type(module: &Module, expr: &ConstExpr) -> Result<ValType> {
    Ok(match expr.op {
        ConstOp::I32Const(_) => ValType::I32,
        ConstOp::I64Const(_) => ValType::I64,
        ConstOp::F32Const(_) => ValType::F32,
        ConstOp::F64Const(_) => ValType::F64,
        ConstOp::V128Const(_) => ValType::V128,
        ConstOp::RefNull(ty) => ty.into(),
        ConstOp::RefFunc(func) => {
            if func >= module.num_funcs() {
                return Err(Error::at(expr.offset, format!("unknown function {func}")));
            }
            ValType::FuncRef
        }
        ConstOp::GlobalGet(index) => {
            let global = module
                .global_type(index)
                .filter(|_| index < module.num_imported_globals())
                .ok_or_else(|| Error::at(expr.offset, format!("unknown global {index}")))?;
            if global.mutable {
                return Err(Error::at(expr.offset, "constant expression required"));
            }
            global.ty
        }
    })
}
