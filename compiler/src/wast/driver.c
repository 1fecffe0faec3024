/* The native half of `wasmc wast`: executes a script's steps against modules compiled by
 * wasmc and linked into this program, reading one command per line on stdin and answering
 * one line per command on stdout (flushed, so a crash loses nothing already answered).
 *
 *   i MODULE INSTANCE          instantiate        -> ok | link MSG | trap MSG | exit N
 *   r INSTANCE NAMEHEX         register exports   -> ok | error MSG
 *   c INSTANCE NAMEHEX N V...  call an export     -> ok V... | trap MSG | exit N | error MSG
 *   g INSTANCE NAMEHEX         read a global      -> ok V | error MSG
 *
 * Values are TYPE:HEX as in compiler/src/wast/values.rs. Names are 'x' + hex bytes.
 * The generated table `wasmc_wast_modules` lists the compiled modules' metadata (NULL for a
 * module that failed to compile). The `spectest` host module is defined here. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmc.h"
#include "wasmc_meta.h"

extern const struct wasmc_module_meta *const wasmc_wast_modules[];
extern const uint32_t wasmc_wast_module_count;

#define MAX_INSTANCES 4096
#define MAX_VALS 1024

static wasmc_instance *instances[MAX_INSTANCES];

/* ---- spectest ---- */
static void print_none(void *vmctx) { (void)vmctx; }
static void print_i32(void *vmctx, int32_t a) { (void)vmctx; (void)a; }
static void print_i64(void *vmctx, int64_t a) { (void)vmctx; (void)a; }
static void print_f32(void *vmctx, float a) { (void)vmctx; (void)a; }
static void print_f64(void *vmctx, double a) { (void)vmctx; (void)a; }
static void print_i32_f32(void *vmctx, int32_t a, float b) { (void)vmctx; (void)a; (void)b; }
static void print_f64_f64(void *vmctx, double a, double b) { (void)vmctx; (void)a; (void)b; }

static void define_spectest(wasmc_linker *l) {
    static const uint8_t i32[] = {WASMC_I32}, i64[] = {WASMC_I64}, f32[] = {WASMC_F32},
                         f64[] = {WASMC_F64}, i32f32[] = {WASMC_I32, WASMC_F32},
                         f64f64[] = {WASMC_F64, WASMC_F64};
    wasmc_linker_define_func(l, "spectest", "print", (void *)print_none, NULL, 0, NULL, 0);
    wasmc_linker_define_func(l, "spectest", "print_i32", (void *)print_i32, i32, 1, NULL, 0);
    wasmc_linker_define_func(l, "spectest", "print_i64", (void *)print_i64, i64, 1, NULL, 0);
    wasmc_linker_define_func(l, "spectest", "print_f32", (void *)print_f32, f32, 1, NULL, 0);
    wasmc_linker_define_func(l, "spectest", "print_f64", (void *)print_f64, f64, 1, NULL, 0);
    wasmc_linker_define_func(l, "spectest", "print_i32_f32", (void *)print_i32_f32, i32f32, 2, NULL, 0);
    wasmc_linker_define_func(l, "spectest", "print_f64_f64", (void *)print_f64_f64, f64f64, 2, NULL, 0);
    wasmc_val v;
    memset(&v, 0, sizeof v);
    v.i32 = 666;
    wasmc_linker_define_global(l, "spectest", "global_i32", WASMC_I32, 0, v);
    memset(&v, 0, sizeof v);
    v.i64 = 666;
    wasmc_linker_define_global(l, "spectest", "global_i64", WASMC_I64, 0, v);
    memset(&v, 0, sizeof v);
    v.f32 = 666.6f;
    wasmc_linker_define_global(l, "spectest", "global_f32", WASMC_F32, 0, v);
    memset(&v, 0, sizeof v);
    v.f64 = 666.6;
    wasmc_linker_define_global(l, "spectest", "global_f64", WASMC_F64, 0, v);
    wasmc_linker_define_table(l, "spectest", "table", WASMC_FUNCREF, 10, 20);
    wasmc_linker_define_memory(l, "spectest", "memory", 1, 2);
}

