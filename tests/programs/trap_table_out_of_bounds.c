// A function pointer whose value is far beyond the function table: call_indirect finds
// no element at that index.
#include <stdint.h>
#include <stdio.h>

int main(void) {
    volatile uintptr_t bogus = 100000;
    void (*fn)(void) = (void (*)(void))bogus;
    printf("calling table index %lu\n", (unsigned long)bogus);
    fflush(stdout);
    fn();
    printf("returned\n");
    return 0;
}
