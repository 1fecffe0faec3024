/* Reading, writing, seeking and the metadata of open descriptors. */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "wasi_internal.h"

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

/* What a transfer does with the host descriptor: readv, writev, or the p-variants at `offset`. */
enum transfer_kind { READ, WRITE, PREAD, PWRITE };

static ssize_t host_transfer(enum transfer_kind kind, int fd, const struct iovec *iov, int n,
                             off_t offset) {
    switch (kind) {
    case READ: return readv(fd, iov, n);
    case WRITE: return writev(fd, iov, n);
    case PREAD: return preadv(fd, iov, n, offset);
    default: return pwritev(fd, iov, n, offset);
    }
}

/* One host call over the guest's iovecs: the transfer may be short, as POSIX allows. The
 * total stays below 4 GiB so the count fits in the guest's u32. */
static int32_t transfer(void *vmctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t done_ptr,
                        enum transfer_kind kind, int64_t offset) {
    wasi_fd *f = wasi_fd_get(fd);
    if (!f) return WASI_EBADF;
    if (f->kind == WASI_FD_DIR) return WASI_EBADF;
    int positioned = kind == PREAD || kind == PWRITE;
    if (positioned && f->kind == WASI_FD_STDIO) return WASI_ESPIPE;
    if (positioned && offset < 0) return WASI_EINVAL;
    uint8_t *guest_iov = wasi_guest(vmctx, (uint32_t)iovs, (uint64_t)(uint32_t)iovs_len * WASI_IOVEC_SIZE);
    uint8_t *done_out = wasi_guest(vmctx, (uint32_t)done_ptr, 4);
    if (!guest_iov || !done_out) return WASI_EFAULT;
    uint32_t count = (uint32_t)iovs_len < IOV_MAX ? (uint32_t)iovs_len : IOV_MAX;
    struct iovec *iov = malloc((count ? count : 1) * sizeof *iov);
    if (!iov) return WASI_ENOMEM;
    uint64_t total = 0;
    uint32_t used = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t buf = wasi_load_u32(guest_iov + WASI_IOVEC_SIZE * i);
        uint32_t len = wasi_load_u32(guest_iov + WASI_IOVEC_SIZE * i + 4);
        uint8_t *data = wasi_guest(vmctx, buf, len);
        if (!data) {
            free(iov);
            return WASI_EFAULT;
        }
        if (total + len > UINT32_MAX) break;
        total += len;
        iov[used++] = (struct iovec){data, len};
    }
    ssize_t n;
    do n = host_transfer(kind, f->host, iov, (int)used, (off_t)offset);
    while (n < 0 && errno == EINTR);
    free(iov);
    if (n < 0) return wasi_errno(errno);
    wasi_store_u32(done_out, (uint32_t)n);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_read(void *vmctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread) {
    return transfer(vmctx, fd, iovs, iovs_len, nread, READ, 0);
}
int32_t wasi_fd_write(void *vmctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten) {
    return transfer(vmctx, fd, iovs, iovs_len, nwritten, WRITE, 0);
}
int32_t wasi_fd_pread(void *vmctx, int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nread) {
    return transfer(vmctx, fd, iovs, n, nread, PREAD, off);
}
int32_t wasi_fd_pwrite(void *vmctx, int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nwritten) {
    return transfer(vmctx, fd, iovs, n, nwritten, PWRITE, off);
}

/* An open file or stdio: what the byte-level calls below accept. */
static wasi_fd *file_fd(int32_t fd, int32_t *err) {
    wasi_fd *f = wasi_fd_get(fd);
    *err = !f || f->kind == WASI_FD_DIR ? WASI_EBADF : WASI_ESUCCESS;
    return *err ? NULL : f;
}

