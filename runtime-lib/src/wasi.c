/* WASI preview1 over POSIX: arguments, environment, clocks, randomness, process exit, and
 * the table of every function the runtime defines. Each host function has the native ABI of
 * a wasm import, (void *vmctx, params...), where vmctx is the caller's, so guest pointers
 * are checked against the caller's memory 0 (EFAULT when out of bounds). Errno values and
 * struct layouts are witx's. Descriptors and paths live in wasi_fd.c, wasi_io.c,
 * wasi_readdir.c, wasi_resolve.c and wasi_path.c; polling, signals and sockets in
 * wasi_poll.c. */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <sys/random.h> /* getentropy */
#endif
#include "wasi_internal.h"

/* argv and environ, each kept as one buffer of NUL-terminated strings, as WASI copies them. */
typedef struct string_list {
    char *buf;
    uint32_t buf_size;
    uint32_t count;
} string_list;

static string_list args, env;

static void set_list(string_list *list, int n, const char *const *strings) {
    size_t size = 0;
    for (int i = 0; i < n; i++) size += strlen(strings[i]) + 1;
    char *buf = malloc(size ? size : 1);
    if (!buf || size > UINT32_MAX) { free(buf); return; }
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(strings[i]) + 1;
        memcpy(buf + at, strings[i], len);
        at += len;
    }
    free(list->buf);
    *list = (string_list){buf, (uint32_t)size, (uint32_t)n};
}

void wasmc_wasi_set_args(int argc, const char *const *argv) { set_list(&args, argc, argv); }
void wasmc_wasi_set_env(int envc, const char *const *envp) { set_list(&env, envc, envp); }

uint8_t *wasi_guest(void *vmctx, uint32_t ptr, uint64_t len) {
    wasmc_memory *mem = vmctx_memory(vmctx);
    if (!mem || ptr > mem->length || len > mem->length - ptr) return NULL;
    return mem->base + ptr;
}

int32_t wasi_errno(int e) {
    switch (e) {
    case E2BIG: return WASI_E2BIG;
    case EACCES: return WASI_EACCES;
    case EADDRINUSE: return WASI_EADDRINUSE;
    case EADDRNOTAVAIL: return WASI_EADDRNOTAVAIL;
    case EAFNOSUPPORT: return WASI_EAFNOSUPPORT;
    case EAGAIN: return WASI_EAGAIN;
    case EALREADY: return WASI_EALREADY;
    case EBADF: return WASI_EBADF;
    case EBUSY: return WASI_EBUSY;
    case ECONNREFUSED: return WASI_ECONNREFUSED;
    case ECONNRESET: return WASI_ECONNRESET;
    case EDEADLK: return WASI_EDEADLK;
    case EDQUOT: return WASI_EDQUOT;
    case EEXIST: return WASI_EEXIST;
    case EFAULT: return WASI_EFAULT;
    case EFBIG: return WASI_EFBIG;
    case EILSEQ: return WASI_EILSEQ;
    case EINTR: return WASI_EINTR;
    case EINVAL: return WASI_EINVAL;
    case EIO: return WASI_EIO;
    case EISDIR: return WASI_EISDIR;
    case ELOOP: return WASI_ELOOP;
    case EMFILE: return WASI_EMFILE;
    case EMLINK: return WASI_EMLINK;
    case ENAMETOOLONG: return WASI_ENAMETOOLONG;
    case ENFILE: return WASI_ENFILE;
    case ENODEV: return WASI_ENODEV;
    case ENOENT: return WASI_ENOENT;
    case ENOMEM: return WASI_ENOMEM;
    case ENOSPC: return WASI_ENOSPC;
    case ENOSYS: return WASI_ENOSYS;
    case ENOTDIR: return WASI_ENOTDIR;
    case ENOTEMPTY: return WASI_ENOTEMPTY;
    case ENOTSOCK: return WASI_ENOTSOCK;
    case ENOTTY: return WASI_ENOTTY;
    case ENXIO: return WASI_ENXIO;
    case EOVERFLOW: return WASI_EOVERFLOW;
    case EPERM: return WASI_EPERM;
    case EPIPE: return WASI_EPIPE;
    case ERANGE: return WASI_ERANGE;
    case EROFS: return WASI_EROFS;
    case ESPIPE: return WASI_ESPIPE;
    case ETIMEDOUT: return WASI_ETIMEDOUT;
    case ETXTBSY: return WASI_ETXTBSY;
    case EXDEV: return WASI_EXDEV;
#if ENOTSUP != EOPNOTSUPP
    case EOPNOTSUPP:
#endif
    case ENOTSUP: return WASI_ENOTSUP;
    default: return WASI_EIO;
    }
}

