/* Files through wasi-libc: create, write, read, seek, tell, pread/pwrite, truncate, append,
 * stat, timestamps, fdstat flags, and the errors of misuse. Runs inside the pre-opened
 * /sandbox (tests/wasi/harness.rs builds it). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static void check(const char *what, int ok) { printf("%-36s %s (errno %d)\n", what, ok ? "ok" : "FAILED", ok ? 0 : errno); }

static void show_file(const char *path) {
    char buf[128] = {0};
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("  %s: %zd bytes \"%s\"\n", path, n, buf);
    close(fd);
}

int main(void) {
    check("chdir /sandbox", chdir("/sandbox") == 0);
    int fd = open("new.txt", O_CREAT | O_EXCL | O_RDWR, 0644);
    check("create new.txt", fd >= 0);
    check("write", write(fd, "hello, world\n", 13) == 13);
    check("lseek to 7", lseek(fd, 7, SEEK_SET) == 7);
    char buf[64] = {0};
    check("read 5", read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0);
    check("tell is 12", lseek(fd, 0, SEEK_CUR) == 12);
    check("lseek end", lseek(fd, 0, SEEK_END) == 13);
    check("lseek before start fails", lseek(fd, -100, SEEK_SET) < 0 && errno == EINVAL);
    check("pwrite at 0", pwrite(fd, "HELLO", 5, 0) == 5);
    check("pread at 7", pread(fd, buf, 5, 7) == 5 && memcmp(buf, "world", 5) == 0);
    check("offset unchanged by pread/pwrite", lseek(fd, 0, SEEK_CUR) == 13);
    check("write past the end", pwrite(fd, "!", 1, 20) == 1);
    struct stat st;
    check("fstat size 21", fstat(fd, &st) == 0 && st.st_size == 21 && S_ISREG(st.st_mode));
    check("ftruncate to 5", ftruncate(fd, 5) == 0);
    check("fstat size 5", fstat(fd, &st) == 0 && st.st_size == 5);
    check("fsync", fsync(fd) == 0);
    check("fdatasync", fdatasync(fd) == 0);
    check("posix_fadvise", posix_fadvise(fd, 0, 5, POSIX_FADV_SEQUENTIAL) == 0);
    printf("  fd_allocate errno %d\n", __wasi_fd_allocate(fd, 0, 100));
    struct timespec times[2] = {{1000000000, 5}, {1234567890, 123456789}};
    check("futimens", futimens(fd, times) == 0);
    check("mtime set", fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1234567890 && st.st_mtim.tv_nsec == 123456789);
    check("atime set", st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 5);
    check("close", close(fd) == 0);
    check("close again fails", close(fd) != 0 && errno == EBADF);
    show_file("new.txt");

    check("create again with O_EXCL fails", open("new.txt", O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 && errno == EEXIST);
    fd = open("new.txt", O_WRONLY | O_APPEND);
    check("open for append", fd >= 0);
    check("append", write(fd, " tail", 5) == 5);
    int flags = fcntl(fd, F_GETFL);
    check("F_GETFL has O_APPEND", flags >= 0 && (flags & O_APPEND));
    check("clear O_APPEND", fcntl(fd, F_SETFL, 0) == 0);
    check("F_GETFL has no O_APPEND", (fcntl(fd, F_GETFL) & O_APPEND) == 0);
    printf("  fdstat_set_flags SYNC errno %d\n", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC));
    check("read on write-only fails", read(fd, buf, 1) < 0);
    printf("  errno %d\n", errno);
    close(fd);
    show_file("new.txt");

    fd = open("new.txt", O_RDONLY);
    check("write on read-only fails", write(fd, "x", 1) < 0);
    printf("  errno %d\n", errno);
    close(fd);
    fd = open("new.txt", O_RDWR | O_TRUNC);
    check("open with O_TRUNC", fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0);
    close(fd);

    FILE *f = fopen("stdio.txt", "w");
    for (int i = 0; i < 1000; i++) fprintf(f, "line %d\n", i);
    check("fclose", fclose(f) == 0);
    f = fopen("stdio.txt", "r");
    int lines = 0;
    long sum = 0;
    char line[64];
    while (fgets(line, sizeof line, f)) { lines++; sum += strlen(line); }
    fclose(f);
    printf("  %d lines, %ld bytes\n", lines, sum);
    check("stat stdio.txt", stat("stdio.txt", &st) == 0 && st.st_size == sum && st.st_nlink == 1);

    check("open missing fails", open("missing.txt", O_RDONLY) < 0 && errno == ENOENT);
    check("open a directory for writing fails", open(".", O_WRONLY) < 0);
    printf("  errno %d\n", errno);
    check("O_DIRECTORY on a file fails", open("stdio.txt", O_RDONLY | O_DIRECTORY) < 0 && errno == ENOTDIR);
    check("lseek on a directory fails", (fd = open(".", O_RDONLY | O_DIRECTORY)) >= 0 && lseek(fd, 0, SEEK_CUR) < 0);
    printf("  errno %d\n", errno);
    check("read on a directory fails", read(fd, buf, 1) < 0);
    printf("  errno %d\n", errno);
    close(fd);
    check("bad fd", write(42, "x", 1) < 0 && errno == EBADF);
    check("preexisting data.txt", stat("data.txt", &st) == 0 && st.st_size == 11);
    show_file("data.txt");
    return 0;
}
