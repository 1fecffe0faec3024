/* Private to the WASI files: witx's errno values and the helpers they share. */
#ifndef WASMC_WASI_INTERNAL_H
#define WASMC_WASI_INTERNAL_H
#include <string.h>
#include <time.h>
#include "internal.h"

enum {
    WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EAGAIN = 6, WASI_EBADF = 8,
    WASI_EFAULT = 21, WASI_EFBIG = 22, WASI_EINTR = 27, WASI_EINVAL = 28, WASI_EIO = 29,
    WASI_EISDIR = 31, WASI_ENOENT = 44, WASI_ENOMEM = 48, WASI_ENOSPC = 51, WASI_ENOSYS = 52,
    WASI_ENOTDIR = 54, WASI_EOVERFLOW = 61, WASI_EPERM = 63, WASI_EPIPE = 64,
    WASI_ESPIPE = 70, WASI_ENOTSOCK = 57, WASI_ENOTSUP = 58,
};

enum { WASI_FILETYPE_UNKNOWN = 0, WASI_FILETYPE_BLOCK_DEVICE = 1, WASI_FILETYPE_CHARACTER_DEVICE = 2,
       WASI_FILETYPE_DIRECTORY = 3, WASI_FILETYPE_REGULAR_FILE = 4, WASI_FILETYPE_SOCKET_STREAM = 6,
       WASI_FILETYPE_SYMBOLIC_LINK = 7 };

/* Guest memory [ptr, ptr+len) of the calling instance, or NULL if out of bounds. */
uint8_t *wasi_guest(void *vmctx, uint32_t ptr, uint64_t len);
/* Whether the guest has `fd` open (only stdin, stdout and stderr exist). */
int wasi_valid_fd(int32_t fd);
int32_t wasi_errno(int host_errno);
uint8_t wasi_filetype(int host_fd);
int wasi_clock(int32_t id, clockid_t *out);

/* Guest memory is little-endian, like every host wasmc targets. */
static inline void wasi_store_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void wasi_store_u64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static inline uint32_t wasi_load_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t wasi_load_u64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* wasi_extra.c */
int32_t wasi_fd_filestat_get(void *vmctx, int32_t fd, int32_t buf);
int32_t wasi_fd_tell(void *vmctx, int32_t fd, int32_t result);
int32_t wasi_fd_sync(void *vmctx, int32_t fd);
int32_t wasi_fd_datasync(void *vmctx, int32_t fd);
int32_t wasi_fd_fdstat_set_flags(void *vmctx, int32_t fd, int32_t flags);
int32_t wasi_poll_oneoff(void *vmctx, int32_t in, int32_t out, int32_t nsubs, int32_t nevents);
int32_t wasi_fd_advise(void *v, int32_t fd, int64_t off, int64_t len, int32_t advice);
int32_t wasi_fd_allocate(void *v, int32_t fd, int64_t off, int64_t len);
int32_t wasi_fd_fdstat_set_rights(void *v, int32_t fd, int64_t base, int64_t inheriting);
int32_t wasi_fd_filestat_set_size(void *v, int32_t fd, int64_t size);
int32_t wasi_fd_filestat_set_times(void *v, int32_t fd, int64_t atim, int64_t mtim, int32_t flags);
int32_t wasi_fd_pread(void *v, int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nread);
int32_t wasi_fd_pwrite(void *v, int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nwritten);
int32_t wasi_fd_readdir(void *v, int32_t fd, int32_t buf, int32_t len, int64_t cookie,
    int32_t used);
int32_t wasi_fd_renumber(void *v, int32_t fd, int32_t to);
int32_t wasi_path_create_directory(void *v, int32_t fd, int32_t p, int32_t n);
int32_t wasi_path_filestat_get(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n,
    int32_t buf);
int32_t wasi_path_filestat_set_times(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n,
    int64_t atim, int64_t mtim, int32_t fst_flags);
int32_t wasi_path_link(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n, int32_t to_fd,
    int32_t to_p, int32_t to_n);
int32_t wasi_path_open(void *v, int32_t fd, int32_t dirflags, int32_t p, int32_t n, int32_t oflags,
    int64_t base, int64_t inheriting, int32_t fdflags, int32_t opened);
int32_t wasi_path_readlink(void *v, int32_t fd, int32_t p, int32_t n, int32_t buf, int32_t len,
    int32_t used);
int32_t wasi_path_remove_directory(void *v, int32_t fd, int32_t p, int32_t n);
int32_t wasi_path_rename(void *v, int32_t fd, int32_t p, int32_t n, int32_t to_fd, int32_t to_p,
    int32_t to_n);
int32_t wasi_path_symlink(void *v, int32_t p, int32_t n, int32_t fd, int32_t to_p, int32_t to_n);
int32_t wasi_path_unlink_file(void *v, int32_t fd, int32_t p, int32_t n);
int32_t wasi_proc_raise(void *v, int32_t sig);
int32_t wasi_sock_accept(void *v, int32_t fd, int32_t flags, int32_t out);
int32_t wasi_sock_recv(void *v, int32_t fd, int32_t data, int32_t n, int32_t flags, int32_t len,
    int32_t oflags);
int32_t wasi_sock_send(void *v, int32_t fd, int32_t data, int32_t n, int32_t flags, int32_t len);
int32_t wasi_sock_shutdown(void *v, int32_t fd, int32_t how);

#endif
