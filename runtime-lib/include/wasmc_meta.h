/* wasmc module metadata: what the compiler writes next to the code (symbol `<prefix>_meta`)
 * and the runtime reads to instantiate the module. Written by compiler/src/object/meta.rs.
 *
 * Layout rules (the Rust writer follows them byte for byte):
 *  - little-endian, natural alignment, no implicit padding (every pad is spelled out);
 *  - position-independent: every `*_off` field is a byte offset from the start of the
 *    wasmc_module_meta itself, except code offsets, which are relative to `text_start`.
 *    `text_start` is the only pointer, so the blob needs exactly one relocation;
 *  - absent values are WASMC_META_NONE.
 */
#ifndef WASMC_META_H
#define WASMC_META_H
#include <stdint.h>

#define WASMC_META_MAGIC 0x31434d57u /* "WMC1" */
#define WASMC_META_VERSION 4u
#define WASMC_META_NONE 0xffffffffu

/* Value types: the Wasm binary codes. */
enum wasmc_valtype {
    WASMC_I32 = 0x7f, WASMC_I64 = 0x7e, WASMC_F32 = 0x7d, WASMC_F64 = 0x7c,
    WASMC_V128 = 0x7b, WASMC_FUNCREF = 0x70, WASMC_EXTERNREF = 0x6f,
};

/* Import/export kinds: the Wasm binary codes. */
enum wasmc_extern_kind {
    WASMC_EXTERN_FUNC = 0, WASMC_EXTERN_TABLE = 1, WASMC_EXTERN_MEMORY = 2, WASMC_EXTERN_GLOBAL = 3,
};

/* Constant expressions are one instruction (Wasm 2.0); `op` is its opcode. */
enum wasmc_const_op {
    WASMC_CONST_I32 = 0x41, WASMC_CONST_I64 = 0x42, WASMC_CONST_F32 = 0x43, WASMC_CONST_F64 = 0x44,
    WASMC_CONST_V128 = 0xfd, WASMC_CONST_REF_NULL = 0xd0, WASMC_CONST_REF_FUNC = 0xd2,
    WASMC_CONST_GLOBAL_GET = 0x23,
};

/* Segment modes. */
enum wasmc_segment_mode { WASMC_SEG_ACTIVE = 0, WASMC_SEG_PASSIVE = 1, WASMC_SEG_DECLARATIVE = 2 };

typedef struct wasmc_meta_array { uint32_t off, count; } wasmc_meta_array;
typedef struct wasmc_meta_str { uint32_t off, len; } wasmc_meta_str; /* not NUL-terminated */

typedef struct wasmc_meta_const {       /* 24 bytes */
    uint8_t op;                         /* wasmc_const_op */
    uint8_t pad[3];
    uint32_t index;                     /* ref.func / global.get index; ref.null: heap type code */
    uint8_t value[16];                  /* little-endian immediate of the *.const ops */
} wasmc_meta_const;

typedef struct wasmc_meta_type {        /* 12 bytes: a function signature */
    uint32_t types_off;                 /* nparams then nresults wasmc_valtype bytes */
    uint32_t nparams, nresults;
} wasmc_meta_type;

typedef struct wasmc_meta_import {      /* 24 bytes, in import-section order */
    wasmc_meta_str module, field;
    uint32_t kind;                      /* wasmc_extern_kind */
    uint32_t index;                     /* index in its kind's index space */
} wasmc_meta_import;

typedef struct wasmc_meta_export {      /* 20 bytes */
    wasmc_meta_str name;
    uint32_t kind;
    uint32_t index;
    uint32_t trampoline;                /* functions: code offset of the array-call entry
                                           `void (void *vmctx, wasmc_val *args_results)` */
} wasmc_meta_export;

typedef struct wasmc_meta_func {        /* 20 bytes, one per function, imports first */
    uint32_t type_index;
    uint32_t code;                      /* code offset; NONE for imports */
    uint32_t code_size;                 /* bytes of code, so trap reports skip trampolines */
    wasmc_meta_str name;                /* for trap reports; len 0 if unnamed */
} wasmc_meta_func;

typedef struct wasmc_meta_memory {      /* 24 bytes, imports first */
    uint64_t min_pages, max_pages;      /* max NONE-extended (UINT64_MAX) when absent */
    uint32_t flags;                     /* WASMC_MEM_* */
    uint32_t pad;
} wasmc_meta_memory;
#define WASMC_MEM_HAS_MAX 1u
#define WASMC_MEM_SHARED 2u
#define WASMC_MEM_64 4u

typedef struct wasmc_meta_table {       /* 16 bytes, imports first */
    uint32_t elem_type;                 /* wasmc_valtype */
    uint32_t min, max;                  /* max NONE when absent */
    uint32_t has_max;
} wasmc_meta_table;

typedef struct wasmc_meta_global {      /* 32 bytes, imports first */
    uint32_t type;                      /* wasmc_valtype */
    uint32_t mutable_;
    wasmc_meta_const init;              /* op 0 for imports */
} wasmc_meta_global;

typedef struct wasmc_meta_data {        /* 40 bytes */
    uint32_t mode;                      /* wasmc_segment_mode */
    uint32_t memory;
    wasmc_meta_const offset;            /* active only */
    uint32_t bytes_off, len;
} wasmc_meta_data;

typedef struct wasmc_meta_elem {        /* 44 bytes */
    uint32_t mode;
    uint32_t table;
    wasmc_meta_const offset;            /* active only */
    uint32_t elem_type;
    wasmc_meta_array items;             /* of wasmc_meta_const */
} wasmc_meta_elem;

typedef struct wasmc_meta_trap {        /* 12 bytes; sorted by code offset */
    uint32_t code;                      /* code offset of the faulting instruction */
    uint32_t trap;                      /* wasmc_trap_code */
    uint32_t func;                      /* function index */
} wasmc_meta_trap;

typedef struct wasmc_meta_srcloc {      /* 8 bytes; sorted by code offset */
    uint32_t code;                      /* code offset where the instruction's code starts */
    uint32_t wasm;                      /* its byte offset in the Wasm module */
} wasmc_meta_srcloc;

typedef struct wasmc_meta_layout {      /* VmctxLayout (compiler/src/vmctx.rs) */
    uint32_t type_ids, funcrefs, tables, globals, size;
} wasmc_meta_layout;

typedef struct wasmc_module_meta {
    uint32_t magic, version;
    const uint8_t *text_start;          /* the module's code: every code offset is from here */
    uint64_t text_size;
    wasmc_meta_layout layout;
    uint32_t start_func;                /* NONE if no start function */
    uint32_t num_imported_funcs, num_imported_tables, num_imported_memories,
             num_imported_globals;
    wasmc_meta_str name;                /* module name (for messages), may be empty */
    wasmc_meta_array types, imports, exports, funcs, memories, tables, globals, datas, elems,
                     traps, srclocs;
    uint32_t cpu_features;              /* WASMC_CPU_*: what the code needs beyond the baseline */
    uint32_t pad;
} wasmc_module_meta;

/* x86-64 extensions the code may use (`--target-cpu`), checked with cpuid before the program
 * starts; the baseline is SSE4.1. aarch64 code needs none. */
#define WASMC_CPU_POPCNT 0x1u
#define WASMC_CPU_SSE42 0x2u
#define WASMC_CPU_LZCNT 0x4u
#define WASMC_CPU_BMI1 0x8u
#define WASMC_CPU_BMI2 0x10u
#define WASMC_CPU_AVX 0x20u
#define WASMC_CPU_AVX2 0x40u

#endif
