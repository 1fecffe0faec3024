// INT_MIN / -1 overflows the signed 32-bit range: i32.div_s traps with integer overflow.
#include <limits.h>
#include <stdio.h>

int main(void) {
    volatile int dividend = INT_MIN, divisor = -1;
    printf("INT_MIN %% -1 would be fine in Wasm, but the division is not\n");
    fflush(stdout);
    printf("%d\n", dividend / divisor);
    return 0;
}
