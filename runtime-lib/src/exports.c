/* An instance's exports: looking them up, calling exported functions through their
 * array-call trampolines, and handing out globals, memories and tables to embedders. */
#include <string.h>
#include "internal.h"

static const wasmc_meta_export *find_export(wasmc_instance *inst, const char *name, uint32_t len) {
    const wasmc_module_meta *meta = inst->meta;
    const wasmc_meta_export *exports = META_ARRAY(meta, exports, wasmc_meta_export);
    for (uint32_t i = 0; i < meta->exports.count; i++)
        if (exports[i].name.len == len && memcmp(meta_at(meta, exports[i].name.off), name, len) == 0)
            return &exports[i];
    return NULL;
}

int wasmc_instance_export(wasmc_instance *inst, const char *name, uint32_t name_len,
                          wasmc_extern *out) {
    const wasmc_meta_export *e = find_export(inst, name, name_len);
    if (!e) return -1;
    const wasmc_module_meta *meta = inst->meta;
    memset(out, 0, sizeof *out);
    out->kind = e->kind;
    switch (e->kind) {
    case WASMC_EXTERN_FUNC: out->func = &instance_funcrefs(inst)[e->index]; return 0;
    case WASMC_EXTERN_TABLE:
        out->table = instance_tables(inst)[e->index];
        out->table_elem_type = inst->table_elem_types[e->index];
        return 0;
    case WASMC_EXTERN_MEMORY: out->memory = inst->memory; return 0;
    case WASMC_EXTERN_GLOBAL: {
        const wasmc_meta_global *g = &META_ARRAY(meta, globals, wasmc_meta_global)[e->index];
        out->global = instance_global_cell(inst, e->index);
        out->global_type = (uint8_t)g->type;
        out->global_mutable = g->mutable_ != 0;
        return 0;
    }
    default: return -1;
    }
}

typedef struct export_call {
    void (*code)(void *vmctx, wasmc_val *args_results);
    void *vmctx;
    wasmc_val *args_results;
} export_call;

static void run_export_call(void *arg) {
    export_call *call = arg;
    call->code(call->vmctx, call->args_results);
}

int wasmc_call_export_n(wasmc_instance *inst, const char *name, size_t name_len,
                        wasmc_val *args_results, wasmc_status *status) {
    const wasmc_meta_export *e = name_len <= UINT32_MAX ? find_export(inst, name, (uint32_t)name_len) : NULL;
    if (!e || e->kind != WASMC_EXTERN_FUNC || e->trampoline == WASMC_META_NONE ||
        e->trampoline >= inst->meta->text_size) {
        wasmc_status_set(status, WASMC_TRAP_UNINITIALIZED, NULL);
        status->nframes = 0;
        return status->code;
    }
    *(void **)(inst->vmctx + WASMC_VMCTX_STACK_LIMIT) = wasmc_thread_stack_limit();
    export_call call = {(void (*)(void *, wasmc_val *))(inst->meta->text_start + e->trampoline),
                        inst->vmctx, args_results};
    return wasmc_enter(run_export_call, &call, status);
}

int wasmc_call_export(wasmc_instance *inst, const char *name, wasmc_val *args_results,
                      wasmc_status *status) {
    return wasmc_call_export_n(inst, name, strlen(name), args_results, status);
}

const uint8_t *wasmc_export_signature_n(wasmc_instance *inst, const char *name, size_t name_len,
                                        uint32_t *nparams, uint32_t *nresults) {
    const wasmc_meta_export *e = name_len <= UINT32_MAX ? find_export(inst, name, (uint32_t)name_len) : NULL;
    if (!e || e->kind != WASMC_EXTERN_FUNC) return NULL;
    return wasmc_signature(instance_funcrefs(inst)[e->index].type_id, nparams, nresults);
}

const uint8_t *wasmc_export_signature(wasmc_instance *inst, const char *name, uint32_t *nparams,
                                      uint32_t *nresults) {
    return wasmc_export_signature_n(inst, name, strlen(name), nparams, nresults);
}

wasmc_val *wasmc_export_global_n(wasmc_instance *inst, const char *name, size_t name_len,
                                 uint8_t *type) {
    wasmc_extern ext;
    if (name_len > UINT32_MAX || wasmc_instance_export(inst, name, (uint32_t)name_len, &ext) != 0 ||
        ext.kind != WASMC_EXTERN_GLOBAL)
        return NULL;
    if (type) *type = ext.global_type;
    return ext.global;
}

wasmc_val *wasmc_export_global(wasmc_instance *inst, const char *name, uint8_t *type) {
    return wasmc_export_global_n(inst, name, strlen(name), type);
}

wasmc_memory *wasmc_export_memory(wasmc_instance *inst, const char *name) {
    wasmc_extern ext;
    if (wasmc_instance_export(inst, name, (uint32_t)strlen(name), &ext) != 0 ||
        ext.kind != WASMC_EXTERN_MEMORY)
        return NULL;
    return ext.memory;
}

wasmc_table *wasmc_export_table(wasmc_instance *inst, const char *name) {
    wasmc_extern ext;
    if (wasmc_instance_export(inst, name, (uint32_t)strlen(name), &ext) != 0 ||
        ext.kind != WASMC_EXTERN_TABLE)
        return NULL;
    return ext.table;
}

void *wasmc_instance_vmctx(wasmc_instance *inst) {
    return inst->vmctx;
}
