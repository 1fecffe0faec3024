/* fd_readdir: "." and ".." first (cookies 0 and 1, as wasmtime), then the host's entries in
 * the host's order. A cookie is the index of the entry to start from. */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wasi_internal.h"

/* Entries before the host's. */
#define DOT_ENTRIES 2u

/* Opens the descriptor's stream, or rewinds it, so that its next entry has index `cookie`. */
static int32_t seek_stream(wasi_fd *f, uint64_t cookie) {
    if (!f->dir) {
        /* A description of its own: the stream's position is not the guest's file offset. */
        int fd = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) return wasi_errno(errno);
        f->dir = fdopendir(fd);
        if (!f->dir) {
            int32_t e = wasi_errno(errno);
            close(fd);
            return e;
        }
        f->dir_index = 0;
    }
    uint64_t want = cookie > DOT_ENTRIES ? cookie - DOT_ENTRIES : 0;
    if (f->dir_index != want) {
        rewinddir(f->dir);
        f->dir_index = 0;
    }
    while (f->dir_index < want) {
        errno = 0;
        struct dirent *e = readdir(f->dir);
        if (!e) return errno ? wasi_errno(errno) : WASI_ESUCCESS;
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) f->dir_index++;
    }
    return WASI_ESUCCESS;
}

static uint8_t entry_type(DIR *dir, const struct dirent *e) {
    switch (e->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: {
        struct stat st;
        if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return WASI_FILETYPE_UNKNOWN;
        return wasi_filetype_of_mode(st.st_mode);
    }
    }
}

int32_t wasi_fd_readdir(void *vmctx, int32_t fd, int32_t buf, int32_t len, int64_t cookie, int32_t used) {
    wasi_fd *f = wasi_fd_get(fd);
    if (!f) return WASI_EBADF;
    if (f->kind != WASI_FD_DIR) return WASI_EBADF; /* as wasmtime */
    uint8_t *out = wasi_guest(vmctx, (uint32_t)buf, (uint32_t)len);
    uint8_t *used_out = wasi_guest(vmctx, (uint32_t)used, 4);
    if (!out || !used_out) return WASI_EFAULT;
    int32_t e = seek_stream(f, (uint64_t)cookie);
    if (e) return e;
    struct stat self;
    if (fstat(f->host, &self) != 0) return wasi_errno(errno);
    uint32_t size = (uint32_t)len, at = 0;
    for (uint64_t index = (uint64_t)cookie; at < size; index++) {
        const char *name;
        uint64_t ino = (uint64_t)self.st_ino;
        uint8_t type = WASI_FILETYPE_DIRECTORY;
        long resume = 0;
        if (index < DOT_ENTRIES) {
            name = index == 0 ? "." : "..";
        } else {
            struct dirent *d;
            do {
                resume = telldir(f->dir);
                errno = 0;
                d = readdir(f->dir);
            } while (d && (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0));
            if (!d) {
                if (errno) return wasi_errno(errno);
                break;
            }
            f->dir_index++;
            name = d->d_name;
            ino = (uint64_t)d->d_ino;
            type = entry_type(f->dir, d);
        }
        /* dirent: u64 d_next, u64 d_ino, u32 d_namlen, u8 d_type at 20; then the name */
        uint8_t header[WASI_DIRENT_SIZE] = {0};
        uint32_t namlen = (uint32_t)strlen(name);
        wasi_store_u64(header, index + 1);
        wasi_store_u64(header + 8, ino);
        wasi_store_u32(header + 16, namlen);
        header[20] = type;
        uint32_t room = size - at;
        uint32_t n = room < WASI_DIRENT_SIZE ? room : WASI_DIRENT_SIZE;
        memcpy(out + at, header, n);
        uint32_t name_room = room - n;
        memcpy(out + at + n, name, name_room < namlen ? name_room : namlen);
        if (room < WASI_DIRENT_SIZE + (uint64_t)namlen) {
            /* Cut short: the guest asks for this entry again, so give it back to the stream. */
            if (index >= DOT_ENTRIES) {
                seekdir(f->dir, resume);
                f->dir_index--;
            }
            at = size;
        } else {
            at += WASI_DIRENT_SIZE + namlen;
        }
    }
    wasi_store_u32(used_out, at);
    return WASI_ESUCCESS;
}
