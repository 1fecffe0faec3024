// libm over a spread of arguments, including special values: every result goes through
// wasi-libc's software implementations, so they exercise long straight-line float code.
#include <math.h>
#include <stdio.h>

static volatile double xs[] = {-10.5, -3.0, -1.0, -0.5, -0.0, 0.0, 1e-9, 0.5, 1.0, 2.0,
                               3.14159265358979, 10.0, 100.25, 710.0, 1e300, INFINITY};

static void show(const char *name, double v) {
    if (isnan(v)) printf(" %s=nan", name);
    else printf(" %s=%.17g", name, v);
}

int main(void) {
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        printf("x=%.17g", x);
        show("sin", sin(x)); show("cos", cos(x)); show("tan", tan(x));
        show("exp", exp(x)); show("log", log(x)); show("log10", log10(x));
        show("sqrt", sqrt(x)); show("cbrt", cbrt(x)); show("floor", floor(x));
        show("ceil", ceil(x)); show("round", round(x)); show("atan", atan(x));
        show("atan2", atan2(x, 1.5)); show("tanh", tanh(x)); show("pow", pow(x, 2.5));
        show("pow3", pow(x, 3.0)); show("fmod", fmod(x, 1.75)); show("hypot", hypot(x, 4.0));
        printf("\n");
    }
    float f = 0.25f;
    for (int i = 0; i < 8; i++) {
        printf("float %.9g sinf=%.9g expf=%.9g sqrtf=%.9g powf=%.9g fmodf=%.9g\n", (double)f,
               (double)sinf(f), (double)expf(f), (double)sqrtf(f), (double)powf(f, 1.5f),
               (double)fmodf(f, 0.75f));
        f = f * 2.5f - 0.125f;
    }
    int e;
    double m = frexp(1234.5678, &e);
    printf("frexp %.17g %d ldexp %.17g modf", m, e, ldexp(m, e));
    double ip, fp = modf(-7.375, &ip);
    printf(" %.17g %.17g\n", ip, fp);
    return 0;
}
