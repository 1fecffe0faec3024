/* The linker: named instances and host definitions that imports resolve against. Later
 * definitions shadow earlier ones, as re-registering a name does in the spec scripts. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef struct definition {
    char *module;
    char *field;              /* NULL: every export of `instance` under `module` */
    wasmc_instance *instance;
    wasmc_extern ext;         /* host definition */
} definition;

struct wasmc_linker {
    definition *defs;
    uint32_t count, cap;
    int trap_unknown_imports;
};

void wasmc_linker_trap_unknown_imports(wasmc_linker *linker) {
    linker->trap_unknown_imports = 1;
}

int wasmc_linker_traps_unknown_imports(const wasmc_linker *linker) {
    return linker->trap_unknown_imports;
}

wasmc_linker *wasmc_linker_new(void) {
    return calloc(1, sizeof(wasmc_linker));
}

static char *copy_string(const char *s) {
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy) memcpy(copy, s, n);
    return copy;
}

static int add(wasmc_linker *linker, const char *module, const char *field,
               wasmc_instance *instance, const wasmc_extern *ext) {
    if (linker->count == linker->cap) {
        uint32_t cap = linker->cap ? linker->cap * 2 : 32;
        definition *grown = realloc(linker->defs, cap * sizeof *grown);
        if (!grown) return -1;
        linker->defs = grown;
        linker->cap = cap;
    }
    definition *d = &linker->defs[linker->count];
    memset(d, 0, sizeof *d);
    d->module = copy_string(module);
    d->field = field ? copy_string(field) : NULL;
    if (!d->module || (field && !d->field)) return -1;
    d->instance = instance;
    if (ext) d->ext = *ext;
    linker->count++;
    return 0;
}

int wasmc_linker_register(wasmc_linker *linker, const char *name, wasmc_instance *instance) {
    return add(linker, name, NULL, instance, NULL);
}

int wasmc_linker_define_func(wasmc_linker *linker, const char *module, const char *name,
                             void *code, const uint8_t *params, uint32_t nparams,
                             const uint8_t *results, uint32_t nresults) {
    uint8_t *types = malloc((size_t)nparams + nresults + 1);
    wasmc_funcref *ref = calloc(1, sizeof *ref);
    if (!types || !ref) return -1;
    if (nparams) memcpy(types, params, nparams);
    if (nresults) memcpy(types + nparams, results, nresults);
    ref->code = code;
    ref->type_id = wasmc_intern_signature(types, nparams, nresults);
    ref->func_index = UINT32_MAX;
    free(types);
    wasmc_extern ext = {.kind = WASMC_EXTERN_FUNC, .func = ref, .host_func = 1};
    return add(linker, module, name, NULL, &ext);
}

int wasmc_linker_define_global(wasmc_linker *linker, const char *module, const char *name,
                               uint8_t type, int is_mutable, wasmc_val value) {
    wasmc_val *cell = aligned_alloc(16, sizeof *cell);
    if (!cell) return -1;
    *cell = value;
    wasmc_extern ext = {.kind = WASMC_EXTERN_GLOBAL, .global = cell, .global_type = type,
                        .global_mutable = (uint8_t)(is_mutable != 0)};
    return add(linker, module, name, NULL, &ext);
}

int wasmc_linker_define_memory(wasmc_linker *linker, const char *module, const char *name,
                               uint64_t min_pages, uint64_t max_pages) {
    wasmc_memory *mem = calloc(1, sizeof *mem);
    if (!mem || wasmc_memory_create(mem, min_pages, max_pages) != 0) return -1;
    wasmc_extern ext = {.kind = WASMC_EXTERN_MEMORY, .memory = mem};
    return add(linker, module, name, NULL, &ext);
}

int wasmc_linker_define_table(wasmc_linker *linker, const char *module, const char *name,
                              uint8_t elem_type, uint32_t min, uint32_t max) {
    wasmc_table *table = calloc(1, sizeof *table);
    if (!table || wasmc_table_create(table, min, max) != 0) return -1;
    wasmc_extern ext = {.kind = WASMC_EXTERN_TABLE, .table = table, .table_elem_type = elem_type};
    return add(linker, module, name, NULL, &ext);
}

static int equals(const char *s, const char *bytes, uint32_t len) {
    return strlen(s) == len && memcmp(s, bytes, len) == 0;
}

int wasmc_linker_resolve(wasmc_linker *linker, const char *module, uint32_t module_len,
                         const char *field, uint32_t field_len, wasmc_extern *out) {
    for (uint32_t i = linker->count; i-- > 0;) {
        definition *d = &linker->defs[i];
        if (!equals(d->module, module, module_len)) continue;
        if (d->instance) /* a registered name stands for that instance alone */
            return wasmc_instance_export(d->instance, field, field_len, out);
        if (equals(d->field, field, field_len)) {
            *out = d->ext;
            return 0;
        }
    }
    return -1;
}
