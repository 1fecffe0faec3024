// exit() from deep inside the call stack: atexit handlers run in reverse order and stdio
// buffers are flushed.
#include <stdio.h>
#include <stdlib.h>

static void first_registered(void) { printf("atexit: first registered, runs last\n"); }
static void second_registered(void) { printf("atexit: second registered, runs first\n"); }

__attribute__((noinline)) static void descend(int depth) {
    if (depth == 0) {
        printf("exiting at the bottom");
        exit(42);
    }
    descend(depth - 1);
    printf("never printed\n");
}

int main(void) {
    atexit(first_registered);
    atexit(second_registered);
    descend(10);
    return 0;
}
