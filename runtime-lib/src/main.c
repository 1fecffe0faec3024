/* The `main` of a command module: the compiler's entry object defines `wasmc_main_meta`.
 *
 * Environment policy: like wasmtime, the guest sees no host environment variables, unless
 * WASMC_INHERIT_ENV=1 is set, in which case it sees all of them (that one included).
 * Arguments: the guest's argv is the process's argv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

extern const wasmc_module_meta wasmc_main_meta;
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
    const char *inherit = getenv("WASMC_INHERIT_ENV");
    if (inherit && strcmp(inherit, "1") == 0) {
        int envc = 0;
        while (environ[envc]) envc++;
        wasmc_wasi_set_env(envc, (const char *const *)environ);
    }
    static wasmc_status status;
    wasmc_linker *linker = wasmc_linker_new();
    if (!linker || wasmc_linker_define_wasi(linker) != 0) {
        fprintf(stderr, "wasmc: error: out of memory\n");
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
