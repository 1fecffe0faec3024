/* poll_oneoff over host poll(2), and what the sandbox refuses: signals and sockets (the
 * guest is never granted a socket, so every sock_* call finds none). */
#define _DEFAULT_SOURCE
#define _GNU_SOURCE /* ppoll */
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wasi_internal.h"

/* Subscriptions (48 bytes): u64 userdata, u8 tag at 8, then at 16 either a clock (u32 id,
 * u64 timeout at 24, u64 precision at 32, u16 flags at 40) or an fd (u32).
 * Events (32 bytes): u64 userdata, u16 error at 8, u8 type at 10, then for fd events
 * u64 nbytes at 16 and u16 flags at 24. */
enum { SUB_CLOCK = 0, SUB_FD_READ = 1, SUB_FD_WRITE = 2 };
enum { CLOCK_ABSTIME_FLAG = 1, EVENT_HANGUP = 1 };

static void put_event(uint8_t *event, const uint8_t *sub, uint16_t error, uint64_t nbytes,
                      uint16_t flags) {
    memset(event, 0, WASI_EVENT_SIZE);
    memcpy(event, sub, 8);
    memcpy(event + 8, &error, 2);
    event[10] = sub[8];
    wasi_store_u64(event + 16, nbytes);
    memcpy(event + 24, &flags, 2);
}

/* Nanoseconds until a clock subscription fires (0 if it already has), or an errno. */
static int32_t clock_wait(const uint8_t *sub, int64_t *wait) {
    clockid_t clock;
    int32_t e = wasi_clock((int32_t)wasi_load_u32(sub + 16), &clock);
    if (e) return e;
    uint64_t timeout = wasi_load_u64(sub + 24);
    if (sub[40] & CLOCK_ABSTIME_FLAG) {
        struct timespec now;
        if (clock_gettime(clock, &now) != 0) return wasi_errno(errno);
        timeout = timeout > wasi_nanos(now) ? timeout - wasi_nanos(now) : 0;
    }
    *wait = timeout > INT64_MAX ? INT64_MAX : (int64_t)timeout;
    return WASI_ESUCCESS;
}

