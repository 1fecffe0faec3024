//! The decoded module: everything but function bodies, which are decoded on demand.
//!
//! A `Module` does not own the input bytes: code bodies and data segments are byte ranges into
//! them, so pass the same bytes that were given to [`super::parse`] to the methods that take them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::types::{FuncType, GlobalType, MemoryType, RefType, TableType};

/// What an import provides.
#[derive(Clone, PartialEq, Debug)]
pub enum ImportKind {
    /// A function of this type index.
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
}

#[derive(Clone, PartialEq, Debug)]
pub struct Import {
    pub module: String,
    pub field: String,
    pub kind: ImportKind,
    /// Where the import is in the input.
    pub offset: usize,
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum ExternKind {
    Func,
    Table,
    Memory,
    Global,
}

#[derive(Clone, PartialEq, Debug)]
pub struct Export {
    pub name: String,
    pub kind: ExternKind,
    /// Index in the index space of `kind` (imports first).
    pub index: u32,
    pub offset: usize,
}

/// The single instruction of a Wasm 2.0 constant expression.
#[derive(Copy, Clone, PartialEq, Debug)]
pub enum ConstOp {
    I32Const(i32),
    I64Const(i64),
    /// IEEE 754 bits.
    F32Const(u32),
    F64Const(u64),
    V128Const([u8; 16]),
    GlobalGet(u32),
    RefNull(RefType),
    RefFunc(u32),
}

/// A constant expression (global initialiser, segment offset, element item).
#[derive(Copy, Clone, PartialEq, Debug)]
pub struct ConstExpr {
    pub op: ConstOp,
    /// Where its instruction is in the input.
    pub offset: usize,
}

#[derive(Clone, PartialEq, Debug)]
pub struct Global {
    pub ty: GlobalType,
    pub init: ConstExpr,
}

#[derive(Clone, PartialEq, Debug)]
pub enum ElementMode {
    /// Only used by `table.init`.
    Passive,
    /// Copied into `table` at `offset` on instantiation.
    Active { table: u32, offset: ConstExpr },
    /// Only declares functions for `ref.func`; dropped on instantiation.
    Declarative,
}

#[derive(Clone, PartialEq, Debug)]
pub enum ElementItems {
    /// Function indices (the compact encodings).
    Functions(Vec<u32>),
    /// One constant expression per element (`ref.func` or `ref.null`, or `global.get`).
    Expressions(Vec<ConstExpr>),
}

impl ElementItems {
    pub fn len(&self) -> usize {
        match self {
            ElementItems::Functions(f) => f.len(),
            ElementItems::Expressions(e) => e.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Clone, PartialEq, Debug)]
pub struct ElementSegment {
    pub mode: ElementMode,
    pub ty: RefType,
    pub items: ElementItems,
    pub offset: usize,
}

#[derive(Clone, PartialEq, Debug)]
pub enum DataMode {
    Passive,
    Active { memory: u32, offset: ConstExpr },
}

#[derive(Clone, PartialEq, Debug)]
pub struct DataSegment {
    pub mode: DataMode,
    /// The segment's bytes in the input.
    pub range: Range<usize>,
    pub offset: usize,
}

impl DataSegment {
    /// The segment's contents, given the module's bytes.
    pub fn bytes<'a>(&self, module_bytes: &'a [u8]) -> &'a [u8] {
        module_bytes.get(self.range.clone()).unwrap_or(&[])
    }
}

/// Names from the `name` custom section (malformed name sections are ignored, as the spec
/// allows for custom sections).
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Names {
    pub module: Option<String>,
    /// Function index (imports first) to name.
    pub functions: HashMap<u32, String>,
}

/// A decoded module. Built by [`super::parse`]; the public fields are the sections as they
/// appear in the binary, the methods give the index spaces (imports first).
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Module {
    pub types: Vec<FuncType>,
    pub imports: Vec<Import>,
    /// The type index of each function defined in the module.
    pub functions: Vec<u32>,
    /// Tables defined in the module.
    pub tables: Vec<TableType>,
    /// Memories defined in the module.
    pub memories: Vec<MemoryType>,
    /// Globals defined in the module.
    pub globals: Vec<Global>,
    pub exports: Vec<Export>,
    pub start: Option<u32>,
    pub elements: Vec<ElementSegment>,
    pub data: Vec<DataSegment>,
    /// The data count section's value, if present.
    pub data_count: Option<u32>,
    /// The byte range of each defined function's body (locals and code, after the size).
    pub code: Vec<Range<usize>>,
    pub names: Names,
    /// Offset of the start section's function index, for error messages.
    pub start_offset: usize,
    // Imported entities by index space, filled by `index_imports`.
    imported_funcs: Vec<u32>,
    imported_tables: Vec<TableType>,
    imported_memories: Vec<MemoryType>,
    imported_globals: Vec<GlobalType>,
    /// Filled by `collect_declared_func_refs`.
    declared_func_refs: HashSet<u32>,
}

