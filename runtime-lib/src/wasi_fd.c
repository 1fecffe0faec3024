/* The guest's descriptor table: fds 0-2 are the process's stdio, then the pre-opened
 * directories in the order they were granted, then whatever the guest opens. The guest
 * can only name descriptors in this table, so it reaches no host file it was not given. */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wasi_internal.h"

/* A guest can open this many descriptors at once; beyond it, EMFILE. */
#define MAX_FDS 65536u

static wasi_fd *fds;
static uint32_t fd_count; /* entries in `fds`, free ones included */

static int ensure_stdio(void) {
    if (fds) return 0;
    fds = calloc(3, sizeof *fds);
    if (!fds) return -1;
    fd_count = 3;
    for (int i = 0; i < 3; i++) {
        uint64_t rights = i == 0 ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE;
        fds[i] = (wasi_fd){.kind = WASI_FD_STDIO, .host = i, .rights_base = rights, .rights_inheriting = rights};
    }
    return 0;
}

wasi_fd *wasi_fd_get(int32_t fd) {
    if (ensure_stdio() != 0 || fd < 0 || (uint32_t)fd >= fd_count) return NULL;
    return fds[fd].kind == WASI_FD_FREE ? NULL : &fds[fd];
}

int32_t wasi_fd_add(int host, uint8_t kind, uint64_t rights_base, uint64_t rights_inheriting,
                    uint16_t fdflags) {
    uint32_t slot = 0;
    if (ensure_stdio() == 0) {
        while (slot < fd_count && fds[slot].kind != WASI_FD_FREE) slot++;
        if (slot == fd_count && fd_count < MAX_FDS) {
            uint32_t grown = fd_count * 2 < MAX_FDS ? fd_count * 2 : MAX_FDS;
            wasi_fd *bigger = realloc(fds, grown * sizeof *fds);
            if (bigger) {
                memset(bigger + fd_count, 0, (grown - fd_count) * sizeof *fds);
                fds = bigger;
                fd_count = grown;
            }
        }
    }
    if (!fds || slot >= fd_count) {
        close(host);
        return -1;
    }
    fds[slot] = (wasi_fd){.kind = kind, .host = host, .fdflags = fdflags, .rights_base = rights_base,
                          .rights_inheriting = rights_inheriting};
    return (int32_t)slot;
}

int wasmc_wasi_preopen_dir(const char *host_path, const char *guest_path) {
    int host = open(host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host < 0) return -1;
    char *name = malloc(strlen(guest_path) + 1);
    if (!name) {
        close(host);
        errno = ENOMEM;
        return -1;
    }
    strcpy(name, guest_path);
    int32_t fd = wasi_fd_add(host, WASI_FD_DIR, WASI_DIR_RIGHTS_BASE, WASI_DIR_RIGHTS_INHERITING, 0);
    if (fd < 0) {
        free(name);
        errno = EMFILE;
        return -1;
    }
    fds[fd].preopen = name;
    return 0;
}

/* Releases what the entry holds; stdio's host descriptors stay open for the runtime. */
static void release(wasi_fd *f) {
    if (f->dir) closedir(f->dir); /* owns a duplicate of f->host */
    if (f->kind != WASI_FD_STDIO) close(f->host);
    free(f->preopen);
    *f = (wasi_fd){.kind = WASI_FD_FREE};
}

int32_t wasi_fd_close(void *vmctx, int32_t fd) {
    (void)vmctx;
    wasi_fd *f = wasi_fd_get(fd);
    if (!f) return WASI_EBADF;
    release(f);
    return WASI_ESUCCESS;
}

/* Like dup2, but both descriptors must be open (as in wasmtime): the target is closed and
 * `fd` moves there. A pre-opened directory can be replaced, never duplicated. */
int32_t wasi_fd_renumber(void *vmctx, int32_t fd, int32_t to) {
    (void)vmctx;
    wasi_fd *from = wasi_fd_get(fd), *target = wasi_fd_get(to);
    if (!from || !target) return WASI_EBADF;
    if (from == target) return WASI_ESUCCESS;
    release(target);
    *target = *from;
    *from = (wasi_fd){.kind = WASI_FD_FREE};
    return WASI_ESUCCESS;
}

