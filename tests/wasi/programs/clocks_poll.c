/* Clocks, sleeping, poll_oneoff with clock and fd subscriptions, randomness, sched_yield,
 * and the calls the sandbox refuses (signals, sockets). Prints only what does not depend
 * on timing: orderings and lower bounds. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static void check(const char *what, int ok) { printf("%-48s %s\n", what, ok ? "ok" : "FAILED"); }

static __wasi_timestamp_t now(__wasi_clockid_t id) {
    __wasi_timestamp_t t = 0;
    __wasi_clock_time_get(id, 1, &t);
    return t;
}

/* One clock subscription that fires after `ns`, relative or absolute. */
static __wasi_subscription_t clock_sub(__wasi_userdata_t user, __wasi_timestamp_t ns, int absolute) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = user;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s.u.u.clock.timeout = ns;
    s.u.u.clock.flags = absolute ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
    return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t user, __wasi_eventtype_t type, __wasi_fd_t fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = user;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

int main(void) {
    for (__wasi_clockid_t id = 0; id < 4; id++) {
        __wasi_timestamp_t res = 0;
        __wasi_errno_t e = __wasi_clock_res_get(id, &res);
        printf("clock %u: res_get errno %d, resolution positive %d, time positive %d\n", id, e, res > 0, now(id) > 0);
    }
    __wasi_timestamp_t a = now(__WASI_CLOCKID_MONOTONIC), b = now(__WASI_CLOCKID_MONOTONIC);
    check("monotonic does not go back", b >= a);
    check("realtime is after 2020", now(__WASI_CLOCKID_REALTIME) > 1577836800ull * 1000000000ull);
    struct timespec ts;
    check("clock_gettime(CLOCK_MONOTONIC)", clock_gettime(CLOCK_MONOTONIC, &ts) == 0);

    a = now(__WASI_CLOCKID_MONOTONIC);
    check("nanosleep 20ms", nanosleep(&(struct timespec){0, 20000000}, NULL) == 0);
    check("slept at least 20ms", now(__WASI_CLOCKID_MONOTONIC) - a >= 20000000);
    a = now(__WASI_CLOCKID_MONOTONIC);
    check("usleep 10ms", usleep(10000) == 0 && now(__WASI_CLOCKID_MONOTONIC) - a >= 10000000);

    /* Two clocks: the sooner fires, with its userdata. */
    __wasi_subscription_t subs[4];
    __wasi_event_t events[4];
    __wasi_size_t n = 0;
    subs[0] = clock_sub(111, 200000000, 0);
    subs[1] = clock_sub(222, 15000000, 0);
    a = now(__WASI_CLOCKID_MONOTONIC);
    __wasi_errno_t e = __wasi_poll_oneoff(subs, events, 2, &n);
    __wasi_timestamp_t waited = now(__WASI_CLOCKID_MONOTONIC) - a;
    printf("two clocks: errno %d, %lu event(s), userdata %llu, type %d, error %d\n", e, (unsigned long)n,
           (unsigned long long)events[0].userdata, events[0].type, events[0].error);
    check("waited at least 15ms and less than 200ms", waited >= 15000000 && waited < 200000000);
    /* An absolute deadline in the past fires at once. */
    subs[0] = clock_sub(333, now(__WASI_CLOCKID_MONOTONIC) - 1, 1);
    e = __wasi_poll_oneoff(subs, events, 1, &n);
    printf("past absolute clock: errno %d, %lu event(s), userdata %llu\n", e, (unsigned long)n,
           (unsigned long long)events[0].userdata);
    subs[0] = clock_sub(334, now(__WASI_CLOCKID_MONOTONIC) + 10000000, 1);
    a = now(__WASI_CLOCKID_MONOTONIC);
    e = __wasi_poll_oneoff(subs, events, 1, &n);
    check("absolute clock 10ms ahead waits", e == 0 && n == 1 && now(__WASI_CLOCKID_MONOTONIC) - a >= 10000000);

    /* stdout is writable now: the fd event comes before a long clock. */
    subs[0] = fd_sub(444, __WASI_EVENTTYPE_FD_WRITE, 1);
    subs[1] = clock_sub(555, 5000000000ull, 0);
    a = now(__WASI_CLOCKID_MONOTONIC);
    e = __wasi_poll_oneoff(subs, events, 2, &n);
    printf("stdout write: errno %d, %lu event(s), userdata %llu, type %d, error %d\n", e, (unsigned long)n,
           (unsigned long long)events[0].userdata, events[0].type, events[0].error);
    check("did not wait for the clock", now(__WASI_CLOCKID_MONOTONIC) - a < 5000000000ull);

    /* A regular file is always ready to read. */
    int fd = open("/sandbox/data.txt", O_RDONLY);
    subs[0] = fd_sub(666, __WASI_EVENTTYPE_FD_READ, fd);
    e = __wasi_poll_oneoff(subs, events, 1, &n);
    printf("file read: errno %d, %lu event(s), userdata %llu, type %d, error %d\n", e, (unsigned long)n,
           (unsigned long long)events[0].userdata, events[0].type, events[0].error);
    close(fd);

    /* A closed descriptor: an event with EBADF, or the call fails; both say so. */
    subs[0] = fd_sub(777, __WASI_EVENTTYPE_FD_READ, 99);
    e = __wasi_poll_oneoff(subs, events, 1, &n);
    printf("bad fd: errno %d, events %lu, first error %d\n", e, (unsigned long)(e ? 0 : n), e ? 0 : events[0].error);
    printf("no subscriptions: errno %d\n", __wasi_poll_oneoff(subs, events, 0, &n));

    unsigned char r1[64] = {0}, r2[64] = {0};
    check("random_get", __wasi_random_get(r1, sizeof r1) == 0 && __wasi_random_get(r2, sizeof r2) == 0);
    check("two random draws differ", memcmp(r1, r2, sizeof r1) != 0);
    check("random_get of 0 bytes", __wasi_random_get(r1, 0) == 0);
    check("sched_yield", __wasi_sched_yield() == 0);
    printf("sock_accept on stdin: errno %d\n", __wasi_sock_accept(0, 0, &(__wasi_fd_t){0}));
    printf("sock_shutdown on a bad fd: errno %d\n", __wasi_sock_shutdown(99, __WASI_SDFLAGS_WR));
    return 0;
}
