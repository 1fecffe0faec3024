/* Private to the WASI files: witx's constants, the guest's descriptor table, sandboxed path
 * resolution, and the host functions each file implements. */
#ifndef WASMC_WASI_INTERNAL_H
#define WASMC_WASI_INTERNAL_H
#include <dirent.h>
#include <string.h>
#include <time.h>
#include "internal.h"

/* witx `errno`: the values wasi_errno maps host errors to. */
enum {
    WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EADDRINUSE = 3, WASI_EADDRNOTAVAIL = 4,
    WASI_EAFNOSUPPORT = 5, WASI_EAGAIN = 6, WASI_EALREADY = 7, WASI_EBADF = 8, WASI_EBADMSG = 9,
    WASI_EBUSY = 10, WASI_ECANCELED = 11, WASI_ECHILD = 12, WASI_ECONNABORTED = 13,
    WASI_ECONNREFUSED = 14, WASI_ECONNRESET = 15, WASI_EDEADLK = 16, WASI_EDESTADDRREQ = 17,
    WASI_EDOM = 18, WASI_EDQUOT = 19, WASI_EEXIST = 20, WASI_EFAULT = 21, WASI_EFBIG = 22,
    WASI_EHOSTUNREACH = 23, WASI_EIDRM = 24, WASI_EILSEQ = 25, WASI_EINPROGRESS = 26,
    WASI_EINTR = 27, WASI_EINVAL = 28, WASI_EIO = 29, WASI_EISCONN = 30, WASI_EISDIR = 31,
    WASI_ELOOP = 32, WASI_EMFILE = 33, WASI_EMLINK = 34, WASI_EMSGSIZE = 35, WASI_EMULTIHOP = 36,
    WASI_ENAMETOOLONG = 37, WASI_ENETDOWN = 38, WASI_ENETRESET = 39, WASI_ENETUNREACH = 40,
    WASI_ENFILE = 41, WASI_ENOBUFS = 42, WASI_ENODEV = 43, WASI_ENOENT = 44, WASI_ENOEXEC = 45,
    WASI_ENOLCK = 46, WASI_ENOLINK = 47, WASI_ENOMEM = 48, WASI_ENOMSG = 49, WASI_ENOPROTOOPT = 50,
    WASI_ENOSPC = 51, WASI_ENOSYS = 52, WASI_ENOTCONN = 53, WASI_ENOTDIR = 54, WASI_ENOTEMPTY = 55,
    WASI_ENOTRECOVERABLE = 56, WASI_ENOTSOCK = 57, WASI_ENOTSUP = 58, WASI_ENOTTY = 59,
    WASI_ENXIO = 60, WASI_EOVERFLOW = 61, WASI_EOWNERDEAD = 62, WASI_EPERM = 63, WASI_EPIPE = 64,
    WASI_EPROTO = 65, WASI_EPROTONOSUPPORT = 66, WASI_EPROTOTYPE = 67, WASI_ERANGE = 68,
    WASI_EROFS = 69, WASI_ESPIPE = 70, WASI_ESRCH = 71, WASI_ESTALE = 72, WASI_ETIMEDOUT = 73,
    WASI_ETXTBSY = 74, WASI_EXDEV = 75, WASI_ENOTCAPABLE = 76,
};

enum { WASI_FILETYPE_UNKNOWN = 0, WASI_FILETYPE_BLOCK_DEVICE = 1, WASI_FILETYPE_CHARACTER_DEVICE = 2,
       WASI_FILETYPE_DIRECTORY = 3, WASI_FILETYPE_REGULAR_FILE = 4, WASI_FILETYPE_SOCKET_DGRAM = 5,
       WASI_FILETYPE_SOCKET_STREAM = 6, WASI_FILETYPE_SYMBOLIC_LINK = 7 };

/* witx `fdflags`, `oflags`, `lookupflags`, `fstflags`. */
enum { WASI_FDFLAG_APPEND = 1, WASI_FDFLAG_DSYNC = 2, WASI_FDFLAG_NONBLOCK = 4, WASI_FDFLAG_RSYNC = 8,
       WASI_FDFLAG_SYNC = 16 };
enum { WASI_O_CREAT = 1, WASI_O_DIRECTORY = 2, WASI_O_EXCL = 4, WASI_O_TRUNC = 8 };
enum { WASI_LOOKUP_SYMLINK_FOLLOW = 1 };
enum { WASI_FST_ATIM = 1, WASI_FST_ATIM_NOW = 2, WASI_FST_MTIM = 4, WASI_FST_MTIM_NOW = 8 };

