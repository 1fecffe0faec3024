// Unbounded recursion exhausts the native call stack. The frames hold only Wasm locals (no
// address-taken variables), so the C shadow stack in linear memory is not what overflows,
// and `n - recurse(...)` is not a form LLVM turns into a loop.
#include <stdio.h>

volatile int deepest;

__attribute__((noinline)) static int recurse(int n) {
    deepest = n;
    return n - recurse(n + 1);
}

int main(void) {
    printf("recursing forever\n");
    fflush(stdout);
    printf("%d\n", recurse(0));
    return 0;
}
