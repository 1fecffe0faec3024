// __builtin_trap() compiles to the `unreachable` instruction; output written before it
// must still reach stdout.
#include <stdio.h>

__attribute__((noinline)) static void fail(int code) {
    if (code > 0) __builtin_trap();
}

int main(int argc, char **argv) {
    (void)argv;
    printf("before the trap\n");
    fflush(stdout);
    fail(argc);
    printf("after the trap\n");
    return 0;
}
