/* Instantiation from a module's metadata, in the spec's order: resolve imports, build the
 * vmctx (type ids, funcrefs, memory, tables, globals), evaluate element segments, then, as
 * wasm would, apply active element and data segments in order and run the start function. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "internal.h"

static int link_error(wasmc_status *status, const char *fmt, const wasmc_meta_import *imp,
                      const wasmc_module_meta *meta) {
    status->code = WASMC_LINK_ERROR;
    status->nframes = 0;
    if (imp)
        snprintf(status->message, sizeof status->message, "%s (%.*s.%.*s)", fmt,
                 (int)imp->module.len, (const char *)meta_at(meta, imp->module.off),
                 (int)imp->field.len, (const char *)meta_at(meta, imp->field.off));
    else
        snprintf(status->message, sizeof status->message, "%s", fmt);
    return -1;
}

wasmc_val *instance_global_cell(wasmc_instance *inst, uint32_t index) {
    wasmc_val *slot = (wasmc_val *)(inst->vmctx + inst->meta->layout.globals) + index;
    return index < inst->meta->num_imported_globals ? *(wasmc_val **)slot : slot;
}

static int eval_const(wasmc_instance *inst, const wasmc_meta_const *c, wasmc_val *out) {
    const wasmc_module_meta *meta = inst->meta;
    memset(out, 0, sizeof *out);
    switch (c->op) {
    case WASMC_CONST_I32: case WASMC_CONST_F32: memcpy(out, c->value, 4); return 0;
    case WASMC_CONST_I64: case WASMC_CONST_F64: memcpy(out, c->value, 8); return 0;
    case WASMC_CONST_V128: memcpy(out, c->value, 16); return 0;
    case WASMC_CONST_REF_NULL: out->ref = NULL; return 0;
    case WASMC_CONST_REF_FUNC:
        if (c->index >= meta->funcs.count) return -1;
        out->ref = &instance_funcrefs(inst)[c->index];
        return 0;
    case WASMC_CONST_GLOBAL_GET:
        if (c->index >= meta->globals.count) return -1;
        *out = *instance_global_cell(inst, c->index);
        return 0;
    default: return -1;
    }
}

static uint32_t type_id_of_func(wasmc_instance *inst, uint32_t func) {
    const wasmc_meta_func *f = &META_ARRAY(inst->meta, funcs, wasmc_meta_func)[func];
    return ((uint32_t *)(inst->vmctx + inst->meta->layout.type_ids))[f->type_index];
}

/* What an unresolved function import becomes when the linker allows it: any signature can
 * point here, since it never returns to its caller. */
static void unknown_import(void *vmctx) {
    (void)vmctx;
    wasmc_raise_trap(WASMC_TRAP_UNKNOWN_IMPORT, NULL);
}

/* Binds one import, checking it against the declared type as the spec's import matching does. */
static int bind_import(wasmc_instance *inst, wasmc_linker *linker, const wasmc_meta_import *imp,
                       wasmc_status *status) {
    const wasmc_module_meta *meta = inst->meta;
    wasmc_extern ext;
    if (wasmc_linker_resolve(linker, meta_at(meta, imp->module.off), imp->module.len,
                             meta_at(meta, imp->field.off), imp->field.len, &ext) != 0) {
        if (imp->kind != WASMC_EXTERN_FUNC || imp->index >= meta->num_imported_funcs ||
            !wasmc_linker_traps_unknown_imports(linker))
            return link_error(status, "unknown import", imp, meta);
        instance_funcrefs(inst)[imp->index] = (wasmc_funcref){
            .code = (void *)unknown_import, .vmctx = inst->vmctx,
            .type_id = type_id_of_func(inst, imp->index), .func_index = imp->index};
        return 0;
    }
    if (ext.kind != imp->kind) return link_error(status, "incompatible import type", imp, meta);
    uint32_t i = imp->index;
    switch (imp->kind) {
    case WASMC_EXTERN_FUNC: {
        if (i >= meta->num_imported_funcs || ext.func->type_id != type_id_of_func(inst, i))
            return link_error(status, "incompatible import type", imp, meta);
        wasmc_funcref *ref = &instance_funcrefs(inst)[i];
        *ref = *ext.func;
        if (ext.host_func) ref->vmctx = inst->vmctx; /* host functions see their caller */
        return 0;
    }
    case WASMC_EXTERN_TABLE: {
        if (i >= meta->num_imported_tables) return link_error(status, "bad import index", imp, meta);
        const wasmc_meta_table *t = &META_ARRAY(meta, tables, wasmc_meta_table)[i];
        int limits_ok = ext.table->size >= t->min &&
                        (!t->has_max || (ext.table->max != UINT32_MAX && ext.table->max <= t->max));
        if (ext.table_elem_type != t->elem_type || !limits_ok)
            return link_error(status, "incompatible import type", imp, meta);
        instance_tables(inst)[i] = ext.table;
        inst->table_elem_types[i] = t->elem_type;
        return 0;
    }
    case WASMC_EXTERN_MEMORY: {
        if (i >= meta->num_imported_memories) return link_error(status, "bad import index", imp, meta);
        const wasmc_meta_memory *m = &META_ARRAY(meta, memories, wasmc_meta_memory)[i];
        int has_max = (m->flags & WASMC_MEM_HAS_MAX) != 0;
        if (ext.memory->length / WASM_PAGE_SIZE < m->min_pages ||
            (has_max && ext.memory->max_pages > m->max_pages))
            return link_error(status, "incompatible import type", imp, meta);
        if (i == 0) inst->memory = ext.memory;
        return 0;
    }
    case WASMC_EXTERN_GLOBAL: {
        if (i >= meta->num_imported_globals) return link_error(status, "bad import index", imp, meta);
        const wasmc_meta_global *g = &META_ARRAY(meta, globals, wasmc_meta_global)[i];
        if (ext.global_type != g->type || ext.global_mutable != (g->mutable_ != 0))
            return link_error(status, "incompatible import type", imp, meta);
        *(wasmc_val **)((wasmc_val *)(inst->vmctx + meta->layout.globals) + i) = ext.global;
        return 0;
    }
    default: return link_error(status, "incompatible import type", imp, meta);
    }
}

