/* The rest of WASI preview1, as far as a sandbox with only stdin, stdout and stderr can
 * answer it: file status, offsets, polling (sleeps and always-ready stdio), and errors for
 * paths (no preopened directory exists) and sockets. Every preview1 function is defined, so
 * a module that merely imports one still links. */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wasi_internal.h"

static uint64_t nanos(struct timespec ts) {
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int32_t wasi_fd_filestat_get(void *vmctx, int32_t fd, int32_t buf) {
    if (!wasi_valid_fd(fd)) return WASI_EBADF;
    uint8_t *out = wasi_guest(vmctx, (uint32_t)buf, 64);
    if (!out) return WASI_EFAULT;
    struct stat st;
    if (fstat(fd, &st) != 0) return wasi_errno(errno);
    /* filestat: dev, ino, u8 filetype at 16, nlink at 24, size, atim, mtim, ctim */
    memset(out, 0, 64);
    wasi_store_u64(out, (uint64_t)st.st_dev);
    wasi_store_u64(out + 8, (uint64_t)st.st_ino);
    out[16] = wasi_filetype(fd);
    wasi_store_u64(out + 24, (uint64_t)st.st_nlink);
    wasi_store_u64(out + 32, (uint64_t)st.st_size);
#if defined(__APPLE__)
    wasi_store_u64(out + 40, nanos(st.st_atimespec));
    wasi_store_u64(out + 48, nanos(st.st_mtimespec));
    wasi_store_u64(out + 56, nanos(st.st_ctimespec));
#else
    wasi_store_u64(out + 40, nanos(st.st_atim));
    wasi_store_u64(out + 48, nanos(st.st_mtim));
    wasi_store_u64(out + 56, nanos(st.st_ctim));
#endif
    return WASI_ESUCCESS;
}

int32_t wasi_fd_tell(void *vmctx, int32_t fd, int32_t result) {
    if (!wasi_valid_fd(fd)) return WASI_EBADF;
    uint8_t *out = wasi_guest(vmctx, (uint32_t)result, 8);
    if (!out) return WASI_EFAULT;
    off_t pos = lseek(fd, 0, SEEK_CUR);
    if (pos < 0) return wasi_errno(errno);
    wasi_store_u64(out, (uint64_t)pos);
    return WASI_ESUCCESS;
}

int32_t wasi_fd_sync(void *vmctx, int32_t fd) {
    (void)vmctx;
    if (!wasi_valid_fd(fd)) return WASI_EBADF;
    return fsync(fd) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

int32_t wasi_fd_datasync(void *vmctx, int32_t fd) {
    return wasi_fd_sync(vmctx, fd);
}

int32_t wasi_fd_fdstat_set_flags(void *vmctx, int32_t fd, int32_t flags) {
    (void)vmctx;
    if (!wasi_valid_fd(fd)) return WASI_EBADF;
    return flags == 0 ? WASI_ESUCCESS : WASI_ENOTSUP;
}

/* Subscriptions are 48 bytes: u64 userdata, u8 tag at 8, then at 16 either a clock
 * (u32 id, u64 timeout at 24, u64 precision at 32, u16 flags at 40) or an fd (u32).
 * Events are 32 bytes: u64 userdata, u16 error at 8, u8 type at 10, u64 nbytes at 16. */
enum { SUB_CLOCK = 0, SUB_FD_READ = 1, SUB_FD_WRITE = 2, SUB_CLOCK_ABSTIME = 1 };

static void put_event(uint8_t *event, const uint8_t *sub, uint16_t error) {
    memset(event, 0, 32);
    memcpy(event, sub, 8);
    memcpy(event + 8, &error, 2);
    event[10] = sub[8];
}

int32_t wasi_poll_oneoff(void *vmctx, int32_t in, int32_t out, int32_t nsubs, int32_t nevents) {
    uint8_t *subs = wasi_guest(vmctx, (uint32_t)in, (uint64_t)(uint32_t)nsubs * 48);
    uint8_t *events = wasi_guest(vmctx, (uint32_t)out, (uint64_t)(uint32_t)nsubs * 32);
    uint8_t *count = wasi_guest(vmctx, (uint32_t)nevents, 4);
    if (!subs || !events || !count) return WASI_EFAULT;
    if (nsubs == 0) return WASI_EINVAL;
    /* stdio is always reported ready; only when nothing is ready do we sleep on a clock */
    uint32_t ready = 0;
    for (uint32_t i = 0; i < (uint32_t)nsubs; i++) {
        const uint8_t *sub = subs + 48 * i;
        if (sub[8] == SUB_FD_READ || sub[8] == SUB_FD_WRITE)
            put_event(events + 32 * ready++, sub,
                      wasi_valid_fd((int32_t)wasi_load_u32(sub + 16)) ? WASI_ESUCCESS : WASI_EBADF);
    }
    if (ready) {
        wasi_store_u32(count, ready);
        return WASI_ESUCCESS;
    }
    const uint8_t *soonest = NULL;
    uint64_t soonest_wait = UINT64_MAX;
    for (uint32_t i = 0; i < (uint32_t)nsubs; i++) {
        const uint8_t *sub = subs + 48 * i;
        clockid_t clock;
        struct timespec now;
        if (sub[8] != SUB_CLOCK) return WASI_EINVAL;
        if (wasi_clock((int32_t)wasi_load_u32(sub + 16), &clock) != 0) return WASI_EINVAL;
        uint64_t timeout = wasi_load_u64(sub + 24), wait = timeout;
        if (sub[40] & SUB_CLOCK_ABSTIME) {
            if (clock_gettime(clock, &now) != 0) return wasi_errno(errno);
            wait = timeout > nanos(now) ? timeout - nanos(now) : 0;
        }
        if (wait < soonest_wait) {
            soonest_wait = wait;
            soonest = sub;
        }
    }
    struct timespec delay = {(time_t)(soonest_wait / 1000000000u), (long)(soonest_wait % 1000000000u)};
    while (nanosleep(&delay, &delay) != 0 && errno == EINTR) {}
    put_event(events, soonest, WASI_ESUCCESS);
    wasi_store_u32(count, 1);
    return WASI_ESUCCESS;
}

/* ---- refused: every function below fails, with the errno a stdio-only sandbox implies ---- */

#pragma GCC diagnostic ignored "-Wunused-parameter"

/* A path is resolved against a directory fd; the guest has none. */
static int32_t no_directory(int32_t fd) {
    return wasi_valid_fd(fd) ? WASI_ENOTDIR : WASI_EBADF;
}
static int32_t no_socket(int32_t fd) {
    return wasi_valid_fd(fd) ? WASI_ENOTSOCK : WASI_EBADF;
}
static int32_t unsupported(int32_t fd) {
    return wasi_valid_fd(fd) ? WASI_ENOTSUP : WASI_EBADF;
}

int32_t wasi_fd_advise(void *v, int32_t fd, int64_t off, int64_t len, int32_t advice) { return unsupported(fd); }
int32_t wasi_fd_allocate(void *v, int32_t fd, int64_t off, int64_t len) { return unsupported(fd); }
int32_t wasi_fd_fdstat_set_rights(void *v, int32_t fd, int64_t base, int64_t inheriting) { return unsupported(fd); }
int32_t wasi_fd_filestat_set_size(void *v, int32_t fd, int64_t size) { return unsupported(fd); }
int32_t wasi_fd_filestat_set_times(void *v, int32_t fd, int64_t atim, int64_t mtim, int32_t flags) {
    return unsupported(fd);
}
int32_t wasi_fd_pread(void *v, int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nread) {
    return unsupported(fd);
}
int32_t wasi_fd_pwrite(void *v, int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nwritten) {
    return unsupported(fd);
}
int32_t wasi_fd_readdir(void *v, int32_t fd, int32_t buf, int32_t len, int64_t cookie, int32_t used) {
    return no_directory(fd);
}
int32_t wasi_fd_renumber(void *v, int32_t fd, int32_t to) { return unsupported(fd); }
int32_t wasi_path_create_directory(void *v, int32_t fd, int32_t p, int32_t n) { return no_directory(fd); }
int32_t wasi_path_filestat_get(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n, int32_t buf) {
    return no_directory(fd);
}
int32_t wasi_path_filestat_set_times(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n, int64_t atim,
                                     int64_t mtim, int32_t fst_flags) {
    return no_directory(fd);
}
int32_t wasi_path_link(void *v, int32_t fd, int32_t flags, int32_t p, int32_t n, int32_t to_fd, int32_t to_p,
                       int32_t to_n) {
    return no_directory(fd);
}
int32_t wasi_path_open(void *v, int32_t fd, int32_t dirflags, int32_t p, int32_t n, int32_t oflags,
                       int64_t base, int64_t inheriting, int32_t fdflags, int32_t opened) {
    return no_directory(fd);
}
int32_t wasi_path_readlink(void *v, int32_t fd, int32_t p, int32_t n, int32_t buf, int32_t len, int32_t used) {
    return no_directory(fd);
}
int32_t wasi_path_remove_directory(void *v, int32_t fd, int32_t p, int32_t n) { return no_directory(fd); }
int32_t wasi_path_rename(void *v, int32_t fd, int32_t p, int32_t n, int32_t to_fd, int32_t to_p, int32_t to_n) {
    return no_directory(fd);
}
int32_t wasi_path_symlink(void *v, int32_t p, int32_t n, int32_t fd, int32_t to_p, int32_t to_n) {
    return no_directory(fd);
}
int32_t wasi_path_unlink_file(void *v, int32_t fd, int32_t p, int32_t n) { return no_directory(fd); }
int32_t wasi_proc_raise(void *v, int32_t sig) { return WASI_ENOSYS; }
int32_t wasi_sock_accept(void *v, int32_t fd, int32_t flags, int32_t out) { return no_socket(fd); }
int32_t wasi_sock_recv(void *v, int32_t fd, int32_t data, int32_t n, int32_t flags, int32_t len, int32_t oflags) {
    return no_socket(fd);
}
int32_t wasi_sock_send(void *v, int32_t fd, int32_t data, int32_t n, int32_t flags, int32_t len) {
    return no_socket(fd);
}
int32_t wasi_sock_shutdown(void *v, int32_t fd, int32_t how) { return no_socket(fd); }
