// A load far beyond the end of linear memory (near 4 GiB) traps as an out-of-bounds access;
// on a guard-page implementation it lands in the guard region.
#include <stdint.h>
#include <stdio.h>

int main(void) {
    volatile uintptr_t address = 0xfffffff0u;
    printf("reading address %#lx\n", (unsigned long)address);
    fflush(stdout);
    int value = *(volatile int *)address;
    printf("read %d\n", value);
    return 0;
}
