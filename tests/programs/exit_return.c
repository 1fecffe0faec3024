// Returning a non-zero status from main, after buffered output that must be flushed.
#include <stdio.h>

int main(void) {
    printf("about to return 3");
    printf(" (no trailing newline, so only the flush at exit prints this)");
    return 3;
}
