/* The `main` of a command module: the compiler's entry object defines `wasmc_main_meta` and
 * `wasmc_main_grants`.
 *
 * The guest sees what the grants give it (grants.c): pre-opened directories and environment
 * variables named at compile time (or by `wasmc run`), nothing else; stdin, stdout and
 * stderr are the process's. Its argv is the process's argv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

extern const wasmc_module_meta wasmc_main_meta;
extern const char wasmc_main_grants[];
extern char **environ;

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
