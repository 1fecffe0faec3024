// The example of README.md: a WASI command that greets its arguments.
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("Hello from WebAssembly, compiled ahead of time by wasmc!\n");
        return 0;
    }
    for (int i = 1; i < argc; i++) printf("Hello, %s!\n", argv[i]);
    return 0;
}
