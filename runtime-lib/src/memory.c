/* Linear memory: an 8 GiB PROT_NONE reservation whose first `length` bytes are read-write.
 * A 32-bit address plus a 32-bit offset can never leave the reservation, so compiled code
 * needs no bounds checks: an access past `length` faults in the guard and traps. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE under -std=c11 */
#define _DARWIN_C_SOURCE
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

#define RESERVATION (8ull << 30)

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

/* `max_pages` is the declared maximum (UINT64_MAX if none): import matching compares it;
 * creation and growth are further capped at MAX_MEMORY_PAGES. */
int wasmc_memory_create(wasmc_memory *mem, uint64_t min_pages, uint64_t max_pages) {
    if (min_pages > max_pages || min_pages > MAX_MEMORY_PAGES) return -1;
    void *base = mmap(NULL, RESERVATION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                      -1, 0);
    if (base == MAP_FAILED) return -1;
#ifdef MADV_HUGEPAGE
    /* Transparent huge pages where the kernel leaves them to the program (THP "madvise"):
     * programs that touch megabytes of linear memory take 512 times fewer page faults and
     * TLB misses. A memory smaller than 2 MiB keeps small pages (the kernel only maps a huge
     * page where its whole 2 MiB are read-write). Advice only: failure changes nothing. */
    madvise(base, RESERVATION, MADV_HUGEPAGE);
#endif
    uint64_t length = min_pages * WASM_PAGE_SIZE;
    if (length && mprotect(base, length, PROT_READ | PROT_WRITE) != 0) {
        munmap(base, RESERVATION);
        return -1;
    }
    mem->base = base;
    mem->length = length;
    mem->max_pages = max_pages;
    mem->reserved = RESERVATION;
    return 0;
}

/* Returns the old size in pages, or -1 if the memory cannot grow by `delta_pages`. */
int64_t wasmc_memory_grow_pages(wasmc_memory *mem, uint64_t delta_pages) {
    uint64_t old_pages = mem->length / WASM_PAGE_SIZE;
    uint64_t max = mem->max_pages < MAX_MEMORY_PAGES ? mem->max_pages : MAX_MEMORY_PAGES;
    if (delta_pages > max - old_pages) return -1;
    uint64_t new_length = (old_pages + delta_pages) * WASM_PAGE_SIZE;
    if (new_length > mem->length &&
        mprotect(mem->base + mem->length, new_length - mem->length, PROT_READ | PROT_WRITE) != 0)
        return -1;
    mem->length = new_length;
    return (int64_t)old_pages;
}

static int in_bounds(uint64_t start, uint64_t len, uint64_t size) {
    return start <= size && len <= size - start;
}

int32_t wasmc_rt_memory_grow(void *vmctx, int32_t delta_pages) {
    return (int32_t)wasmc_memory_grow_pages(vmctx_memory(vmctx), (uint32_t)delta_pages);
}

void wasmc_rt_memory_fill(void *vmctx, int32_t dst, int32_t val, int32_t len) {
    wasmc_memory *mem = vmctx_memory(vmctx);
    if (!in_bounds((uint32_t)dst, (uint32_t)len, mem->length))
        wasmc_raise_trap(WASMC_TRAP_MEMORY_OOB, NULL);
    memset(mem->base + (uint32_t)dst, val & 0xff, (uint32_t)len);
}

void wasmc_rt_memory_copy(void *vmctx, int32_t dst, int32_t src, int32_t len) {
    wasmc_memory *mem = vmctx_memory(vmctx);
    if (!in_bounds((uint32_t)dst, (uint32_t)len, mem->length) ||
        !in_bounds((uint32_t)src, (uint32_t)len, mem->length))
        wasmc_raise_trap(WASMC_TRAP_MEMORY_OOB, NULL);
    memmove(mem->base + (uint32_t)dst, mem->base + (uint32_t)src, (uint32_t)len);
}

int wasmc_memory_init_checked(wasmc_instance *inst, uint32_t seg, uint32_t dst, uint32_t src,
                              uint32_t len) {
    const wasmc_module_meta *meta = inst->meta;
    if (seg >= meta->datas.count || !inst->memory) return WASMC_TRAP_MEMORY_OOB;
    const wasmc_meta_data *data = &META_ARRAY(meta, datas, wasmc_meta_data)[seg];
    uint32_t seg_len = inst->data_dropped[seg] ? 0 : data->len;
    if (!in_bounds(src, len, seg_len) || !in_bounds(dst, len, inst->memory->length))
        return WASMC_TRAP_MEMORY_OOB;
    memcpy(inst->memory->base + dst, (const uint8_t *)meta_at(meta, data->bytes_off) + src, len);
    return 0;
}

void wasmc_rt_memory_init(void *vmctx, int32_t seg, int32_t dst, int32_t src, int32_t len) {
    int trap = wasmc_memory_init_checked(vmctx_instance(vmctx), (uint32_t)seg, (uint32_t)dst,
                                         (uint32_t)src, (uint32_t)len);
    if (trap) wasmc_raise_trap(trap, NULL);
}

void wasmc_rt_data_drop(void *vmctx, int32_t seg) {
    wasmc_instance *inst = vmctx_instance(vmctx);
    if ((uint32_t)seg < inst->meta->datas.count) inst->data_dropped[seg] = 1;
}
