// A 4-byte store that starts in the last accessible bytes of memory and runs one byte past
// the end: an access that is only partly out of bounds traps all the same.
#include <stdint.h>
#include <stdio.h>

int main(void) {
    uintptr_t end = __builtin_wasm_memory_size(0) * 65536;
    volatile uintptr_t address = end - 3;
    *(volatile uint8_t *)(end - 1) = 0x7f;  // the last byte itself is writable
    printf("storing 4 bytes at end-3\n");
    fflush(stdout);
    *(volatile uint32_t *)address = 0x01020304;
    printf("stored\n");
    return 0;
}
