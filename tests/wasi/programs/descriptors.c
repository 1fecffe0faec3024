/* The descriptor table as the guest sees it: stdio and the pre-opened directory, fdstat
 * and prestat, renumbering, closing a pre-open, and calls on descriptors of the wrong
 * kind. Raw WASI calls, so each prints its errno. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define SANDBOX 3

/* Dropped from wasi-libc's headers, still in preview1. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t signal);

static void fdstat(__wasi_fd_t fd) {
    __wasi_fdstat_t st;
    __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
    printf("fdstat %u: errno %d", fd, e);
    if (!e)
        printf(", filetype %d, flags %d, rights %llx, inheriting %llx", st.fs_filetype, st.fs_flags,
               (unsigned long long)st.fs_rights_base, (unsigned long long)st.fs_rights_inheriting);
    printf("\n");
}

int main(void) {
    for (__wasi_fd_t fd = 0; fd < 5; fd++) fdstat(fd);
    __wasi_prestat_t pre;
    for (__wasi_fd_t fd = 0; fd < 5; fd++) {
        __wasi_errno_t e = __wasi_fd_prestat_get(fd, &pre);
        printf("prestat %u: errno %d", fd, e);
        if (!e) printf(", tag %d, name length %lu", pre.tag, (unsigned long)pre.u.dir.pr_name_len);
        printf("\n");
    }
    char name[16] = {0};
    printf("dir name: errno %d, \"%s\"\n", __wasi_fd_prestat_dir_name(SANDBOX, (uint8_t *)name, sizeof name), name);
    memset(name, 0, sizeof name);
    printf("dir name into 3 bytes: errno %d\n", __wasi_fd_prestat_dir_name(SANDBOX, (uint8_t *)name, 3));
    printf("dir name of stdout: errno %d\n", __wasi_fd_prestat_dir_name(1, (uint8_t *)name, sizeof name));

    __wasi_fd_t file, dir;
    __wasi_rights_t all = ~(__wasi_rights_t)0 >> 34;
    printf("open data.txt: errno %d\n", __wasi_path_open(SANDBOX, 0, "data.txt", 0, all, all, 0, &file));
    printf("open sub for writing: errno %d\n", __wasi_path_open(SANDBOX, 0, "sub", __WASI_OFLAGS_DIRECTORY, all, all, 0, &dir));
    __wasi_rights_t read_only = all & ~(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE);
    printf("open sub: errno %d\n", __wasi_path_open(SANDBOX, 0, "sub", __WASI_OFLAGS_DIRECTORY, read_only, all, 0, &dir));
    fdstat(file);
    fdstat(dir);
    __wasi_fd_t writer, appender;
    printf("open data.txt write-only: errno %d\n",
           __wasi_path_open(SANDBOX, 0, "data.txt", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &writer));
    fdstat(writer);
    printf("open data.txt to append: errno %d\n", __wasi_path_open(SANDBOX, 0, "data.txt", 0, all, 0,
                                                                  __WASI_FDFLAGS_APPEND, &appender));
    fdstat(appender);
    printf("drop rights: errno %d\n", __wasi_fd_fdstat_set_rights(appender, __WASI_RIGHTS_FD_READ, 0));
    __wasi_fd_close(writer);
    __wasi_fd_close(appender);
    printf("path_open relative to a file: errno %d\n", __wasi_path_open(file, 0, "x", 0, all, all, 0, &(__wasi_fd_t){0}));
    __wasi_size_t used;
    __wasi_filestat_t fst;
    uint8_t buf[256];
    printf("readdir on a file: errno %d\n", __wasi_fd_readdir(file, buf, sizeof buf, 0, &used));
    printf("readdir on stdout: errno %d\n", __wasi_fd_readdir(1, buf, sizeof buf, 0, &used));
    printf("readdir on a closed fd: errno %d\n", __wasi_fd_readdir(77, buf, sizeof buf, 0, &used));
    printf("filestat of the directory: errno %d\n", __wasi_fd_filestat_get(dir, &fst));
    printf("  filetype %d\n", fst.filetype);
    printf("set_size on a directory: errno %d\n", __wasi_fd_filestat_set_size(dir, 0));
    printf("write to a directory: errno %d\n",
           __wasi_fd_write(dir, &(__wasi_ciovec_t){(const uint8_t *)"x", 1}, 1, &used));
    printf("seek on a directory: errno %d\n", __wasi_fd_seek(dir, 0, __WASI_WHENCE_SET, &(__wasi_filesize_t){0}));
    printf("tell on stdout: errno %d\n", __wasi_fd_tell(1, &(__wasi_filesize_t){0}));
    printf("pwrite on stdout: errno %d\n", __wasi_fd_pwrite(1, &(__wasi_ciovec_t){(const uint8_t *)"x", 1}, 1, 0, &used));
    printf("filestat of stdout: errno %d\n", __wasi_fd_filestat_get(1, &fst));
    printf("  filetype %d, size %llu\n", fst.filetype, (unsigned long long)fst.size);
    printf("renumber file onto stderr: errno %d\n", __wasi_fd_renumber(file, 2));
    fdstat(2);
    printf("renumber a closed fd: errno %d\n", __wasi_fd_renumber(file, dir));
    printf("renumber onto itself: errno %d\n", __wasi_fd_renumber(dir, dir));
    printf("close the pre-open: errno %d\n", __wasi_fd_close(SANDBOX));
    printf("prestat after close: errno %d\n", __wasi_fd_prestat_get(SANDBOX, &pre));
    printf("open after close: errno %d\n", __wasi_path_open(SANDBOX, 0, "data.txt", 0, all, all, 0, &file));
    printf("open through the sub dir still works: errno %d\n", __wasi_path_open(dir, 0, "inner.txt", 0, all, all, 0, &file));
    printf("proc_raise: errno %d\n", raw_proc_raise(15));
    return 0;
}
