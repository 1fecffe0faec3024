/* Byte-wise FNV-1a and a word-wise multiply-rotate hash (xxhash-like) over a big buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_util.h"

#define BUFFER_BYTES (8u << 20)
#define PASSES 10

static uint64_t fnv1a(const uint8_t *data, size_t len, uint64_t seed) {
    uint64_t h = 0xcbf29ce484222325ull ^ seed;
    for (size_t i = 0; i < len; i++) h = (h ^ data[i]) * 0x100000001b3ull;
    return h;
}

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t word_hash(const uint8_t *data, size_t len, uint64_t seed) {
    const uint64_t p1 = 0x9E3779B185EBCA87ull, p2 = 0xC2B2AE3D27D4EB4Full;
    uint64_t lanes[4] = {seed + p1 + p2, seed + p2, seed, seed - p1};
    size_t i = 0;
    for (; i + 32 <= len; i += 32)
        for (int l = 0; l < 4; l++) {
            uint64_t w;
            memcpy(&w, data + i + 8 * l, 8);
            lanes[l] = rotl(lanes[l] + w * p2, 31) * p1;
        }
    uint64_t h = rotl(lanes[0], 1) + rotl(lanes[1], 7) + rotl(lanes[2], 12) + rotl(lanes[3], 18);
    for (; i < len; i++) h = rotl(h ^ (data[i] * p1), 11) * p2;
    h ^= h >> 33;
    h *= p2;
    return h ^ (h >> 29);
}

int main(void) {
    uint8_t *buffer = malloc(BUFFER_BYTES);
    if (!buffer) return 1;
    uint64_t seed = 7;
    for (size_t i = 0; i < BUFFER_BYTES; i += 8) {
        uint64_t r = rng_next(&seed);
        memcpy(buffer + i, &r, 8);
    }
    uint64_t fnv = 0, words = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        fnv = mix(fnv, fnv1a(buffer, BUFFER_BYTES, (uint64_t)pass));
        words = mix(words, word_hash(buffer, BUFFER_BYTES - pass, (uint64_t)pass));
    }
    printf("fnv_hash: %u MiB x%d fnv1a %016llx word hash %016llx\n", BUFFER_BYTES >> 20, PASSES,
           (unsigned long long)fnv, (unsigned long long)words);
    free(buffer);
    return 0;
}
