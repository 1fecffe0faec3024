/* Opens swap/secret.txt over and over while the host keeps swapping `swap` between a
 * directory inside the sandbox and a symlink to the canary outside it. Counts what each
 * attempt reached: the inside file, the canary's secret, or an error. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define SANDBOX 3
#define ATTEMPTS 20000

int main(void) {
    int inside = 0, secret = 0, failed = 0;
    __wasi_rights_t rights = __WASI_RIGHTS_FD_READ;
    for (int i = 0; i < ATTEMPTS; i++) {
        __wasi_fd_t fd;
        const char *path = i % 2 ? "swap/secret.txt" : "swap/../swap/secret.txt";
        if (__wasi_path_open(SANDBOX, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0, rights, 0, 0, &fd) != 0) {
            failed++;
            continue;
        }
        char buf[16] = {0};
        __wasi_size_t n = 0;
        (void)__wasi_fd_read(fd, &(__wasi_iovec_t){(uint8_t *)buf, sizeof buf - 1}, 1, &n);
        (void)__wasi_fd_close(fd);
        if (strcmp(buf, "secret\n") == 0) secret++;
        else inside++;
    }
    printf("inside %d secret %d failed %d\n", inside, secret, failed);
    return 0;
}
