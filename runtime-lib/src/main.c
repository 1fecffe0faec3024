/* The `main` of a command module: the compiler's entry object defines `wasmc_main_meta` and
 * `wasmc_main_grants`.
 *
 * The guest sees what the grants give it (grants.c): pre-opened directories and environment
 * variables named at compile time (or by `wasmc run`), nothing else; stdin, stdout and
 * stderr are the process's. Its argv is the process's argv.
 *
 * Code compiled with `--target-cpu` uses extensions without checking for them; before anything
 * runs, main compares what the metadata asks for with cpuid, so an older CPU gets a message
 * and exit status 132 (what a shell reports for the SIGILL it would otherwise have died of). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

extern const wasmc_module_meta wasmc_main_meta;
extern const char wasmc_main_grants[];
extern char **environ;

/* The Rust writer (compiler/src/object/meta.rs) puts cpu_features at the end of a 168-byte
 * header. */
_Static_assert(offsetof(wasmc_module_meta, cpu_features) == 160, "meta header layout");
_Static_assert(sizeof(wasmc_module_meta) == 168, "meta header size");

#define EXIT_CPU_TOO_OLD 132

#if defined(__x86_64__)
#include <cpuid.h>

/* The WASMC_CPU_* extensions this CPU has and the OS lets programs use. */
static uint32_t host_cpu_features(void) {
    unsigned a, b, c, d;
    uint32_t f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (c & bit_POPCNT) f |= WASMC_CPU_POPCNT;
    if (c & bit_SSE4_2) f |= WASMC_CPU_SSE42;
    /* AVX also needs the OS to save the ymm registers (XCR0 bits 1 and 2). */
    if ((c & bit_AVX) && (c & bit_OSXSAVE)) {
        uint32_t xcr0_lo, xcr0_hi;
        __asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
        if ((xcr0_lo & 6) == 6) f |= WASMC_CPU_AVX;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (b & bit_BMI) f |= WASMC_CPU_BMI1;
        if (b & bit_BMI2) f |= WASMC_CPU_BMI2;
        if ((b & bit_AVX2) && (f & WASMC_CPU_AVX)) f |= WASMC_CPU_AVX2;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d) && (c & bit_LZCNT)) f |= WASMC_CPU_LZCNT;
    return f;
}
#else
static uint32_t host_cpu_features(void) { return 0; }
#endif

/* Names what `needed` has and the CPU lacks, and exits; returns if nothing is missing.
 * WASMC_TEST_CPU_FEATURES (a number) stands in for cpuid, so tests can play an old CPU. */
static void check_cpu(uint32_t needed) {
    if (!needed) return;
    const char *pretend = getenv("WASMC_TEST_CPU_FEATURES");
    uint32_t have = pretend ? (uint32_t)strtoul(pretend, NULL, 0) : host_cpu_features();
    uint32_t missing = needed & ~have;
    if (!missing) return;
    static const struct { uint32_t bit; const char *name; } names[] = {
        {WASMC_CPU_AVX2, "AVX2"}, {WASMC_CPU_AVX, "AVX"},     {WASMC_CPU_BMI2, "BMI2"},
        {WASMC_CPU_BMI1, "BMI1"}, {WASMC_CPU_LZCNT, "LZCNT"}, {WASMC_CPU_SSE42, "SSE4.2"},
        {WASMC_CPU_POPCNT, "POPCNT"},
    };
    fprintf(stderr, "wasmc: this program needs a CPU with");
    const char *sep = " ";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (missing & names[i].bit) {
            fprintf(stderr, "%s%s", sep, names[i].name);
            sep = ", ";
        }
    }
    /* The named levels are nested; anything beyond x86-64-v2 is a v3 feature. */
    uint32_t v2 = WASMC_CPU_POPCNT | WASMC_CPU_SSE42;
    fprintf(stderr, " (compiled for %s)\n", (needed & ~v2) ? "x86-64-v3" : "x86-64-v2");
    exit(EXIT_CPU_TOO_OLD);
}

static int finish(const wasmc_status *status) {
    switch (status->code) {
    case WASMC_TRAP_NONE: return 0;
    case WASMC_EXIT: return status->exit_code;
    case WASMC_LINK_ERROR:
        fprintf(stderr, "wasmc: error: %s\n", status->message);
        return 1;
    default:
        wasmc_print_trap(status, stderr);
        return 134;
    }
}

int main(int argc, char **argv) {
    check_cpu(wasmc_main_meta.cpu_features);
    wasmc_wasi_set_args(argc, (const char *const *)argv);
    static wasmc_status status;
    wasmc_linker *linker = wasmc_linker_new();
    if (!linker || wasmc_linker_define_wasi(linker) != 0) {
        fprintf(stderr, "wasmc: error: out of memory\n");
        return 1;
    }
    char error[512];
    if (wasmc_wasi_apply_grants(wasmc_main_grants, environ, linker, error, sizeof error) != 0) {
        fprintf(stderr, "wasmc: error: %s\n", error);
        return 1;
    }
    wasmc_instance *instance = wasmc_instantiate(linker, &wasmc_main_meta, &status);
    if (!instance) return finish(&status);
    wasmc_val unused[1];
    uint32_t nparams, nresults;
    if (!wasmc_export_signature(instance, "_start", &nparams, &nresults)) return 0; /* a reactor */
    if (nparams || nresults) {
        fprintf(stderr, "wasmc: error: _start must take and return nothing\n");
        return 1;
    }
    wasmc_call_export(instance, "_start", unused, &status);
    return finish(&status);
}
