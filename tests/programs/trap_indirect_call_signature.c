// Calling a function through a pointer cast to a different signature: call_indirect checks
// the callee's type at run time and traps on the mismatch.
#include <stdio.h>

static int takes_two(int a, int b) { return a + b; }

typedef double (*takes_double)(double);
// volatile so clang cannot see the callee and resolve the call statically.
static int (*volatile stored)(int, int) = takes_two;

int main(void) {
    printf("direct: %d\n", stored(2, 3));
    fflush(stdout);
    takes_double wrong = (takes_double)stored;
    printf("mismatched: %f\n", wrong(1.5));
    return 0;
}
