/* wasmc runtime ABI, shared with the compiler (compiler/src/vmctx.rs, compiler/src/ir/mod.rs).
 * Keep the two in step: offsets and numbers here are part of the object-file ABI. */
#ifndef WASMC_H
#define WASMC_H
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#define WASMC_NORETURN [[noreturn]]
#else
#define WASMC_NORETURN _Noreturn
#endif

/* Trap codes (ir::TrapCode). */
enum wasmc_trap_code {
    WASMC_TRAP_NONE = 0,
    WASMC_TRAP_UNREACHABLE = 1,
    WASMC_TRAP_MEMORY_OOB = 2,
    WASMC_TRAP_INT_DIV_ZERO = 3,
    WASMC_TRAP_INT_OVERFLOW = 4,
    WASMC_TRAP_INVALID_CONVERSION = 5,
    WASMC_TRAP_INDIRECT_CALL_NULL = 6,
    WASMC_TRAP_INDIRECT_CALL_BAD_SIG = 7,
    WASMC_TRAP_TABLE_OOB = 8,
    WASMC_TRAP_STACK_OVERFLOW = 9,
    WASMC_TRAP_UNKNOWN_IMPORT = 10,
};

typedef struct wasmc_memory {
    uint8_t *base;      /* +0 */
    uint64_t length;    /* +8: bytes accessible now */
    uint64_t max_pages;
    uint64_t reserved;  /* bytes reserved (PROT_NONE beyond length) */
} wasmc_memory;

typedef struct wasmc_funcref {
    void *code;         /* +0: native entry, called as code(vmctx, params...) */
    void *vmctx;        /* +8 */
    uint32_t type_id;   /* +16: canonical signature id */
    uint32_t func_index;
} wasmc_funcref;

typedef void *wasmc_ref; /* funcref: wasmc_funcref*; externref: opaque; null: 0 */

typedef struct wasmc_table {
    wasmc_ref *elems;   /* +0 */
    uint32_t size;      /* +8 */
    uint32_t max;
} wasmc_table;

/* Array-call values: 16 bytes each so a v128 fits. */
typedef union wasmc_val {
    int32_t i32; int64_t i64; float f32; double f64; wasmc_ref ref; uint8_t v128[16];
} wasmc_val;

#define WASMC_VMCTX_MEM0_BASE 0
#define WASMC_VMCTX_MEM0_DEF 8
#define WASMC_VMCTX_STACK_LIMIT 16
#define WASMC_VMCTX_META 24
#define WASMC_VMCTX_INSTANCE 32
#define WASMC_VMCTX_HEADER_SIZE 64

/* Runtime functions called from compiled code (ir::RuntimeFn); vmctx first. */
int32_t wasmc_rt_memory_grow(void *vmctx, int32_t delta_pages);
void wasmc_rt_memory_fill(void *vmctx, int32_t dst, int32_t val, int32_t len);
void wasmc_rt_memory_copy(void *vmctx, int32_t dst, int32_t src, int32_t len);
void wasmc_rt_memory_init(void *vmctx, int32_t seg, int32_t dst, int32_t src, int32_t len);
void wasmc_rt_data_drop(void *vmctx, int32_t seg);
wasmc_ref wasmc_rt_table_get(void *vmctx, int32_t table, int32_t index);
void wasmc_rt_table_set(void *vmctx, int32_t table, int32_t index, wasmc_ref value);
int32_t wasmc_rt_table_size(void *vmctx, int32_t table);
int32_t wasmc_rt_table_grow(void *vmctx, int32_t table, wasmc_ref init, int32_t delta);
void wasmc_rt_table_fill(void *vmctx, int32_t table, int32_t dst, wasmc_ref value, int32_t len);
void wasmc_rt_table_copy(void *vmctx, int32_t dst_table, int32_t src_table, int32_t dst, int32_t src, int32_t len);
void wasmc_rt_table_init(void *vmctx, int32_t table, int32_t seg, int32_t dst, int32_t src, int32_t len);
void wasmc_rt_elem_drop(void *vmctx, int32_t seg);
wasmc_ref wasmc_rt_ref_func(void *vmctx, int32_t func_index);

/* ---- Beyond the object-file ABI: runtime-internal trap codes and the embedding API. ---- */

/* Codes the runtime raises itself (never found in a trap table). */
enum wasmc_runtime_code {
    WASMC_TRAP_TABLE_ACCESS_OOB = 11, /* table.get/set/fill/copy/init out of range */
    WASMC_TRAP_UNINITIALIZED = 12,    /* wasmc_call_export of a missing/non-function export */
    WASMC_TRAP_HOST = 13,             /* a host function trapped with its own message */
    WASMC_EXIT = 100,                 /* WASI proc_exit: not a trap, status.exit_code is set */
    WASMC_LINK_ERROR = 101,           /* instantiation failed before running any code */
};

struct wasmc_module_meta;
typedef struct wasmc_instance wasmc_instance;
typedef struct wasmc_linker wasmc_linker;

/* Outcome of instantiation or a call: code 0 (WASMC_TRAP_NONE) is success. */
typedef struct wasmc_status {
    int code;          /* wasmc_trap_code, wasmc_runtime_code */
    int exit_code;     /* for WASMC_EXIT */
    char message[256]; /* the spec's message ("out of bounds memory access", "unknown import") */
    uint32_t nframes;  /* wasm frames of a trap, innermost (the trapping function) first */
    struct wasmc_frame {
        const struct wasmc_module_meta *module;
        uint32_t func;
        uint32_t wasm_offset; /* of the trapping instruction or the call; UINT32_MAX: unknown */
    } frames[16];
} wasmc_status;

