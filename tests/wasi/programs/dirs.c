/* Directories through wasi-libc: mkdir, readdir (names sorted, since hosts differ in order;
 * types kept), nested paths, rename of files and directories, unlink, rmdir, and their
 * errors. Runs inside the pre-opened /sandbox. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(const char *what, int ok) {
    printf("%-40s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) printf("  errno %d\n", errno);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Lists a directory: "name type" per entry, sorted by name. */
static void list(const char *path) {
    DIR *d = opendir(path);
    if (!d) { printf("opendir %s: errno %d\n", path, errno); return; }
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512) {
        char *s = malloc(strlen(e->d_name) + 8);
        sprintf(s, "%s %d", e->d_name, e->d_type);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    printf("%s: %d entries\n", path, n);
    for (int i = 0; i < n; i++) { printf("  %s\n", names[i]); free(names[i]); }
}

static void touch(const char *path) { close(open(path, O_CREAT | O_WRONLY, 0644)); }

int main(void) {
    check("chdir /sandbox", chdir("/sandbox") == 0);
    check("mkdir a", mkdir("a", 0755) == 0);
    check("mkdir a/b", mkdir("a/b", 0755) == 0);
    check("mkdir a/b/c", mkdir("a/b/c", 0755) == 0);
    check("mkdir a again fails with EEXIST", mkdir("a", 0755) < 0 && errno == EEXIST);
    check("mkdir in missing dir fails with ENOENT", mkdir("nope/x", 0755) < 0 && errno == ENOENT);
    touch("a/f1");
    touch("a/b/f2");
    touch("a/b/c/f3");
    list("a");
    list("a/b");
    list(".");
    /* Many entries: fd_readdir is called repeatedly with cookies. */
    check("mkdir many", mkdir("many", 0755) == 0);
    char name[64];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
        touch(name);
    }
    DIR *d = opendir("many");
    int count = 0;
    while (readdir(d)) count++;
    printf("many: %d entries\n", count);
    rewinddir(d);
    count = 0;
    while (readdir(d)) count++;
    printf("many after rewinddir: %d entries\n", count);
    long pos = 0;
    rewinddir(d);
    for (int i = 0; i < 100; i++) { if (i == 50) pos = telldir(d); readdir(d); }
    seekdir(d, pos);
    struct dirent *e = readdir(d);
    check("seekdir returns to the same entry", e != NULL);
    closedir(d);

    check("rename a/f1 to a/b/moved", rename("a/f1", "a/b/moved") == 0);
    check("rename a/b/c to top", rename("a/b/c", "top") == 0);
    check("rename onto existing file", rename("a/b/f2", "a/b/moved") == 0);
    check("rename missing fails", rename("a/zzz", "a/yyy") < 0 && errno == ENOENT);
    check("rename dir onto non-empty dir fails", rename("top", "a") < 0);
    printf("  errno %d\n", errno);
    list("a/b");
    list("top");
    check("rmdir non-empty fails with ENOTEMPTY", rmdir("a") < 0 && errno == ENOTEMPTY);
    check("rmdir a file fails with ENOTDIR", rmdir("top/f3") < 0 && errno == ENOTDIR);
    check("unlink a directory fails", unlink("top") < 0);
    printf("  errno %d\n", errno);
    check("unlink top/f3", unlink("top/f3") == 0);
    check("rmdir top", rmdir("top") == 0);
    check("stat removed fails", access("top", F_OK) < 0 && errno == ENOENT);
    check("remove a/b/moved", remove("a/b/moved") == 0);
    check("remove a/b", remove("a/b") == 0);
    check("rmdir a", rmdir("a") == 0);
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
        unlink(name);
    }
    check("rmdir many", rmdir("many") == 0);
    struct stat st;
    check("stat . is a directory", stat(".", &st) == 0 && S_ISDIR(st.st_mode));
    check("stat ./ is a directory", stat("./", &st) == 0 && S_ISDIR(st.st_mode));
    list(".");
    check("getcwd", getcwd(name, sizeof name) && strcmp(name, "/sandbox") == 0);
    return 0;
}
