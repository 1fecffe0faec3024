/* Arguments and environment as granted: every argument, then every variable the program
 * sees, sorted (grant order is not part of the contract). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int by_string(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d] = \"%s\"\n", i, argv[i]);
    int n = 0;
    while (environ[n]) n++;
    qsort(environ, n, sizeof environ[0], by_string);
    printf("%d variables\n", n);
    for (int i = 0; i < n; i++) printf("  %s\n", environ[i]);
    const char *home = getenv("HOME");
    printf("HOME %s\n", home ? "visible" : "hidden");
    return n;
}
