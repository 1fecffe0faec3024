/* Open-addressing hash table (linear probing, tombstones) under inserts, lookups and deletes. */
#include <stdio.h>
#include <stdlib.h>
#include "bench_util.h"

#define CAPACITY (1u << 20) /* a power of two, kept under 70% full */
#define OPERATIONS 3000000u
#define KEY_SPACE 600000u

enum { EMPTY = 0, FULL = 1, DELETED = 2 };
struct slot { uint64_t key, value; uint8_t state; };

static struct slot *slots;

static uint64_t hash_key(uint64_t k) {
    k ^= k >> 33; k *= 0xff51afd7ed558ccdull; k ^= k >> 33;
    return k;
}

static struct slot *find(uint64_t key) {
    for (uint64_t i = hash_key(key) & (CAPACITY - 1);; i = (i + 1) & (CAPACITY - 1)) {
        if (slots[i].state == EMPTY) return NULL;
        if (slots[i].state == FULL && slots[i].key == key) return &slots[i];
    }
}

static void insert(uint64_t key, uint64_t value) {
    struct slot *found = find(key);
    if (found) { found->value += value; return; }
    for (uint64_t i = hash_key(key) & (CAPACITY - 1);; i = (i + 1) & (CAPACITY - 1))
        if (slots[i].state != FULL) { slots[i] = (struct slot){key, value, FULL}; return; }
}

int main(void) {
    slots = calloc(CAPACITY, sizeof *slots);
    if (!slots) return 1;
    uint64_t seed = 77, hits = 0, misses = 0, removed = 0, value_sum = 0;
    for (uint32_t op = 0; op < OPERATIONS; op++) {
        uint64_t r = rng_next(&seed);
        uint64_t key = (r >> 8) % KEY_SPACE * 2654435761u;
        switch (r & 3) {
        case 0: case 1: insert(key, r >> 40); break;
        case 2: {
            struct slot *s = find(key);
            if (s) { hits++; value_sum += s->value; } else misses++;
            break;
        }
        default: {
            struct slot *s = find(key);
            if (s) { s->state = DELETED; removed++; }
        }
        }
    }
    uint64_t live = 0, check = 0;
    for (uint32_t i = 0; i < CAPACITY; i++)
        if (slots[i].state == FULL) { live++; check = mix(check, slots[i].key ^ slots[i].value); }
    printf("hash_table: hits %llu misses %llu removed %llu live %llu value sum %llu checksum %016llx\n",
           (unsigned long long)hits, (unsigned long long)misses, (unsigned long long)removed,
           (unsigned long long)live, (unsigned long long)value_sum, (unsigned long long)check);
    free(slots);
    return 0;
}
