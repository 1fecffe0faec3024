/* Sieve of Eratosthenes over odd numbers, bit-packed, counting primes and summing the last ones. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 40000000u
#define ROUNDS 2

int main(void) {
    /* Bit i stands for the odd number 2i + 1; a set bit means composite. */
    size_t bits = LIMIT / 2, words = bits / 64 + 1;
    uint64_t *composite = malloc(words * sizeof *composite);
    if (!composite) return 1;
    size_t count = 0;
    uint64_t tail_sum = 0;
    for (int round = 0; round < ROUNDS; round++) {
        memset(composite, 0, words * sizeof *composite);
        for (uint64_t p = 3; p * p < LIMIT; p += 2) {
            if (composite[p / 2 / 64] >> (p / 2 % 64) & 1) continue;
            for (uint64_t m = p * p; m < LIMIT; m += 2 * p) composite[m / 2 / 64] |= 1ull << (m / 2 % 64);
        }
        count = 1; /* the prime 2 */
        tail_sum = 0;
        for (size_t i = 1; i < bits; i++)
            if (!(composite[i / 64] >> (i % 64) & 1)) {
                count++;
                if (2 * i + 1 > LIMIT - 10000) tail_sum += 2 * i + 1;
            }
    }
    printf("sieve: %zu primes below %u, sum of those above %u: %llu\n", count, LIMIT, LIMIT - 10000,
           (unsigned long long)tail_sum);
    free(composite);
    return 0;
}
