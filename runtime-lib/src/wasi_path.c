/* The path_* functions: each resolves its path(s) with wasi_resolve, then acts on the last
 * component relative to the directory that holds it, never following a symlink there
 * (wasi_resolve already followed it when the guest asked to). */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wasi_internal.h"

#ifndef O_RSYNC
#define O_RSYNC O_SYNC
#endif
#ifndef O_DSYNC
#define O_DSYNC O_SYNC
#endif

/* Host errno of the last call, as witx's; success if `result` is 0. */
static int32_t outcome(int result) {
    return result == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

/* The host open(2) flags for a path_open request. */
static int open_flags(int32_t oflags, uint64_t rights, int32_t fdflags, int must_be_dir) {
    int read = (rights & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR)) != 0;
    int write = (rights & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE |
                           WASI_RIGHT_FD_FILESTAT_SET_SIZE)) != 0;
    int flags = O_CLOEXEC | O_NOFOLLOW | (write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY);
    if (oflags & WASI_O_CREAT) flags |= O_CREAT;
    if (oflags & WASI_O_EXCL) flags |= O_EXCL;
    if (oflags & WASI_O_TRUNC) flags |= O_TRUNC;
    if ((oflags & WASI_O_DIRECTORY) || must_be_dir) flags |= O_DIRECTORY;
    if (fdflags & WASI_FDFLAG_APPEND) flags |= O_APPEND;
    if (fdflags & WASI_FDFLAG_NONBLOCK) flags |= O_NONBLOCK;
    if (fdflags & WASI_FDFLAG_SYNC) flags |= O_SYNC;
    if (fdflags & WASI_FDFLAG_DSYNC) flags |= O_DSYNC;
    if (fdflags & WASI_FDFLAG_RSYNC) flags |= O_RSYNC;
    return flags;
}

