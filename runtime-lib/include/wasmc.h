/* wasmc runtime ABI, shared with the compiler (compiler/src/vmctx.rs, compiler/src/ir/mod.rs).
 * Keep the two in step: offsets and numbers here are part of the object-file ABI. */
#ifndef WASMC_H
#define WASMC_H
#include <stdint.h>
#include <stddef.h>

/* Trap codes (ir::TrapCode). */
enum wasmc_trap_code {
    WASMC_TRAP_NONE = 0,
    WASMC_TRAP_UNREACHABLE = 1,
    WASMC_TRAP_MEMORY_OOB = 2,
    WASMC_TRAP_INT_DIV_ZERO = 3,
    WASMC_TRAP_INT_OVERFLOW = 4,
    WASMC_TRAP_INVALID_CONVERSION = 5,
    WASMC_TRAP_INDIRECT_CALL_NULL = 6,
    WASMC_TRAP_INDIRECT_CALL_BAD_SIG = 7,
    WASMC_TRAP_TABLE_OOB = 8,
    WASMC_TRAP_STACK_OVERFLOW = 9,
    WASMC_TRAP_UNKNOWN_IMPORT = 10,
};

typedef struct wasmc_memory {
    uint8_t *base;      /* +0 */
    uint64_t length;    /* +8: bytes accessible now */
    uint64_t max_pages;
    uint64_t reserved;  /* bytes reserved (PROT_NONE beyond length) */
} wasmc_memory;

typedef struct wasmc_funcref {
    void *code;         /* +0: native entry, called as code(vmctx, params...) */
    void *vmctx;        /* +8 */
    uint32_t type_id;   /* +16: canonical signature id */
    uint32_t func_index;
} wasmc_funcref;

typedef void *wasmc_ref; /* funcref: wasmc_funcref*; externref: opaque; null: 0 */

typedef struct wasmc_table {
    wasmc_ref *elems;   /* +0 */
    uint32_t size;      /* +8 */
    uint32_t max;
} wasmc_table;

/* Array-call values: 16 bytes each so a v128 fits. */
typedef union wasmc_val {
    int32_t i32; int64_t i64; float f32; double f64; wasmc_ref ref; uint8_t v128[16];
} wasmc_val;

#define WASMC_VMCTX_MEM0_BASE 0
#define WASMC_VMCTX_MEM0_DEF 8
#define WASMC_VMCTX_STACK_LIMIT 16
#define WASMC_VMCTX_META 24
#define WASMC_VMCTX_INSTANCE 32
#define WASMC_VMCTX_HEADER_SIZE 64

/* Runtime functions called from compiled code (ir::RuntimeFn); vmctx first. */
int32_t wasmc_rt_memory_grow(void *vmctx, int32_t delta_pages);
void wasmc_rt_memory_fill(void *vmctx, int32_t dst, int32_t val, int32_t len);
void wasmc_rt_memory_copy(void *vmctx, int32_t dst, int32_t src, int32_t len);
void wasmc_rt_memory_init(void *vmctx, int32_t seg, int32_t dst, int32_t src, int32_t len);
void wasmc_rt_data_drop(void *vmctx, int32_t seg);
wasmc_ref wasmc_rt_table_get(void *vmctx, int32_t table, int32_t index);
void wasmc_rt_table_set(void *vmctx, int32_t table, int32_t index, wasmc_ref value);
int32_t wasmc_rt_table_size(void *vmctx, int32_t table);
int32_t wasmc_rt_table_grow(void *vmctx, int32_t table, wasmc_ref init, int32_t delta);
void wasmc_rt_table_fill(void *vmctx, int32_t table, int32_t dst, wasmc_ref value, int32_t len);
void wasmc_rt_table_copy(void *vmctx, int32_t dst_table, int32_t src_table, int32_t dst, int32_t src, int32_t len);
void wasmc_rt_table_init(void *vmctx, int32_t table, int32_t seg, int32_t dst, int32_t src, int32_t len);
void wasmc_rt_elem_drop(void *vmctx, int32_t seg);
wasmc_ref wasmc_rt_ref_func(void *vmctx, int32_t func_index);

#endif