static int intern_types(wasmc_instance *inst) {
    const wasmc_module_meta *meta = inst->meta;
    const wasmc_meta_type *types = META_ARRAY(meta, types, wasmc_meta_type);
    uint32_t *ids = (uint32_t *)(inst->vmctx + meta->layout.type_ids);
    for (uint32_t i = 0; i < meta->types.count; i++) {
        ids[i] = wasmc_intern_signature(meta_at(meta, types[i].types_off), types[i].nparams,
                                        types[i].nresults);
        if (!ids[i]) return -1;
    }
    return 0;
}

static int create_definitions(wasmc_instance *inst, wasmc_status *status) {
    const wasmc_module_meta *meta = inst->meta;
    const wasmc_meta_func *funcs = META_ARRAY(meta, funcs, wasmc_meta_func);
    wasmc_funcref *refs = instance_funcrefs(inst);
    for (uint32_t i = meta->num_imported_funcs; i < meta->funcs.count; i++) {
        if (funcs[i].type_index >= meta->types.count || funcs[i].code >= meta->text_size)
            return link_error(status, "malformed metadata: function", NULL, meta);
        refs[i] = (wasmc_funcref){(void *)(meta->text_start + funcs[i].code), inst->vmctx,
                                  type_id_of_func(inst, i), i};
    }
    if (meta->memories.count > meta->num_imported_memories) {
        const wasmc_meta_memory *m = META_ARRAY(meta, memories, wasmc_meta_memory);
        uint64_t max = (m->flags & WASMC_MEM_HAS_MAX) ? m->max_pages : UINT64_MAX;
        if (wasmc_memory_create(&inst->own_memory, m->min_pages, max) != 0)
            return link_error(status, "cannot allocate memory", NULL, meta);
        inst->memory = &inst->own_memory;
    }
    const wasmc_meta_table *tables = META_ARRAY(meta, tables, wasmc_meta_table);
    for (uint32_t i = meta->num_imported_tables; i < meta->tables.count; i++) {
        wasmc_table *t = &inst->own_tables[i - meta->num_imported_tables];
        if (wasmc_table_create(t, tables[i].min, tables[i].has_max ? tables[i].max : UINT32_MAX) != 0)
            return link_error(status, "cannot allocate table", NULL, meta);
        instance_tables(inst)[i] = t;
        inst->table_elem_types[i] = tables[i].elem_type;
    }
    const wasmc_meta_global *globals = META_ARRAY(meta, globals, wasmc_meta_global);
    for (uint32_t i = meta->num_imported_globals; i < meta->globals.count; i++)
        if (eval_const(inst, &globals[i].init, instance_global_cell(inst, i)) != 0)
            return link_error(status, "malformed metadata: global initializer", NULL, meta);
    return 0;
}

static int evaluate_elements(wasmc_instance *inst, wasmc_status *status) {
    const wasmc_module_meta *meta = inst->meta;
    const wasmc_meta_elem *elems = META_ARRAY(meta, elems, wasmc_meta_elem);
    for (uint32_t s = 0; s < meta->elems.count; s++) {
        const wasmc_meta_const *items = meta_at(meta, elems[s].items.off);
        uint32_t n = elems[s].items.count;
        inst->elem_items[s] = malloc((n ? n : 1) * sizeof(wasmc_ref));
        if (!inst->elem_items[s]) return link_error(status, "out of host memory", NULL, meta);
        for (uint32_t k = 0; k < n; k++) {
            wasmc_val v;
            if (eval_const(inst, &items[k], &v) != 0)
                return link_error(status, "malformed metadata: element", NULL, meta);
            inst->elem_items[s][k] = v.ref;
        }
        inst->elem_len[s] = elems[s].mode == WASMC_SEG_DECLARATIVE ? 0 : n;
    }
    return 0;
}

