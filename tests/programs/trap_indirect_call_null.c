// Calling a null function pointer: table slot 0 is never filled, so call_indirect finds
// no function there.
#include <stdio.h>

static void (*volatile handler)(void) = 0;

int main(void) {
    printf("calling a null function pointer\n");
    fflush(stdout);
    handler();
    printf("returned\n");
    return 0;
}
