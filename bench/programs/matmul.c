/* Dense double-precision matrix multiply (i-k-j loop order), repeated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_util.h"

#define N 384
#define ROUNDS 10

static double a[N * N], b[N * N], c[N * N];

static void multiply(void) {
    memset(c, 0, sizeof c);
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++) {
            double aik = a[i * N + k];
            for (int j = 0; j < N; j++) c[i * N + j] += aik * b[k * N + j];
        }
}

int main(void) {
    uint64_t seed = 42;
    for (int i = 0; i < N * N; i++) {
        a[i] = (double)(rng_next(&seed) % 2001) / 1000.0 - 1.0;
        b[i] = (double)(rng_next(&seed) % 2001) / 1000.0 - 1.0;
    }
    double trace_sum = 0.0;
    for (int round = 0; round < ROUNDS; round++) {
        multiply();
        for (int i = 0; i < N; i++) trace_sum += c[i * N + i];
        /* Feed the result back so no round can be skipped. */
        a[round] = c[N * N - 1 - round] * 1e-3;
    }
    uint64_t check = 0;
    for (int i = 0; i < N * N; i += 97) {
        uint64_t bits;
        memcpy(&bits, &c[i], sizeof bits);
        check = mix(check, bits);
    }
    printf("matmul %dx%d x%d: trace sum %.6f checksum %016llx\n", N, N, ROUNDS, trace_sum,
           (unsigned long long)check);
    return 0;
}