static int32_t const_i32(wasmc_instance *inst, const wasmc_meta_const *c) {
    wasmc_val v;
    eval_const(inst, c, &v);
    return v.i32;
}

/* Runs inside an entry, so segment traps and the start function unwind to wasmc_enter. */
static void initialize(void *arg) {
    wasmc_instance *inst = arg;
    const wasmc_module_meta *meta = inst->meta;
    const wasmc_meta_elem *elems = META_ARRAY(meta, elems, wasmc_meta_elem);
    for (uint32_t s = 0; s < meta->elems.count; s++) {
        if (elems[s].mode != WASMC_SEG_ACTIVE) continue;
        int trap = wasmc_table_init_checked(inst, elems[s].table, s,
                                            (uint32_t)const_i32(inst, &elems[s].offset), 0,
                                            elems[s].items.count);
        if (trap) wasmc_raise_trap(trap, NULL);
        inst->elem_len[s] = 0;
    }
    const wasmc_meta_data *datas = META_ARRAY(meta, datas, wasmc_meta_data);
    for (uint32_t s = 0; s < meta->datas.count; s++) {
        if (datas[s].mode != WASMC_SEG_ACTIVE) continue;
        int trap = wasmc_memory_init_checked(inst, s, (uint32_t)const_i32(inst, &datas[s].offset), 0,
                                             datas[s].len);
        if (trap) wasmc_raise_trap(trap, NULL);
        inst->data_dropped[s] = 1;
    }
    if (meta->start_func < meta->funcs.count) {
        wasmc_funcref *start = &instance_funcrefs(inst)[meta->start_func];
        ((void (*)(void *))start->code)(start->vmctx);
    }
}

static wasmc_instance *allocate(const wasmc_module_meta *meta) {
    wasmc_instance *inst = calloc(1, sizeof *inst);
    if (!inst) return NULL;
    inst->meta = meta;
    size_t vmctx_size = ((size_t)meta->layout.size + 15) & ~(size_t)15;
    inst->vmctx = aligned_alloc(16, vmctx_size ? vmctx_size : 16);
    uint32_t ndefined_tables = meta->tables.count - meta->num_imported_tables;
    inst->own_tables = calloc(ndefined_tables + 1, sizeof(wasmc_table));
    inst->table_elem_types = calloc(meta->tables.count + 1, sizeof(uint32_t));
    inst->elem_items = calloc(meta->elems.count + 1, sizeof(wasmc_ref *));
    inst->elem_len = calloc(meta->elems.count + 1, sizeof(uint32_t));
    inst->data_dropped = calloc(meta->datas.count + 1, 1);
    if (!inst->vmctx || !inst->own_tables || !inst->table_elem_types || !inst->elem_items ||
        !inst->elem_len || !inst->data_dropped)
        return NULL;
    memset(inst->vmctx, 0, vmctx_size);
    *(wasmc_instance **)(inst->vmctx + WASMC_VMCTX_INSTANCE) = inst;
    *(const wasmc_module_meta **)(inst->vmctx + WASMC_VMCTX_META) = meta;
    return inst;
}

wasmc_instance *wasmc_instantiate(wasmc_linker *linker, const wasmc_module_meta *meta,
                                  wasmc_status *status) {
    wasmc_status_set(status, WASMC_TRAP_NONE, NULL);
    status->nframes = 0;
    if (meta->magic != WASMC_META_MAGIC || meta->version != WASMC_META_VERSION) {
        link_error(status, "module metadata of an unknown version", NULL, meta);
        return NULL;
    }
    /* Instances are never freed: once segments are applied, other instances' tables may
     * hold references into this one's vmctx even if its start function traps. */
    wasmc_instance *inst = allocate(meta);
    if (!inst) {
        link_error(status, "out of host memory", NULL, meta);
        return NULL;
    }
    if (intern_types(inst) != 0) {
        link_error(status, "out of host memory", NULL, meta);
        return NULL;
    }
    const wasmc_meta_import *imports = META_ARRAY(meta, imports, wasmc_meta_import);
    for (uint32_t i = 0; i < meta->imports.count; i++)
        if (bind_import(inst, linker, &imports[i], status) != 0) return NULL;
    if (create_definitions(inst, status) != 0 || evaluate_elements(inst, status) != 0)
        return NULL;
    uint8_t *vmctx = inst->vmctx;
    *(uint8_t **)(vmctx + WASMC_VMCTX_MEM0_BASE) = inst->memory ? inst->memory->base : NULL;
    *(wasmc_memory **)(vmctx + WASMC_VMCTX_MEM0_DEF) = inst->memory;
    *(void **)(vmctx + WASMC_VMCTX_STACK_LIMIT) = wasmc_thread_stack_limit();
    wasmc_register_code(meta);
    if (wasmc_enter(initialize, inst, status) != WASMC_TRAP_NONE) return NULL;
    return inst;
}
