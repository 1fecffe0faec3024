// Deep and branching recursion: Ackermann, naive Fibonacci, mutual recursion and the
// Tower of Hanoi. `noinline` keeps real call frames.
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) static uint32_t ackermann(uint32_t m, uint32_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

__attribute__((noinline)) static uint64_t fib(int n) {
    return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2);
}

static int is_odd(unsigned n);
__attribute__((noinline)) static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
__attribute__((noinline)) static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static unsigned long moves;
static uint64_t hanoi_trace;
__attribute__((noinline)) static void hanoi(int disks, int from, int to, int via) {
    if (disks == 0) return;
    hanoi(disks - 1, from, via, to);
    moves++;
    hanoi_trace = hanoi_trace * 3 + (uint64_t)(from * 3 + to);
    hanoi(disks - 1, via, to, from);
}

// Many parameters: some are passed on the native stack.
__attribute__((noinline)) static double weighted(int depth, double a, double b, double c, double d,
                                                 double e, double f, double g, double h, double i) {
    if (depth == 0) return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i;
    return weighted(depth - 1, b, c, d, e, f, g, h, i, a + 0.5) * 0.5;
}

int main(void) {
    for (uint32_t m = 0; m <= 3; m++)
        for (uint32_t n = 0; n <= 5; n++) printf("ackermann(%u,%u)=%u\n", m, n, ackermann(m, n));
    printf("ackermann(3,8)=%u\n", ackermann(3, 8));
    for (int n = 0; n <= 30; n += 5) printf("fib(%d)=%llu\n", n, (unsigned long long)fib(n));
    printf("is_even(10001)=%d is_odd(7777)=%d\n", is_even(10001), is_odd(7777));
    hanoi(16, 0, 2, 1);
    printf("hanoi(16): moves=%lu trace=%llu\n", moves, (unsigned long long)hanoi_trace);
    printf("weighted=%.17g\n", weighted(20, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    return 0;
}
