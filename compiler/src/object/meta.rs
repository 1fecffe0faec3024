//! The module metadata blob: the byte image of `runtime-lib/include/wasmc_meta.h`.
//!
//! Every field below is written in the order and at the size the C structs declare; the
//! comments name the struct. Offsets inside the blob are relative to its start, code
//! offsets relative to the module's text start, so the only relocation is `text_start`.

use crate::decode::module::{
    ConstExpr, ConstOp, DataMode, ElementItems, ElementMode, ExternKind, ImportKind, Module,
};
use crate::decode::types::{RefType, ValType};
use crate::vmctx::VmctxLayout;
use crate::{Error, Result};

pub const MAGIC: u32 = 0x3143_4d57; // "WMC1"
pub const VERSION: u32 = 4;
pub const NONE: u32 = u32::MAX;
/// Size of `wasmc_module_meta`, the header at offset 0.
pub const HEADER_SIZE: usize = 168;
/// Offset of `wasmc_module_meta.text_start`, the one pointer (needs an absolute relocation).
pub const TEXT_START_FIELD: u64 = 8;

const MEM_HAS_MAX: u32 = 1;
const SEG_ACTIVE: u32 = 0;
const SEG_PASSIVE: u32 = 1;
const SEG_DECLARATIVE: u32 = 2;

/// Where the compiled code of the module landed in its text section.
pub struct CodeLayout<'a> {
    pub text_size: u64,
    /// (code offset, code size) of each defined function (index minus the imported count).
    pub func_offsets: &'a [(u32, u32)],
    /// (function index, code offset) of each array-call trampoline.
    pub trampolines: &'a [(u32, u32)],
    /// (code offset, trap code, function index), in any order.
    pub traps: Vec<(u32, u32, u32)>,
    /// (code offset, Wasm byte offset), in any order.
    pub srclocs: Vec<(u32, u32)>,
}

/// Builds the metadata of `module` whose code is laid out as `code` describes and needs no
/// CPU extension.
pub fn build(module: &Module, bytes: &[u8], code: &CodeLayout) -> Result<Vec<u8>> {
    build_for_cpu(module, bytes, code, 0)
}

/// [`build`] for code that needs the CPU extensions `cpu_features` (`WASMC_CPU_*` bits, see
/// `CpuFeatures::meta_bits`), which the runtime checks before running it.
pub fn build_for_cpu(module: &Module, bytes: &[u8], code: &CodeLayout, cpu_features: u32) -> Result<Vec<u8>> {
    let mut b = Blob {
        buf: vec![0; HEADER_SIZE],
    };
    let name = b.str(module.names.module.as_deref().unwrap_or(""));
    let signatures: Vec<_> = module
        .types
        .iter()
        .map(|ty| {
            let codes: Vec<u8> = ty
                .params
                .iter()
                .chain(&ty.results)
                .map(|t| valtype_code(*t))
                .collect();
            (
                b.bytes(&codes),
                ty.params.len() as u32,
                ty.results.len() as u32,
            )
        })
        .collect();
    let types = b.array(12, signatures.iter(), |b, &(off, nparams, nresults)| {
        b.u32(off);
        b.u32(nparams);
        b.u32(nresults);
    });
    let imports = write_imports(&mut b, module);
    let exports = write_exports(&mut b, module, code.trampolines)?;
    let funcs = write_funcs(&mut b, module, code.func_offsets)?;
    let memories = write_memories(&mut b, module);
    let tables = write_tables(&mut b, module);
    let globals = write_globals(&mut b, module)?;
    let datas = write_datas(&mut b, module, bytes)?;
    let elems = write_elems(&mut b, module)?;
    let mut traps = code.traps.clone();
    traps.sort_unstable();
    let traps = b.array(12, traps.iter(), |b, &(offset, trap, func)| {
        b.u32(offset);
        b.u32(trap);
        b.u32(func);
    });

    let mut srclocs = code.srclocs.clone();
    srclocs.sort_unstable();
    let srclocs = b.array(8, srclocs.iter(), |b, &(code, wasm)| {
        b.u32(code);
        b.u32(wasm);
    });

    let layout = VmctxLayout::new(
        module.types.len() as u32,
        module.num_funcs(),
        module.num_tables(),
        module.num_globals(),
    );
    let mut h = Blob {
        buf: Vec::with_capacity(HEADER_SIZE),
    };
    h.u32(MAGIC);
    h.u32(VERSION);
    h.u64(0); // text_start: relocated
    h.u64(code.text_size);
    for field in [
        layout.type_ids,
        layout.funcrefs,
        layout.tables,
        layout.globals,
        layout.size,
    ] {
        h.u32(field);
    }
    h.u32(module.start.unwrap_or(NONE));
    h.u32(module.num_imported_funcs());
    h.u32(module.num_imported_tables());
    h.u32(module.num_imported_memories());
    h.u32(module.num_imported_globals());
    for (off, len) in [
        name, types, imports, exports, funcs, memories, tables, globals, datas, elems, traps,
        srclocs,
    ] {
        h.u32(off);
        h.u32(len);
    }
    h.u32(cpu_features);
    h.u32(0); // pad
    debug_assert_eq!(h.buf.len(), HEADER_SIZE);
    b.buf[..HEADER_SIZE].copy_from_slice(&h.buf);
    Ok(b.buf)
}

