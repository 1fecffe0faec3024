//! The module's sections, read in order.

use super::body::{read_ref_type, read_val_type, OperatorReader};
use super::module::*;
use super::operators::Operator;
use super::reader::Reader;
use super::types::{FuncType, GlobalType, Limits, MemoryType, TableType};
use crate::error::{Error, Result};

const MAGIC: &[u8] = b"\0asm";
const VERSION: &[u8] = &[1, 0, 0, 0];

/// Section ids.
const CUSTOM: u8 = 0;
const TYPE: u8 = 1;
const IMPORT: u8 = 2;
const FUNCTION: u8 = 3;
const TABLE: u8 = 4;
const MEMORY: u8 = 5;
const GLOBAL: u8 = 6;
const EXPORT: u8 = 7;
const START: u8 = 8;
const ELEMENT: u8 = 9;
const CODE: u8 = 10;
const DATA: u8 = 11;
const DATA_COUNT: u8 = 12;

/// The position of a non-custom section in the required order (data count comes before code).
fn order(id: u8) -> u8 {
    match id {
        DATA_COUNT => 10,
        CODE => 11,
        DATA => 12,
        other => other,
    }
}

pub fn parse(bytes: &[u8]) -> Result<Module> {
    let mut reader = Reader::new(bytes, 0, bytes.len());
    if reader.read_bytes(4)? != MAGIC {
        return Err(Error::at(0, "magic header not detected"));
    }
    if reader.read_bytes(4)? != VERSION {
        return Err(Error::at(4, "unknown binary version"));
    }
    let mut module = Module::default();
    let mut last_order = 0;
    let mut function_count_offset = None;
    while !reader.is_at_end() {
        let section_start = reader.offset();
        let id = reader.read_u8()?;
        let size_at = reader.offset();
        let size = reader.read_u32()? as usize;
        let mut section = reader
            .split(size)
            .map_err(|_| Error::at(size_at, "length out of bounds"))?;
        if id > DATA_COUNT {
            return Err(Error::at(section_start, "malformed section id"));
        }
        if id != CUSTOM {
            if order(id) <= last_order {
                return Err(Error::at(
                    section_start,
                    "unexpected content after last section",
                ));
            }
            last_order = order(id);
        }
        match id {
            CUSTOM => read_custom(&mut section, &mut module)?,
            TYPE => module.types = read_vec(&mut section, read_func_type)?,
            IMPORT => {
                module.imports = read_vec(&mut section, read_import)?;
                module.index_imports();
            }
            FUNCTION => {
                function_count_offset = Some(section.offset());
                module.functions = read_vec(&mut section, |r| r.read_u32())?;
            }
            TABLE => module.tables = read_vec(&mut section, read_table_type)?,
            MEMORY => module.memories = read_vec(&mut section, read_memory_type)?,
            GLOBAL => module.globals = read_vec(&mut section, read_global)?,
            EXPORT => module.exports = read_vec(&mut section, read_export)?,
            START => {
                module.start_offset = section.offset();
                module.start = Some(section.read_u32()?);
            }
            ELEMENT => module.elements = read_vec(&mut section, read_element)?,
            DATA_COUNT => module.data_count = Some(section.read_u32()?),
            CODE => module.code = read_vec(&mut section, read_code_range)?,
            DATA => {
                let count_at = section.offset();
                module.data = read_vec(&mut section, read_data)?;
                if module
                    .data_count
                    .is_some_and(|n| n as usize != module.data.len())
                {
                    return Err(Error::at(
                        count_at,
                        "data count and data section have inconsistent lengths",
                    ));
                }
            }
            _ => return Err(Error::at(section_start, "malformed section id")),
        }
        if !section.is_at_end() {
            return Err(Error::at(section.offset(), "section size mismatch"));
        }
    }
    if module.code.len() != module.functions.len() {
        let at = function_count_offset.unwrap_or(bytes.len());
        return Err(Error::at(
            at,
            "function and code section have inconsistent lengths",
        ));
    }
    if module.data_count.is_some_and(|n| n != 0) && module.data.is_empty() {
        return Err(Error::at(
            bytes.len(),
            "data count and data section have inconsistent lengths",
        ));
    }
    module.collect_declared_func_refs();
    Ok(module)
}

fn read_vec<'a, T>(
    reader: &mut Reader<'a>,
    mut read_item: impl FnMut(&mut Reader<'a>) -> Result<T>,
) -> Result<Vec<T>> {
    let count = reader.read_count()?;
    let mut items = Vec::with_capacity(count as usize);
    for _ in 0..count {
        items.push(read_item(reader)?);
    }
    Ok(items)
}

