// 64-bit arithmetic: 64x64 multiply and division, modular exponentiation, and 128-bit
// products (__int128, which clang lowers to i64 pairs and a compiler-rt call). 128-bit
// division is left out: Debian's wasm32 compiler-rt builds it with a stack protector
// that wasi-libc cannot link.
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

// Moduli stay below 2^32, so the product fits in 64 bits.
static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) { return a * b % m; }

static uint64_t powmod(uint64_t base, uint64_t exp, uint64_t m) {
    uint64_t result = 1 % m;
    base %= m;
    while (exp) {
        if (exp & 1) result = mulmod(result, base, m);
        base = mulmod(base, base, m);
        exp >>= 1;
    }
    return result;
}

// Miller-Rabin with bases 2, 3, 5, 7: deterministic for n < 3,215,031,751.
static int is_prime(uint64_t n) {
    if (n < 2) return 0;
    static const uint64_t bases[] = {2, 3, 5, 7};
    for (unsigned i = 0; i < 4; i++) if (n % bases[i] == 0) return n == bases[i];
    uint64_t d = n - 1;
    int s = 0;
    while ((d & 1) == 0) { d >>= 1; s++; }
    for (unsigned i = 0; i < 4; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1) continue;
        int composite = 1;
        for (int r = 1; r < s && composite; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1) composite = 0;
        }
        if (composite) return 0;
    }
    return 1;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
    while (b) { uint64_t t = a % b; a = b; b = t; }
    return a;
}

int main(void) {
    volatile uint64_t seeds[] = {1, 0xffffffffffffffffULL, 0x8000000000000000ULL,
                                 0x123456789abcdef0ULL, 18446744073709551557ULL, 1000000007ULL,
                                 4294967296ULL, 4294967311ULL};
    for (unsigned i = 0; i < 8; i++) {
        for (unsigned j = 0; j < 8; j++) {
            uint64_t a = seeds[i], b = seeds[j];
            unsigned __int128 p = (unsigned __int128)a * b;
            __int128 sp = (__int128)(int64_t)a * (int64_t)b;
            printf("%" PRIx64 "*%" PRIx64 ": lo=%" PRIx64 " hi=%" PRIx64 " shi=%" PRIx64
                   " div=%" PRIu64 " rem=%" PRIu64 " gcd=%" PRIu64 "\n",
                   a, b, (uint64_t)p, (uint64_t)(p >> 64), (uint64_t)((unsigned __int128)sp >> 64),
                   a / b, a % b, gcd(a, b));
        }
    }
    unsigned __int128 big = 1;
    for (int i = 0; i < 40; i++) big = big * 10 + (unsigned)i;
    printf("big: hi=%" PRIx64 " lo=%" PRIx64 "\n", (uint64_t)(big >> 64), (uint64_t)big);
    int primes = 0;
    uint64_t last = 0;
    for (uint64_t n = 3000000000ULL; n < 3000000000ULL + 20000; n++)
        if (is_prime(n)) { primes++; last = n; }
    printf("primes in [3e9, 3e9+20000): %d, largest %" PRIu64 "\n", primes, last);
    printf("powmod(3, 2^61, 2^31-1)=%" PRIu64 "\n", powmod(3, 1ULL << 61, (1ULL << 31) - 1));
    return 0;
}
