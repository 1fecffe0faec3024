/* Tokenizes and parses a generated JSON document (recursive descent), repeatedly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_util.h"

#define RECORDS 60000
#define PASSES 8

struct stats { uint64_t objects, arrays, strings, numbers, literals, number_sum, string_hash; };
struct parser { const char *p; struct stats s; int error; };

static void skip_space(struct parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r') ps->p++;
}

static void parse_value(struct parser *ps, int depth);

static void parse_string(struct parser *ps) {
    uint64_t h = 1469598103934665603ull;
    ps->p++; /* opening quote */
    while (*ps->p && *ps->p != '"') {
        if (*ps->p == '\\') ps->p++;
        if (!*ps->p) break;
        h = (h ^ (uint8_t)*ps->p++) * 1099511628211ull;
    }
    if (*ps->p != '"') { ps->error = 1; return; }
    ps->p++;
    ps->s.strings++;
    ps->s.string_hash ^= h;
}

static void parse_number(struct parser *ps) {
    int negative = *ps->p == '-';
    if (negative) ps->p++;
    uint64_t v = 0;
    while (*ps->p >= '0' && *ps->p <= '9') v = v * 10 + (uint64_t)(*ps->p++ - '0');
    if (*ps->p == '.') { ps->p++; while (*ps->p >= '0' && *ps->p <= '9') v = v * 10 + (uint64_t)(*ps->p++ - '0'); }
    ps->s.numbers++;
    ps->s.number_sum += negative ? -v : v;
}

static void parse_container(struct parser *ps, int depth, char close) {
    ps->p++;
    skip_space(ps);
    if (*ps->p == close) { ps->p++; return; }
    for (;;) {
        if (close == '}') {
            skip_space(ps);
            if (*ps->p != '"') { ps->error = 1; return; }
            parse_string(ps);
            skip_space(ps);
            if (*ps->p != ':') { ps->error = 1; return; }
            ps->p++;
        }
        parse_value(ps, depth + 1);
        if (ps->error) return;
        skip_space(ps);
        if (*ps->p == ',') { ps->p++; continue; }
        if (*ps->p == close) { ps->p++; return; }
        ps->error = 1;
        return;
    }
}

static void parse_value(struct parser *ps, int depth) {
    if (depth > 64) { ps->error = 1; return; }
    skip_space(ps);
    char c = *ps->p;
    if (c == '{') { ps->s.objects++; parse_container(ps, depth, '}'); }
    else if (c == '[') { ps->s.arrays++; parse_container(ps, depth, ']'); }
    else if (c == '"') parse_string(ps);
    else if (c == '-' || (c >= '0' && c <= '9')) parse_number(ps);
    else if (!strncmp(ps->p, "true", 4) || !strncmp(ps->p, "null", 4)) { ps->p += 4; ps->s.literals++; }
    else if (!strncmp(ps->p, "false", 5)) { ps->p += 5; ps->s.literals++; }
    else ps->error = 1;
}

static char *generate(size_t *length) {
    size_t cap = (size_t)RECORDS * 256, n = 0;
    char *doc = malloc(cap);
    if (!doc) exit(1);
    static const char *names[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
    uint64_t seed = 5;
    n += (size_t)sprintf(doc + n, "{\"records\": [\n");
    for (int i = 0; i < RECORDS; i++) {
        uint64_t r = rng_next(&seed);
        n += (size_t)sprintf(doc + n,
                             "  {\"id\": %d, \"name\": \"%s \\\"%u\\\"\", \"score\": -%u.%02u, \"active\": %s, "
                             "\"tags\": [\"%s\", \"%s\"], \"pos\": {\"x\": %u, \"y\": %u}, \"note\": null}%s\n",
                             i, names[r % 8], (unsigned)(r >> 8) % 1000, (unsigned)(r >> 20) % 100,
                             (unsigned)(r >> 30) % 100, (r >> 40) & 1 ? "true" : "false", names[(r >> 3) % 8],
                             names[(r >> 6) % 8], (unsigned)(r >> 44) % 4096, (unsigned)(r >> 52) % 4096,
                             i + 1 < RECORDS ? "," : "");
    }
    n += (size_t)sprintf(doc + n, "]}\n");
    *length = n;
    return doc;
}

int main(void) {
    size_t length;
    char *doc = generate(&length);
    uint64_t check = 0;
    struct stats last = {0};
    for (int pass = 0; pass < PASSES; pass++) {
        struct parser ps = {doc, {0}, 0};
        parse_value(&ps, 0);
        skip_space(&ps);
        if (ps.error || *ps.p) { printf("json: parse error at byte %ld\n", (long)(ps.p - doc)); return 1; }
        last = ps.s;
        check = mix(check, ps.s.string_hash ^ ps.s.number_sum);
    }
    printf("json: %zu bytes x%d objects %llu arrays %llu strings %llu numbers %llu literals %llu sum %lld "
           "checksum %016llx\n", length, PASSES, (unsigned long long)last.objects, (unsigned long long)last.arrays,
           (unsigned long long)last.strings, (unsigned long long)last.numbers, (unsigned long long)last.literals,
           (long long)last.number_sum, (unsigned long long)check);
    free(doc);
    return 0;
}
