/* What a command module is allowed to see, from a grants string: the compiler bakes one into
 * the executable (symbol `wasmc_main_grants`), and `wasmc run` passes one in the environment
 * variable WASMC_RUN_GRANTS to executables built for it, so the program's own arguments are
 * never touched. The format (written by compiler/src/object/grants.rs) is a sequence of
 * records `<tag><decimal length>:<bytes>`:
 *   d HOST, then g GUEST   pre-open directory HOST as GUEST
 *   e NAME=VALUE           set a variable;  e NAME  pass the host's NAME, if it is set
 *   i                      pass the whole host environment
 *   u                      unknown imports trap when called instead of failing to link
 *   r                      also apply the grants in WASMC_RUN_GRANTS (only `wasmc run` sets this) */
#define _DEFAULT_SOURCE
#define _DARWIN_C_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define RUN_GRANTS_VAR "WASMC_RUN_GRANTS"

/* The guest's environment as it is being built. */
typedef struct env_list {
    char **vars;
    int count, cap;
} env_list;

/* Sets "NAME=VALUE" (`var`, copied to `len` bytes), replacing an earlier NAME. */
static int env_set(env_list *env, const char *var, size_t len) {
    const char *eq = memchr(var, '=', len);
    size_t name_len = eq ? (size_t)(eq - var) + 1 : len;
    char *copy = malloc(len + 1);
    if (!copy) return -1;
    memcpy(copy, var, len);
    copy[len] = '\0';
    for (int i = 0; i < env->count; i++) {
        if (strncmp(env->vars[i], copy, name_len) == 0) {
            free(env->vars[i]);
            env->vars[i] = copy;
            return 0;
        }
    }
    if (env->count == env->cap) {
        int cap = env->cap ? env->cap * 2 : 16;
        char **vars = realloc(env->vars, (size_t)cap * sizeof *vars);
        if (!vars) { free(copy); return -1; }
        env->vars = vars;
        env->cap = cap;
    }
    env->vars[env->count++] = copy;
    return 0;
}

static int is_run_grants(const char *var) {
    size_t n = strlen(RUN_GRANTS_VAR);
    return strncmp(var, RUN_GRANTS_VAR, n) == 0 && var[n] == '=';
}

/* The host's value of NAME (`len` bytes), as a whole "NAME=VALUE" entry. */
static const char *host_var(char *const *host_env, const char *name, size_t len) {
    for (int i = 0; host_env && host_env[i]; i++)
        if (strncmp(host_env[i], name, len) == 0 && host_env[i][len] == '=') return host_env[i];
    return NULL;
}

typedef struct grants_state {
    env_list env;
    char *const *host_env;
    wasmc_linker *linker;
    char *error;
    size_t error_size;
} grants_state;

static int fail(grants_state *s, const char *what, const char *detail, int detail_len) {
    snprintf(s->error, s->error_size, "%s%.*s", what, detail_len, detail);
    return -1;
}

/* Reads one record at *at: its tag and bytes. */
static int next_record(grants_state *s, const char **at, char *tag, const char **bytes, size_t *len) {
    const char *p = *at;
    if (*p == '\0') return fail(s, "malformed grants", "", 0);
    *tag = *p++;
    char *end;
    errno = 0;
    unsigned long n = strtoul(p, &end, 10);
    if (end == p || *end != ':' || errno || n > strlen(end + 1))
        return fail(s, "malformed grants", "", 0);
    *bytes = end + 1;
    *len = n;
    *at = end + 1 + n;
    return 0;
}

static int apply(grants_state *s, const char *grants, int allow_run_grants) {
    const char *at = grants;
    while (*at) {
        char tag;
        const char *bytes;
        size_t len;
        if (next_record(s, &at, &tag, &bytes, &len) != 0) return -1;
        switch (tag) {
        case 'd': {
            char guest_tag;
            const char *guest;
            size_t guest_len;
            if (next_record(s, &at, &guest_tag, &guest, &guest_len) != 0) return -1;
            if (guest_tag != 'g') return fail(s, "malformed grants", "", 0);
            char *host_path = strndup(bytes, len), *guest_path = strndup(guest, guest_len);
            int ok = host_path && guest_path && wasmc_wasi_preopen_dir(host_path, guest_path) == 0;
            int saved = errno;
            free(host_path);
            free(guest_path);
            if (!ok) {
                snprintf(s->error, s->error_size, "cannot open directory %.*s: %s", (int)len, bytes,
                         strerror(saved));
                return -1;
            }
            break;
        }
        case 'e':
            if (memchr(bytes, '=', len)) {
                if (env_set(&s->env, bytes, len) != 0) return fail(s, "out of memory", "", 0);
            } else {
                const char *var = host_var(s->host_env, bytes, len);
                if (var && env_set(&s->env, var, strlen(var)) != 0) return fail(s, "out of memory", "", 0);
            }
            break;
        case 'i':
            for (int i = 0; s->host_env && s->host_env[i]; i++)
                if (!is_run_grants(s->host_env[i]) && env_set(&s->env, s->host_env[i], strlen(s->host_env[i])) != 0)
                    return fail(s, "out of memory", "", 0);
            break;
        case 'u':
            wasmc_linker_trap_unknown_imports(s->linker);
            break;
        case 'r':
            if (allow_run_grants) {
                const char *run = host_var(s->host_env, RUN_GRANTS_VAR, strlen(RUN_GRANTS_VAR));
                if (run && apply(s, run + strlen(RUN_GRANTS_VAR) + 1, 0) != 0) return -1;
            }
            break;
        default:
            return fail(s, "unknown grant ", &tag, 1);
        }
    }
    return 0;
}

int wasmc_wasi_apply_grants(const char *grants, char *const *host_env, wasmc_linker *linker,
                            char *error, size_t error_size) {
    grants_state s = {.host_env = host_env, .linker = linker, .error = error, .error_size = error_size};
    int result = apply(&s, grants, 1);
    if (result == 0) wasmc_wasi_set_env(s.env.count, (const char *const *)s.env.vars);
    for (int i = 0; i < s.env.count; i++) free(s.env.vars[i]);
    free(s.env.vars);
    return result;
}