fn read_custom(section: &mut Reader, module: &mut Module) -> Result<()> {
    let name = section.read_name()?;
    let mut contents = section.split(section.remaining())?;
    if name == "name" {
        // Custom sections cannot make a module malformed: a bad name section is ignored.
        if let Ok(names) = read_names(&mut contents) {
            module.names = names;
        }
    }
    Ok(())
}

fn read_names(reader: &mut Reader) -> Result<Names> {
    const MODULE_NAME: u8 = 0;
    const FUNCTION_NAMES: u8 = 1;
    let mut names = Names::default();
    while !reader.is_at_end() {
        let id = reader.read_u8()?;
        let size = reader.read_u32()? as usize;
        let mut sub = reader.split(size)?;
        match id {
            MODULE_NAME => names.module = Some(sub.read_name()?.to_string()),
            FUNCTION_NAMES => {
                for _ in 0..sub.read_count()? {
                    let index = sub.read_u32()?;
                    names.functions.insert(index, sub.read_name()?.to_string());
                }
            }
            _ => {}
        }
    }
    Ok(names)
}

fn read_func_type(reader: &mut Reader) -> Result<FuncType> {
    let at = reader.offset();
    if reader.read_u8()? != 0x60 {
        return Err(Error::at(at, "malformed function type"));
    }
    let params = read_vec(reader, read_val_type)?;
    let results = read_vec(reader, read_val_type)?;
    Ok(FuncType { params, results })
}

fn read_limits(reader: &mut Reader) -> Result<Limits> {
    let at = reader.offset();
    let has_max = match reader.read_u8()? {
        0 => false,
        1 => true,
        _ => return Err(Error::at(at, "integer too large")),
    };
    let min = u64::from(reader.read_u32()?);
    let max = if has_max {
        Some(u64::from(reader.read_u32()?))
    } else {
        None
    };
    Ok(Limits { min, max })
}

fn read_table_type(reader: &mut Reader) -> Result<TableType> {
    let element = read_ref_type(reader)?;
    Ok(TableType {
        element,
        limits: read_limits(reader)?,
    })
}

fn read_memory_type(reader: &mut Reader) -> Result<MemoryType> {
    Ok(MemoryType {
        limits: read_limits(reader)?,
    })
}

fn read_global_type(reader: &mut Reader) -> Result<GlobalType> {
    let ty = read_val_type(reader)?;
    let at = reader.offset();
    let mutable = match reader.read_u8()? {
        0 => false,
        1 => true,
        _ => return Err(Error::at(at, "malformed mutability")),
    };
    Ok(GlobalType { ty, mutable })
}

fn read_import(reader: &mut Reader) -> Result<Import> {
    let offset = reader.offset();
    let module = reader.read_name()?.to_string();
    let field = reader.read_name()?.to_string();
    let kind_at = reader.offset();
    let kind = match reader.read_u8()? {
        0 => ImportKind::Func(reader.read_u32()?),
        1 => ImportKind::Table(read_table_type(reader)?),
        2 => ImportKind::Memory(read_memory_type(reader)?),
        3 => ImportKind::Global(read_global_type(reader)?),
        _ => return Err(Error::at(kind_at, "malformed import kind")),
    };
    Ok(Import {
        module,
        field,
        kind,
        offset,
    })
}

fn read_global(reader: &mut Reader) -> Result<Global> {
    let ty = read_global_type(reader)?;
    Ok(Global {
        ty,
        init: read_const_expr(reader)?,
    })
}

fn read_export(reader: &mut Reader) -> Result<Export> {
    let offset = reader.offset();
    let name = reader.read_name()?.to_string();
    let kind_at = reader.offset();
    let kind = match reader.read_u8()? {
        0 => ExternKind::Func,
        1 => ExternKind::Table,
        2 => ExternKind::Memory,
        3 => ExternKind::Global,
        _ => return Err(Error::at(kind_at, "malformed export kind")),
    };
    Ok(Export {
        name,
        kind,
        index: reader.read_u32()?,
        offset,
    })
}

