/* Builds module metadata by hand, as the compiler would, so the runtime can be tested
 * without a compiler: the module's "functions" are C functions and small asm stubs. */
#ifndef FAKE_MODULE_H
#define FAKE_MODULE_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "wasmc.h"
#include "wasmc_meta.h"

#define MAX_ITEMS 16

typedef struct fake_module {
    _Alignas(16) uint8_t blob[1 << 16]; /* the metadata; wasmc_module_meta at offset 0 */
    uint32_t size;
    const uint8_t *text_start;          /* lowest function address */
    wasmc_meta_type types[MAX_ITEMS];
    wasmc_meta_import imports[MAX_ITEMS];
    wasmc_meta_export exports[MAX_ITEMS];
    wasmc_meta_func funcs[MAX_ITEMS];
    wasmc_meta_memory memories[1];
    wasmc_meta_table tables[MAX_ITEMS];
    wasmc_meta_global globals[MAX_ITEMS];
    wasmc_meta_data datas[MAX_ITEMS];
    wasmc_meta_elem elems[MAX_ITEMS];
    wasmc_meta_trap traps[MAX_ITEMS];
    wasmc_meta_srcloc srclocs[MAX_ITEMS];
    uint32_t nsrclocs;
    uint32_t ntypes, nimports, nexports, nfuncs, nmemories, ntables, nglobals, ndatas, nelems,
        ntraps;
    uint32_t start_func;
    uint32_t imported_funcs, imported_tables, imported_memories, imported_globals;
} fake_module;

static inline void fake_init(fake_module *m, const void *text_start) {
    memset(m, 0, sizeof *m);
    m->size = sizeof(wasmc_module_meta);
    m->text_start = text_start;
    m->start_func = WASMC_META_NONE;
}

static inline uint32_t fake_put(fake_module *m, const void *data, uint32_t len) {
    m->size = (m->size + 7) & ~7u;
    uint32_t off = m->size;
    memcpy(m->blob + off, data, len);
    m->size += len;
    return off;
}

static inline wasmc_meta_str fake_str(fake_module *m, const char *s) {
    uint32_t len = (uint32_t)strlen(s);
    return (wasmc_meta_str){fake_put(m, s, len), len};
}

static inline uint32_t fake_type(fake_module *m, const char *params, const char *results) {
    uint8_t types[32];
    uint32_t np = (uint32_t)strlen(params), nr = (uint32_t)strlen(results);
    for (uint32_t i = 0; i < np + nr; i++) {
        char c = i < np ? params[i] : results[i - np];
        types[i] = c == 'i' ? WASMC_I32 : c == 'I' ? WASMC_I64 : c == 'f' ? WASMC_F32 : WASMC_F64;
    }
    m->types[m->ntypes] = (wasmc_meta_type){fake_put(m, types, np + nr), np, nr};
    return m->ntypes++;
}

static inline uint32_t fake_code(fake_module *m, const void *code) {
    return (uint32_t)((const uint8_t *)code - m->text_start);
}

/* Functions are given 16 bytes of code: enough to cover the asm stubs' faulting pcs. */
static inline uint32_t fake_func(fake_module *m, uint32_t type, const void *code, const char *name) {
    m->funcs[m->nfuncs] = (wasmc_meta_func){type, code ? fake_code(m, code) : WASMC_META_NONE,
                                            code ? 16 : 0, fake_str(m, name)};
    return m->nfuncs++;
}

static inline void fake_import(fake_module *m, const char *module, const char *field, uint32_t kind,
                               uint32_t index) {
    m->imports[m->nimports++] =
        (wasmc_meta_import){fake_str(m, module), fake_str(m, field), kind, index};
}

static inline void fake_export(fake_module *m, const char *name, uint32_t kind, uint32_t index,
                               const void *trampoline) {
    m->exports[m->nexports++] = (wasmc_meta_export){
        fake_str(m, name), kind, index, trampoline ? fake_code(m, trampoline) : WASMC_META_NONE};
}

static inline wasmc_meta_const fake_i32(int32_t v) {
    wasmc_meta_const c = {.op = WASMC_CONST_I32};
    memcpy(c.value, &v, 4);
    return c;
}

