/* Helpers shared by the benchmark kernels: a deterministic generator and a checksum mixer.
 * Everything here is integer arithmetic, so native and Wasm builds agree bit for bit. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>

/* splitmix64: fast, full-period, and the same sequence on every platform. */
static inline uint64_t rng_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Folds one value into a running checksum (order-sensitive). */
static inline uint64_t mix(uint64_t acc, uint64_t value) {
    acc ^= value + 0x9E3779B97F4A7C15ull + (acc << 6) + (acc >> 2);
    return acc;
}

#endif