fn write_imports(b: &mut Blob, module: &Module) -> (u32, u32) {
    let mut next = [0u32; 4]; // next index in each kind's space
    let records: Vec<_> = module
        .imports
        .iter()
        .map(|imp| {
            let kind = match imp.kind {
                ImportKind::Func(_) => 0,
                ImportKind::Table(_) => 1,
                ImportKind::Memory(_) => 2,
                ImportKind::Global(_) => 3,
            };
            next[kind] += 1;
            (
                b.str(&imp.module),
                b.str(&imp.field),
                kind as u32,
                next[kind] - 1,
            )
        })
        .collect();
    b.array(24, records.iter(), |b, &(module, field, kind, index)| {
        b.str_ref(module);
        b.str_ref(field);
        b.u32(kind);
        b.u32(index);
    })
}

fn write_exports(b: &mut Blob, module: &Module, trampolines: &[(u32, u32)]) -> Result<(u32, u32)> {
    let mut records = Vec::with_capacity(module.exports.len());
    for e in &module.exports {
        let (kind, trampoline) = match e.kind {
            ExternKind::Func => {
                let t = trampolines
                    .iter()
                    .find(|(f, _)| *f == e.index)
                    .map(|&(_, off)| off);
                (0, t.unwrap_or(NONE))
            }
            ExternKind::Table => (1, NONE),
            ExternKind::Memory => (2, NONE),
            ExternKind::Global => (3, NONE),
        };
        records.push((b.str(&e.name), kind, e.index, trampoline));
    }
    Ok(
        b.array(20, records.iter(), |b, &(name, kind, index, trampoline)| {
            b.str_ref(name);
            b.u32(kind);
            b.u32(index);
            b.u32(trampoline);
        }),
    )
}

/// A function's name for trap reports: the name section's, else its first export name.
fn func_name(module: &Module, func: u32) -> &str {
    module.func_name(func).unwrap_or_else(|| {
        let export = module
            .exports
            .iter()
            .find(|e| e.kind == ExternKind::Func && e.index == func);
        export.map_or("", |e| e.name.as_str())
    })
}

fn write_funcs(b: &mut Blob, module: &Module, func_offsets: &[(u32, u32)]) -> Result<(u32, u32)> {
    let imported = module.num_imported_funcs();
    if func_offsets.len() != module.functions.len() {
        return Err(Error::msg(
            "compiled function count differs from the module's",
        ));
    }
    let mut records = Vec::with_capacity(module.num_funcs() as usize);
    for func in 0..module.num_funcs() {
        let ty = module
            .func_type_index(func)
            .ok_or_else(|| Error::msg("function without a type"))?;
        let (code, size) = match func.checked_sub(imported) {
            None => (NONE, 0),
            Some(defined) => func_offsets[defined as usize],
        };
        records.push((ty, code, size, b.str(func_name(module, func))));
    }
    Ok(b.array(20, records.iter(), |b, &(ty, code, size, name)| {
        b.u32(ty);
        b.u32(code);
        b.u32(size);
        b.str_ref(name);
    }))
}