static inline wasmc_meta_const fake_op(uint8_t op, uint32_t index) {
    return (wasmc_meta_const){.op = op, .index = index};
}

static inline void fake_trap(fake_module *m, const void *pc, uint32_t code, uint32_t func) {
    m->traps[m->ntraps++] = (wasmc_meta_trap){fake_code(m, pc), code, func};
}

static inline wasmc_meta_array fake_array(fake_module *m, const void *items, uint32_t size,
                                          uint32_t count) {
    return (wasmc_meta_array){count ? fake_put(m, items, size * count) : 0, count};
}

/* Lays out the vmctx as compiler/src/vmctx.rs does and writes the header. */
static inline const wasmc_module_meta *fake_finish(fake_module *m, uint64_t text_size) {
    wasmc_module_meta h;
    memset(&h, 0, sizeof h);
    h.magic = WASMC_META_MAGIC;
    h.version = WASMC_META_VERSION;
    h.text_start = m->text_start;
    h.text_size = text_size;
    h.layout.type_ids = WASMC_VMCTX_HEADER_SIZE;
    h.layout.funcrefs = (h.layout.type_ids + 4 * m->ntypes + 15) / 16 * 16;
    h.layout.tables = h.layout.funcrefs + 24 * m->nfuncs;
    h.layout.globals = (h.layout.tables + 8 * m->ntables + 15) / 16 * 16;
    h.layout.size = h.layout.globals + 16 * m->nglobals;
    h.start_func = m->start_func;
    h.num_imported_funcs = m->imported_funcs;
    h.num_imported_tables = m->imported_tables;
    h.num_imported_memories = m->imported_memories;
    h.num_imported_globals = m->imported_globals;
    h.name = fake_str(m, "fake");
    h.types = fake_array(m, m->types, sizeof m->types[0], m->ntypes);
    h.imports = fake_array(m, m->imports, sizeof m->imports[0], m->nimports);
    h.exports = fake_array(m, m->exports, sizeof m->exports[0], m->nexports);
    h.funcs = fake_array(m, m->funcs, sizeof m->funcs[0], m->nfuncs);
    h.memories = fake_array(m, m->memories, sizeof m->memories[0], m->nmemories);
    h.tables = fake_array(m, m->tables, sizeof m->tables[0], m->ntables);
    h.globals = fake_array(m, m->globals, sizeof m->globals[0], m->nglobals);
    h.datas = fake_array(m, m->datas, sizeof m->datas[0], m->ndatas);
    h.elems = fake_array(m, m->elems, sizeof m->elems[0], m->nelems);
    h.traps = fake_array(m, m->traps, sizeof m->traps[0], m->ntraps);
    h.srclocs = fake_array(m, m->srclocs, sizeof m->srclocs[0], m->nsrclocs);
    memcpy(m->blob, &h, sizeof h);
    return (const wasmc_module_meta *)m->blob;
}

/* Asm stubs standing in for compiled code: a load far past memory 0 (into the guard) and an
 * `unreachable`. The *_fault labels are the instructions the trap table names. */
void stub_oob_load(void *vmctx);
void stub_unreachable(void *vmctx);
extern const uint8_t stub_oob_load_fault[], stub_unreachable_fault[];
#if defined(__x86_64__)
__asm__(".text\n"
        ".globl stub_oob_load, stub_oob_load_fault, stub_unreachable, stub_unreachable_fault\n"
        "stub_oob_load:\n  movq (%rdi), %rax\n  movabsq $0x100000000, %rcx\n"
        "stub_oob_load_fault:\n  movl (%rax,%rcx), %eax\n  ret\n"
        "stub_unreachable:\nstub_unreachable_fault:\n  ud2\n");
#elif defined(__aarch64__)
__asm__(".text\n"
        ".globl stub_oob_load, stub_oob_load_fault, stub_unreachable, stub_unreachable_fault\n"
        "stub_oob_load:\n  ldr x0, [x0]\n  mov x1, #0x100000000\n"
        "stub_oob_load_fault:\n  ldr w0, [x0, x1]\n  ret\n"
        "stub_unreachable:\nstub_unreachable_fault:\n  udf #0\n");
#endif

#endif
