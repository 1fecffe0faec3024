/* A hand-made command module for the runtime's main.c: `_start` prints a line with WASI
 * fd_write, then, depending on FAKE_MODE, returns, calls proc_exit(7) or hits `unreachable`. */
#include <stdlib.h>
#include "fake_module.h"

typedef int32_t (*fd_write_fn)(void *, int32_t, int32_t, int32_t, int32_t);
typedef void (*proc_exit_fn)(void *, int32_t);

static void start(void *vmctx) {
    const wasmc_module_meta *meta = *(const wasmc_module_meta **)((uint8_t *)vmctx + WASMC_VMCTX_META);
    wasmc_funcref *f = (wasmc_funcref *)((uint8_t *)vmctx + meta->layout.funcrefs);
    uint8_t *mem = *(uint8_t **)vmctx;
    uint32_t iov[2] = {64, 3};
    memcpy(mem, iov, 8);
    ((fd_write_fn)f[0].code)(f[0].vmctx, 1, 0, 1, 16);
    const char *mode = getenv("FAKE_MODE");
    if (mode && strcmp(mode, "exit") == 0) ((proc_exit_fn)f[1].code)(f[1].vmctx, 7);
    if (mode && strcmp(mode, "trap") == 0) stub_unreachable(vmctx);
}

static void start_trampoline(void *vmctx, wasmc_val *io) {
    (void)io;
    start(vmctx);
}

/* The metadata blob starts the struct, so wasmc_main_meta can name the struct itself; it is
 * filled in by a constructor, before main.c's main runs. */
fake_module command_module;
__asm__(".globl wasmc_main_meta\n.set wasmc_main_meta, command_module");
/* What the compiler bakes for a program granted nothing. */
const char wasmc_main_grants[] = "";
#define m command_module

__attribute__((constructor)) static void build(void) {
    const uint8_t *low = (const uint8_t *)(void *)start, *high = low;
    const void *code[] = {(void *)start, (void *)start_trampoline, (void *)stub_unreachable};
    for (int i = 0; i < 3; i++) {
        if ((const uint8_t *)code[i] < low) low = code[i];
        if ((const uint8_t *)code[i] > high) high = code[i];
    }
    fake_init(&m, low);
    uint32_t t_write = fake_type(&m, "iiii", "i"), t_exit = fake_type(&m, "i", ""),
             t_start = fake_type(&m, "", "");
    fake_func(&m, t_write, NULL, "fd_write");
    fake_func(&m, t_exit, NULL, "proc_exit");
    uint32_t s = fake_func(&m, t_start, (void *)stub_unreachable, "start_fn");
    fake_import(&m, "wasi_snapshot_preview1", "fd_write", WASMC_EXTERN_FUNC, 0);
    fake_import(&m, "wasi_snapshot_preview1", "proc_exit", WASMC_EXTERN_FUNC, 1);
    m.imported_funcs = 2;
    fake_trap(&m, stub_unreachable_fault, WASMC_TRAP_UNREACHABLE, s);
    m.srclocs[m.nsrclocs++] = (wasmc_meta_srcloc){fake_code(&m, (void *)stub_unreachable), 0x2a};
    m.memories[m.nmemories++] = (wasmc_meta_memory){1, UINT64_MAX, 0, 0};
    m.datas[m.ndatas++] = (wasmc_meta_data){WASMC_SEG_ACTIVE, 0, fake_i32(64), fake_str(&m, "hi\n").off, 3};
    fake_export(&m, "_start", WASMC_EXTERN_FUNC, s, (void *)start_trampoline);
    fake_finish(&m, (uint64_t)(high - low) + 64);
}
