// Calling-convention corners that C compiles into shadow-stack traffic in linear memory:
// variadic functions, structs passed and returned by value, many mixed-type parameters,
// and constructors/destructors run around main.
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

struct vec3 { double x, y, z; };
struct big { int32_t a[16]; int64_t tag; float f; };

__attribute__((noinline)) static struct vec3 cross(struct vec3 u, struct vec3 v) {
    return (struct vec3){u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x};
}

__attribute__((noinline)) static struct big make_big(int seed) {
    struct big b;
    for (int i = 0; i < 16; i++) b.a[i] = seed * (i + 1) - i * i;
    b.tag = (int64_t)seed << 40;
    b.f = (float)seed / 3.0f;
    return b;
}

__attribute__((noinline)) static int64_t sum_big(struct big b) {
    int64_t s = b.tag + (int64_t)(b.f * 1000);
    for (int i = 0; i < 16; i++) s += b.a[i];
    return s;
}

// Sums its arguments as described by `types`: 'i' int, 'l' long long, 'd' double.
__attribute__((noinline)) static double sum_varargs(const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    double total = 0;
    for (const char *t = types; *t; t++) {
        switch (*t) {
        case 'i': total += va_arg(ap, int); break;
        case 'l': total += (double)va_arg(ap, long long); break;
        case 'd': total += va_arg(ap, double); break;
        }
    }
    va_end(ap);
    return total;
}

__attribute__((noinline)) static void log_line(const char *fmt, ...) {
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    printf("log: %s\n", buf);
}

__attribute__((noinline)) static double mixed(int8_t a, uint16_t b, int32_t c, int64_t d, float e,
                                              double f, uint8_t g, int64_t h, float i, double j,
                                              int32_t k, double l) {
    return a + b + c + (double)d + e + f + g + (double)h + i + j + k + l;
}

__attribute__((constructor)) static void before_main(void) { printf("constructor ran\n"); }
__attribute__((destructor)) static void after_main(void) { printf("destructor ran\n"); }

int main(void) {
    struct vec3 c = cross((struct vec3){1, 2, 3}, (struct vec3){-4, 5, 0.5});
    printf("cross = (%.17g, %.17g, %.17g)\n", c.x, c.y, c.z);
    for (int seed = -2; seed <= 2; seed++) {
        struct big b = make_big(seed);
        printf("big(%d): a[15]=%d tag=%lld f=%.9g sum=%lld\n", seed, b.a[15], (long long)b.tag,
               (double)b.f, (long long)sum_big(b));
    }
    printf("varargs: %.17g %.17g %.17g\n", sum_varargs(""), sum_varargs("iii", 1, 2, 3),
           sum_varargs("idldi", -5, 0.25, 1LL << 40, 1e-3, 7));
    log_line("%s has %d items costing %.2f", "cart", 3, 19.99);
    printf("mixed = %.17g\n", mixed(-7, 65535, -100000, 1LL << 50, 1.5f, -2.25, 200, -3, 0.125f,
                                    1e10, 42, -0.5));
    return 0;
}
