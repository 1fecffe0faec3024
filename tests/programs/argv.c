// Command-line arguments reach main intact: count, content (spaces, empty strings, UTF-8),
// and the terminating NULL. argv[0] depends on how the program was started, so only its
// presence is printed.
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc=%d argv0_present=%d\n", argc, argv[0] != NULL && argv[0][0] != '\0');
    for (int i = 1; i < argc; i++) printf("argv[%d]=[%s] len=%zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
    return argc;
}
