/* Quicksort (median of three, insertion sort for small ranges) and bottom-up merge sort of ints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_util.h"

#define COUNT 1000000

static void insertion_sort(int32_t *v, long lo, long hi) {
    for (long i = lo + 1; i <= hi; i++) {
        int32_t x = v[i];
        long j = i - 1;
        while (j >= lo && v[j] > x) { v[j + 1] = v[j]; j--; }
        v[j + 1] = x;
    }
}

static void swap(int32_t *a, int32_t *b) { int32_t t = *a; *a = *b; *b = t; }

static void quicksort(int32_t *v, long lo, long hi) {
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo]) swap(&v[mid], &v[lo]);
        if (v[hi] < v[lo]) swap(&v[hi], &v[lo]);
        if (v[hi] < v[mid]) swap(&v[hi], &v[mid]);
        int32_t pivot = v[mid];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) { swap(&v[i], &v[j]); i++; j--; }
        }
        /* Recurse into the smaller half so the stack stays logarithmic. */
        if (j - lo < hi - i) { quicksort(v, lo, j); lo = i; }
        else { quicksort(v, i, hi); hi = j; }
    }
    insertion_sort(v, lo, hi);
}

/* Bottom-up merge sort; the runs ping-pong between v and tmp, the result ends in v. */
static void merge_sort(int32_t *v, int32_t *tmp, long n) {
    int32_t *src = v, *dst = tmp;
    for (long width = 1; width < n; width *= 2) {
        for (long lo = 0; lo < n; lo += 2 * width) {
            long mid = lo + width < n ? lo + width : n;
            long hi = lo + 2 * width < n ? lo + 2 * width : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi) dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        int32_t *t = src; src = dst; dst = t;
    }
    if (src != v) memcpy(v, src, (size_t)n * sizeof *v);
}

static uint64_t verify(const int32_t *v, long n) {
    uint64_t check = 0;
    for (long i = 0; i < n; i++) {
        if (i > 0 && v[i - 1] > v[i]) {
            printf("sort: not sorted at %ld\n", i);
            exit(1);
        }
        if (i % 1024 == 0) check = mix(check, (uint32_t)v[i]);
    }
    return check;
}

int main(void) {
    int32_t *data = malloc(COUNT * sizeof *data);
    int32_t *copy = malloc(COUNT * sizeof *copy);
    int32_t *tmp = malloc(COUNT * sizeof *tmp);
    if (!data || !copy || !tmp) return 1;
    uint64_t seed = 2024;
    for (long i = 0; i < COUNT; i++) data[i] = (int32_t)(rng_next(&seed) >> 33) - (1 << 30);
    memcpy(copy, data, COUNT * sizeof *data);

    quicksort(data, 0, COUNT - 1);
    uint64_t quick = verify(data, COUNT);
    merge_sort(copy, tmp, COUNT);
    uint64_t merged = verify(copy, COUNT);
    printf("sort: %d ints quicksort %016llx merge sort %016llx %s\n", COUNT,
           (unsigned long long)quick, (unsigned long long)merged,
           quick == merged ? "agree" : "DISAGREE");
    free(data);
    free(copy);
    free(tmp);
    return 0;
}