/* witx `rights`: the bits path_open looks at to choose the host access mode. */
#define WASI_RIGHT_FD_READ (1ull << 1)
#define WASI_RIGHT_FD_WRITE (1ull << 6)
#define WASI_RIGHT_FD_ALLOCATE (1ull << 8)
#define WASI_RIGHT_FD_READDIR (1ull << 14)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE (1ull << 22)
#define WASI_RIGHTS_ALL ((1ull << 30) - 1)
/* What fdstat reports, as wasmtime does: pre-opened directories get the path and readdir
 * rights and pass on more; files everything but the access they were not opened for. */
#define WASI_DIR_RIGHTS_BASE 0x7b7fe00ull
#define WASI_DIR_RIGHTS_INHERITING 0xff7ffffull
/* A directory the guest opened: every right but seeking, writing and resizing. */
#define WASI_OPENED_DIR_RIGHTS 0x3fb7ffbbull

/* Sizes of the witx structs the guest passes by pointer. */
enum { WASI_FDSTAT_SIZE = 24, WASI_FILESTAT_SIZE = 64, WASI_DIRENT_SIZE = 24, WASI_PRESTAT_SIZE = 8,
       WASI_SUBSCRIPTION_SIZE = 48, WASI_EVENT_SIZE = 32, WASI_IOVEC_SIZE = 8 };

/* ---- wasi.c: what every file shares ---- */

/* Guest memory [ptr, ptr+len) of the calling instance, or NULL if out of bounds. */
uint8_t *wasi_guest(void *vmctx, uint32_t ptr, uint64_t len);
int32_t wasi_errno(int host_errno);
/* Whether [s, s+len) is UTF-8: witx strings, paths included, must be (else EILSEQ). */
int wasi_valid_utf8(const uint8_t *s, uint32_t len);
/* The witx filetype of a host `st_mode`. */
uint8_t wasi_filetype_of_mode(unsigned mode);
/* The host clock of a witx clockid, or the errno for the guest. */
int32_t wasi_clock(int32_t id, clockid_t *out);
uint64_t wasi_nanos(struct timespec ts);
/* Writes a witx `filestat` (64 bytes) for `st`. */
struct stat;
void wasi_store_filestat(uint8_t *out, const struct stat *st);

/* Guest memory is little-endian, like every host wasmc targets. */
static inline void wasi_store_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void wasi_store_u64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static inline uint32_t wasi_load_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t wasi_load_u64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* ---- wasi_fd.c: the guest's descriptor table ---- */

enum wasi_fd_kind { WASI_FD_FREE = 0, WASI_FD_STDIO, WASI_FD_FILE, WASI_FD_DIR };

typedef struct wasi_fd {
    uint8_t kind;           /* wasi_fd_kind */
    int host;               /* the host descriptor (stdio: 0-2, never closed by the guest) */
    uint16_t fdflags;       /* witx fdflags the guest set */
    uint64_t rights_base, rights_inheriting;
    char *preopen;          /* the guest name of a pre-opened directory, else NULL */
    DIR *dir;               /* fd_readdir's stream, opened on first use */
    uint64_t dir_index;     /* entries of `dir` consumed so far */
} wasi_fd;

/* The open descriptor `fd`, or NULL (then the guest gets EBADF). */
wasi_fd *wasi_fd_get(int32_t fd);
/* Gives the guest `host` as a new descriptor (the lowest free number); -1 when out of fds,
 * in which case `host` is closed. */
int32_t wasi_fd_add(int host, uint8_t kind, uint64_t rights_base, uint64_t rights_inheriting,
                    uint16_t fdflags);

/* Stdio is a stream to the guest, as in wasmtime: no offset, no file metadata, and a
 * character device only when it is a terminal. */
uint8_t wasi_stdio_filetype(int host);
/* The witx filetype of an open descriptor. */
uint8_t wasi_fd_filetype(const wasi_fd *f);

/* ---- wasi_resolve.c: paths that stay inside their directory ---- */

/* A guest path resolved to its last component and the host directory that holds it. */
typedef struct wasi_resolved {
    int dir;            /* host directory fd of the parent (owned unless it is the base) */
    int owned;
    const char *name;   /* the last component: "." when the path names the directory itself */
    int trailing_slash; /* the guest wrote "name/": it must be a directory */
    char *storage;
} wasi_resolved;

/* Resolves the guest path [path, path+len) relative to directory descriptor `fd`, component
 * by component: ".." never climbs above `fd`, absolute paths and symlinks whose contents are
 * absolute or climb out fail with EPERM (as in wasmtime), and every component is opened with
 * O_NOFOLLOW relative to the one before, so a concurrent rename or symlink swap can make the
 * lookup fail but never escape. With `follow`, a symlink in the last component is resolved
 * too; without it (and always for what the caller then does), the caller must not follow it. */
