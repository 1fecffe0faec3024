//! Layout of the instance context `vmctx`, shared with `runtime-lib/include/wasmc.h`.
//!
//! The fixed header is at the offsets below; the variable part (type ids, funcrefs, tables,
//! globals) is laid out per module by [`VmctxLayout::new`]. The layout is written into the
//! module's metadata, so the runtime follows it rather than recomputing it.
//!
//! ```text
//!   0  u8 *mem0_base            base of memory 0 (never moves: the whole range is reserved)
//!   8  wasmc_memory *mem0       memory 0's descriptor: +0 base, +8 length in bytes
//!  16  void *stack_limit        the prologue traps if sp would go below this
//!  24  const wasmc_module_meta *meta
//!  32  wasmc_instance *instance runtime-private
//!  40  (reserved, 3 words)
//!  64  u32 type_ids[ntypes]     canonical signature id of each type index (runtime-interned)
//!  ..  wasmc_funcref funcrefs[nfuncs]   24 bytes each: +0 code, +8 vmctx, +16 u32 type_id
//!  ..  wasmc_table *tables[ntables]     each: +0 wasmc_ref *elems, +8 u32 size
//!  ..  globals[nglobals], 16 bytes each: a defined global's value inline; an imported
//!      global's slot holds a pointer to the exporter's 16-byte cell
//! ```
//! Imported functions are called through their funcref (code, vmctx); a funcref value
//! (`ref.func`, table element) is the address of a `wasmc_funcref`, null is 0.

pub const MEM0_BASE: i32 = 0;
pub const MEM0_DEF: i32 = 8;
pub const STACK_LIMIT: i32 = 16;
pub const META: i32 = 24;
pub const INSTANCE: i32 = 32;
pub const HEADER_SIZE: u32 = 64;

/// Offsets inside a `wasmc_memory`.
pub const MEMORY_BASE: i32 = 0;
pub const MEMORY_LENGTH: i32 = 8;
/// Offsets inside a `wasmc_table`.
pub const TABLE_ELEMS: i32 = 0;
pub const TABLE_SIZE: i32 = 8;
/// Offsets and size of a `wasmc_funcref`.
pub const FUNCREF_CODE: i32 = 0;
pub const FUNCREF_VMCTX: i32 = 8;
pub const FUNCREF_TYPE_ID: i32 = 16;
pub const FUNCREF_SIZE: u32 = 24;
pub const GLOBAL_SIZE: u32 = 16;
/// Size of one `wasmc_val` in the array-call convention (big enough for a v128).
pub const VAL_SIZE: u32 = 16;

/// Byte offsets of the variable part of one module's vmctx.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmctxLayout {
    pub type_ids: u32,
    pub funcrefs: u32,
    pub tables: u32,
    pub globals: u32,
    pub size: u32,
}

impl VmctxLayout {
    pub fn new(ntypes: u32, nfuncs: u32, ntables: u32, nglobals: u32) -> VmctxLayout {
        let type_ids = HEADER_SIZE;
        let funcrefs = align(type_ids + 4 * ntypes, 16);
        let tables = funcrefs + FUNCREF_SIZE * nfuncs;
        let globals = align(tables + 8 * ntables, 16);
        let size = globals + GLOBAL_SIZE * nglobals;
        VmctxLayout { type_ids, funcrefs, tables, globals, size }
    }
    pub fn type_id(&self, type_index: u32) -> i32 {
        (self.type_ids + 4 * type_index) as i32
    }
    pub fn funcref(&self, func_index: u32) -> i32 {
        (self.funcrefs + FUNCREF_SIZE * func_index) as i32
    }
    pub fn table(&self, table_index: u32) -> i32 {
        (self.tables + 8 * table_index) as i32
    }
    pub fn global(&self, global_index: u32) -> i32 {
        (self.globals + GLOBAL_SIZE * global_index) as i32
    }
}

fn align(x: u32, a: u32) -> u32 {
    (x + a - 1) / a * a
}
