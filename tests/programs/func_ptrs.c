// Calls through function pointers of several signatures (call_indirect), chosen at run time
// from tables, passed as arguments and stored in structs.
#include <stdint.h>
#include <stdio.h>

typedef int32_t (*binop)(int32_t, int32_t);
typedef double (*unop_f64)(double);
typedef int64_t (*fold64)(int64_t, int32_t, float);

static int32_t add(int32_t a, int32_t b) { return a + b; }
static int32_t sub(int32_t a, int32_t b) { return a - b; }
static int32_t mul(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }
static int32_t pick_max(int32_t a, int32_t b) { return a > b ? a : b; }
static double halve(double x) { return x / 2; }
static double square(double x) { return x * x; }
static int64_t fold_a(int64_t acc, int32_t i, float f) { return acc * 31 + i + (int64_t)f; }
static int64_t fold_b(int64_t acc, int32_t i, float f) { return (acc ^ i) - (int64_t)(f * 2); }

static binop binops[] = {add, sub, mul, pick_max};
static unop_f64 unops[] = {halve, square};

struct shape {
    const char *name;
    double (*area)(const struct shape *);
    double w, h;
};
static double rect_area(const struct shape *s) { return s->w * s->h; }
static double tri_area(const struct shape *s) { return s->w * s->h / 2; }

static int32_t reduce(binop op, const int32_t *v, int n) {
    int32_t acc = v[0];
    for (int i = 1; i < n; i++) acc = op(acc, v[i]);
    return acc;
}

int main(int argc, char **argv) {
    (void)argv;
    const int32_t values[] = {5, -3, 12, 7, 100000, -8};
    for (unsigned k = 0; k < 4; k++)
        printf("reduce[%u]=%d\n", k, reduce(binops[(k + (unsigned)argc - 1) % 4], values, 6));
    double x = 3.0;
    for (int i = 0; i < 10; i++) {
        x = unops[(i * 7 + argc) % 2](x);
        printf("x=%.17g\n", x);
    }
    fold64 folds[] = {fold_a, fold_b};
    int64_t acc = 1;
    for (int i = 0; i < 50; i++) acc = folds[i % 2](acc, i, (float)i * 1.25f);
    printf("fold=%lld\n", (long long)acc);
    struct shape shapes[] = {{"rect", rect_area, 3, 4}, {"tri", tri_area, 3, 4}, {"sq", rect_area, 2.5, 2.5}};
    for (unsigned i = 0; i < 3; i++) printf("%s area=%.17g\n", shapes[i].name, shapes[i].area(&shapes[i]));
    return 0;
}