/* Writes "wasm trap: <message>" and one "    at <function> (wasm offset 0x<offset>)" line
 * per frame. */
void wasmc_print_trap(const wasmc_status *status, void *file /* FILE* */);

/* Spec message of a trap code ("unreachable", ...). */
const char *wasmc_trap_message(int code);

/* The linker is a registry of named instances and host modules that imports resolve
 * against. Single-threaded: one linker and its instances belong to one thread. */
wasmc_linker *wasmc_linker_new(void);
/* Registers `instance`'s exports under module name `name` (the string is copied). */
int wasmc_linker_register(wasmc_linker *linker, const char *name, wasmc_instance *instance);
/* Host function, called natively as code(caller_vmctx, params...). Types are wasmc_valtype. */
int wasmc_linker_define_func(wasmc_linker *linker, const char *module, const char *name,
                             void *code, const uint8_t *params, uint32_t nparams,
                             const uint8_t *results, uint32_t nresults);
/* Host global with its own cell; host memory (pages) and table (entries) owned by the linker. */
int wasmc_linker_define_global(wasmc_linker *linker, const char *module, const char *name,
                               uint8_t type, int is_mutable, wasmc_val value);
int wasmc_linker_define_memory(wasmc_linker *linker, const char *module, const char *name,
                               uint64_t min_pages, uint64_t max_pages /* UINT64_MAX: none */);
int wasmc_linker_define_table(wasmc_linker *linker, const char *module, const char *name,
                              uint8_t elem_type, uint32_t min, uint32_t max /* UINT32_MAX: none */);
/* Defines the module "wasi_snapshot_preview1" (see wasmc_wasi_set_args). */
int wasmc_linker_define_wasi(wasmc_linker *linker);

/* Instantiates a module: resolves imports, builds the vmctx, applies segments, runs the
 * start function. On failure returns NULL and fills `status` (link error or trap). */
wasmc_instance *wasmc_instantiate(wasmc_linker *linker, const struct wasmc_module_meta *meta,
                                  wasmc_status *status);
/* Calls exported function `name`; args_results holds the params on entry and the results
 * on return (sized for the larger of the two). Returns status->code. */
int wasmc_call_export(wasmc_instance *instance, const char *name, wasmc_val *args_results,
                      wasmc_status *status);
/* Signature of an exported function (NULL if not a function export). */
const uint8_t *wasmc_export_signature(wasmc_instance *instance, const char *name,
                                      uint32_t *nparams, uint32_t *nresults);
/* Address of an exported global's 16-byte cell and its type, or NULL. */
wasmc_val *wasmc_export_global(wasmc_instance *instance, const char *name, uint8_t *type);
/* An exported memory (or NULL): base stays fixed, length grows. */
wasmc_memory *wasmc_export_memory(wasmc_instance *instance, const char *name);
wasmc_table *wasmc_export_table(wasmc_instance *instance, const char *name);
void *wasmc_instance_vmctx(wasmc_instance *instance);
/* The same lookups with an explicit name length: Wasm names may contain NUL bytes. */
int wasmc_call_export_n(wasmc_instance *instance, const char *name, size_t name_len,
                        wasmc_val *args_results, wasmc_status *status);
const uint8_t *wasmc_export_signature_n(wasmc_instance *instance, const char *name,
                                        size_t name_len, uint32_t *nparams, uint32_t *nresults);
wasmc_val *wasmc_export_global_n(wasmc_instance *instance, const char *name, size_t name_len,
                                 uint8_t *type);

/* Host functions call this to trap out of wasm with a message; never returns. */
WASMC_NORETURN void wasmc_raise_trap(int code, const char *message);
/* WASI proc_exit semantics: unwind to the innermost wasmc entry with an exit code. */
WASMC_NORETURN void wasmc_raise_exit(int exit_code);

/* WASI program arguments and environment (copied); without a call: no args, no env. */
void wasmc_wasi_set_args(int argc, const char *const *argv);
void wasmc_wasi_set_env(int envc, const char *const *envp);
/* Grants the guest host directory `host_path` as pre-opened directory `guest_path`; the
 * grants get fds 3, 4, ... in call order. Nothing outside a granted directory can be
 * reached through it. Returns 0, or -1 with errno set (the directory cannot be opened). */
int wasmc_wasi_preopen_dir(const char *host_path, const char *guest_path);
/* Grants from a wasmc grants string (the format of compiler/src/object/grants.rs):
 * directories, environment variables (`host_env` is the process's environment, for the
 * inherited ones), and the linker policy for unknown imports. Returns 0, or -1 with a
 * message in `error`. */
int wasmc_wasi_apply_grants(const char *grants, char *const *host_env, wasmc_linker *linker,
                            char *error, size_t error_size);
/* Imports nothing defines become functions that trap with WASMC_TRAP_UNKNOWN_IMPORT when
 * called, instead of failing instantiation (only functions: other kinds still fail). */
void wasmc_linker_trap_unknown_imports(wasmc_linker *linker);

#ifdef __cplusplus
}
#endif

#endif
