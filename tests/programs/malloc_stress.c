// malloc/realloc/free under a pseudo-random workload: the allocator's bookkeeping and the
// memory.grow it triggers. Each block is filled with a pattern that is verified before the
// block is freed or resized, and a checksum over all contents is printed.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512
#define ROUNDS 20000

static uint32_t rng_state = 12345;
static uint32_t next_random(void) {
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

struct slot {
    unsigned char *data;
    size_t size;
    unsigned char seed;
};

static int verify(const struct slot *s) {
    for (size_t i = 0; i < s->size; i++)
        if (s->data[i] != (unsigned char)(s->seed + i * 7)) return 0;
    return 1;
}

static void fill(struct slot *s, size_t from) {
    for (size_t i = from; i < s->size; i++) s->data[i] = (unsigned char)(s->seed + i * 7);
}

int main(void) {
    static struct slot slots[SLOTS];
    uint64_t checksum = 0;
    unsigned allocs = 0, reallocs = 0, frees = 0, bad = 0;
    for (int round = 0; round < ROUNDS; round++) {
        struct slot *s = &slots[next_random() % SLOTS];
        uint32_t r = next_random();
        // Mostly small blocks, sometimes a large one that forces the heap to grow.
        size_t size = (r % 16 == 0) ? 4096 + r % 200000 : 1 + r % 300;
        if (s->data == NULL) {
            s->data = malloc(size);
            if (s->data == NULL) { printf("malloc failed at round %d\n", round); return 1; }
            s->size = size;
            s->seed = (unsigned char)r;
            fill(s, 0);
            allocs++;
        } else if (r % 3 == 0) {
            if (!verify(s)) bad++;
            unsigned char *grown = realloc(s->data, size);
            if (grown == NULL) { printf("realloc failed at round %d\n", round); return 1; }
            size_t kept = s->size < size ? s->size : size;
            s->data = grown;
            s->size = size;
            // The prefix must have survived the move; refill only the new tail.
            s->size = kept;
            if (!verify(s)) bad++;
            s->size = size;
            fill(s, kept);
            reallocs++;
        } else {
            if (!verify(s)) bad++;
            for (size_t i = 0; i < s->size; i++) checksum = checksum * 31 + s->data[i];
            free(s->data);
            s->data = NULL;
            frees++;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].data == NULL) continue;
        if (!verify(&slots[i])) bad++;
        checksum ^= (uint32_t)slots[i].size * 2654435761u;
        free(slots[i].data);
    }
    char *big = calloc(1 << 20, 8);
    size_t nonzero = 0;
    for (size_t i = 0; big && i < (8u << 20); i += 4096) nonzero += big[i] != 0;
    free(big);
    printf("allocs=%u reallocs=%u frees=%u corrupted=%u calloc_ok=%d nonzero=%zu\n", allocs,
           reallocs, frees, bad, big != NULL, nonzero);
    printf("checksum=%llu\n", (unsigned long long)checksum);
    return bad != 0;
}
