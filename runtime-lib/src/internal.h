/* Private declarations shared by the runtime's C files. */
#ifndef WASMC_INTERNAL_H
#define WASMC_INTERNAL_H
#include <stdint.h>
#include <stddef.h>
#include "wasmc.h"
#include "wasmc_meta.h"

#define WASM_PAGE_SIZE 65536u
/* The most pages a memory may have: one less than the 65536 a 32-bit memory can address
 * (memory.grow may always fail; creating a larger memory fails like any allocation). So a
 * memory ends at least 64 KiB below 4 GiB, and once an access at address `x` has run, `x + c`
 * cannot wrap for any c < 65536: the compiler folds such sums into machine addresses. */
#define MAX_MEMORY_PAGES 65535u

/* ---- metadata access: every offset is from the start of the meta blob ---- */
static inline const void *meta_at(const wasmc_module_meta *m, uint32_t off) {
    return (const uint8_t *)m + off;
}
#define META_ARRAY(m, field, type) ((const type *)meta_at((m), (m)->field.off))

/* ---- vmctx access (layout from the metadata) ---- */
static inline wasmc_instance *vmctx_instance(void *vmctx) {
    return *(wasmc_instance **)((uint8_t *)vmctx + WASMC_VMCTX_INSTANCE);
}
static inline wasmc_memory *vmctx_memory(void *vmctx) {
    return *(wasmc_memory **)((uint8_t *)vmctx + WASMC_VMCTX_MEM0_DEF);
}

/* What an import resolves to: an export of an instance or a host definition. */
typedef struct wasmc_extern {
    uint32_t kind; /* wasmc_extern_kind */
    /* func: the funcref to copy; a host function (host_func) gets the importer's vmctx. */
    const wasmc_funcref *func;
    int host_func;
    wasmc_table *table;
    uint32_t table_elem_type;
    wasmc_memory *memory;
    wasmc_val *global;
    uint8_t global_type, global_mutable;
} wasmc_extern;

struct wasmc_instance {
    const wasmc_module_meta *meta;
    uint8_t *vmctx;
    wasmc_memory *memory;       /* memory 0, own or imported; NULL if none */
    wasmc_memory own_memory;
    wasmc_table *own_tables;    /* defined tables, indexed from num_imported_tables */
    uint32_t *table_elem_types; /* element type of every table, imports included */
    wasmc_ref **elem_items;     /* evaluated element segments */
    uint32_t *elem_len;         /* 0 once dropped */
    uint8_t *data_dropped;
};

static inline wasmc_funcref *instance_funcrefs(wasmc_instance *inst) {
    return (wasmc_funcref *)(inst->vmctx + inst->meta->layout.funcrefs);
}
static inline wasmc_table **instance_tables(wasmc_instance *inst) {
    return (wasmc_table **)(inst->vmctx + inst->meta->layout.tables);
}
/* The 16-byte cell of global `index` (an imported global's slot points to the exporter's). */
wasmc_val *instance_global_cell(wasmc_instance *inst, uint32_t index);

/* types.c: canonical signature ids, equal signatures get equal ids across modules. */
uint32_t wasmc_intern_signature(const uint8_t *types, uint32_t nparams, uint32_t nresults);
const uint8_t *wasmc_signature(uint32_t id, uint32_t *nparams, uint32_t *nresults);

/* memory.c */
int wasmc_memory_create(wasmc_memory *mem, uint64_t min_pages, uint64_t max_pages);
int64_t wasmc_memory_grow_pages(wasmc_memory *mem, uint64_t delta_pages);

/* table.c */
int wasmc_table_create(wasmc_table *table, uint32_t min, uint32_t max);
int64_t wasmc_table_grow_entries(wasmc_table *table, uint32_t delta, wasmc_ref init);
/* table.init from an instance's element segment; returns 0 or a trap code. */
int wasmc_table_init_checked(wasmc_instance *inst, uint32_t table, uint32_t seg, uint32_t dst,
                             uint32_t src, uint32_t len);
/* memory.init from an instance's data segment; returns 0 or a trap code. */
int wasmc_memory_init_checked(wasmc_instance *inst, uint32_t seg, uint32_t dst, uint32_t src,
                              uint32_t len);

/* trap.c: entering wasm, unwinding out of it, and the trap table registry. */
typedef void (*wasmc_thunk)(void *arg);
/* Runs fn(arg) as an entry into wasm: a trap or proc_exit inside unwinds back here. */
int wasmc_enter(wasmc_thunk fn, void *arg, wasmc_status *status);

/* code.c: what compiled code a pc belongs to. */
/* Makes the module's trap table visible to the signal handler. */
void wasmc_register_code(const wasmc_module_meta *meta);
/* The registered module whose code contains `pc`, with pc's offset in it; or NULL. */
const wasmc_module_meta *wasmc_module_of_pc(uintptr_t pc, uint32_t *offset);
const wasmc_meta_trap *wasmc_trap_at(const wasmc_module_meta *meta, uint32_t offset);
/* Appends the frame of `pc`, if it is in a wasm function, to status->frames. */
void wasmc_backtrace_add(wasmc_status *status, uintptr_t pc);
void wasmc_backtrace_walk(wasmc_status *status, uintptr_t fp, uintptr_t stack_low,
                          uintptr_t stack_high);
/* The lowest address wasm code may use on this thread's stack (vmctx->stack_limit). */
void *wasmc_thread_stack_limit(void);
void wasmc_status_set(wasmc_status *status, int code, const char *message);

/* linker.c */
/* Whether wasmc_linker_trap_unknown_imports was called. */
int wasmc_linker_traps_unknown_imports(const wasmc_linker *linker);
int wasmc_linker_resolve(wasmc_linker *linker, const char *module, uint32_t module_len,
                         const char *field, uint32_t field_len, wasmc_extern *out);
/* An instance's export as an extern; 0 if found. */
int wasmc_instance_export(wasmc_instance *inst, const char *name, uint32_t name_len,
                          wasmc_extern *out);

#endif
