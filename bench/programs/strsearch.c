/* Boyer-Moore-Horspool and naive search for several patterns over a generated text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_util.h"

#define TEXT_BYTES (4u << 20)

static size_t horspool(const uint8_t *text, size_t n, const uint8_t *pat, size_t m) {
    size_t shift[256], count = 0;
    for (int c = 0; c < 256; c++) shift[c] = m;
    for (size_t i = 0; i + 1 < m; i++) shift[pat[i]] = m - 1 - i;
    for (size_t pos = 0; pos + m <= n; pos += shift[text[pos + m - 1]]) {
        size_t j = m;
        while (j > 0 && text[pos + j - 1] == pat[j - 1]) j--;
        if (j == 0) count++;
    }
    return count;
}

static size_t naive(const uint8_t *text, size_t n, const uint8_t *pat, size_t m) {
    size_t count = 0;
    for (size_t pos = 0; pos + m <= n; pos++) {
        size_t j = 0;
        while (j < m && text[pos + j] == pat[j]) j++;
        if (j == m) count++;
    }
    return count;
}

int main(void) {
    uint8_t *text = malloc(TEXT_BYTES);
    if (!text) return 1;
    /* A small alphabet with skewed frequencies makes partial matches common. */
    static const char alphabet[] = "eeeetttaaoinshrdlu ";
    uint64_t seed = 11;
    for (size_t i = 0; i < TEXT_BYTES; i++) text[i] = (uint8_t)alphabet[rng_next(&seed) % (sizeof alphabet - 1)];
    static const char *patterns[] = {"tea", "the eet", "aeon", "eeteet", "shrdlu", "a tie to a tee", "ttt"};
    uint64_t check = 0;
    for (unsigned p = 0; p < sizeof patterns / sizeof *patterns; p++) {
        size_t m = strlen(patterns[p]);
        size_t fast = horspool(text, TEXT_BYTES, (const uint8_t *)patterns[p], m);
        size_t slow = naive(text, TEXT_BYTES, (const uint8_t *)patterns[p], m);
        printf("strsearch: \"%s\" %zu matches%s\n", patterns[p], fast, fast == slow ? "" : " (NAIVE DISAGREES)");
        check = mix(check, fast);
    }
    printf("strsearch: checksum %016llx\n", (unsigned long long)check);
    free(text);
    return 0;
}