int wasi_valid_utf8(const uint8_t *s, uint32_t len) {
    for (uint32_t i = 0; i < len;) {
        uint8_t c = s[i];
        uint32_t n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 4;
        if (n == 4 || len - i <= n) return 0; /* a stray byte, or cut short */
        uint32_t cp = n == 0 ? c : c & (0x3f >> n);
        for (uint32_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        static const uint32_t min_of_length[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_of_length[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
        i += n + 1;
    }
    return 1;
}

uint8_t wasi_filetype_of_mode(unsigned mode) {
    if (S_ISREG(mode)) return WASI_FILETYPE_REGULAR_FILE;
    if (S_ISDIR(mode)) return WASI_FILETYPE_DIRECTORY;
    if (S_ISCHR(mode)) return WASI_FILETYPE_CHARACTER_DEVICE;
    if (S_ISBLK(mode)) return WASI_FILETYPE_BLOCK_DEVICE;
    if (S_ISSOCK(mode)) return WASI_FILETYPE_SOCKET_STREAM;
    if (S_ISLNK(mode)) return WASI_FILETYPE_SYMBOLIC_LINK;
    return WASI_FILETYPE_UNKNOWN;
}

uint64_t wasi_nanos(struct timespec ts) {
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void wasi_store_filestat(uint8_t *out, const struct stat *st) {
    /* filestat: dev, ino, u8 filetype at 16, nlink at 24, size, atim, mtim, ctim */
    memset(out, 0, WASI_FILESTAT_SIZE);
    wasi_store_u64(out, (uint64_t)st->st_dev);
    wasi_store_u64(out + 8, (uint64_t)st->st_ino);
    out[16] = wasi_filetype_of_mode(st->st_mode);
    wasi_store_u64(out + 24, (uint64_t)st->st_nlink);
    wasi_store_u64(out + 32, (uint64_t)st->st_size);
#if defined(__APPLE__)
    wasi_store_u64(out + 40, wasi_nanos(st->st_atimespec));
    wasi_store_u64(out + 48, wasi_nanos(st->st_mtimespec));
    wasi_store_u64(out + 56, wasi_nanos(st->st_ctimespec));
#else
    wasi_store_u64(out + 40, wasi_nanos(st->st_atim));
    wasi_store_u64(out + 48, wasi_nanos(st->st_mtim));
    wasi_store_u64(out + 56, wasi_nanos(st->st_ctim));
#endif
}

/* Writes the list's pointer array and string buffer into guest memory. */
static int32_t get_list(void *vmctx, const string_list *list, uint32_t ptrs, uint32_t buf) {
    uint8_t *ptr_area = wasi_guest(vmctx, ptrs, (uint64_t)list->count * 4);
    uint8_t *buf_area = wasi_guest(vmctx, buf, list->buf_size);
    if (!ptr_area || !buf_area) return WASI_EFAULT;
    uint32_t at = 0;
    for (uint32_t i = 0; i < list->count; i++) {
        wasi_store_u32(ptr_area + 4 * i, buf + at);
        at += (uint32_t)strlen(list->buf + at) + 1;
    }
    if (list->buf_size) memcpy(buf_area, list->buf, list->buf_size);
    return WASI_ESUCCESS;
}

static int32_t sizes_get(void *vmctx, const string_list *list, uint32_t count_ptr, uint32_t size_ptr) {
    uint8_t *count = wasi_guest(vmctx, count_ptr, 4), *size = wasi_guest(vmctx, size_ptr, 4);
    if (!count || !size) return WASI_EFAULT;
    wasi_store_u32(count, list->count);
    wasi_store_u32(size, list->buf_size);
    return WASI_ESUCCESS;
}

static int32_t wasi_args_get(void *vmctx, int32_t argv, int32_t buf) {
    return get_list(vmctx, &args, (uint32_t)argv, (uint32_t)buf);
}
static int32_t wasi_args_sizes_get(void *vmctx, int32_t count, int32_t size) {
    return sizes_get(vmctx, &args, (uint32_t)count, (uint32_t)size);
}
static int32_t wasi_environ_get(void *vmctx, int32_t environ, int32_t buf) {
    return get_list(vmctx, &env, (uint32_t)environ, (uint32_t)buf);
}
static int32_t wasi_environ_sizes_get(void *vmctx, int32_t count, int32_t size) {
    return sizes_get(vmctx, &env, (uint32_t)count, (uint32_t)size);
}

/* Realtime and monotonic. The CPU-time clocks would tell the guest about the host process
 * (and wasm has no threads to time); like wasmtime, we answer EBADF for them. */
int32_t wasi_clock(int32_t id, clockid_t *out) {
    switch (id) {
    case 0: *out = CLOCK_REALTIME; return WASI_ESUCCESS;
    case 1: *out = CLOCK_MONOTONIC; return WASI_ESUCCESS;
    case 2: case 3: return WASI_EBADF;
    default: return WASI_EINVAL;
    }
}

static int32_t wasi_clock_res_get(void *vmctx, int32_t id, int32_t result) {
    clockid_t clock;
    struct timespec ts;
    int32_t e = wasi_clock(id, &clock);
    if (e) return e;
    uint8_t *out = wasi_guest(vmctx, (uint32_t)result, 8);
    if (!out) return WASI_EFAULT;
    if (clock_getres(clock, &ts) != 0) return wasi_errno(errno);
    wasi_store_u64(out, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
    return WASI_ESUCCESS;
}

static int32_t wasi_clock_time_get(void *vmctx, int32_t id, int64_t precision, int32_t result) {
    (void)precision;
    clockid_t clock;
    struct timespec ts;
    int32_t e = wasi_clock(id, &clock);
    if (e) return e;
    uint8_t *out = wasi_guest(vmctx, (uint32_t)result, 8);
    if (!out) return WASI_EFAULT;
    if (clock_gettime(clock, &ts) != 0) return wasi_errno(errno);
    wasi_store_u64(out, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
    return WASI_ESUCCESS;
}

static int32_t wasi_random_get(void *vmctx, int32_t buf, int32_t len) {
    uint8_t *out = wasi_guest(vmctx, (uint32_t)buf, (uint32_t)len);
    if (!out) return WASI_EFAULT;
    for (uint32_t at = 0; at < (uint32_t)len; at += 256) { /* getentropy's limit per call */
        uint32_t n = (uint32_t)len - at < 256 ? (uint32_t)len - at : 256;
        if (getentropy(out + at, n) != 0) return wasi_errno(errno);
    }
    return WASI_ESUCCESS;
}

static void wasi_proc_exit(void *vmctx, int32_t code) {
    (void)vmctx;
    wasmc_raise_exit(code);
}

static int32_t wasi_sched_yield(void *vmctx) {
    (void)vmctx;
    return WASI_ESUCCESS;
}

#define I32 WASMC_I32
#define I64 WASMC_I64

typedef struct wasi_func {
    const char *name;
    void *code;
    uint8_t nparams, nresults;
    uint8_t params[10];
} wasi_func;

/* Every function returns an i32 errno except proc_exit. */
static const wasi_func wasi_funcs[] = {
    {"args_get", (void *)wasi_args_get, 2, 1, {I32, I32}},
    {"args_sizes_get", (void *)wasi_args_sizes_get, 2, 1, {I32, I32}},
    {"environ_get", (void *)wasi_environ_get, 2, 1, {I32, I32}},
    {"environ_sizes_get", (void *)wasi_environ_sizes_get, 2, 1, {I32, I32}},
    {"fd_write", (void *)wasi_fd_write, 4, 1, {I32, I32, I32, I32}},
    {"fd_read", (void *)wasi_fd_read, 4, 1, {I32, I32, I32, I32}},
    {"fd_close", (void *)wasi_fd_close, 1, 1, {I32}},
    {"fd_seek", (void *)wasi_fd_seek, 4, 1, {I32, I64, I32, I32}},
    {"fd_fdstat_get", (void *)wasi_fd_fdstat_get, 2, 1, {I32, I32}},
    {"fd_prestat_get", (void *)wasi_fd_prestat_get, 2, 1, {I32, I32}},
    {"fd_prestat_dir_name", (void *)wasi_fd_prestat_dir_name, 3, 1, {I32, I32, I32}},
    {"clock_res_get", (void *)wasi_clock_res_get, 2, 1, {I32, I32}},
    {"clock_time_get", (void *)wasi_clock_time_get, 3, 1, {I32, I64, I32}},
    {"random_get", (void *)wasi_random_get, 2, 1, {I32, I32}},
    {"proc_exit", (void *)wasi_proc_exit, 1, 0, {I32}},
    {"sched_yield", (void *)wasi_sched_yield, 0, 1, {0}},
    {"fd_filestat_get", (void *)wasi_fd_filestat_get, 2, 1, {I32, I32}},
    {"fd_tell", (void *)wasi_fd_tell, 2, 1, {I32, I32}},
    {"fd_sync", (void *)wasi_fd_sync, 1, 1, {I32}},
    {"fd_datasync", (void *)wasi_fd_datasync, 1, 1, {I32}},
    {"fd_fdstat_set_flags", (void *)wasi_fd_fdstat_set_flags, 2, 1, {I32, I32}},
    {"poll_oneoff", (void *)wasi_poll_oneoff, 4, 1, {I32, I32, I32, I32}},
    {"fd_advise", (void *)wasi_fd_advise, 4, 1, {I32, I64, I64, I32}},
    {"fd_allocate", (void *)wasi_fd_allocate, 3, 1, {I32, I64, I64}},
    {"fd_fdstat_set_rights", (void *)wasi_fd_fdstat_set_rights, 3, 1, {I32, I64, I64}},
    {"fd_filestat_set_size", (void *)wasi_fd_filestat_set_size, 2, 1, {I32, I64}},
    {"fd_filestat_set_times", (void *)wasi_fd_filestat_set_times, 4, 1, {I32, I64, I64, I32}},
    {"fd_pread", (void *)wasi_fd_pread, 5, 1, {I32, I32, I32, I64, I32}},
    {"fd_pwrite", (void *)wasi_fd_pwrite, 5, 1, {I32, I32, I32, I64, I32}},
    {"fd_readdir", (void *)wasi_fd_readdir, 5, 1, {I32, I32, I32, I64, I32}},
    {"fd_renumber", (void *)wasi_fd_renumber, 2, 1, {I32, I32}},
    {"path_create_directory", (void *)wasi_path_create_directory, 3, 1, {I32, I32, I32}},
    {"path_filestat_get", (void *)wasi_path_filestat_get, 5, 1, {I32, I32, I32, I32, I32}},
    {"path_filestat_set_times", (void *)wasi_path_filestat_set_times, 7, 1, {I32, I32, I32, I32, I64, I64, I32}},
    {"path_link", (void *)wasi_path_link, 7, 1, {I32, I32, I32, I32, I32, I32, I32}},
    {"path_open", (void *)wasi_path_open, 9, 1, {I32, I32, I32, I32, I32, I64, I64, I32, I32}},
    {"path_readlink", (void *)wasi_path_readlink, 6, 1, {I32, I32, I32, I32, I32, I32}},
    {"path_remove_directory", (void *)wasi_path_remove_directory, 3, 1, {I32, I32, I32}},
    {"path_rename", (void *)wasi_path_rename, 6, 1, {I32, I32, I32, I32, I32, I32}},
    {"path_symlink", (void *)wasi_path_symlink, 5, 1, {I32, I32, I32, I32, I32}},
    {"path_unlink_file", (void *)wasi_path_unlink_file, 3, 1, {I32, I32, I32}},
    {"proc_raise", (void *)wasi_proc_raise, 1, 1, {I32}},
    {"sock_accept", (void *)wasi_sock_accept, 3, 1, {I32, I32, I32}},
    {"sock_recv", (void *)wasi_sock_recv, 6, 1, {I32, I32, I32, I32, I32, I32}},
    {"sock_send", (void *)wasi_sock_send, 5, 1, {I32, I32, I32, I32, I32}},
    {"sock_shutdown", (void *)wasi_sock_shutdown, 2, 1, {I32, I32}},
};

int wasmc_linker_define_wasi(wasmc_linker *linker) {
    static const uint8_t errno_result[] = {I32};
    for (size_t i = 0; i < sizeof wasi_funcs / sizeof wasi_funcs[0]; i++) {
        const wasi_func *f = &wasi_funcs[i];
        if (wasmc_linker_define_func(linker, "wasi_snapshot_preview1", f->name, f->code, f->params,
                                     f->nparams, errno_result, f->nresults) != 0)
            return -1;
    }
    return 0;
}