int32_t wasi_fd_seek(void *vmctx, int32_t fd, int64_t offset, int32_t whence, int32_t result) {
    static const int whences[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    int32_t err;
    wasi_fd *f = file_fd(fd, &err);
    if (!f) return err;
    if (whence < 0 || whence > 2) return WASI_EINVAL;
    if (f->kind == WASI_FD_STDIO) return WASI_ESPIPE;
    uint8_t *out = wasi_guest(vmctx, (uint32_t)result, 8);
    if (!out) return WASI_EFAULT;
    off_t pos = lseek(f->host, (off_t)offset, whences[whence]);
    if (pos < 0) return wasi_errno(errno);
    wasi_store_u64(out, (uint64_t)pos);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_tell(void *vmctx, int32_t fd, int32_t result) {
    return wasi_fd_seek(vmctx, fd, 0, 1, result);
}

int32_t wasi_fd_sync(void *vmctx, int32_t fd) {
    (void)vmctx;
    wasi_fd *f = wasi_fd_get(fd);
    if (!f) return WASI_EBADF;
    return fsync(f->host) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

int32_t wasi_fd_datasync(void *vmctx, int32_t fd) {
    return wasi_fd_sync(vmctx, fd);
}

/* Advice is a hint: checked, passed on where the host takes it. */
int32_t wasi_fd_advise(void *vmctx, int32_t fd, int64_t off, int64_t len, int32_t advice) {
    (void)vmctx;
    int32_t err;
    wasi_fd *f = file_fd(fd, &err);
    if (!f) return err;
    if (advice < 0 || advice > 5 || off < 0 || len < 0) return WASI_EINVAL;
#if defined(POSIX_FADV_NORMAL) && !defined(__APPLE__)
    static const int advices[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                  POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    (void)posix_fadvise(f->host, (off_t)off, (off_t)len, advices[advice]);
#endif
    return WASI_ESUCCESS;
}

/* Removed from WASI since preview1 and refused by wasmtime; so here too. */
int32_t wasi_fd_allocate(void *vmctx, int32_t fd, int64_t off, int64_t len) {
    (void)vmctx; (void)off; (void)len;
    int32_t err;
    return file_fd(fd, &err) ? WASI_ENOTSUP : err;
}

int32_t wasi_fd_filestat_get(void *vmctx, int32_t fd, int32_t buf) {
    wasi_fd *f = wasi_fd_get(fd);
    if (!f) return WASI_EBADF;
    uint8_t *out = wasi_guest(vmctx, (uint32_t)buf, WASI_FILESTAT_SIZE);
    if (!out) return WASI_EFAULT;
    if (f->kind == WASI_FD_STDIO) {
        memset(out, 0, WASI_FILESTAT_SIZE);
        out[16] = wasi_stdio_filetype(f->host);
        return WASI_ESUCCESS;
    }
    struct stat st;
    if (fstat(f->host, &st) != 0) return wasi_errno(errno);
    wasi_store_filestat(out, &st);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_filestat_set_size(void *vmctx, int32_t fd, int64_t size) {
    (void)vmctx;
    int32_t err;
    wasi_fd *f = file_fd(fd, &err);
    if (!f) return err;
    if (size < 0) return WASI_EINVAL;
    return ftruncate(f->host, (off_t)size) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

/* witx fstflags to the two timespecs of futimens/utimensat; -1 if contradictory. */
int wasi_times(int64_t atim, int64_t mtim, int32_t flags, struct timespec times[2]) {
    if ((flags & WASI_FST_ATIM && flags & WASI_FST_ATIM_NOW) ||
        (flags & WASI_FST_MTIM && flags & WASI_FST_MTIM_NOW) || (flags & ~15))
        return -1;
    const int64_t value[2] = {atim, mtim};
    const int set[2] = {WASI_FST_ATIM, WASI_FST_MTIM}, now[2] = {WASI_FST_ATIM_NOW, WASI_FST_MTIM_NOW};
    for (int i = 0; i < 2; i++) {
        if (flags & now[i]) times[i] = (struct timespec){0, UTIME_NOW};
        else if (flags & set[i])
            times[i] = (struct timespec){(time_t)((uint64_t)value[i] / 1000000000u),
                                         (long)((uint64_t)value[i] % 1000000000u)};
        else times[i] = (struct timespec){0, UTIME_OMIT};
    }
    return 0;
}

int32_t wasi_fd_filestat_set_times(void *vmctx, int32_t fd, int64_t atim, int64_t mtim, int32_t flags) {
    (void)vmctx;
    wasi_fd *f = wasi_fd_get(fd);
    if (!f) return WASI_EBADF;
    struct timespec times[2];
    if (wasi_times(atim, mtim, flags, times) != 0) return WASI_EINVAL;
    return futimens(f->host, times) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}
