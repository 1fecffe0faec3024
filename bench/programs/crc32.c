/* Table-driven CRC-32 (IEEE, reflected) with slicing-by-4, over a generated buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_util.h"

#define BUFFER_BYTES (16u << 20)
#define PASSES 8

static uint32_t table[4][256];

static void build_tables(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 4; t++) table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xff];
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    for (; n >= 4; n -= 4, p += 4) {
        crc ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        crc = table[3][crc & 0xff] ^ table[2][(crc >> 8) & 0xff] ^ table[1][(crc >> 16) & 0xff] ^ table[0][crc >> 24];
    }
    while (n--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int main(void) {
    build_tables();
    printf("crc32: \"123456789\" %08x\n", crc32(0, (const uint8_t *)"123456789", 9)); /* cbf43926 */
    uint8_t *buffer = malloc(BUFFER_BYTES);
    if (!buffer) return 1;
    uint64_t seed = 17;
    for (size_t i = 0; i < BUFFER_BYTES; i += 8) {
        uint64_t r = rng_next(&seed);
        memcpy(buffer + i, &r, 8);
    }
    uint32_t crc = 0;
    for (int pass = 0; pass < PASSES; pass++) crc = crc32(crc, buffer + pass, BUFFER_BYTES - pass);
    printf("crc32: %u MiB x%d chained %08x\n", BUFFER_BYTES >> 20, PASSES, crc);
    free(buffer);
    return 0;
}
