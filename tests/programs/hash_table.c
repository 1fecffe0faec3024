// An open-addressing hash table (FNV-1a, linear probing, tombstones, resizing) driven by a
// pseudo-random mix of inserts, lookups and deletions.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key;       // NULL: empty slot
    int deleted;     // tombstone: keeps probe chains intact
    long value;
};

struct table {
    struct entry *slots;
    size_t capacity, count, tombstones;
};

static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static struct entry *find_slot(struct entry *slots, size_t capacity, const char *key) {
    struct entry *tomb = NULL;
    for (size_t i = fnv1a(key) & (capacity - 1);; i = (i + 1) & (capacity - 1)) {
        struct entry *e = &slots[i];
        if (e->key == NULL) {
            if (!e->deleted) return tomb ? tomb : e;
            if (!tomb) tomb = e;
        } else if (strcmp(e->key, key) == 0) {
            return e;
        }
    }
}

static void grow(struct table *t) {
    size_t capacity = t->capacity ? t->capacity * 2 : 8;
    struct entry *slots = calloc(capacity, sizeof *slots);
    for (size_t i = 0; i < t->capacity; i++) {
        struct entry *e = &t->slots[i];
        if (e->key) *find_slot(slots, capacity, e->key) = *e;
    }
    free(t->slots);
    t->slots = slots;
    t->capacity = capacity;
    t->tombstones = 0;
}

static void put(struct table *t, const char *key, long value) {
    if ((t->count + t->tombstones + 1) * 4 > t->capacity * 3) grow(t);
    struct entry *e = find_slot(t->slots, t->capacity, key);
    if (e->key) { e->value = value; return; }
    if (e->deleted) t->tombstones--;
    e->key = strdup(key);
    e->deleted = 0;
    e->value = value;
    t->count++;
}

static struct entry *get(struct table *t, const char *key) {
    if (t->capacity == 0) return NULL;
    struct entry *e = find_slot(t->slots, t->capacity, key);
    return e->key ? e : NULL;
}

static int del(struct table *t, const char *key) {
    struct entry *e = get(t, key);
    if (!e) return 0;
    free(e->key);
    e->key = NULL;
    e->deleted = 1;
    t->count--;
    t->tombstones++;
    return 1;
}

int main(void) {
    struct table t = {0};
    uint32_t state = 7;
    long hits = 0, misses = 0, deletions = 0, sum = 0;
    char key[32];
    for (int i = 0; i < 60000; i++) {
        state = state * 1664525u + 1013904223u;
        unsigned k = (state >> 10) % 5000;
        snprintf(key, sizeof key, "key-%u-%x", k, k * 2654435761u);
        switch ((state >> 4) % 4) {
        case 0: case 1: put(&t, key, (long)i); break;
        case 2: {
            struct entry *e = get(&t, key);
            if (e) { hits++; sum += e->value; } else misses++;
            break;
        }
        case 3: deletions += del(&t, key); break;
        }
    }
    printf("count=%zu capacity=%zu tombstones=%zu\n", t.count, t.capacity, t.tombstones);
    printf("hits=%ld misses=%ld deletions=%ld sum=%ld\n", hits, misses, deletions, sum);
    // Order-independent digest of the final contents.
    uint64_t digest = 0;
    size_t live = 0;
    for (size_t i = 0; i < t.capacity; i++) {
        if (!t.slots[i].key) continue;
        live++;
        digest += (uint64_t)fnv1a(t.slots[i].key) * (uint64_t)(t.slots[i].value + 1);
        free(t.slots[i].key);
    }
    free(t.slots);
    printf("live=%zu digest=%llu\n", live, (unsigned long long)digest);
    return live != t.count;
}