/* ---- values on the wire ---- */

/* An externref N is carried as the pointer value N + 1, so that it is never null. */
static int parse_val(const char *s, uint8_t type, wasmc_val *out) {
    memset(out, 0, sizeof *out);
    const char *colon = strchr(s, ':');
    if (!colon) return -1;
    const char *v = colon + 1;
    size_t tl = (size_t)(colon - s);
    if (tl == 7 && !strncmp(s, "funcref", 7)) {
        if (type != WASMC_FUNCREF || strcmp(v, "null")) return -1;
        out->ref = NULL;
        return 0;
    }
    if (tl == 9 && !strncmp(s, "externref", 9)) {
        if (type != WASMC_EXTERNREF) return -1;
        out->ref = strcmp(v, "null") ? (wasmc_ref)(uintptr_t)(strtoull(v, NULL, 16) + 1) : NULL;
        return 0;
    }
    if (tl == 4 && !strncmp(s, "v128", 4)) {
        if (type != WASMC_V128 || strlen(v) != 32) return -1;
        for (int i = 0; i < 16; i++) { /* most significant byte first on the wire */
            char byte[3] = {v[2 * i], v[2 * i + 1], 0};
            out->v128[15 - i] = (uint8_t)strtoul(byte, NULL, 16);
        }
        return 0;
    }
    uint64_t bits = strtoull(v, NULL, 16);
    if (tl == 3 && !strncmp(s, "i32", 3) && type == WASMC_I32) out->i32 = (int32_t)(uint32_t)bits;
    else if (tl == 3 && !strncmp(s, "i64", 3) && type == WASMC_I64) out->i64 = (int64_t)bits;
    else if (tl == 3 && !strncmp(s, "f32", 3) && type == WASMC_F32) { uint32_t b = (uint32_t)bits; memcpy(&out->f32, &b, 4); }
    else if (tl == 3 && !strncmp(s, "f64", 3) && type == WASMC_F64) memcpy(&out->f64, &bits, 8);
    else return -1;
    return 0;
}

static void print_val(uint8_t type, const wasmc_val *v) {
    switch (type) {
    case WASMC_I32: printf(" i32:%" PRIx32, (uint32_t)v->i32); break;
    case WASMC_I64: printf(" i64:%" PRIx64, (uint64_t)v->i64); break;
    case WASMC_F32: { uint32_t b; memcpy(&b, &v->f32, 4); printf(" f32:%" PRIx32, b); break; }
    case WASMC_F64: { uint64_t b; memcpy(&b, &v->f64, 8); printf(" f64:%" PRIx64, b); break; }
    case WASMC_V128:
        printf(" v128:");
        for (int i = 15; i >= 0; i--) printf("%02x", v->v128[i]);
        break;
    case WASMC_FUNCREF: printf(v->ref ? " funcref:func" : " funcref:null"); break;
    case WASMC_EXTERNREF:
        if (v->ref) printf(" externref:%" PRIxPTR, (uintptr_t)v->ref - 1);
        else printf(" externref:null");
        break;
    default: printf(" unknown:0"); break;
    }
}

/* Names arrive as 'x' followed by hex bytes (so an empty name is still a token); they may
 * contain NUL bytes, so their length is returned in *len. */
static int unhex(const char *hex, char *out, size_t cap, size_t *len) {
    if (*hex++ != 'x') return -1;
    size_t n = strlen(hex);
    if (n % 2 || n / 2 >= cap) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        char byte[3] = {hex[2 * i], hex[2 * i + 1], 0};
        out[i] = (char)strtoul(byte, NULL, 16);
    }
    out[n / 2] = 0;
    *len = n / 2;
    return 0;
}

/* Answer a failed instantiation or call. */
static void report(const wasmc_status *st) {
    if (st->code == WASMC_EXIT) printf("exit %d\n", st->exit_code);
    else if (st->code == WASMC_LINK_ERROR) printf("link %s\n", st->message);
    else printf("trap %s\n", st->message);
}

