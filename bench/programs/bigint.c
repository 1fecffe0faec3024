/* Big-integer arithmetic: n! in base 10^9 limbs, then its decimal digit sum. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#define N 15000
#define BASE 1000000000u

int main(void) {
    size_t capacity = 1 << 16, used = 1;
    uint32_t *limbs = calloc(capacity, sizeof *limbs);
    if (!limbs) return 1;
    limbs[0] = 1;
    for (uint32_t k = 2; k <= N; k++) {
        uint64_t carry = 0;
        for (size_t i = 0; i < used; i++) {
            uint64_t v = (uint64_t)limbs[i] * k + carry;
            limbs[i] = (uint32_t)(v % BASE);
            carry = v / BASE;
        }
        while (carry) {
            if (used == capacity) {
                capacity *= 2;
                uint32_t *grown = realloc(limbs, capacity * sizeof *limbs);
                if (!grown) return 1;
                limbs = grown;
            }
            limbs[used++] = (uint32_t)(carry % BASE);
            carry /= BASE;
        }
    }
    uint64_t digit_sum = 0;
    size_t digits = 0;
    for (size_t i = 0; i < used; i++) {
        uint32_t v = limbs[i];
        int limb_digits = 0;
        while (v) { digit_sum += v % 10; v /= 10; limb_digits++; }
        digits += i + 1 < used ? 9 : (size_t)limb_digits;
    }
    printf("bigint: %d! has %zu digits, digit sum %llu, leading limb %u, limb 1000 %09u\n", N, digits,
           (unsigned long long)digit_sum, limbs[used - 1], limbs[1000]);
    free(limbs);
    return 0;
}
