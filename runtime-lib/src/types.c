/* Canonical signature ids: call_indirect compares ids, so equal signatures from different
 * modules must get the same id. Ids start at 1; 0 never names a signature. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef struct signature {
    uint8_t *types; /* params then results */
    uint32_t nparams, nresults;
} signature;

static signature *signatures;
static uint32_t num_signatures, cap_signatures;

uint32_t wasmc_intern_signature(const uint8_t *types, uint32_t nparams, uint32_t nresults) {
    size_t n = (size_t)nparams + nresults;
    for (uint32_t i = 0; i < num_signatures; i++) {
        signature *s = &signatures[i];
        if (s->nparams == nparams && s->nresults == nresults && memcmp(s->types, types, n) == 0)
            return i + 1;
    }
    if (num_signatures == cap_signatures) {
        uint32_t cap = cap_signatures ? cap_signatures * 2 : 64;
        signature *grown = realloc(signatures, cap * sizeof *grown);
        if (!grown) return 0;
        signatures = grown;
        cap_signatures = cap;
    }
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy) return 0;
    memcpy(copy, types, n);
    signatures[num_signatures] = (signature){copy, nparams, nresults};
    return ++num_signatures;
}

const uint8_t *wasmc_signature(uint32_t id, uint32_t *nparams, uint32_t *nresults) {
    if (id == 0 || id > num_signatures) return NULL;
    signature *s = &signatures[id - 1];
    *nparams = s->nparams;
    *nresults = s->nresults;
    return s->types;
}