fn write_memories(b: &mut Blob, module: &Module) -> (u32, u32) {
    let memories: Vec<_> = (0..module.num_memories())
        .filter_map(|i| module.memory_type(i))
        .collect();
    b.array(24, memories.iter(), |b, m| {
        b.u64(m.limits.min);
        b.u64(m.limits.max.unwrap_or(u64::MAX));
        b.u32(if m.limits.max.is_some() {
            MEM_HAS_MAX
        } else {
            0
        });
        b.u32(0);
    })
}

fn write_tables(b: &mut Blob, module: &Module) -> (u32, u32) {
    let tables: Vec<_> = (0..module.num_tables())
        .filter_map(|i| module.table_type(i))
        .collect();
    b.array(16, tables.iter(), |b, t| {
        b.u32(reftype_code(t.element));
        b.u32(t.limits.min.min(u64::from(u32::MAX)) as u32);
        b.u32(
            t.limits
                .max
                .map_or(NONE, |m| m.min(u64::from(u32::MAX)) as u32),
        );
        b.u32(t.limits.max.is_some() as u32);
    })
}

fn write_globals(b: &mut Blob, module: &Module) -> Result<(u32, u32)> {
    let imported = module.num_imported_globals();
    let mut records = Vec::with_capacity(module.num_globals() as usize);
    for g in 0..module.num_globals() {
        let ty = module
            .global_type(g)
            .ok_or_else(|| Error::msg("global without a type"))?;
        let init = if g < imported {
            None
        } else {
            Some(module.globals[(g - imported) as usize].init)
        };
        records.push((ty, init));
    }
    Ok(b.array(32, records.iter(), |b, (ty, init)| {
        b.u32(valtype_code(ty.ty) as u32);
        b.u32(ty.mutable as u32);
        match init {
            Some(expr) => b.const_expr(expr),
            None => b.zeros(24),
        }
    }))
}

fn write_datas(b: &mut Blob, module: &Module, bytes: &[u8]) -> Result<(u32, u32)> {
    let mut records = Vec::with_capacity(module.data.len());
    for seg in &module.data {
        let contents = bytes
            .get(seg.range.clone())
            .ok_or_else(|| Error::at(seg.offset, "data segment outside the module"))?;
        let off = b.bytes(contents);
        records.push((&seg.mode, off, contents.len() as u32));
    }
    Ok(b.array(40, records.iter(), |b, &(mode, off, len)| {
        match mode {
            DataMode::Active { memory, offset } => {
                b.u32(SEG_ACTIVE);
                b.u32(*memory);
                b.const_expr(offset);
            }
            DataMode::Passive => {
                b.u32(SEG_PASSIVE);
                b.u32(0);
                b.zeros(24);
            }
        }
        b.u32(off);
        b.u32(len);
    }))
}

fn write_elems(b: &mut Blob, module: &Module) -> Result<(u32, u32)> {
    let mut records = Vec::with_capacity(module.elements.len());
    for seg in &module.elements {
        let items: Vec<ConstOp> = match &seg.items {
            ElementItems::Functions(funcs) => funcs.iter().map(|&f| ConstOp::RefFunc(f)).collect(),
            ElementItems::Expressions(exprs) => exprs.iter().map(|e| e.op).collect(),
        };
        let items_off = b.align(4);
        for op in &items {
            b.const_op(op);
        }
        records.push((seg, items_off, items.len() as u32));
    }
    Ok(b.array(44, records.iter(), |b, &(seg, items_off, count)| {
        match &seg.mode {
            ElementMode::Active { table, offset } => {
                b.u32(SEG_ACTIVE);
                b.u32(*table);
                b.const_expr(offset);
            }
            ElementMode::Passive | ElementMode::Declarative => {
                let mode = if seg.mode == ElementMode::Passive {
                    SEG_PASSIVE
                } else {
                    SEG_DECLARATIVE
                };
                b.u32(mode);
                b.u32(0);
                b.zeros(24);
            }
        }
        b.u32(reftype_code(seg.ty));
        b.u32(items_off);
        b.u32(count);
    }))
}