int32_t wasi_resolve(void *vmctx, int32_t fd, uint32_t path, uint32_t len, int follow,
                     wasi_resolved *out);
void wasi_resolved_free(wasi_resolved *r);

/* ---- the host functions, one file per family ---- */

/* wasi_fd.c */
int32_t wasi_fd_close(void *vmctx, int32_t fd);
int32_t wasi_fd_renumber(void *v, int32_t fd, int32_t to);
int32_t wasi_fd_fdstat_get(void *vmctx, int32_t fd, int32_t buf);
int32_t wasi_fd_fdstat_set_flags(void *vmctx, int32_t fd, int32_t flags);
int32_t wasi_fd_fdstat_set_rights(void *v, int32_t fd, int64_t base, int64_t inheriting);
int32_t wasi_fd_prestat_get(void *vmctx, int32_t fd, int32_t buf);
int32_t wasi_fd_prestat_dir_name(void *vmctx, int32_t fd, int32_t path, int32_t len);

/* wasi_io.c */
/* witx timestamps and fstflags to futimens's two timespecs; -1 if the flags contradict. */
int wasi_times(int64_t atim, int64_t mtim, int32_t flags, struct timespec times[2]);
int32_t wasi_fd_read(void *vmctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread);
int32_t wasi_fd_write(void *vmctx, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten);
int32_t wasi_fd_pread(void *v, int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nread);
int32_t wasi_fd_pwrite(void *v, int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nwritten);
int32_t wasi_fd_seek(void *vmctx, int32_t fd, int64_t offset, int32_t whence, int32_t result);
int32_t wasi_fd_tell(void *vmctx, int32_t fd, int32_t result);
int32_t wasi_fd_sync(void *vmctx, int32_t fd);
int32_t wasi_fd_datasync(void *vmctx, int32_t fd);
int32_t wasi_fd_advise(void *v, int32_t fd, int64_t off, int64_t len, int32_t advice);
int32_t wasi_fd_allocate(void *v, int32_t fd, int64_t off, int64_t len);
int32_t wasi_fd_filestat_get(void *vmctx, int32_t fd, int32_t buf);
int32_t wasi_fd_filestat_set_size(void *v, int32_t fd, int64_t size);
int32_t wasi_fd_filestat_set_times(void *v, int32_t fd, int64_t atim, int64_t mtim, int32_t flags);

/* wasi_readdir.c */
int32_t wasi_fd_readdir(void *v, int32_t fd, int32_t buf, int32_t len, int64_t cookie, int32_t used);

/* wasi_path.c */
int32_t wasi_path_open(void *v, int32_t fd, int32_t dirflags, int32_t p, int32_t n, int32_t oflags,
    int64_t base, int64_t inheriting, int32_t fdflags, int32_t opened);
int32_t wasi_path_create_directory(void *v, int32_t fd, int32_t p, int32_t n);
int32_t wasi_path_filestat_get(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n,
    int32_t buf);
int32_t wasi_path_filestat_set_times(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n,
    int64_t atim, int64_t mtim, int32_t fst_flags);
int32_t wasi_path_link(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n, int32_t to_fd,
    int32_t to_p, int32_t to_n);
int32_t wasi_path_readlink(void *v, int32_t fd, int32_t p, int32_t n, int32_t buf, int32_t len,
    int32_t used);
int32_t wasi_path_remove_directory(void *v, int32_t fd, int32_t p, int32_t n);
int32_t wasi_path_rename(void *v, int32_t fd, int32_t p, int32_t n, int32_t to_fd, int32_t to_p,
    int32_t to_n);
int32_t wasi_path_symlink(void *v, int32_t p, int32_t n, int32_t fd, int32_t to_p, int32_t to_n);
int32_t wasi_path_unlink_file(void *v, int32_t fd, int32_t p, int32_t n);

/* wasi_poll.c */
int32_t wasi_poll_oneoff(void *vmctx, int32_t in, int32_t out, int32_t nsubs, int32_t nevents);
int32_t wasi_proc_raise(void *v, int32_t sig);
int32_t wasi_sock_accept(void *v, int32_t fd, int32_t flags, int32_t out);
int32_t wasi_sock_recv(void *v, int32_t fd, int32_t data, int32_t n, int32_t flags, int32_t len,
    int32_t oflags);
int32_t wasi_sock_send(void *v, int32_t fd, int32_t data, int32_t n, int32_t flags, int32_t len);
int32_t wasi_sock_shutdown(void *v, int32_t fd, int32_t how);

#endif