/* Bytes a read would get without blocking, where the host can tell (regular files). */
static uint64_t readable_bytes(int host) {
    struct stat st;
    if (fstat(host, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    off_t pos = lseek(host, 0, SEEK_CUR);
    return pos >= 0 && st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
}

static int wait_fds(struct pollfd *pfds, uint32_t n, int64_t timeout_ns) {
    int r;
#if defined(__linux__)
    struct timespec ts = {(time_t)(timeout_ns / 1000000000), (long)(timeout_ns % 1000000000)};
    do r = ppoll(pfds, n, timeout_ns < 0 ? NULL : &ts, NULL);
    while (r < 0 && errno == EINTR);
#else
    int ms = timeout_ns < 0 ? -1 : timeout_ns / 1000000 >= INT32_MAX ? INT32_MAX
                                 : (int)((timeout_ns + 999999) / 1000000);
    do r = poll(pfds, n, ms);
    while (r < 0 && errno == EINTR);
#endif
    return r;
}

int32_t wasi_poll_oneoff(void *vmctx, int32_t in, int32_t out, int32_t nsubs, int32_t nevents) {
    uint32_t count = (uint32_t)nsubs;
    uint8_t *subs = wasi_guest(vmctx, (uint32_t)in, (uint64_t)count * WASI_SUBSCRIPTION_SIZE);
    uint8_t *events = wasi_guest(vmctx, (uint32_t)out, (uint64_t)count * WASI_EVENT_SIZE);
    uint8_t *nevents_out = wasi_guest(vmctx, (uint32_t)nevents, 4);
    if (!subs || !events || !nevents_out) return WASI_EFAULT;
    if (count == 0) return WASI_EINVAL;
    struct pollfd *pfds = malloc(count * sizeof *pfds);
    uint32_t *sub_of = malloc(count * sizeof *sub_of);
    int64_t *waits = malloc(count * sizeof *waits);
    if (!pfds || !sub_of || !waits) {
        free(pfds); free(sub_of); free(waits);
        return WASI_ENOMEM;
    }
    int32_t result = WASI_ESUCCESS;
    uint32_t ready = 0, npoll = 0;
    int64_t soonest = -1;
    for (uint32_t i = 0; i < count && !result; i++) {
        const uint8_t *sub = subs + WASI_SUBSCRIPTION_SIZE * i;
        waits[i] = -1;
        if (sub[8] == SUB_CLOCK) {
            result = clock_wait(sub, &waits[i]);
            if (!result && (soonest < 0 || waits[i] < soonest)) soonest = waits[i];
        } else if (sub[8] == SUB_FD_READ || sub[8] == SUB_FD_WRITE) {
            /* A closed descriptor fails the whole call, as in wasmtime. */
            wasi_fd *f = wasi_fd_get((int32_t)wasi_load_u32(sub + 16));
            if (!f) {
                result = WASI_EBADF;
                continue;
            }
            pfds[npoll] = (struct pollfd){f->host, sub[8] == SUB_FD_READ ? POLLIN : POLLOUT, 0};
            sub_of[npoll++] = i;
        } else {
            result = WASI_EINVAL;
        }
    }
    if (!result && wait_fds(pfds, npoll, soonest) < 0) result = wasi_errno(errno);
    for (uint32_t k = 0; k < npoll && !result; k++) {
        if (!pfds[k].revents) continue;
        const uint8_t *sub = subs + WASI_SUBSCRIPTION_SIZE * sub_of[k];
        uint16_t error = pfds[k].revents & POLLNVAL ? WASI_EBADF : pfds[k].revents & POLLERR ? WASI_EIO : 0;
        uint64_t nbytes = sub[8] == SUB_FD_READ ? readable_bytes(pfds[k].fd) : 0;
        put_event(events + WASI_EVENT_SIZE * ready++, sub, error, nbytes,
                  pfds[k].revents & POLLHUP ? EVENT_HANGUP : 0);
    }
    /* Nothing else happened: the soonest clocks fired. */
    for (uint32_t i = 0; i < count && !result && ready == 0 && soonest >= 0; i++)
        if (waits[i] == soonest) put_event(events + WASI_EVENT_SIZE * ready++, subs + WASI_SUBSCRIPTION_SIZE * i, 0, 0, 0);
    free(pfds); free(sub_of); free(waits);
    if (result) return result;
    wasi_store_u32(nevents_out, ready);
    return WASI_ESUCCESS;
}

/* Signals would reach the whole host process: not in the sandbox (ENOTSUP, as wasmtime). */
int32_t wasi_proc_raise(void *v, int32_t sig) {
    (void)v; (void)sig;
    return WASI_ENOTSUP;
}

static int32_t no_socket(int32_t fd) {
    return wasi_fd_get(fd) ? WASI_ENOTSOCK : WASI_EBADF;
}

int32_t wasi_sock_accept(void *v, int32_t fd, int32_t flags, int32_t out) {
    (void)v; (void)flags; (void)out;
    return no_socket(fd);
}
int32_t wasi_sock_recv(void *v, int32_t fd, int32_t data, int32_t n, int32_t flags, int32_t len,
                       int32_t oflags) {
    (void)v; (void)data; (void)n; (void)flags; (void)len; (void)oflags;
    return no_socket(fd);
}
int32_t wasi_sock_send(void *v, int32_t fd, int32_t data, int32_t n, int32_t flags, int32_t len) {
    (void)v; (void)data; (void)n; (void)flags; (void)len;
    return no_socket(fd);
}
int32_t wasi_sock_shutdown(void *v, int32_t fd, int32_t how) {
    (void)v; (void)how;
    return no_socket(fd);
}
