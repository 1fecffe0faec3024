// Integer division by zero traps in Wasm (it is not silently undefined as in C).
#include <stdio.h>

int main(void) {
    volatile int numerator = 7, zero = 0;
    printf("7 / 1 = %d\n", numerator / 1);
    fflush(stdout);
    printf("7 / 0 = %d\n", numerator / zero);
    return 0;
}
