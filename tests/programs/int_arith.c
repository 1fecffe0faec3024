// 32- and 64-bit integer arithmetic at the edges: wrap-around, signed and unsigned
// division and remainder (rounding toward zero), shifts and rotates.
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

// volatile so clang cannot fold the arithmetic away at compile time.
static volatile int32_t i32s[] = {0, 1, -1, 7, -7, 13, 0x7fffffff, INT32_MIN, 123456789, -98765};
static volatile int64_t i64s[] = {0, 1, -1, 7, -7, 13, INT64_MAX, INT64_MIN,
                                  0x123456789abcdefLL, -0x1000000001LL};
#define N32 (sizeof i32s / sizeof i32s[0])
#define N64 (sizeof i64s / sizeof i64s[0])

static uint32_t rotl32(uint32_t x, unsigned n) { n &= 31; return (x << n) | (x >> ((32 - n) & 31)); }
static uint64_t rotr64(uint64_t x, unsigned n) { n &= 63; return (x >> n) | (x << ((64 - n) & 63)); }

int main(void) {
    for (unsigned i = 0; i < N32; i++) {
        for (unsigned j = 0; j < N32; j++) {
            int32_t a = i32s[i], b = i32s[j];
            uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
            printf("i32 %d %d: add=%d sub=%d mul=%d", a, b, (int32_t)(ua + ub), (int32_t)(ua - ub),
                   (int32_t)(ua * ub));
            if (b != 0 && !(a == INT32_MIN && b == -1))
                printf(" div=%d rem=%d", a / b, a % b);
            if (b != 0)
                printf(" divu=%u remu=%u", ua / ub, ua % ub);
            printf(" shl=%d shr=%d shru=%u rotl=%u lt=%d ltu=%d\n", (int32_t)(ua << (ub & 31)),
                   a >> (ub & 31), ua >> (ub & 31), rotl32(ua, ub), a < b, ua < ub);
        }
    }
    for (unsigned i = 0; i < N64; i++) {
        for (unsigned j = 0; j < N64; j++) {
            int64_t a = i64s[i], b = i64s[j];
            uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
            printf("i64 %" PRId64 " %" PRId64 ": add=%" PRId64 " sub=%" PRId64 " mul=%" PRId64, a, b,
                   (int64_t)(ua + ub), (int64_t)(ua - ub), (int64_t)(ua * ub));
            if (b != 0 && !(a == INT64_MIN && b == -1))
                printf(" div=%" PRId64 " rem=%" PRId64, a / b, a % b);
            if (b != 0)
                printf(" divu=%" PRIu64 " remu=%" PRIu64, ua / ub, ua % ub);
            printf(" shl=%" PRId64 " shr=%" PRId64 " shru=%" PRIu64 " rotr=%" PRIu64 " le=%d\n",
                   (int64_t)(ua << (ub & 63)), a >> (ub & 63), ua >> (ub & 63), rotr64(ua, ub), a <= b);
        }
    }
    // Narrowing and widening conversions.
    for (unsigned i = 0; i < N64; i++) {
        int64_t v = i64s[i];
        printf("conv %" PRId64 ": i32=%d u32=%u i16=%d u8=%u sext32=%" PRId64 "\n", v, (int32_t)v,
               (uint32_t)v, (int16_t)v, (uint8_t)v, (int64_t)(int32_t)v);
    }
    return 0;
}
