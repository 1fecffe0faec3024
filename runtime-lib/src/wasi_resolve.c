/* Path resolution that cannot leave its starting directory.
 *
 * The guest path is walked one component at a time. Each directory on the way is opened
 * with O_NOFOLLOW relative to the previous one and kept open, so ".." pops back to a
 * descriptor we hold instead of asking the host for the parent: the walk never names a
 * host path, and a directory renamed or swapped for a symlink meanwhile makes the lookup
 * fail rather than escape. Symlinks are read with readlinkat and their contents spliced
 * into the rest of the path, under the same rules (absolute contents are refused). */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include "wasi_internal.h"

/* As Linux's limit on symlinks followed in one lookup. */
#define MAX_SYMLINKS 40

#ifdef O_PATH
#define DIR_WALK_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#else
#define DIR_WALK_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#endif

/* The directories entered so far; dirs[0] is the guest's descriptor, not ours to close. */
typedef struct walk {
    int *dirs;
    uint32_t depth, cap;
} walk;

static int walk_push(walk *w, int fd) {
    if (w->depth + 1 >= w->cap) {
        uint32_t cap = w->cap * 2;
        int *dirs = realloc(w->dirs, cap * sizeof *dirs);
        if (!dirs) return -1;
        w->dirs = dirs;
        w->cap = cap;
    }
    w->dirs[++w->depth] = fd;
    return 0;
}

static void walk_pop(walk *w) {
    close(w->dirs[w->depth--]);
}

/* The new pending path after a symlink: its contents, then the components after it. */
static char *splice(const char *link, const char *rest) {
    size_t a = strlen(link), b = strlen(rest);
    char *s = malloc(a + b + 2);
    if (!s) return NULL;
    memcpy(s, link, a);
    if (b) s[a++] = '/';
    memcpy(s + a, rest, b + 1);
    return s;
}

void wasi_resolved_free(wasi_resolved *r) {
    if (r->owned) close(r->dir);
    free(r->storage);
    *r = (wasi_resolved){.dir = -1};
}

/* Walks `pending` (owned) from w's top directory. */
static int32_t walk_path(walk *w, char *pending, int follow, wasi_resolved *out) {
    uint32_t symlinks = 0;
    size_t at = 0;
    char target[PATH_MAX + 1];
    for (;;) {
        while (pending[at] == '/') at++;
        size_t end = at;
        while (pending[end] && pending[end] != '/') end++;
        size_t next = end;
        while (pending[next] == '/') next++;
        int last = pending[next] == '\0';
        int slash_after = end != next;
        pending[end] = '\0';
        char *name = pending + at;
        if (name[0] == '\0' || strcmp(name, ".") == 0) {
            name = ".";
        } else if (strcmp(name, "..") == 0) {
            if (w->depth == 0) {
                free(pending);
                return WASI_EPERM;
            }
            walk_pop(w);
            name = ".";
        } else if (!last || follow || slash_after) {
            ssize_t n = readlinkat(w->dirs[w->depth], name, target, sizeof target - 1);
            if (n >= 0) {
                /* A symlink: continue with its contents, then the rest of the path. */
                target[n] = '\0';
                if (++symlinks > MAX_SYMLINKS || n == 0 || target[0] == '/') {
                    free(pending);
                    return n == 0 ? WASI_ENOENT : target[0] == '/' ? WASI_EPERM : WASI_ELOOP;
                }
                char *rest = slash_after ? pending + end + 1 : pending + next;
                char *spliced = splice(target, rest);
                free(pending);
                if (!spliced) return WASI_ENOMEM;
                pending = spliced;
                at = 0;
                continue;
            }
            if (errno != EINVAL && errno != ENOENT) {
                free(pending);
                return wasi_errno(errno);
            }
            if (!last) {
                int fd = openat(w->dirs[w->depth], name, DIR_WALK_FLAGS);
                if (fd < 0 || walk_push(w, fd) != 0) {
                    int32_t e = fd < 0 ? wasi_errno(errno) : WASI_ENOMEM;
                    if (fd >= 0) close(fd);
                    free(pending);
                    return e;
                }
            }
        }
        if (last) {
            out->name = name;
            out->trailing_slash = slash_after;
            out->storage = pending;
            return WASI_ESUCCESS;
        }
        at = next;
    }
}

int32_t wasi_resolve(void *vmctx, int32_t fd, uint32_t path, uint32_t len, int follow,
                     wasi_resolved *out) {
    *out = (wasi_resolved){.dir = -1};
    wasi_fd *base = wasi_fd_get(fd);
    if (!base) return WASI_EBADF;
    if (base->kind != WASI_FD_DIR) return WASI_ENOTDIR;
    const uint8_t *guest = wasi_guest(vmctx, path, len);
    if (!guest) return WASI_EFAULT;
    if (len == 0) return WASI_ENOENT;
    if (memchr(guest, '\0', len) || !wasi_valid_utf8(guest, len)) return WASI_EILSEQ;
    if (guest[0] == '/') return WASI_EPERM;
    char *pending = malloc((size_t)len + 1);
    walk w = {.dirs = malloc(8 * sizeof(int)), .cap = 8};
    if (!pending || !w.dirs) {
        free(pending);
        free(w.dirs);
        return WASI_ENOMEM;
    }
    memcpy(pending, guest, len);
    pending[len] = '\0';
    w.dirs[0] = base->host;
    int32_t e = walk_path(&w, pending, follow, out);
    if (e == WASI_ESUCCESS) {
        out->dir = w.dirs[w.depth];
        out->owned = w.depth > 0;
        if (w.depth > 0) w.depth--; /* the parent now belongs to `out` */
    }
    while (w.depth > 0) walk_pop(&w);
    free(w.dirs);
    return e;
}
