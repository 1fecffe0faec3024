/* Tests the runtime through its embedding API with hand-made modules (see fake_module.h). */
#define _DEFAULT_SOURCE /* clock_gettime, clockid_t under -std=c11 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fake_module.h"
#include "../../src/wasi_internal.h"

static int failures, checks;
#define CHECK(cond)                                                                  \
    do {                                                                             \
        checks++;                                                                    \
        if (!(cond)) {                                                               \
            failures++;                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

/* ---- "compiled" functions of module A: native ABI code(vmctx, params...) ---- */

static int32_t global_cell_i32(void *vmctx, uint32_t index) {
    const wasmc_module_meta *meta = *(const wasmc_module_meta **)((uint8_t *)vmctx + WASMC_VMCTX_META);
    return ((wasmc_val *)((uint8_t *)vmctx + meta->layout.globals))[index].i32;
}

static int32_t a_get_g(void *vmctx) { return global_cell_i32(vmctx, 0); }

/* Array-call trampolines: void (vmctx, wasmc_val *args_results). */
static void tramp_get_g(void *vmctx, wasmc_val *io) { io[0].i32 = a_get_g(vmctx); }
static void tramp_grow(void *vmctx, wasmc_val *io) { io[0].i32 = wasmc_rt_memory_grow(vmctx, io[0].i32); }
static void tramp_oob(void *vmctx, wasmc_val *io) { (void)io; stub_oob_load(vmctx); }
static void tramp_unreachable(void *vmctx, wasmc_val *io) { (void)io; stub_unreachable(vmctx); }
static void tramp_table_get(void *vmctx, wasmc_val *io) { io[0].ref = wasmc_rt_table_get(vmctx, 0, io[0].i32); }
static void tramp_table_grow(void *vmctx, wasmc_val *io) {
    io[0].i32 = wasmc_rt_table_grow(vmctx, 0, NULL, io[0].i32);
}
static void tramp_memory_init(void *vmctx, wasmc_val *io) {
    wasmc_rt_memory_init(vmctx, 1, io[0].i32, io[1].i32, io[2].i32);
}
static void tramp_fill(void *vmctx, wasmc_val *io) { wasmc_rt_memory_fill(vmctx, io[0].i32, 0x61, io[1].i32); }

/* Deep recursion as compiled code does it: the prologue checks vmctx->stack_limit. */
static __attribute__((noinline)) int32_t recurse_checked(void *vmctx, int32_t n) {
    volatile uint8_t frame[256];
    void *limit = *(void **)((uint8_t *)vmctx + WASMC_VMCTX_STACK_LIMIT);
    if ((void *)frame < limit) wasmc_raise_trap(WASMC_TRAP_STACK_OVERFLOW, NULL);
    frame[0] = (uint8_t)n;
    if (n == INT32_MAX) return 0; /* never: only there to keep the compiler quiet */
    return recurse_checked(vmctx, n + 1) + frame[0];
}

/* Deep recursion without the check: it runs into the guard page below the stack. */
static __attribute__((noinline)) int32_t recurse_unchecked(void *vmctx, int32_t n) {
    volatile uint8_t frame[256];
    frame[0] = (uint8_t)n;
    if (n == INT32_MAX) return 0;
    return recurse_unchecked(vmctx, n + 1) + frame[0];
}
static void tramp_recurse_unchecked(void *vmctx, wasmc_val *io) { io[0].i32 = recurse_unchecked(vmctx, 0); }
static void tramp_recurse(void *vmctx, wasmc_val *io) { io[0].i32 = recurse_checked(vmctx, 0); }

/* ---- module B: imports A's function, memory and global ---- */
static void tramp_b_call_import(void *vmctx, wasmc_val *io) {
    const wasmc_module_meta *meta = *(const wasmc_module_meta **)((uint8_t *)vmctx + WASMC_VMCTX_META);
    wasmc_funcref *f = (wasmc_funcref *)((uint8_t *)vmctx + meta->layout.funcrefs);
    io[0].i32 = ((int32_t(*)(void *))f[0].code)(f[0].vmctx);
}

/* ---- module W: calls WASI fd_write through its import 0 ---- */
static void tramp_w_write(void *vmctx, wasmc_val *io) {
    const wasmc_module_meta *meta = *(const wasmc_module_meta **)((uint8_t *)vmctx + WASMC_VMCTX_META);
    wasmc_funcref *f = (wasmc_funcref *)((uint8_t *)vmctx + meta->layout.funcrefs);
    uint8_t *mem = *(uint8_t **)vmctx;
    uint32_t iov[2] = {100, 16}; /* "hello from wasi\n" at 100 */
    memcpy(mem + 8, iov, 8);
    io[0].i32 = ((int32_t(*)(void *, int32_t, int32_t, int32_t, int32_t))f[0].code)(f[0].vmctx, 1, 8, 1, 0);
    io[1].i32 = ((int32_t(*)(void *, int32_t, int32_t, int32_t, int32_t))f[0].code)(f[0].vmctx, 1, 0xfffff, 1, 0);
}

static void *code_list[] = {(void *)a_get_g, (void *)tramp_get_g, (void *)tramp_grow, (void *)tramp_oob,
    (void *)tramp_unreachable, (void *)tramp_table_get, (void *)tramp_table_grow, (void *)tramp_memory_init,
    (void *)tramp_fill, (void *)tramp_recurse, (void *)tramp_recurse_unchecked, (void *)tramp_b_call_import, (void *)tramp_w_write,
    (void *)stub_oob_load, (void *)stub_unreachable, (void *)stub_oob_load_fault, (void *)stub_unreachable_fault};

static const uint8_t *text_low, *text_high;

static void find_text_range(void) {
    text_low = text_high = code_list[0];
    for (size_t i = 0; i < sizeof code_list / sizeof code_list[0]; i++) {
        const uint8_t *p = code_list[i];
        if (p < text_low) text_low = p;
        if (p > text_high) text_high = p;
    }
    text_high += 64;
}

static fake_module ma, mb, mc, mw, md;

static const wasmc_module_meta *module_a(void) {
    fake_module *m = &ma;
    fake_init(m, text_low);
    uint32_t t_i = fake_type(m, "", "i"), t_ii = fake_type(m, "i", "i"), t_v = fake_type(m, "", "");
    uint32_t get_g = fake_func(m, t_i, (void *)a_get_g, "get_g");
    uint32_t oob = fake_func(m, t_v, (void *)stub_oob_load, "oob_fn");
    uint32_t unr = fake_func(m, t_v, (void *)stub_unreachable, "unreachable_fn");
    uint32_t rec = fake_func(m, t_ii, (void *)recurse_checked, "recurse");
    fake_trap(m, stub_oob_load_fault, WASMC_TRAP_MEMORY_OOB, oob);
    m->srclocs[m->nsrclocs++] = (wasmc_meta_srcloc){fake_code(m, (void *)stub_oob_load), 0x10};
    fake_trap(m, stub_unreachable_fault, WASMC_TRAP_UNREACHABLE, unr);
    if (m->traps[0].code > m->traps[1].code) { /* keep the table sorted */
        wasmc_meta_trap t = m->traps[0]; m->traps[0] = m->traps[1]; m->traps[1] = t;
    }
    m->memories[m->nmemories++] = (wasmc_meta_memory){1, 2, WASMC_MEM_HAS_MAX, 0};
    m->tables[m->ntables++] = (wasmc_meta_table){WASMC_FUNCREF, 4, 6, 1};
    m->globals[m->nglobals++] = (wasmc_meta_global){WASMC_I32, 1, fake_i32(42)};
    m->datas[m->ndatas++] = (wasmc_meta_data){WASMC_SEG_ACTIVE, 0, fake_i32(16), fake_str(m, "hello").off, 5};
    m->datas[m->ndatas++] = (wasmc_meta_data){WASMC_SEG_PASSIVE, 0, {0}, fake_str(m, "xyz").off, 3};
    wasmc_meta_const items[2] = {fake_op(WASMC_CONST_REF_FUNC, get_g), fake_op(WASMC_CONST_REF_NULL, WASMC_FUNCREF)};
    m->elems[m->nelems++] = (wasmc_meta_elem){WASMC_SEG_ACTIVE, 0, fake_i32(1), WASMC_FUNCREF,
                                              fake_array(m, items, sizeof items[0], 2)};
    fake_export(m, "get_g", WASMC_EXTERN_FUNC, get_g, (void *)tramp_get_g);
    fake_export(m, "grow", WASMC_EXTERN_FUNC, get_g, (void *)tramp_grow);
    fake_export(m, "oob", WASMC_EXTERN_FUNC, oob, (void *)tramp_oob);
    fake_export(m, "unreachable", WASMC_EXTERN_FUNC, unr, (void *)tramp_unreachable);
    fake_export(m, "table_get", WASMC_EXTERN_FUNC, get_g, (void *)tramp_table_get);
    fake_export(m, "table_grow", WASMC_EXTERN_FUNC, get_g, (void *)tramp_table_grow);
    fake_export(m, "memory_init", WASMC_EXTERN_FUNC, get_g, (void *)tramp_memory_init);
    fake_export(m, "fill", WASMC_EXTERN_FUNC, get_g, (void *)tramp_fill);
    fake_export(m, "recurse", WASMC_EXTERN_FUNC, rec, (void *)tramp_recurse);
    fake_export(m, "recurse_unchecked", WASMC_EXTERN_FUNC, rec, (void *)tramp_recurse_unchecked);
    fake_export(m, "mem", WASMC_EXTERN_MEMORY, 0, NULL);
    fake_export(m, "tab", WASMC_EXTERN_TABLE, 0, NULL);
    fake_export(m, "g", WASMC_EXTERN_GLOBAL, 0, NULL);
    return fake_finish(m, (uint64_t)(text_high - text_low));
}

/* Imports A's get_g, memory and global `g` (declared as `global_type`). */
static const wasmc_module_meta *module_b(fake_module *m, const char *func_name, uint32_t global_type) {
    fake_init(m, text_low);
    uint32_t t_i = fake_type(m, "", "i");
    fake_func(m, t_i, NULL, "imported");
    fake_import(m, "A", func_name, WASMC_EXTERN_FUNC, 0);
    fake_import(m, "A", "mem", WASMC_EXTERN_MEMORY, 0);
    fake_import(m, "A", "g", WASMC_EXTERN_GLOBAL, 0);
    m->imported_funcs = m->imported_memories = m->imported_globals = 1;
    m->memories[m->nmemories++] = (wasmc_meta_memory){1, 0, 0, 0};
    m->globals[m->nglobals++] = (wasmc_meta_global){global_type, 1, {0}};
    fake_export(m, "call_import", WASMC_EXTERN_FUNC, 0, (void *)tramp_b_call_import);
    return fake_finish(m, (uint64_t)(text_high - text_low));
}

/* A data segment past the end of memory: instantiation must trap. */
static const wasmc_module_meta *module_c(void) {
    fake_module *m = &mc;
    fake_init(m, text_low);
    m->memories[m->nmemories++] = (wasmc_meta_memory){1, UINT64_MAX, 0, 0};
    m->datas[m->ndatas++] = (wasmc_meta_data){WASMC_SEG_ACTIVE, 0, fake_i32(65534), fake_str(m, "abc").off, 3};
    return fake_finish(m, (uint64_t)(text_high - text_low));
}

static const wasmc_module_meta *module_w(void) {
    fake_module *m = &mw;
    fake_init(m, text_low);
    uint32_t t = fake_type(m, "iiii", "i");
    fake_func(m, t, NULL, "fd_write");
    fake_import(m, "wasi_snapshot_preview1", "fd_write", WASMC_EXTERN_FUNC, 0);
    m->imported_funcs = 1;
    m->memories[m->nmemories++] = (wasmc_meta_memory){1, UINT64_MAX, 0, 0};
    m->datas[m->ndatas++] = (wasmc_meta_data){WASMC_SEG_ACTIVE, 0, fake_i32(100), fake_str(m, "hello from wasi\n").off, 16};
    fake_export(m, "write", WASMC_EXTERN_FUNC, 0, (void *)tramp_w_write);
    return fake_finish(m, (uint64_t)(text_high - text_low));
}

static void test_module_a(wasmc_linker *linker, wasmc_instance **out) {
    wasmc_status st;
    wasmc_instance *a = wasmc_instantiate(linker, module_a(), &st);
    CHECK(a != NULL);
    if (!a) { fprintf(stderr, "instantiate A: %s\n", st.message); exit(1); }
    *out = a;
    wasmc_memory *mem = wasmc_export_memory(a, "mem");
    CHECK(mem && mem->length == 65536 && memcmp(mem->base + 16, "hello", 5) == 0);

    wasmc_val io[4];
    CHECK(wasmc_call_export(a, "get_g", io, &st) == 0 && io[0].i32 == 42);
    uint8_t type = 0;
    wasmc_val *g = wasmc_export_global(a, "g", &type);
    CHECK(g && type == WASMC_I32 && g->i32 == 42);
    g->i32 = 7;
    CHECK(wasmc_call_export(a, "get_g", io, &st) == 0 && io[0].i32 == 7);

    /* memory.grow respects the declared maximum of 2 pages */
    io[0].i32 = 1;
    CHECK(wasmc_call_export(a, "grow", io, &st) == 0 && io[0].i32 == 1);
    CHECK(mem->length == 2 * 65536);
    mem->base[2 * 65536 - 1] = 1; /* the new page is writable */
    io[0].i32 = 1;
    CHECK(wasmc_call_export(a, "grow", io, &st) == 0 && io[0].i32 == -1);
    io[0].i32 = 0;
    CHECK(wasmc_call_export(a, "grow", io, &st) == 0 && io[0].i32 == 2);

    /* memory.init from the passive segment, with the spec's bounds checks */
    io[0].i32 = 200; io[1].i32 = 1; io[2].i32 = 2;
    CHECK(wasmc_call_export(a, "memory_init", io, &st) == 0 && memcmp(mem->base + 200, "yz", 2) == 0);
    io[0].i32 = 200; io[1].i32 = 2; io[2].i32 = 2;
    CHECK(wasmc_call_export(a, "memory_init", io, &st) == WASMC_TRAP_MEMORY_OOB);
    CHECK(strcmp(st.message, "out of bounds memory access") == 0);
    io[0].i32 = 2 * 65536; io[1].i32 = 3; io[2].i32 = 0; /* empty, at the very end: allowed */
    CHECK(wasmc_call_export(a, "memory_init", io, &st) == 0);
    io[0].i32 = 2 * 65536 - 1; io[1].i32 = 2;
    CHECK(wasmc_call_export(a, "fill", io, &st) == WASMC_TRAP_MEMORY_OOB);

    /* the active element segment filled slots 1 and 2 */
    wasmc_table *tab = wasmc_export_table(a, "tab");
    CHECK(tab && tab->size == 4 && tab->elems[0] == NULL && tab->elems[2] == NULL);
    wasmc_funcref *f = tab->elems[1];
    CHECK(f && f->code == (void *)a_get_g && f->vmctx == wasmc_instance_vmctx(a) && f->func_index == 0);
    io[0].i32 = 1;
    CHECK(wasmc_call_export(a, "table_get", io, &st) == 0 && io[0].ref == f);
    io[0].i32 = 4;
    CHECK(wasmc_call_export(a, "table_get", io, &st) == WASMC_TRAP_TABLE_ACCESS_OOB);
    CHECK(strcmp(st.message, "out of bounds table access") == 0);
    io[0].i32 = 2;
    CHECK(wasmc_call_export(a, "table_grow", io, &st) == 0 && io[0].i32 == 4 && tab->size == 6);
    io[0].i32 = 1;
    CHECK(wasmc_call_export(a, "table_grow", io, &st) == 0 && io[0].i32 == -1);

    /* hardware traps found through the trap table */
    CHECK(wasmc_call_export(a, "oob", io, &st) == WASMC_TRAP_MEMORY_OOB);
    CHECK(strcmp(st.message, "out of bounds memory access") == 0);
    CHECK(st.nframes >= 1 && st.frames[0].func == 1 && st.frames[0].wasm_offset == 0x10);
    CHECK(wasmc_call_export(a, "unreachable", io, &st) == WASMC_TRAP_UNREACHABLE);
    CHECK(strcmp(st.message, "unreachable") == 0 && st.nframes >= 1 && st.frames[0].func == 2);
    CHECK(st.frames[0].wasm_offset == UINT32_MAX); /* no srcloc for unreachable_fn */
    CHECK(wasmc_call_export(a, "recurse", io, &st) == WASMC_TRAP_STACK_OVERFLOW);
    CHECK(strcmp(st.message, "call stack exhausted") == 0);
    CHECK(wasmc_call_export(a, "recurse_unchecked", io, &st) == WASMC_TRAP_STACK_OVERFLOW);
    /* the runtime still works after unwinding */
    CHECK(wasmc_call_export(a, "get_g", io, &st) == 0 && io[0].i32 == 7);
    CHECK(wasmc_call_export(a, "missing", io, &st) != 0);
    CHECK(wasmc_call_export_n(a, "get_g\0x", 7, io, &st) != 0); /* NUL is part of the name */
    CHECK(wasmc_call_export_n(a, "get_gx", 5, io, &st) == 0 && io[0].i32 == 7);
}

static void test_linking(wasmc_linker *linker, wasmc_instance *a) {
    wasmc_status st;
    CHECK(wasmc_linker_register(linker, "A", a) == 0);
    wasmc_instance *b = wasmc_instantiate(linker, module_b(&mb, "get_g", WASMC_I32), &st);
    CHECK(b != NULL);
    if (!b) { fprintf(stderr, "instantiate B: %s\n", st.message); return; }
    uint8_t *va = wasmc_instance_vmctx(a), *vb = wasmc_instance_vmctx(b);
    CHECK(*(uint8_t **)va == *(uint8_t **)vb); /* shared memory 0 */
    wasmc_val io[1];
    CHECK(wasmc_call_export(b, "call_import", io, &st) == 0 && io[0].i32 == 7);
    /* equal signatures get equal canonical ids across modules */
    CHECK(((uint32_t *)(va + WASMC_VMCTX_HEADER_SIZE))[0] == ((uint32_t *)(vb + WASMC_VMCTX_HEADER_SIZE))[0]);

    CHECK(wasmc_instantiate(linker, module_b(&md, "nope", WASMC_I32), &st) == NULL);
    CHECK(st.code == WASMC_LINK_ERROR && strncmp(st.message, "unknown import", 14) == 0);
    CHECK(wasmc_instantiate(linker, module_b(&md, "get_g", WASMC_I64), &st) == NULL);
    CHECK(st.code == WASMC_LINK_ERROR && strncmp(st.message, "incompatible import type", 24) == 0);
    CHECK(wasmc_instantiate(linker, module_b(&md, "oob", WASMC_I32), &st) == NULL);
    CHECK(strncmp(st.message, "incompatible import type", 24) == 0); /* [] -> [] is not [] -> [i32] */
}

static void test_segments_trap(wasmc_linker *linker) {
    wasmc_status st;
    CHECK(wasmc_instantiate(linker, module_c(), &st) == NULL);
    CHECK(st.code == WASMC_TRAP_MEMORY_OOB && strcmp(st.message, "out of bounds memory access") == 0);
}

static void test_wasi(wasmc_linker *linker) {
    wasmc_status st;
    wasmc_instance *w = wasmc_instantiate(linker, module_w(), &st);
    CHECK(w != NULL);
    if (!w) { fprintf(stderr, "instantiate W: %s\n", st.message); return; }
    wasmc_val io[2];
    CHECK(wasmc_call_export(w, "write", io, &st) == 0);
    CHECK(io[0].i32 == 0 && io[1].i32 == 21); /* success, then EFAULT for an iovec out of memory */
    uint32_t written;
    uint8_t *mem = *(uint8_t **)wasmc_instance_vmctx(w);
    memcpy(&written, mem, 4);
    CHECK(written == 16);

    /* the rest of preview1, called directly with W's vmctx */
    void *vmctx = wasmc_instance_vmctx(w);
    CHECK(wasi_fd_filestat_get(vmctx, 1, 1024) == WASI_ESUCCESS);
    CHECK(wasi_fd_filestat_get(vmctx, 1, 65535) == WASI_EFAULT);
    CHECK(wasi_path_open(vmctx, 3, 0, 100, 5, 0, 0, 0, 0, 200) == WASI_EBADF);
    CHECK(wasi_path_open(vmctx, 1, 0, 100, 5, 0, 0, 0, 0, 200) == WASI_ENOTDIR);
    CHECK(wasi_sock_accept(vmctx, 0, 0, 200) == WASI_ENOTSOCK);
    /* poll_oneoff: a 2 ms relative clock sleeps and fires with its userdata */
    uint8_t sub[48] = {0};
    uint64_t userdata = 0x1122334455667788ull, timeout = 2000000;
    memcpy(sub, &userdata, 8);
    sub[8] = 0;  /* clock */
    memcpy(sub + 16, &(uint32_t){1}, 4); /* monotonic */
    memcpy(sub + 24, &timeout, 8);
    memcpy(mem + 2048, sub, 48);
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    CHECK(wasi_poll_oneoff(vmctx, 2048, 4096, 1, 4000) == WASI_ESUCCESS);
    clock_gettime(CLOCK_MONOTONIC, &after);
    CHECK((after.tv_sec - before.tv_sec) * 1000000000L + (after.tv_nsec - before.tv_nsec) >= 2000000L);
    CHECK(memcmp(mem + 4096, &userdata, 8) == 0 && mem[4096 + 10] == 0 && mem[4000] == 1);
    /* with stdout write-readiness also subscribed, nothing sleeps: stdio is always ready */
    sub[8] = 2;
    memcpy(sub + 16, &(uint32_t){1}, 4);
    memcpy(mem + 2048 + 48, sub, 48);
    CHECK(wasi_poll_oneoff(vmctx, 2048, 4096, 2, 4000) == WASI_ESUCCESS);
    CHECK(mem[4000] == 1 && mem[4096 + 10] == 2);
}

/* Grants strings (src/grants.c): malformed ones are refused with a message, a directory
 * becomes fd 3 with its guest name, and WASMC_RUN_GRANTS is read only through grant `r`. */
static void test_grants(wasmc_linker *linker) {
    char error[256];
    char *host_env[] = {"A=host", "WASMC_RUN_GRANTS=d4:/tmpg4:/run", NULL};
    static const char *const malformed[] = {"x0:", "e", "e5:A=1", "d4:/tmp", "d4:/tmpe1:A", "e-1:A"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
        CHECK(wasmc_wasi_apply_grants(malformed[i], host_env, linker, error, sizeof error) == -1);
    CHECK(wasmc_wasi_apply_grants("d12:/nonexistentg1:x", host_env, linker, error, sizeof error) == -1 &&
          strstr(error, "/nonexistent") != NULL);
    wasmc_status st;
    wasmc_instance *w = wasmc_instantiate(linker, module_w(), &st);
    CHECK(w != NULL);
    if (!w) return;
    void *vmctx = wasmc_instance_vmctx(w);
    uint8_t *mem = *(uint8_t **)vmctx;
    CHECK(wasi_fd_prestat_get(vmctx, 3, 0) == WASI_EBADF);
    CHECK(wasmc_wasi_apply_grants("e3:B=2e1:Ad4:/tmpg3:tmp", host_env, linker, error, sizeof error) == 0);
    CHECK(wasi_fd_prestat_get(vmctx, 3, 0) == WASI_ESUCCESS && mem[4] == 3);
    CHECK(wasi_fd_prestat_dir_name(vmctx, 3, 16, 3) == WASI_ESUCCESS && memcmp(mem + 16, "tmp", 3) == 0);
    CHECK(wasi_fd_prestat_get(vmctx, 4, 0) == WASI_EBADF); /* the run grants were not asked for */
    CHECK(wasmc_wasi_apply_grants("r0:", host_env, linker, error, sizeof error) == 0);
    CHECK(wasi_fd_prestat_dir_name(vmctx, 4, 16, 4) == WASI_ESUCCESS && memcmp(mem + 16, "/run", 4) == 0);
    /* Resolution from the granted directory: ".." out of it is refused. */
    memcpy(mem + 32, "../etc", 6);
    CHECK(wasi_path_filestat_get(vmctx, 3, 0, 32, 6, 64) == WASI_EPERM);
    CHECK(wasi_path_filestat_get(vmctx, 3, 0, 32, 2, 64) == WASI_EPERM);
    CHECK(wasi_path_filestat_get(vmctx, 3, 0, 33, 1, 64) == WASI_ESUCCESS && mem[64 + 16] == 3);
}

/* Every memory stops one page short of 4 GiB (MAX_MEMORY_PAGES): the compiler relies on it to
 * fold `x + c` into machine addresses after an access at `x`. */
static void test_memory_cap(void) {
    wasmc_memory mem;
    CHECK(wasmc_memory_create(&mem, 65536, UINT64_MAX) == -1);
    CHECK(wasmc_memory_create(&mem, 1, UINT64_MAX) == 0);
    CHECK(wasmc_memory_grow_pages(&mem, 65535) == -1);
    CHECK(wasmc_memory_grow_pages(&mem, 65534) == 1);
    CHECK(mem.length == 65535ull * 65536);
    CHECK(wasmc_memory_grow_pages(&mem, 1) == -1);
    CHECK(wasmc_memory_grow_pages(&mem, 0) == 65535);
    munmap(mem.base, mem.reserved);
}

int main(void) {
    find_text_range();
    wasmc_linker *linker = wasmc_linker_new();
    CHECK(linker && wasmc_linker_define_wasi(linker) == 0);
    wasmc_instance *a = NULL;
    test_module_a(linker, &a);
    test_linking(linker, a);
    test_segments_trap(linker);
    test_wasi(linker);
    test_grants(linker);
    test_memory_cap();
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures != 0;
}