static wasmc_instance *instance_at(const char *tok) {
    unsigned long id = strtoul(tok, NULL, 10);
    return id < MAX_INSTANCES ? instances[id] : NULL;
}

static void cmd_instantiate(wasmc_linker *l, char **tok) {
    unsigned long m = strtoul(tok[1], NULL, 10), id = strtoul(tok[2], NULL, 10);
    if (m >= wasmc_wast_module_count || !wasmc_wast_modules[m] || id >= MAX_INSTANCES) {
        printf("error module %lu was not compiled\n", m);
        return;
    }
    wasmc_status st;
    memset(&st, 0, sizeof st);
    wasmc_instance *inst = wasmc_instantiate(l, wasmc_wast_modules[m], &st);
    if (!inst) { report(&st); return; }
    instances[id] = inst;
    printf("ok\n");
}

static void cmd_register(wasmc_linker *l, char **tok) {
    char name[1024];
    size_t len;
    wasmc_instance *inst = instance_at(tok[1]);
    if (!inst || unhex(tok[2], name, sizeof name, &len)) { printf("error no such instance\n"); return; }
    if (wasmc_linker_register(l, name, inst)) { printf("error register failed\n"); return; }
    printf("ok\n");
}

static void cmd_call(char **tok, int ntok) {
    static wasmc_val vals[MAX_VALS];
    char name[1024];
    size_t len;
    wasmc_instance *inst = instance_at(tok[1]);
    if (!inst || unhex(tok[2], name, sizeof name, &len)) { printf("error no such instance\n"); return; }
    uint32_t np, nr;
    const uint8_t *sig = wasmc_export_signature_n(inst, name, len, &np, &nr);
    int nargs = atoi(tok[3]);
    if (!sig) { printf("error no function export \"%s\"\n", name); return; }
    if ((uint32_t)nargs != np || nargs + 4 > ntok || np > MAX_VALS || nr > MAX_VALS) {
        printf("error wrong argument count\n");
        return;
    }
    for (int i = 0; i < nargs; i++)
        if (parse_val(tok[4 + i], sig[i], &vals[i])) { printf("error bad argument %s\n", tok[4 + i]); return; }
    wasmc_status st;
    memset(&st, 0, sizeof st);
    if (wasmc_call_export_n(inst, name, len, vals, &st)) { report(&st); return; }
    printf("ok");
    for (uint32_t i = 0; i < nr; i++) print_val(sig[np + i], &vals[i]);
    printf("\n");
}

static void cmd_get(char **tok) {
    char name[1024];
    size_t len;
    wasmc_instance *inst = instance_at(tok[1]);
    if (!inst || unhex(tok[2], name, sizeof name, &len)) { printf("error no such instance\n"); return; }
    uint8_t type;
    wasmc_val *cell = wasmc_export_global_n(inst, name, len, &type);
    if (!cell) { printf("error no global export \"%s\"\n", name); return; }
    printf("ok");
    print_val(type, cell);
    printf("\n");
}

int main(void) {
    static char line[1 << 16];
    char *tok[MAX_VALS + 8];
    wasmc_linker *l = wasmc_linker_new();
    define_spectest(l);
    while (fgets(line, sizeof line, stdin)) {
        int n = 0;
        for (char *t = strtok(line, " \n"); t && n < (int)(sizeof tok / sizeof *tok); t = strtok(NULL, " \n"))
            tok[n++] = t;
        if (n == 0) continue;
        if (!strcmp(tok[0], "i") && n == 3) cmd_instantiate(l, tok);
        else if (!strcmp(tok[0], "r") && n == 3) cmd_register(l, tok);
        else if (!strcmp(tok[0], "c") && n >= 4) cmd_call(tok, n);
        else if (!strcmp(tok[0], "g") && n == 3) cmd_get(tok);
        else printf("error bad command\n");
        fflush(stdout);
    }
    return 0;
}