pub fn valtype_code(ty: ValType) -> u8 {
    match ty {
        ValType::I32 => 0x7f,
        ValType::I64 => 0x7e,
        ValType::F32 => 0x7d,
        ValType::F64 => 0x7c,
        ValType::V128 => 0x7b,
        ValType::FuncRef => 0x70,
        ValType::ExternRef => 0x6f,
    }
}

fn reftype_code(ty: RefType) -> u32 {
    valtype_code(ty.into()) as u32
}

/// A growing little-endian byte image.
struct Blob {
    buf: Vec<u8>,
}

impl Blob {
    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn zeros(&mut self, n: usize) {
        self.buf.resize(self.buf.len() + n, 0);
    }
    /// Pads to a multiple of `a` and returns the new end.
    fn align(&mut self, a: usize) -> u32 {
        let len = self.buf.len().next_multiple_of(a);
        self.buf.resize(len, 0);
        len as u32
    }
    /// Appends raw bytes, returning their offset.
    fn bytes(&mut self, data: &[u8]) -> u32 {
        let off = self.buf.len() as u32;
        self.buf.extend_from_slice(data);
        off
    }
    /// Appends a string's bytes, returning a `wasmc_meta_str`.
    fn str(&mut self, s: &str) -> (u32, u32) {
        (self.bytes(s.as_bytes()), s.len() as u32)
    }
    fn str_ref(&mut self, (off, len): (u32, u32)) {
        self.u32(off);
        self.u32(len);
    }
    /// Appends `items` as an array of `record_size`-byte records (8-aligned), returning a
    /// `wasmc_meta_array`.
    fn array<T>(
        &mut self,
        record_size: usize,
        items: impl ExactSizeIterator<Item = T>,
        mut write: impl FnMut(&mut Blob, T),
    ) -> (u32, u32) {
        let count = items.len() as u32;
        let off = self.align(8);
        for item in items {
            let start = self.buf.len();
            write(self, item);
            debug_assert_eq!(
                self.buf.len() - start,
                record_size,
                "record size differs from wasmc_meta.h"
            );
        }
        (off, count)
    }
    /// A `wasmc_meta_const` (24 bytes).
    fn const_expr(&mut self, expr: &ConstExpr) {
        self.const_op(&expr.op);
    }
    fn const_op(&mut self, op: &ConstOp) {
        let mut value = [0u8; 16];
        let (opcode, index): (u8, u32) = match *op {
            ConstOp::I32Const(v) => {
                value[..4].copy_from_slice(&v.to_le_bytes());
                (0x41, 0)
            }
            ConstOp::I64Const(v) => {
                value[..8].copy_from_slice(&v.to_le_bytes());
                (0x42, 0)
            }
            ConstOp::F32Const(bits) => {
                value[..4].copy_from_slice(&bits.to_le_bytes());
                (0x43, 0)
            }
            ConstOp::F64Const(bits) => {
                value[..8].copy_from_slice(&bits.to_le_bytes());
                (0x44, 0)
            }
            ConstOp::V128Const(bytes) => {
                value = bytes;
                (0xfd, 0)
            }
            ConstOp::GlobalGet(g) => (0x23, g),
            ConstOp::RefNull(ty) => (0xd0, reftype_code(ty)),
            ConstOp::RefFunc(f) => (0xd2, f),
        };
        self.buf.extend_from_slice(&[opcode, 0, 0, 0]);
        self.u32(index);
        self.buf.extend_from_slice(&value);
    }
}
