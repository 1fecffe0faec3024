// A WASI program sees no environment unless it was granted one: getenv finds nothing and
// environ is empty; setenv still works inside the sandbox.
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(void) {
    const char *names[] = {"HOME", "PATH", "USER", "PWD", "SHELL", "CARGO", "RUST_TEST_THREADS"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        printf("%s is %s\n", names[i], getenv(names[i]) ? "set" : "unset");
    int count = 0;
    for (char **e = environ; e && *e; e++) count++;
    printf("environ entries: %d\n", count);
    if (setenv("WASMC_TEST", "42", 1) != 0) { printf("setenv failed\n"); return 1; }
    const char *v = getenv("WASMC_TEST");
    printf("after setenv: WASMC_TEST=%s\n", v ? v : "(null)");
    return 0;
}
