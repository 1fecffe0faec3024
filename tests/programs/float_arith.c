// Double and float arithmetic printed exactly (%.17g / %.9g and %a): IEEE rounding, NaN and
// infinity propagation, signed zero, min/max, and conversions to and from integers.
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static volatile double ds[] = {0.0, -0.0, 1.0, -1.5, 0.1, 3.0, 1e308, 5e-324, 2.5, -2.5,
                               123456789.987654321, INFINITY, -INFINITY, NAN};
static volatile float fs[] = {0.0f, -0.0f, 1.0f, -1.5f, 0.1f, 3.0f, 3.4e38f, 1e-45f, 2.5f,
                              16777217.0f, INFINITY, NAN};
#define ND (sizeof ds / sizeof ds[0])
#define NF (sizeof fs / sizeof fs[0])

// NaN's sign and payload are not portable across printf implementations; print NaN plainly.
static void pd(const char *what, double v) {
    if (isnan(v)) printf(" %s=nan", what);
    else printf(" %s=%.17g", what, v);
}
static void pf(const char *what, float v) {
    if (isnan(v)) printf(" %s=nan", what);
    else printf(" %s=%.9g", what, (double)v);
}

int main(void) {
    for (unsigned i = 0; i < ND; i++) {
        for (unsigned j = 0; j < ND; j++) {
            double a = ds[i], b = ds[j];
            printf("f64");
            pd("a", a); pd("b", b);
            pd("add", a + b); pd("sub", a - b); pd("mul", a * b); pd("div", a / b);
            pd("min", fmin(a, b)); pd("max", fmax(a, b)); pd("copysign", copysign(a, b));
            printf(" lt=%d le=%d eq=%d ne=%d\n", a < b, a <= b, a == b, a != b);
        }
    }
    for (unsigned i = 0; i < NF; i++) {
        for (unsigned j = 0; j < NF; j++) {
            float a = fs[i], b = fs[j];
            printf("f32");
            pf("a", a); pf("b", b);
            pf("add", a + b); pf("sub", a - b); pf("mul", a * b); pf("div", a / b);
            pf("min", fminf(a, b)); pf("max", fmaxf(a, b));
            printf(" gt=%d ge=%d\n", a > b, a >= b);
        }
    }
    for (unsigned i = 0; i < ND; i++) {
        double a = ds[i];
        printf("unary");
        pd("a", a); pd("neg", -a); pd("abs", fabs(a)); pd("sqrt", sqrt(a));
        pd("floor", floor(a)); pd("ceil", ceil(a)); pd("trunc", trunc(a)); pd("nearest", nearbyint(a));
        pf("demote", (float)a);
        if (!isnan(a) && fabs(a) < 2147483648.0) printf(" i32=%d", (int32_t)a);
        if (!isnan(a) && fabs(a) < 9.2e18) printf(" i64=%lld", (long long)a);
        if (!isnan(a) && a > -1.0 && a < 4294967296.0) printf(" u32=%u", (uint32_t)a);
        printf(" hex=%a\n", isnan(a) ? 0.0 : a);
    }
    static volatile int64_t ints[] = {0, 1, -1, 9007199254740993LL, -9007199254740993LL,
                                      INT64_MAX, INT64_MIN, 16777217};
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        int64_t v = ints[i];
        printf("int->float %lld:", (long long)v);
        pd("f64", (double)v); pd("f64u", (double)(uint64_t)v);
        pf("f32", (float)v); pf("f32u", (float)(uint64_t)v);
        pf("f32i32", (float)(int32_t)v); pd("f64u32", (double)(uint32_t)v);
        printf("\n");
    }
    // A running sum whose rounding depends on evaluation order.
    double sum = 0.0;
    float fsum = 0.0f;
    for (int k = 1; k <= 1000; k++) {
        sum += 1.0 / k;
        fsum += 1.0f / (float)k;
    }
    printf("harmonic %.17g %.9g\n", sum, (double)fsum);
    return 0;
}
