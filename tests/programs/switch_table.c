// Dense switches that clang lowers to br_table, including the default arm and
// out-of-range (negative, huge) selectors.
#include <stdio.h>

__attribute__((noinline)) static int opcode_cost(int op) {
    switch (op) {
    case 0: return 3;
    case 1: return 14;
    case 2: return 15;
    case 3: return 92;
    case 4: return 65;
    case 5: return 35;
    case 6: return 89;
    case 7: return 79;
    case 8: return 32;
    case 9: return 38;
    case 10: return 46;
    case 11: return 26;
    case 12: return 43;
    case 13: return 38;
    case 14: return 32;
    case 15: return 79;
    case 17: return 50;
    case 18: return 28;
    case 19: return 84;
    default: return -1;
    }
}

// A switch with fall-through and side effects, so arms are distinct blocks.
__attribute__((noinline)) static unsigned mix(unsigned sel, unsigned x) {
    switch (sel) {
    case 0: x += 1; /* fall through */
    case 1: x *= 3; break;
    case 2: x ^= 0x5a5a; /* fall through */
    case 3: x -= 7; /* fall through */
    case 4: x = (x << 3) | (x >> 29); break;
    case 5: x = ~x; break;
    case 6: x /= 5; break;
    case 7: x %= 1000; /* fall through */
    case 8: x += 100; break;
    case 9: x = x * x; break;
    default: x = 0xdeadbeef; break;
    }
    return x;
}

static const char *day_name(int d) {
    switch (d) {
    case 1: return "Mon"; case 2: return "Tue"; case 3: return "Wed"; case 4: return "Thu";
    case 5: return "Fri"; case 6: return "Sat"; case 7: return "Sun";
    default: return "???";
    }
}

int main(void) {
    int total = 0;
    for (int op = -3; op < 24; op++) {
        int c = opcode_cost(op);
        printf("cost(%d)=%d\n", op, c);
        total += c;
    }
    printf("total=%d\n", total);
    unsigned x = 12345;
    for (unsigned i = 0; i < 40; i++) {
        x = mix(i % 12, x);
        printf("%u ", x);
    }
    printf("\nmix(huge)=%u\n", mix(0xffffffffu, 1));
    for (int d = 0; d <= 8; d++) printf("%s%s", day_name(d), d < 8 ? " " : "\n");
    return 0;
}