/// A constant expression: one constant instruction and `end`. Anything else is rejected here
/// already, with the messages the spec's validator gives.
pub(crate) fn read_const_expr(reader: &mut Reader) -> Result<ConstExpr> {
    let mut operators = OperatorReader::new(reader.clone());
    let (first, offset) = operators.read()?;
    let op = match first {
        Operator::I32Const { value } => ConstOp::I32Const(value),
        Operator::I64Const { value } => ConstOp::I64Const(value),
        Operator::F32Const { bits } => ConstOp::F32Const(bits),
        Operator::F64Const { bits } => ConstOp::F64Const(bits),
        Operator::V128Const { bytes } => ConstOp::V128Const(bytes),
        Operator::GlobalGet { index } => ConstOp::GlobalGet(index),
        Operator::RefNull { ty } => ConstOp::RefNull(ty),
        Operator::RefFunc { func } => ConstOp::RefFunc(func),
        Operator::End => {
            return Err(Error::at(
                offset,
                "type mismatch: empty constant expression",
            ))
        }
        _ => return Err(Error::at(offset, "constant expression required")),
    };
    let (second, at) = operators.read()?;
    if second != Operator::End {
        // A second constant would leave two values; anything else is not constant at all.
        let what = match second {
            Operator::I32Const { .. }
            | Operator::I64Const { .. }
            | Operator::F32Const { .. }
            | Operator::F64Const { .. }
            | Operator::V128Const { .. }
            | Operator::GlobalGet { .. }
            | Operator::RefNull { .. }
            | Operator::RefFunc { .. } => "type mismatch",
            _ => "constant expression required",
        };
        return Err(Error::at(at, what));
    }
    *reader = operators.into_reader();
    Ok(ConstExpr { op, offset })
}

fn read_func_indices(reader: &mut Reader) -> Result<ElementItems> {
    Ok(ElementItems::Functions(read_vec(reader, |r| r.read_u32())?))
}

fn read_element(reader: &mut Reader) -> Result<ElementSegment> {
    use super::types::RefType;
    let offset = reader.offset();
    let flags = reader.read_u32()?;
    // Bit 0: passive or declarative; bit 1: explicit table index (active) or declarative
    // (otherwise); bit 2: items are expressions rather than function indices.
    let read_elem_kind = |r: &mut Reader| -> Result<RefType> {
        let at = r.offset();
        match r.read_u8()? {
            0x00 => Ok(RefType::FuncRef),
            _ => Err(Error::at(at, "malformed element kind")),
        }
    };
    let (mode, ty, items) = match flags {
        0 => {
            let offset = read_const_expr(reader)?;
            (
                ElementMode::Active { table: 0, offset },
                RefType::FuncRef,
                read_func_indices(reader)?,
            )
        }
        1 | 3 => {
            let ty = read_elem_kind(reader)?;
            let mode = if flags == 1 {
                ElementMode::Passive
            } else {
                ElementMode::Declarative
            };
            (mode, ty, read_func_indices(reader)?)
        }
        2 => {
            let table = reader.read_u32()?;
            let offset = read_const_expr(reader)?;
            let ty = read_elem_kind(reader)?;
            (
                ElementMode::Active { table, offset },
                ty,
                read_func_indices(reader)?,
            )
        }
        4 => {
            let offset = read_const_expr(reader)?;
            let items = ElementItems::Expressions(read_vec(reader, read_const_expr)?);
            (
                ElementMode::Active { table: 0, offset },
                RefType::FuncRef,
                items,
            )
        }
        5 | 7 => {
            let ty = read_ref_type(reader)?;
            let mode = if flags == 5 {
                ElementMode::Passive
            } else {
                ElementMode::Declarative
            };
            (
                mode,
                ty,
                ElementItems::Expressions(read_vec(reader, read_const_expr)?),
            )
        }
        6 => {
            let table = reader.read_u32()?;
            let offset = read_const_expr(reader)?;
            let ty = read_ref_type(reader)?;
            let items = ElementItems::Expressions(read_vec(reader, read_const_expr)?);
            (ElementMode::Active { table, offset }, ty, items)
        }
        _ => return Err(Error::at(offset, "malformed elements segment kind")),
    };
    Ok(ElementSegment {
        mode,
        ty,
        items,
        offset,
    })
}

fn read_code_range(reader: &mut Reader) -> Result<std::ops::Range<usize>> {
    let size = reader.read_u32()? as usize;
    let body = reader.split(size)?;
    Ok(body.offset()..body.end())
}

fn read_data(reader: &mut Reader) -> Result<DataSegment> {
    let offset = reader.offset();
    let mode = match reader.read_u32()? {
        0 => DataMode::Active {
            memory: 0,
            offset: read_const_expr(reader)?,
        },
        1 => DataMode::Passive,
        2 => {
            let memory = reader.read_u32()?;
            DataMode::Active {
                memory,
                offset: read_const_expr(reader)?,
            }
        }
        _ => return Err(Error::at(offset, "malformed data segment kind")),
    };
    let len_at = reader.offset();
    let len = reader.read_u32()? as usize;
    let bytes = reader
        .split(len)
        .map_err(|_| Error::at(len_at, "unexpected end of section or function"))?;
    Ok(DataSegment {
        mode,
        range: bytes.offset()..bytes.end(),
        offset,
    })
}
