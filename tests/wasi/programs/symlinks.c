/* Symlinks and hard links inside the sandbox: create, readlink (also into a short buffer),
 * stat versus lstat, opening through links (relative, chained, through a directory link),
 * dangling links, link counts, and O_NOFOLLOW. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(const char *what, int ok) {
    printf("%-44s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) printf("  errno %d\n", errno);
}

static void cat(const char *path) {
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("  open %s: errno %d\n", path, errno); return; }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("  %s: %zd \"%s\"\n", path, n, buf);
    close(fd);
}

int main(void) {
    check("chdir /sandbox", chdir("/sandbox") == 0);
    int fd = open("target.txt", O_CREAT | O_WRONLY, 0644);
    write(fd, "target", 6);
    close(fd);
    mkdir("dir", 0755);
    fd = open("dir/inner.txt", O_CREAT | O_WRONLY, 0644);
    write(fd, "inner", 5);
    close(fd);

    check("symlink l1 -> target.txt", symlink("target.txt", "l1") == 0);
    check("symlink l2 -> l1", symlink("l1", "l2") == 0);
    check("symlink dlink -> dir", symlink("dir", "dlink") == 0);
    check("symlink dir/up -> ../target.txt", symlink("../target.txt", "dir/up") == 0);
    check("symlink dangling -> nowhere", symlink("nowhere", "dangling") == 0);
    check("symlink over existing fails with EEXIST", symlink("x", "l1") < 0 && errno == EEXIST);
    cat("l1");
    cat("l2");
    cat("dlink/inner.txt");
    cat("dir/up");
    cat("dlink/up");
    cat("dangling");

    char buf[64];
    ssize_t n = readlink("l2", buf, sizeof buf);
    printf("readlink l2: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
    n = readlink("dir/up", buf, sizeof buf);
    printf("readlink dir/up: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
    n = readlink("dir/up", buf, 4);
    printf("readlink dir/up into 4 bytes: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
    check("readlink of a file fails with EINVAL", readlink("target.txt", buf, sizeof buf) < 0 && errno == EINVAL);
    check("readlink of missing fails with ENOENT", readlink("missing", buf, sizeof buf) < 0 && errno == ENOENT);

    struct stat st, lst;
    check("stat l2 follows", stat("l2", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 6);
    check("lstat l2 does not", lstat("l2", &lst) == 0 && S_ISLNK(lst.st_mode) && lst.st_size == 2);
    check("stat dangling fails with ENOENT", stat("dangling", &st) < 0 && errno == ENOENT);
    check("lstat dangling works", lstat("dangling", &lst) == 0 && S_ISLNK(lst.st_mode));
    check("stat dlink is a directory", stat("dlink", &st) == 0 && S_ISDIR(st.st_mode));
    check("O_NOFOLLOW on a symlink fails", open("l1", O_RDONLY | O_NOFOLLOW) < 0);
    printf("  errno %d\n", errno);
    fd = open("dangling", O_CREAT | O_WRONLY, 0644);
    check("O_CREAT through a dangling symlink", fd >= 0);
    if (fd >= 0) close(fd);
    check("it created the target", access("nowhere", F_OK) == 0);

    check("link target.txt hard", link("target.txt", "hard") == 0);
    check("nlink is 2", stat("target.txt", &st) == 0 && st.st_nlink == 2);
    cat("hard");
    check("link over existing fails with EEXIST", link("target.txt", "hard") < 0 && errno == EEXIST);
    check("link l1 hl (the symlink itself)", link("l1", "hl") == 0);
    check("hl is a symlink", lstat("hl", &lst) == 0 && S_ISLNK(lst.st_mode));
    check("unlink hard", unlink("hard") == 0);
    check("nlink is 1", stat("target.txt", &st) == 0 && st.st_nlink == 1);
    check("unlink l1 removes the link only", unlink("l1") == 0 && access("target.txt", F_OK) == 0);
    check("l2 now dangles", stat("l2", &st) < 0 && errno == ENOENT);
    check("rename a symlink", rename("l2", "l2b") == 0 && lstat("l2b", &lst) == 0 && S_ISLNK(lst.st_mode));
    check("rmdir through a symlink fails", rmdir("dlink") < 0);
    printf("  errno %d\n", errno);
    check("mkdir through a directory symlink", mkdir("dlink/sub", 0755) == 0);
    check("it is inside dir", stat("dir/sub", &st) == 0 && S_ISDIR(st.st_mode));
    return 0;
}
