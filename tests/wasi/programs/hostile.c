/* Tries to leave the pre-opened directory (fd 3) in every way we could think of, with the
 * raw WASI calls so that wasi-libc's own path handling cannot hide anything. Each attempt
 * prints the errno it got (0: it worked). The fixture (tests/wasi/README.md) holds the
 * symlinks the attacks go through; the harness checks that the canary next to the sandbox
 * is untouched, and compares this output with wasmtime's. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define SANDBOX 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define READ (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN \
              | __WASI_RIGHTS_FD_FILESTAT_GET)
#define WRITE (__WASI_RIGHTS_FD_WRITE | READ)

static void report(const char *what, __wasi_errno_t e) { printf("%-40s errno %d\n", what, e); }

/* Opens `path` under `dir`; on success reads a little to show what was reached. */
static void try_open(const char *what, __wasi_fd_t dir, __wasi_lookupflags_t lookup, const char *path,
                     __wasi_oflags_t oflags, __wasi_rights_t rights) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, lookup, path, oflags, rights, rights, 0, &fd);
    report(what, e);
    if (e == 0) {
        char buf[16] = {0};
        __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
        __wasi_size_t n = 0;
        if (__wasi_fd_read(fd, &iov, 1, &n) == 0) printf("    read %u bytes: %.6s\n", (unsigned)n, buf);
        (void)__wasi_fd_close(fd);
    }
}

static void try_stat(const char *what, __wasi_lookupflags_t lookup, const char *path) {
    __wasi_filestat_t st;
    __wasi_errno_t e = __wasi_path_filestat_get(SANDBOX, lookup, path, &st);
    report(what, e);
    if (e == 0) printf("    filetype %d\n", st.filetype);
}

static void try_readlink(const char *what, const char *path) {
    uint8_t buf[256];
    __wasi_size_t used = 0;
    __wasi_errno_t e = __wasi_path_readlink(SANDBOX, path, buf, sizeof buf, &used);
    report(what, e);
    if (e == 0) printf("    %u bytes, %s\n", (unsigned)used, used && buf[0] == '/' ? "absolute" : "relative");
}

