// Linear memory growth: memory.size and memory.grow directly, then allocations far larger
// than the initial memory, touched at every page so that all of it must be really mapped.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WASM_PAGE 65536

int main(void) {
    size_t before = __builtin_wasm_memory_size(0);
    size_t old = __builtin_wasm_memory_grow(0, 3);
    size_t after = __builtin_wasm_memory_size(0);
    printf("grow returned the old size: %d, grew by: %zu\n", old == before, after - before);
    // The new pages are zeroed and usable.
    unsigned char *fresh = (unsigned char *)(before * WASM_PAGE);
    int zero = 1;
    for (size_t i = 0; i < 3 * WASM_PAGE; i++) zero &= fresh[i] == 0;
    memset(fresh, 0xab, 3 * WASM_PAGE);
    printf("new pages zeroed: %d, last byte after memset: %#x\n", zero, fresh[3 * WASM_PAGE - 1]);
    // An absurd request fails with -1 instead of trapping.
    printf("grow by 70000 pages: %ld\n", (long)(intptr_t)__builtin_wasm_memory_grow(0, 70000));

    enum { BLOCKS = 6, BLOCK_SIZE = 24 << 20 };
    unsigned char *blocks[BLOCKS];
    uint64_t sum = 0;
    for (int b = 0; b < BLOCKS; b++) {
        blocks[b] = malloc(BLOCK_SIZE);
        if (!blocks[b]) { printf("malloc of block %d failed\n", b); return 1; }
        for (size_t i = 0; i < BLOCK_SIZE; i += 4096) blocks[b][i] = (unsigned char)(b * 31 + i / 4096);
    }
    for (int b = 0; b < BLOCKS; b++) {
        for (size_t i = 0; i < BLOCK_SIZE; i += 4096) sum += blocks[b][i];
        free(blocks[b]);
    }
    size_t pages = __builtin_wasm_memory_size(0);
    printf("touched %d MiB, sum=%llu, memory is at least 144 MiB: %d\n", BLOCKS * 24,
           (unsigned long long)sum, pages * WASM_PAGE >= (size_t)144 << 20);
    return 0;
}
