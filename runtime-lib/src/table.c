/* Tables: a heap array of references. Compiled code reads `elems` and `size` afresh after
 * any call, so growing may move the array. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Growth beyond this many entries fails (returns -1) instead of exhausting host memory. */
#define TABLE_ENTRY_LIMIT (1u << 24)

int wasmc_table_create(wasmc_table *table, uint32_t min, uint32_t max) {
    if (min > TABLE_ENTRY_LIMIT || min > max) return -1;
    table->elems = calloc(min ? min : 1, sizeof(wasmc_ref));
    if (!table->elems) return -1;
    table->size = min;
    table->max = max;
    return 0;
}

/* Returns the old size, or -1 if the table cannot grow by `delta`. */
int64_t wasmc_table_grow_entries(wasmc_table *table, uint32_t delta, wasmc_ref init) {
    uint32_t old = table->size;
    if (delta > table->max - old || delta > TABLE_ENTRY_LIMIT - old) return -1;
    if (delta == 0) return old;
    wasmc_ref *elems = realloc(table->elems, ((size_t)old + delta) * sizeof(wasmc_ref));
    if (!elems) return -1;
    for (uint32_t i = old; i < old + delta; i++) elems[i] = init;
    table->elems = elems;
    table->size = old + delta;
    return old;
}

static int in_bounds(uint64_t start, uint64_t len, uint64_t size) {
    return start <= size && len <= size - start;
}

static wasmc_table *table_at(void *vmctx, int32_t index) {
    return instance_tables(vmctx_instance(vmctx))[(uint32_t)index];
}

wasmc_ref wasmc_rt_table_get(void *vmctx, int32_t table, int32_t index) {
    wasmc_table *t = table_at(vmctx, table);
    if ((uint32_t)index >= t->size) wasmc_raise_trap(WASMC_TRAP_TABLE_ACCESS_OOB, NULL);
    return t->elems[(uint32_t)index];
}

void wasmc_rt_table_set(void *vmctx, int32_t table, int32_t index, wasmc_ref value) {
    wasmc_table *t = table_at(vmctx, table);
    if ((uint32_t)index >= t->size) wasmc_raise_trap(WASMC_TRAP_TABLE_ACCESS_OOB, NULL);
    t->elems[(uint32_t)index] = value;
}

int32_t wasmc_rt_table_size(void *vmctx, int32_t table) {
    return (int32_t)table_at(vmctx, table)->size;
}

int32_t wasmc_rt_table_grow(void *vmctx, int32_t table, wasmc_ref init, int32_t delta) {
    return (int32_t)wasmc_table_grow_entries(table_at(vmctx, table), (uint32_t)delta, init);
}

void wasmc_rt_table_fill(void *vmctx, int32_t table, int32_t dst, wasmc_ref value, int32_t len) {
    wasmc_table *t = table_at(vmctx, table);
    if (!in_bounds((uint32_t)dst, (uint32_t)len, t->size))
        wasmc_raise_trap(WASMC_TRAP_TABLE_ACCESS_OOB, NULL);
    for (uint32_t i = 0; i < (uint32_t)len; i++) t->elems[(uint32_t)dst + i] = value;
}

void wasmc_rt_table_copy(void *vmctx, int32_t dst_table, int32_t src_table, int32_t dst,
                         int32_t src, int32_t len) {
    wasmc_table *d = table_at(vmctx, dst_table), *s = table_at(vmctx, src_table);
    if (!in_bounds((uint32_t)dst, (uint32_t)len, d->size) ||
        !in_bounds((uint32_t)src, (uint32_t)len, s->size))
        wasmc_raise_trap(WASMC_TRAP_TABLE_ACCESS_OOB, NULL);
    memmove(d->elems + (uint32_t)dst, s->elems + (uint32_t)src, (size_t)(uint32_t)len * sizeof(wasmc_ref));
}

int wasmc_table_init_checked(wasmc_instance *inst, uint32_t table, uint32_t seg, uint32_t dst,
                             uint32_t src, uint32_t len) {
    const wasmc_module_meta *meta = inst->meta;
    uint32_t ntables = meta->tables.count;
    if (seg >= meta->elems.count || table >= ntables) return WASMC_TRAP_TABLE_ACCESS_OOB;
    wasmc_table *t = instance_tables(inst)[table];
    if (!in_bounds(src, len, inst->elem_len[seg]) || !in_bounds(dst, len, t->size))
        return WASMC_TRAP_TABLE_ACCESS_OOB;
    memcpy(t->elems + dst, inst->elem_items[seg] + src, (size_t)len * sizeof(wasmc_ref));
    return 0;
}

void wasmc_rt_table_init(void *vmctx, int32_t table, int32_t seg, int32_t dst, int32_t src,
                         int32_t len) {
    int trap = wasmc_table_init_checked(vmctx_instance(vmctx), (uint32_t)table, (uint32_t)seg,
                                        (uint32_t)dst, (uint32_t)src, (uint32_t)len);
    if (trap) wasmc_raise_trap(trap, NULL);
}

void wasmc_rt_elem_drop(void *vmctx, int32_t seg) {
    wasmc_instance *inst = vmctx_instance(vmctx);
    if ((uint32_t)seg < inst->meta->elems.count) inst->elem_len[seg] = 0;
}

wasmc_ref wasmc_rt_ref_func(void *vmctx, int32_t func_index) {
    return &instance_funcrefs(vmctx_instance(vmctx))[(uint32_t)func_index];
}