int main(void) {
    try_open("open ../canary/secret.txt", SANDBOX, 0, "../canary/secret.txt", 0, READ);
    try_open("open sub/../../canary/secret.txt", SANDBOX, 0, "sub/../../canary/secret.txt", 0, READ);
    try_open("open /etc/passwd", SANDBOX, FOLLOW, "/etc/passwd", 0, READ);
    try_open("open ..", SANDBOX, FOLLOW, "..", __WASI_OFLAGS_DIRECTORY, READ);
    try_open("open sub/../..", SANDBOX, FOLLOW, "sub/../..", __WASI_OFLAGS_DIRECTORY, READ);
    try_open("open link_root/etc/passwd", SANDBOX, FOLLOW, "link_root/etc/passwd", 0, READ);
    try_open("open link_root (follow)", SANDBOX, FOLLOW, "link_root", __WASI_OFLAGS_DIRECTORY, READ);
    try_open("open link_up/secret.txt", SANDBOX, FOLLOW, "link_up/secret.txt", 0, READ);
    try_open("open link_up/secret.txt (nofollow)", SANDBOX, 0, "link_up/secret.txt", 0, READ);
    try_open("open link_abs/secret.txt", SANDBOX, FOLLOW, "link_abs/secret.txt", 0, READ);
    try_open("open chain1/secret.txt", SANDBOX, FOLLOW, "chain1/secret.txt", 0, READ);
    try_open("open sub/link_upup (follow)", SANDBOX, FOLLOW, "sub/link_upup", 0, READ);
    try_open("open sub/link_upup (nofollow)", SANDBOX, 0, "sub/link_upup", 0, READ);
    try_open("creat dangling_out (follow)", SANDBOX, FOLLOW, "dangling_out", __WASI_OFLAGS_CREAT, WRITE);
    try_open("creat dangling_out (nofollow)", SANDBOX, 0, "dangling_out", __WASI_OFLAGS_CREAT, WRITE);
    try_open("creat ../canary/new.txt", SANDBOX, 0, "../canary/new.txt", __WASI_OFLAGS_CREAT, WRITE);
    try_open("trunc link_up/secret.txt", SANDBOX, FOLLOW, "link_up/secret.txt", __WASI_OFLAGS_TRUNC, WRITE);
    try_open("open loop1", SANDBOX, FOLLOW, "loop1", 0, READ);
    try_open("open loop1/x", SANDBOX, FOLLOW, "loop1/x", 0, READ);
    try_open("open empty path", SANDBOX, FOLLOW, "", 0, READ);
    try_open("open a path that is not UTF-8", SANDBOX, FOLLOW, "file\xff.txt", 0, READ);
    try_open("open an overlong encoding of ..", SANDBOX, FOLLOW, "\xc0\xae\xc0\xae/canary", 0, READ);
    /* Legitimate: these must work. */
    try_open("open sub/../file.txt", SANDBOX, 0, "sub/../file.txt", 0, READ);
    try_open("open link_in (follow)", SANDBOX, FOLLOW, "link_in", 0, READ);
    try_open("open ./sub/./inner.txt", SANDBOX, 0, "./sub/./inner.txt", 0, READ);

    /* Relative to a directory opened inside the sandbox: its parent is still the sandbox. */
    __wasi_fd_t sub;
    report("open sub", __wasi_path_open(SANDBOX, 0, "sub", __WASI_OFLAGS_DIRECTORY, READ, WRITE, 0, &sub));
    try_open("from sub: open ../file.txt", sub, 0, "../file.txt", 0, READ);
    try_open("from sub: open ../../canary/secret.txt", sub, 0, "../../canary/secret.txt", 0, READ);

    report("mkdir ../canary/newdir", __wasi_path_create_directory(SANDBOX, "../canary/newdir"));
    report("mkdir link_up/newdir", __wasi_path_create_directory(SANDBOX, "link_up/newdir"));
    report("mkdir /tmp/wasmc_escape", __wasi_path_create_directory(SANDBOX, "/tmp/wasmc_escape"));
    report("rename file.txt ../canary/stolen.txt",
           __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "../canary/stolen.txt"));
    report("rename link_up/secret.txt got.txt", __wasi_path_rename(SANDBOX, "link_up/secret.txt", SANDBOX, "got.txt"));
    report("rename sub link_up/sub", __wasi_path_rename(SANDBOX, "sub", SANDBOX, "link_up/sub"));
    report("link file.txt link_up/hard.txt", __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "link_up/hard.txt"));
    report("link link_up/secret.txt hard.txt", __wasi_path_link(SANDBOX, 0, "link_up/secret.txt", SANDBOX, "hard.txt"));
    report("link (follow) link_abs/secret.txt hard2.txt",
           __wasi_path_link(SANDBOX, FOLLOW, "link_abs/secret.txt", SANDBOX, "hard2.txt"));
    report("symlink x at ../canary/newlink", __wasi_path_symlink("x", SANDBOX, "../canary/newlink"));
    report("symlink x at link_up/newlink", __wasi_path_symlink("x", SANDBOX, "link_up/newlink"));
    report("symlink /etc/passwd at abs_sym", __wasi_path_symlink("/etc/passwd", SANDBOX, "abs_sym"));
    try_open("open abs_sym", SANDBOX, FOLLOW, "abs_sym", 0, READ);
    report("symlink ../canary/secret.txt at up_sym", __wasi_path_symlink("../canary/secret.txt", SANDBOX, "up_sym"));
    try_open("open up_sym", SANDBOX, FOLLOW, "up_sym", 0, READ);
    report("unlink ../canary/secret.txt", __wasi_path_unlink_file(SANDBOX, "../canary/secret.txt"));
    report("unlink link_up/secret.txt", __wasi_path_unlink_file(SANDBOX, "link_up/secret.txt"));
    report("rmdir ../canary", __wasi_path_remove_directory(SANDBOX, "../canary"));
    report("rmdir link_up/.", __wasi_path_remove_directory(SANDBOX, "link_up/."));
    try_readlink("readlink link_abs", "link_abs");
    try_readlink("readlink link_up", "link_up");
    try_readlink("readlink link_up/x", "link_up/x");
    try_readlink("readlink ../canary/x", "../canary/x");
    try_stat("stat ../canary/secret.txt", 0, "../canary/secret.txt");
    try_stat("stat link_up (follow)", FOLLOW, "link_up");
    try_stat("stat link_up (nofollow)", 0, "link_up");
    try_stat("stat link_root/etc (follow)", FOLLOW, "link_root/etc");
    try_stat("stat /", FOLLOW, "/");
    report("set_times link_up/secret.txt", __wasi_path_filestat_set_times(SANDBOX, FOLLOW, "link_up/secret.txt", 0, 0,
                                                                          __WASI_FSTFLAGS_MTIM_NOW));

    /* fd_renumber onto the pre-opened directory replaces it; the sandbox does not grow. */
    __wasi_fd_t file;
    report("open file.txt", __wasi_path_open(SANDBOX, 0, "file.txt", 0, READ, READ, 0, &file));
    report("renumber 3 to 99", __wasi_fd_renumber(SANDBOX, 99));
    report("renumber file onto sub", __wasi_fd_renumber(file, sub));
    __wasi_prestat_t pre;
    report("prestat of the renumbered fd", __wasi_fd_prestat_get(sub, &pre));
    try_open("open ../canary via renumbered", sub, 0, "../canary/secret.txt", 0, READ);
    report("renumber file onto sandbox", __wasi_fd_renumber(sub, SANDBOX));
    report("prestat 3 after renumber", __wasi_fd_prestat_get(SANDBOX, &pre));
    try_open("open file.txt from old preopen", SANDBOX, 0, "file.txt", 0, READ);
    return 0;
}
