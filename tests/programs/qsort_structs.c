// qsort and bsearch over an array of structs with a multi-key comparator called
// through a function pointer (call_indirect from inside libc).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct person {
    char name[12];
    int age;
    double score;
};

static int by_age_then_name(const void *a, const void *b) {
    const struct person *p = a, *q = b;
    if (p->age != q->age) return p->age < q->age ? -1 : 1;
    return strcmp(p->name, q->name);
}

static int by_score_desc(const void *a, const void *b) {
    double x = ((const struct person *)a)->score, y = ((const struct person *)b)->score;
    return (x < y) - (x > y);
}

static int by_age(const void *key, const void *elem) {
    int k = *(const int *)key, age = ((const struct person *)elem)->age;
    return (k > age) - (k < age);
}

int main(void) {
    enum { N = 200 };
    static struct person people[N];
    unsigned state = 2024;
    for (int i = 0; i < N; i++) {
        state = state * 1103515245u + 12345u;
        int len = 3 + (state >> 16) % 8;
        for (int c = 0; c < len; c++) {
            state = state * 1103515245u + 12345u;
            people[i].name[c] = (char)('a' + (state >> 16) % 26);
        }
        people[i].name[len] = '\0';
        people[i].age = 18 + (state >> 8) % 50;
        people[i].score = (double)((state >> 4) % 10000) / 7.0;
    }
    qsort(people, N, sizeof people[0], by_age_then_name);
    for (int i = 0; i < N; i += 9)
        printf("%3d %-10s age=%d score=%.6f\n", i, people[i].name, people[i].age, people[i].score);
    int sorted = 1;
    for (int i = 1; i < N; i++) sorted &= by_age_then_name(&people[i - 1], &people[i]) <= 0;
    printf("sorted by age/name: %d\n", sorted);

    for (int age = 15; age < 75; age += 6) {
        struct person *hit = bsearch(&age, people, N, sizeof people[0], by_age);
        printf("bsearch age %d: %s\n", age, hit ? "found" : "absent");
    }

    qsort(people, N, sizeof people[0], by_score_desc);
    printf("top: %s %.6f, bottom: %s %.6f\n", people[0].name, people[0].score,
           people[N - 1].name, people[N - 1].score);
    return 0;
}