uint8_t wasi_fd_filetype(const wasi_fd *f) {
    struct stat st;
    if (f->kind == WASI_FD_STDIO) return wasi_stdio_filetype(f->host);
    return fstat(f->host, &st) == 0 ? wasi_filetype_of_mode(st.st_mode) : WASI_FILETYPE_UNKNOWN;
}

uint8_t wasi_stdio_filetype(int host) {
    return isatty(host) ? WASI_FILETYPE_CHARACTER_DEVICE : WASI_FILETYPE_UNKNOWN;
}

int32_t wasi_fd_fdstat_get(void *vmctx, int32_t fd, int32_t buf) {
    wasi_fd *f = wasi_fd_get(fd);
    if (!f) return WASI_EBADF;
    uint8_t *out = wasi_guest(vmctx, (uint32_t)buf, WASI_FDSTAT_SIZE);
    if (!out) return WASI_EFAULT;
    /* fdstat: u8 filetype, u16 flags at 2, u64 rights_base at 8, u64 rights_inheriting at 16 */
    memset(out, 0, WASI_FDSTAT_SIZE);
    out[0] = wasi_fd_filetype(f);
    memcpy(out + 2, &f->fdflags, 2);
    wasi_store_u64(out + 8, f->rights_base);
    wasi_store_u64(out + 16, f->rights_inheriting);
    return WASI_ESUCCESS;
}

/* Only APPEND and NONBLOCK can change after opening; the sync flags cannot (wasmtime agrees). */
int32_t wasi_fd_fdstat_set_flags(void *vmctx, int32_t fd, int32_t flags) {
    (void)vmctx;
    wasi_fd *f = wasi_fd_get(fd);
    if (!f) return WASI_EBADF;
    if (flags & ~(WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK)) return WASI_EINVAL;
    if (f->kind == WASI_FD_DIR) return WASI_EBADF;
    int host_flags = fcntl(f->host, F_GETFL);
    if (host_flags < 0) return wasi_errno(errno);
    host_flags &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WASI_FDFLAG_APPEND) host_flags |= O_APPEND;
    if (flags & WASI_FDFLAG_NONBLOCK) host_flags |= O_NONBLOCK;
    if (f->kind != WASI_FD_STDIO && fcntl(f->host, F_SETFL, host_flags) != 0) return wasi_errno(errno);
    f->fdflags = (uint16_t)flags;
    return WASI_ESUCCESS;
}

/* Rights are reported, not enforced (the host access mode is), so there is nothing to
 * drop: ENOTSUP, as in wasmtime. */
int32_t wasi_fd_fdstat_set_rights(void *vmctx, int32_t fd, int64_t base, int64_t inheriting) {
    (void)vmctx; (void)base; (void)inheriting;
    return wasi_fd_get(fd) ? WASI_ENOTSUP : WASI_EBADF;
}

int32_t wasi_fd_prestat_get(void *vmctx, int32_t fd, int32_t buf) {
    wasi_fd *f = wasi_fd_get(fd);
    if (!f || !f->preopen) return WASI_EBADF;
    uint8_t *out = wasi_guest(vmctx, (uint32_t)buf, WASI_PRESTAT_SIZE);
    if (!out) return WASI_EFAULT;
    /* prestat: u8 tag (0: dir) then u32 name length at 4 */
    memset(out, 0, WASI_PRESTAT_SIZE);
    wasi_store_u32(out + 4, (uint32_t)strlen(f->preopen));
    return WASI_ESUCCESS;
}

/* Unlike prestat_get, an open descriptor that is no pre-open is ENOTDIR here (wasmtime). */
int32_t wasi_fd_prestat_dir_name(void *vmctx, int32_t fd, int32_t path, int32_t len) {
    wasi_fd *f = wasi_fd_get(fd);
    if (!f) return WASI_EBADF;
    if (!f->preopen) return WASI_ENOTDIR;
    size_t name_len = strlen(f->preopen);
    if ((uint32_t)len < name_len) return WASI_ENAMETOOLONG;
    uint8_t *out = wasi_guest(vmctx, (uint32_t)path, name_len);
    if (!out) return WASI_EFAULT;
    memcpy(out, f->preopen, name_len);
    return WASI_ESUCCESS;
}
