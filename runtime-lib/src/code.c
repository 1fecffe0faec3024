/* The registry of compiled code, which the signal handler searches: which module, function
 * and Wasm offset a pc belongs to, and the trap messages and backtraces built from that. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static const wasmc_module_meta **modules;
static uint32_t num_modules, cap_modules;

void wasmc_register_code(const wasmc_module_meta *meta) {
    for (uint32_t i = 0; i < num_modules; i++)
        if (modules[i] == meta) return;
    if (num_modules == cap_modules) {
        uint32_t cap = cap_modules ? cap_modules * 2 : 16;
        const wasmc_module_meta **grown = malloc(cap * sizeof *grown);
        if (!grown) return;
        if (num_modules) memcpy(grown, modules, num_modules * sizeof *grown);
        /* The old array is leaked on purpose: a signal handler may be reading it. */
        modules = grown;
        cap_modules = cap;
    }
    modules[num_modules] = meta;
    num_modules++;
}

const wasmc_module_meta *wasmc_module_of_pc(uintptr_t pc, uint32_t *offset) {
    for (uint32_t i = 0; i < num_modules; i++) {
        uintptr_t start = (uintptr_t)modules[i]->text_start;
        if (pc >= start && pc - start < modules[i]->text_size) {
            *offset = (uint32_t)(pc - start);
            return modules[i];
        }
    }
    return NULL;
}

const wasmc_meta_trap *wasmc_trap_at(const wasmc_module_meta *meta, uint32_t offset) {
    const wasmc_meta_trap *traps = META_ARRAY(meta, traps, wasmc_meta_trap);
    uint32_t lo = 0, hi = meta->traps.count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (traps[mid].code < offset) lo = mid + 1;
        else hi = mid;
    }
    return lo < meta->traps.count && traps[lo].code == offset ? &traps[lo] : NULL;
}

/* The defined function whose code contains `offset`, or UINT32_MAX (e.g. a trampoline). */
static uint32_t func_at(const wasmc_module_meta *meta, uint32_t offset) {
    const wasmc_meta_func *funcs = META_ARRAY(meta, funcs, wasmc_meta_func);
    for (uint32_t i = meta->num_imported_funcs; i < meta->funcs.count; i++)
        if (offset >= funcs[i].code && offset - funcs[i].code < funcs[i].code_size) return i;
    return UINT32_MAX;
}

/* The Wasm byte offset of the code at `offset` in function `func`, or UINT32_MAX. */
static uint32_t wasm_offset_at(const wasmc_module_meta *meta, uint32_t func, uint32_t offset) {
    const wasmc_meta_srcloc *locs = META_ARRAY(meta, srclocs, wasmc_meta_srcloc);
    uint32_t lo = 0, hi = meta->srclocs.count; /* find the first entry past `offset` */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (locs[mid].code <= offset) lo = mid + 1;
        else hi = mid;
    }
    const wasmc_meta_func *f = &META_ARRAY(meta, funcs, wasmc_meta_func)[func];
    return lo > 0 && locs[lo - 1].code >= f->code ? locs[lo - 1].wasm : UINT32_MAX;
}

/* ---- messages and backtraces ---- */

const char *wasmc_trap_message(int code) {
    switch (code) {
    case WASMC_TRAP_NONE: return "";
    case WASMC_TRAP_UNREACHABLE: return "unreachable";
    case WASMC_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WASMC_TRAP_INT_DIV_ZERO: return "integer divide by zero";
    case WASMC_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASMC_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASMC_TRAP_INDIRECT_CALL_NULL: return "uninitialized element";
    case WASMC_TRAP_INDIRECT_CALL_BAD_SIG: return "indirect call type mismatch";
    case WASMC_TRAP_TABLE_OOB: return "undefined element";
    case WASMC_TRAP_STACK_OVERFLOW: return "call stack exhausted";
    case WASMC_TRAP_UNKNOWN_IMPORT: return "call to an unresolved import";
    case WASMC_TRAP_TABLE_ACCESS_OOB: return "out of bounds table access";
    case WASMC_TRAP_UNINITIALIZED: return "no such exported function";
    case WASMC_TRAP_HOST: return "host trap";
    case WASMC_EXIT: return "exit";
    case WASMC_LINK_ERROR: return "link error";
    default: return "unknown trap";
    }
}

void wasmc_status_set(wasmc_status *status, int code, const char *message) {
    status->code = code;
    snprintf(status->message, sizeof status->message, "%s",
             message ? message : wasmc_trap_message(code));
}

void wasmc_backtrace_add(wasmc_status *status, uintptr_t pc) {
    uint32_t offset, func;
    const wasmc_module_meta *meta = wasmc_module_of_pc(pc, &offset);
    if (!meta || status->nframes == sizeof status->frames / sizeof status->frames[0]) return;
    func = func_at(meta, offset);
    if (func == UINT32_MAX) return;
    struct wasmc_frame *frame = &status->frames[status->nframes++];
    frame->module = meta;
    frame->func = func;
    frame->wasm_offset = wasm_offset_at(meta, func, offset);
}

/* Follows the frame-pointer chain from `fp`, recording return addresses in wasm code. The
 * chain is trusted only while it stays inside [stack_low, stack_high) and moves up it. */
void wasmc_backtrace_walk(wasmc_status *status, uintptr_t fp, uintptr_t stack_low,
                          uintptr_t stack_high) {
    for (int depth = 0; depth < 4096; depth++) {
        if (fp < stack_low || fp + 2 * sizeof(uintptr_t) > stack_high || fp % sizeof(uintptr_t))
            return;
        uintptr_t next = ((uintptr_t *)fp)[0], ret = ((uintptr_t *)fp)[1];
        wasmc_backtrace_add(status, ret - 1); /* -1: the call, not the instruction after it */
        if (next <= fp) return;
        fp = next;
    }
}

void wasmc_print_trap(const wasmc_status *status, void *file) {
    FILE *out = file;
    fprintf(out, "wasm trap: %s\n", status->message);
    for (uint32_t i = 0; i < status->nframes; i++) {
        const wasmc_module_meta *meta = status->frames[i].module;
        uint32_t func = status->frames[i].func;
        const wasmc_meta_func *f = &META_ARRAY(meta, funcs, wasmc_meta_func)[func];
        if (f->name.len)
            fprintf(out, "    at %.*s", (int)f->name.len, (const char *)meta_at(meta, f->name.off));
        else
            fprintf(out, "    at wasm-function[%u]", func);
        if (status->frames[i].wasm_offset != UINT32_MAX)
            fprintf(out, " (wasm offset 0x%x)", status->frames[i].wasm_offset);
        fputc('\n', out);
    }
}