/* A file's rights as fdstat shows them: all but the access its host mode lacks. */
static uint64_t file_rights(int host) {
    int mode = fcntl(host, F_GETFL) & O_ACCMODE;
    uint64_t rights = WASI_RIGHTS_ALL;
    if (mode == O_RDONLY) rights &= ~WASI_RIGHT_FD_WRITE;
    if (mode == O_WRONLY) rights &= ~(WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
    return rights;
}

int32_t wasi_path_open(void *v, int32_t fd, int32_t dirflags, int32_t p, int32_t n, int32_t oflags,
                       int64_t base, int64_t inheriting, int32_t fdflags, int32_t opened) {
    (void)inheriting; /* the requested rights only choose the access mode (see open_flags) */
    uint8_t *out = wasi_guest(v, (uint32_t)opened, 4);
    if (!out) return WASI_EFAULT;
    if (oflags & ~15 || fdflags & ~31) return WASI_EINVAL;
    wasi_resolved r;
    int32_t e = wasi_resolve(v, fd, (uint32_t)p, (uint32_t)n, dirflags & WASI_LOOKUP_SYMLINK_FOLLOW, &r);
    if (e) return e;
    int host = openat(r.dir, r.name, open_flags(oflags, (uint64_t)base, fdflags, r.trailing_slash), 0666);
    e = host < 0 ? wasi_errno(errno) : WASI_ESUCCESS;
    wasi_resolved_free(&r);
    if (e) return e;
    struct stat st;
    if (fstat(host, &st) != 0) {
        e = wasi_errno(errno);
        close(host);
        return e;
    }
    uint8_t kind = S_ISDIR(st.st_mode) ? WASI_FD_DIR : WASI_FD_FILE;
    uint64_t rights = kind == WASI_FD_DIR ? WASI_OPENED_DIR_RIGHTS : file_rights(host);
    int32_t guest_fd = wasi_fd_add(host, kind, rights, rights, (uint16_t)fdflags);
    if (guest_fd < 0) return WASI_EMFILE;
    wasi_store_u32(out, (uint32_t)guest_fd);
    return WASI_ESUCCESS;
}

int32_t wasi_path_create_directory(void *v, int32_t fd, int32_t p, int32_t n) {
    wasi_resolved r;
    int32_t e = wasi_resolve(v, fd, (uint32_t)p, (uint32_t)n, 0, &r);
    if (e) return e;
    e = outcome(mkdirat(r.dir, r.name, 0777));
    wasi_resolved_free(&r);
    return e;
}

int32_t wasi_path_remove_directory(void *v, int32_t fd, int32_t p, int32_t n) {
    wasi_resolved r;
    int32_t e = wasi_resolve(v, fd, (uint32_t)p, (uint32_t)n, 0, &r);
    if (e) return e;
    e = outcome(unlinkat(r.dir, r.name, AT_REMOVEDIR));
    wasi_resolved_free(&r);
    return e;
}

int32_t wasi_path_unlink_file(void *v, int32_t fd, int32_t p, int32_t n) {
    wasi_resolved r;
    int32_t e = wasi_resolve(v, fd, (uint32_t)p, (uint32_t)n, 0, &r);
    if (e) return e;
    e = r.trailing_slash ? WASI_ENOTDIR : outcome(unlinkat(r.dir, r.name, 0));
    wasi_resolved_free(&r);
    return e;
}

int32_t wasi_path_filestat_get(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n, int32_t buf) {
    uint8_t *out = wasi_guest(v, (uint32_t)buf, WASI_FILESTAT_SIZE);
    if (!out) return WASI_EFAULT;
    wasi_resolved r;
    int32_t e = wasi_resolve(v, fd, (uint32_t)p, (uint32_t)n, flags & WASI_LOOKUP_SYMLINK_FOLLOW, &r);
    if (e) return e;
    struct stat st;
    e = outcome(fstatat(r.dir, r.name, &st, AT_SYMLINK_NOFOLLOW));
    wasi_resolved_free(&r);
    if (e) return e;
    wasi_store_filestat(out, &st);
    return WASI_ESUCCESS;
}

int32_t wasi_path_filestat_set_times(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n,
                                     int64_t atim, int64_t mtim, int32_t fst_flags) {
    struct timespec times[2];
    if (wasi_times(atim, mtim, fst_flags, times) != 0) return WASI_EINVAL;
    wasi_resolved r;
    int32_t e = wasi_resolve(v, fd, (uint32_t)p, (uint32_t)n, flags & WASI_LOOKUP_SYMLINK_FOLLOW, &r);
    if (e) return e;
    e = outcome(utimensat(r.dir, r.name, times, AT_SYMLINK_NOFOLLOW));
    wasi_resolved_free(&r);
    return e;
}

/* Both ends of a rename or link, resolved without following their last components. */
static int32_t resolve_pair(void *v, int32_t fd, int32_t p, int32_t n, int32_t to_fd, int32_t to_p,
                            int32_t to_n, wasi_resolved *from, wasi_resolved *to) {
    int32_t e = wasi_resolve(v, fd, (uint32_t)p, (uint32_t)n, 0, from);
    if (e) return e;
    e = wasi_resolve(v, to_fd, (uint32_t)to_p, (uint32_t)to_n, 0, to);
    if (e) wasi_resolved_free(from);
    return e;
}

int32_t wasi_path_rename(void *v, int32_t fd, int32_t p, int32_t n, int32_t to_fd, int32_t to_p,
                         int32_t to_n) {
    wasi_resolved from, to;
    int32_t e = resolve_pair(v, fd, p, n, to_fd, to_p, to_n, &from, &to);
    if (e) return e;
    e = outcome(renameat(from.dir, from.name, to.dir, to.name));
    wasi_resolved_free(&from);
    wasi_resolved_free(&to);
    return e;
}

/* Following the source's symlink is refused, as wasmtime does: the link would name a file
 * the guest reached only through the symlink. */
int32_t wasi_path_link(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n, int32_t to_fd,
                       int32_t to_p, int32_t to_n) {
    if (flags & WASI_LOOKUP_SYMLINK_FOLLOW) return WASI_EINVAL;
    wasi_resolved from, to;
    int32_t e = resolve_pair(v, fd, p, n, to_fd, to_p, to_n, &from, &to);
    if (e) return e;
    e = outcome(linkat(from.dir, from.name, to.dir, to.name, 0));
    wasi_resolved_free(&from);
    wasi_resolved_free(&to);
    return e;
}

/* The contents may climb with "..": resolution refuses to follow them out. Absolute
 * contents are refused outright (wasmtime agrees). */
int32_t wasi_path_symlink(void *v, int32_t p, int32_t n, int32_t fd, int32_t to_p, int32_t to_n) {
    const uint8_t *guest = wasi_guest(v, (uint32_t)p, (uint32_t)n);
    if (!guest) return WASI_EFAULT;
    if (memchr(guest, '\0', (uint32_t)n) || !wasi_valid_utf8(guest, (uint32_t)n)) return WASI_EILSEQ;
    if (n > 0 && guest[0] == '/') return WASI_EPERM;
    char *contents = malloc((size_t)(uint32_t)n + 1);
    if (!contents) return WASI_ENOMEM;
    memcpy(contents, guest, (uint32_t)n);
    contents[(uint32_t)n] = '\0';
    wasi_resolved r;
    int32_t e = wasi_resolve(v, fd, (uint32_t)to_p, (uint32_t)to_n, 0, &r);
    if (!e) {
        e = outcome(symlinkat(contents, r.dir, r.name));
        wasi_resolved_free(&r);
    }
    free(contents);
    return e;
}

/* Absolute contents are not shown: they would name host paths (wasmtime refuses too). */
int32_t wasi_path_readlink(void *v, int32_t fd, int32_t p, int32_t n, int32_t buf, int32_t len,
                           int32_t used) {
    uint8_t *out = wasi_guest(v, (uint32_t)buf, (uint32_t)len);
    uint8_t *used_out = wasi_guest(v, (uint32_t)used, 4);
    if (!out || !used_out) return WASI_EFAULT;
    wasi_resolved r;
    int32_t e = wasi_resolve(v, fd, (uint32_t)p, (uint32_t)n, 0, &r);
    if (e) return e;
    char target[PATH_MAX];
    ssize_t size = readlinkat(r.dir, r.name, target, sizeof target);
    e = size < 0 ? wasi_errno(errno) : WASI_ESUCCESS;
    wasi_resolved_free(&r);
    if (e) return e;
    if (size > 0 && target[0] == '/') return WASI_EPERM;
    uint32_t copied = (uint64_t)size < (uint32_t)len ? (uint32_t)size : (uint32_t)len;
    memcpy(out, target, copied);
    wasi_store_u32(used_out, copied);
    return WASI_ESUCCESS;
}
