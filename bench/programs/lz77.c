/* LZ77 compression with a hash-chain match finder, then decompression and a round-trip check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_util.h"

#define INPUT_BYTES (3u << 20)
#define WINDOW 32768
#define MIN_MATCH 4
#define MAX_MATCH 258
#define HASH_BITS 15
#define MAX_CHAIN 48

/* Token stream: a literal byte is 0x00 b; a match is 0x01 len(2 bytes) dist(2 bytes). */
static size_t compress(const uint8_t *in, size_t n, uint8_t *out) {
    static int32_t head[1 << HASH_BITS];
    static int32_t prev[WINDOW];
    memset(head, -1, sizeof head);
    size_t o = 0, i = 0;
    while (i < n) {
        size_t best_len = 0, best_dist = 0;
        if (i + MIN_MATCH <= n) {
            uint32_t h = ((uint32_t)in[i] << 16 | in[i + 1] << 8 | in[i + 2]) * 2654435761u >> (32 - HASH_BITS);
            int32_t cand = head[h];
            for (int chain = 0; cand >= 0 && chain < MAX_CHAIN && i - (size_t)cand <= WINDOW - 1; chain++) {
                size_t len = 0, limit = n - i < MAX_MATCH ? n - i : MAX_MATCH;
                while (len < limit && in[cand + len] == in[i + len]) len++;
                if (len > best_len) { best_len = len; best_dist = i - (size_t)cand; }
                cand = prev[cand % WINDOW];
            }
            prev[i % WINDOW] = head[h];
            head[h] = (int32_t)i;
        }
        if (best_len >= MIN_MATCH) {
            out[o++] = 1;
            out[o++] = (uint8_t)best_len; out[o++] = (uint8_t)(best_len >> 8);
            out[o++] = (uint8_t)best_dist; out[o++] = (uint8_t)(best_dist >> 8);
            /* Insert the skipped positions so later matches can find them. */
            for (size_t k = i + 1; k < i + best_len && k + MIN_MATCH <= n; k++) {
                uint32_t h = ((uint32_t)in[k] << 16 | in[k + 1] << 8 | in[k + 2]) * 2654435761u >> (32 - HASH_BITS);
                prev[k % WINDOW] = head[h];
                head[h] = (int32_t)k;
            }
            i += best_len;
        } else {
            out[o++] = 0;
            out[o++] = in[i++];
        }
    }
    return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
    size_t o = 0, i = 0;
    while (i < n) {
        if (in[i] == 0) { out[o++] = in[i + 1]; i += 2; continue; }
        size_t len = in[i + 1] | (size_t)in[i + 2] << 8, dist = in[i + 3] | (size_t)in[i + 4] << 8;
        for (size_t k = 0; k < len; k++, o++) out[o] = out[o - dist];
        i += 5;
    }
    return o;
}

/* Text with repetition at several scales: words from a small vocabulary, numbers, line breaks. */
static void generate(uint8_t *text, size_t n) {
    static const char *words[] = {"the", "wasm", "module", "compiler", "native", "function", "memory",
                                  "table", "value", "stack", "branch", "loop", "register", "block"};
    uint64_t seed = 99;
    size_t i = 0;
    while (i < n) {
        uint64_t r = rng_next(&seed);
        const char *w = words[r % 14];
        if (r % 11 == 0) { i += (size_t)snprintf((char *)text + i, n - i, "%u", (unsigned)(r >> 40) % 1000); }
        while (*w && i < n) text[i++] = (uint8_t)*w++;
        if (i < n) text[i++] = (r >> 8) % 9 == 0 ? '\n' : ' ';
    }
}

int main(void) {
    uint8_t *input = malloc(INPUT_BYTES + 16);
    uint8_t *packed = malloc(INPUT_BYTES * 2 + 16);
    uint8_t *unpacked = malloc(INPUT_BYTES + 16);
    if (!input || !packed || !unpacked) return 1;
    generate(input, INPUT_BYTES);
    size_t packed_len = compress(input, INPUT_BYTES, packed);
    size_t unpacked_len = decompress(packed, packed_len, unpacked);
    int same = unpacked_len == INPUT_BYTES && memcmp(input, unpacked, INPUT_BYTES) == 0;
    uint64_t check = 0;
    for (size_t i = 0; i < packed_len; i += 64) check = mix(check, packed[i]);
    printf("lz77: %u bytes -> %zu bytes, round trip %s, checksum %016llx\n", INPUT_BYTES, packed_len,
           same ? "ok" : "FAILED", (unsigned long long)check);
    free(input);
    free(packed);
    free(unpacked);
    return same ? 0 : 1;
}