impl Module {
    /// Sorts the imports into their index spaces; called once the import section is read.
    pub(crate) fn index_imports(&mut self) {
        for import in &self.imports {
            match import.kind {
                ImportKind::Func(ty) => self.imported_funcs.push(ty),
                ImportKind::Table(t) => self.imported_tables.push(t),
                ImportKind::Memory(m) => self.imported_memories.push(m),
                ImportKind::Global(g) => self.imported_globals.push(g),
            }
        }
    }

    /// Records the functions that `ref.func` may name in function bodies (the spec's
    /// C.refs): those named in element segments, global initialisers and exports.
    pub(crate) fn collect_declared_func_refs(&mut self) {
        let mut refs = HashSet::new();
        let add_const = |expr: &ConstExpr, refs: &mut HashSet<u32>| {
            if let ConstOp::RefFunc(func) = expr.op {
                refs.insert(func);
            }
        };
        for global in &self.globals {
            add_const(&global.init, &mut refs);
        }
        for segment in &self.elements {
            match &segment.items {
                ElementItems::Functions(funcs) => refs.extend(funcs.iter().copied()),
                ElementItems::Expressions(exprs) => {
                    exprs.iter().for_each(|e| add_const(e, &mut refs))
                }
            }
        }
        let exported = self.exports.iter().filter(|e| e.kind == ExternKind::Func);
        refs.extend(exported.map(|e| e.index));
        self.declared_func_refs = refs;
    }

    /// The functions that `ref.func` may name inside function bodies.
    pub fn declared_func_refs(&self) -> &HashSet<u32> {
        &self.declared_func_refs
    }

    pub fn num_imported_funcs(&self) -> u32 {
        self.imported_funcs.len() as u32
    }
    pub fn num_imported_tables(&self) -> u32 {
        self.imported_tables.len() as u32
    }
    pub fn num_imported_memories(&self) -> u32 {
        self.imported_memories.len() as u32
    }
    pub fn num_imported_globals(&self) -> u32 {
        self.imported_globals.len() as u32
    }

    /// Size of the function index space (imported and defined).
    pub fn num_funcs(&self) -> u32 {
        (self.imported_funcs.len() + self.functions.len()) as u32
    }
    pub fn num_tables(&self) -> u32 {
        (self.imported_tables.len() + self.tables.len()) as u32
    }
    pub fn num_memories(&self) -> u32 {
        (self.imported_memories.len() + self.memories.len()) as u32
    }
    pub fn num_globals(&self) -> u32 {
        (self.imported_globals.len() + self.globals.len()) as u32
    }

    /// The type index of a function (imports first), if the index exists.
    pub fn func_type_index(&self, func: u32) -> Option<u32> {
        let func = func as usize;
        match func.checked_sub(self.imported_funcs.len()) {
            None => Some(self.imported_funcs[func]),
            Some(defined) => self.functions.get(defined).copied(),
        }
    }

    /// The type of a function (imports first), if the function and its type exist.
    pub fn func_type(&self, func: u32) -> Option<&FuncType> {
        self.types.get(self.func_type_index(func)? as usize)
    }

    /// The function index of the `defined`-th function defined in the module.
    pub fn defined_func_index(&self, defined: u32) -> u32 {
        self.num_imported_funcs() + defined
    }

    pub fn table_type(&self, table: u32) -> Option<TableType> {
        let table = table as usize;
        match table.checked_sub(self.imported_tables.len()) {
            None => Some(self.imported_tables[table]),
            Some(defined) => self.tables.get(defined).copied(),
        }
    }

    pub fn memory_type(&self, memory: u32) -> Option<MemoryType> {
        let memory = memory as usize;
        match memory.checked_sub(self.imported_memories.len()) {
            None => Some(self.imported_memories[memory]),
            Some(defined) => self.memories.get(defined).copied(),
        }
    }

    pub fn global_type(&self, global: u32) -> Option<GlobalType> {
        let global = global as usize;
        match global.checked_sub(self.imported_globals.len()) {
            None => Some(self.imported_globals[global]),
            Some(defined) => self.globals.get(defined).map(|g| g.ty),
        }
    }

    /// The function's name from the name section, if any.
    pub fn func_name(&self, func: u32) -> Option<&str> {
        self.names.functions.get(&func).map(String::as_str)
    }
}
