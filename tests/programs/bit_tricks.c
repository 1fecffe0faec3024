// Bit-counting builtins (i32/i64 clz, ctz, popcnt), byte swaps, rotates, sign extension and
// the classic branch-free tricks built from them.
#include <stdint.h>
#include <stdio.h>

static volatile uint64_t inputs[] = {1, 2, 3, 0x80, 0xff, 0x8000, 0x12345678, 0x80000000u,
                                     0xffffffffu, 0x100000000ULL, 0xdeadbeefcafef00dULL,
                                     0x8000000000000000ULL, 0xffffffffffffffffULL, 0x0f0f0f0f0f0f0f0fULL};

static int next_pow2_shift(uint32_t x) { return x <= 1 ? 0 : 32 - __builtin_clz(x - 1); }
static uint32_t reverse_bits(uint32_t x) {
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
    return __builtin_bswap32(x);
}

int main(void) {
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        uint64_t v = inputs[i];
        uint32_t w = (uint32_t)v;
        printf("%016llx:", (unsigned long long)v);
        if (w) printf(" clz32=%d ctz32=%d", __builtin_clz(w), __builtin_ctz(w));
        printf(" pop32=%d clz64=%d ctz64=%d pop64=%d", __builtin_popcount(w), __builtin_clzll(v),
               __builtin_ctzll(v), __builtin_popcountll(v));
        printf(" bswap32=%08x bswap64=%016llx rev=%08x", __builtin_bswap32(w),
               (unsigned long long)__builtin_bswap64(v), reverse_bits(w));
        printf(" lowest=%llx clear_lowest=%llx parity=%d pow2=%d", (unsigned long long)(v & -v),
               (unsigned long long)(v & (v - 1)), __builtin_parityll(v), next_pow2_shift(w));
        printf(" sx8=%d sx16=%d sx32=%lld\n", (int8_t)w, (int16_t)w, (long long)(int32_t)w);
    }
    // A tiny bitset sieve: primes below 100000 via 64-bit words.
    static uint64_t composite[100000 / 64 + 1];
    int count = 0;
    for (uint32_t n = 2; n < 100000; n++) {
        if (composite[n / 64] >> (n % 64) & 1) continue;
        count++;
        for (uint32_t m = n * 2; m < 100000; m += n) composite[m / 64] |= 1ULL << (m % 64);
    }
    int set_bits = 0;
    for (unsigned i = 0; i < sizeof composite / sizeof composite[0]; i++)
        set_bits += __builtin_popcountll(composite[i]);
    printf("primes below 100000: %d, composite bits set: %d\n", count, set_bits);
    return 0;
}
