/* Entering wasm and getting out of it on a trap.
 *
 * Every entry (wasmc_enter) saves a sigjmp_buf; entries nest (wasm -> host -> wasm). A trap
 * raised by the runtime, or a fault whose pc is in some module's trap table, unwinds with
 * siglongjmp to the innermost entry. Faults run the handler on an alternate signal stack, so
 * a stack overflow can still be reported. A fault at any other pc is a real crash: the
 * handler restores the default action and returns, so the fault repeats and kills us. */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if !defined(__APPLE__) /* macOS declares ucontext_t in signal.h; its ucontext.h is deprecated */
#include <ucontext.h>
#endif
#include "internal.h"

typedef struct entry {
    sigjmp_buf jump;
    struct entry *prev;
    wasmc_status *status;
} entry;

static _Thread_local entry *innermost;
static _Thread_local uintptr_t stack_low, stack_high; /* this thread's stack, low = its end */
static _Thread_local int thread_ready;

/* Room left below stack_limit for host functions called from wasm and for the runtime. */
#define STACK_MARGIN (128u << 10)
#define ALT_STACK_SIZE (64u << 10)

/* ---- the registry of compiled code, searched by the signal handler ---- */

static const wasmc_module_meta **modules;
static uint32_t num_modules, cap_modules;

void wasmc_register_code(const wasmc_module_meta *meta) {
    for (uint32_t i = 0; i < num_modules; i++)
        if (modules[i] == meta) return;
    if (num_modules == cap_modules) {
        uint32_t cap = cap_modules ? cap_modules * 2 : 16;
        const wasmc_module_meta **grown = malloc(cap * sizeof *grown);
        if (!grown) return;
        if (num_modules) memcpy(grown, modules, num_modules * sizeof *grown);
        /* The old array is leaked on purpose: a signal handler may be reading it. */
        modules = grown;
        cap_modules = cap;
    }
    modules[num_modules] = meta;
    num_modules++;
}

static const wasmc_module_meta *module_of_pc(uintptr_t pc, uint32_t *offset) {
    for (uint32_t i = 0; i < num_modules; i++) {
        uintptr_t start = (uintptr_t)modules[i]->text_start;
        if (pc >= start && pc - start < modules[i]->text_size) {
            *offset = (uint32_t)(pc - start);
            return modules[i];
        }
    }
    return NULL;
}

static const wasmc_meta_trap *trap_at(const wasmc_module_meta *meta, uint32_t offset) {
    const wasmc_meta_trap *traps = META_ARRAY(meta, traps, wasmc_meta_trap);
    uint32_t lo = 0, hi = meta->traps.count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (traps[mid].code < offset) lo = mid + 1;
        else hi = mid;
    }
    return lo < meta->traps.count && traps[lo].code == offset ? &traps[lo] : NULL;
}

/* The defined function whose code contains `offset`, or UINT32_MAX (e.g. a trampoline). */
static uint32_t func_at(const wasmc_module_meta *meta, uint32_t offset) {
    const wasmc_meta_func *funcs = META_ARRAY(meta, funcs, wasmc_meta_func);
    for (uint32_t i = meta->num_imported_funcs; i < meta->funcs.count; i++)
        if (offset >= funcs[i].code && offset - funcs[i].code < funcs[i].code_size) return i;
    return UINT32_MAX;
}

/* The Wasm byte offset of the code at `offset` in function `func`, or UINT32_MAX. */
static uint32_t wasm_offset_at(const wasmc_module_meta *meta, uint32_t func, uint32_t offset) {
    const wasmc_meta_srcloc *locs = META_ARRAY(meta, srclocs, wasmc_meta_srcloc);
    uint32_t lo = 0, hi = meta->srclocs.count; /* find the first entry past `offset` */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (locs[mid].code <= offset) lo = mid + 1;
        else hi = mid;
    }
    const wasmc_meta_func *f = &META_ARRAY(meta, funcs, wasmc_meta_func)[func];
    return lo > 0 && locs[lo - 1].code >= f->code ? locs[lo - 1].wasm : UINT32_MAX;
}

/* ---- messages and backtraces ---- */

const char *wasmc_trap_message(int code) {
    switch (code) {
    case WASMC_TRAP_NONE: return "";
    case WASMC_TRAP_UNREACHABLE: return "unreachable";
    case WASMC_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WASMC_TRAP_INT_DIV_ZERO: return "integer divide by zero";
    case WASMC_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASMC_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASMC_TRAP_INDIRECT_CALL_NULL: return "uninitialized element";
    case WASMC_TRAP_INDIRECT_CALL_BAD_SIG: return "indirect call type mismatch";
    case WASMC_TRAP_TABLE_OOB: return "undefined element";
    case WASMC_TRAP_STACK_OVERFLOW: return "call stack exhausted";
    case WASMC_TRAP_UNKNOWN_IMPORT: return "call to an unresolved import";
    case WASMC_TRAP_TABLE_ACCESS_OOB: return "out of bounds table access";
    case WASMC_TRAP_UNINITIALIZED: return "no such exported function";
    case WASMC_TRAP_HOST: return "host trap";
    case WASMC_EXIT: return "exit";
    case WASMC_LINK_ERROR: return "link error";
    default: return "unknown trap";
    }
}

void wasmc_status_set(wasmc_status *status, int code, const char *message) {
    status->code = code;
    snprintf(status->message, sizeof status->message, "%s",
             message ? message : wasmc_trap_message(code));
}

static void add_frame(wasmc_status *status, uintptr_t pc) {
    uint32_t offset, func;
    const wasmc_module_meta *meta = module_of_pc(pc, &offset);
    if (!meta || status->nframes == sizeof status->frames / sizeof status->frames[0]) return;
    func = func_at(meta, offset);
    if (func == UINT32_MAX) return;
    struct wasmc_frame *frame = &status->frames[status->nframes++];
    frame->module = meta;
    frame->func = func;
    frame->wasm_offset = wasm_offset_at(meta, func, offset);
}

/* Follows the frame-pointer chain from `fp`, recording return addresses in wasm code. The
 * chain is trusted only while it stays inside this thread's stack and moves up it. */
static void walk_frames(wasmc_status *status, uintptr_t fp) {
    for (int depth = 0; depth < 4096; depth++) {
        if (fp < stack_low || fp + 2 * sizeof(uintptr_t) > stack_high || fp % sizeof(uintptr_t))
            return;
        uintptr_t next = ((uintptr_t *)fp)[0], ret = ((uintptr_t *)fp)[1];
        add_frame(status, ret - 1); /* -1: the call, not the instruction after it */
        if (next <= fp) return;
        fp = next;
    }
}

void wasmc_print_trap(const wasmc_status *status, void *file) {
    FILE *out = file;
    fprintf(out, "wasm trap: %s\n", status->message);
    for (uint32_t i = 0; i < status->nframes; i++) {
        const wasmc_module_meta *meta = status->frames[i].module;
        uint32_t func = status->frames[i].func;
        const wasmc_meta_func *f = &META_ARRAY(meta, funcs, wasmc_meta_func)[func];
        if (f->name.len)
            fprintf(out, "    at %.*s", (int)f->name.len, (const char *)meta_at(meta, f->name.off));
        else
            fprintf(out, "    at wasm-function[%u]", func);
        if (status->frames[i].wasm_offset != UINT32_MAX)
            fprintf(out, " (wasm offset 0x%x)", status->frames[i].wasm_offset);
        fputc('\n', out);
    }
}

/* ---- unwinding ---- */

static _Noreturn void unwind(void) {
    siglongjmp(innermost->jump, 1);
}

WASMC_NORETURN void wasmc_raise_trap(int code, const char *message) {
    if (!innermost) {
        fprintf(stderr, "wasmc: trap outside of wasm: %s\n", message ? message : wasmc_trap_message(code));
        abort();
    }
    wasmc_status *status = innermost->status;
    wasmc_status_set(status, code, message);
    status->nframes = 0;
    walk_frames(status, (uintptr_t)__builtin_frame_address(0));
    unwind();
}

WASMC_NORETURN void wasmc_raise_exit(int exit_code) {
    if (!innermost) exit(exit_code);
    wasmc_status_set(innermost->status, WASMC_EXIT, NULL);
    innermost->status->exit_code = exit_code;
    innermost->status->nframes = 0;
    unwind();
}

/* ---- signals ---- */

static void context_registers(void *context, uintptr_t *pc, uintptr_t *fp) {
    ucontext_t *uc = context;
#if defined(__APPLE__) && defined(__x86_64__)
    *pc = uc->uc_mcontext->__ss.__rip;
    *fp = uc->uc_mcontext->__ss.__rbp;
#elif defined(__APPLE__) && defined(__aarch64__)
    *pc = uc->uc_mcontext->__ss.__pc;
    *fp = uc->uc_mcontext->__ss.__fp;
#elif defined(__x86_64__)
    *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    *fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
#elif defined(__aarch64__)
    *pc = (uintptr_t)uc->uc_mcontext.pc;
    *fp = (uintptr_t)uc->uc_mcontext.regs[29];
#else
#error "wasmc runtime: unsupported host"
#endif
}

/* A fault just below the usable stack is a stack overflow whatever code caused it. */
static int is_stack_overflow(int sig, siginfo_t *info) {
    uintptr_t addr = (uintptr_t)info->si_addr;
    return (sig == SIGSEGV || sig == SIGBUS) && stack_low &&
           addr + (1u << 20) >= stack_low && addr < stack_low + STACK_MARGIN;
}

static void handle_fault(int sig, siginfo_t *info, void *context) {
    uintptr_t pc, fp;
    context_registers(context, &pc, &fp);
    uint32_t offset;
    const wasmc_module_meta *meta = module_of_pc(pc, &offset);
    const wasmc_meta_trap *trap = meta ? trap_at(meta, offset) : NULL;
    int code = trap ? (int)trap->trap : 0;
    if (!code && innermost && is_stack_overflow(sig, info)) code = WASMC_TRAP_STACK_OVERFLOW;
    if (!code || !innermost) {
        signal(sig, SIG_DFL); /* a real crash: returning re-executes the fault, now fatal */
        return;
    }
    wasmc_status *status = innermost->status;
    wasmc_status_set(status, code, NULL);
    status->nframes = 0;
    if (trap) {
        status->frames[0].module = meta;
        status->frames[0].func = trap->func;
        status->frames[0].wasm_offset = wasm_offset_at(meta, trap->func, offset);
        status->nframes = 1;
    } else {
        add_frame(status, pc);
    }
    walk_frames(status, fp);
    unwind();
}

static void install_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handle_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGILL, &action, NULL);
    sigaction(SIGFPE, &action, NULL);
}

static void find_stack_bounds(void) {
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
#if defined(__APPLE__)
    pthread_t self = pthread_self();
    stack_high = (uintptr_t)pthread_get_stackaddr_np(self);
    stack_low = stack_high - pthread_get_stacksize_np(self);
#else
    pthread_attr_t attr;
    void *addr;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
            stack_low = (uintptr_t)addr;
            stack_high = (uintptr_t)addr + size;
        }
        pthread_attr_destroy(&attr);
    }
#endif
    /* Unknown or implausible bounds: assume 1 MiB below the current frame. */
    if (!stack_low || here < stack_low || here >= stack_high) {
        stack_high = here + 4096;
        stack_low = here - (1u << 20);
    }
}

static void prepare_thread(void) {
    static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;
    pthread_once(&handlers_once, install_handlers);
    find_stack_bounds();
    stack_t alt;
    memset(&alt, 0, sizeof alt);
    alt.ss_sp = malloc(ALT_STACK_SIZE);
    alt.ss_size = ALT_STACK_SIZE;
    if (alt.ss_sp) sigaltstack(&alt, NULL);
    thread_ready = 1;
}

void *wasmc_thread_stack_limit(void) {
    if (!thread_ready) prepare_thread();
    return (void *)(stack_low + STACK_MARGIN);
}

int wasmc_enter(wasmc_thunk fn, void *arg, wasmc_status *status) {
    if (!thread_ready) prepare_thread();
    entry e;
    e.prev = innermost;
    e.status = status;
    wasmc_status_set(status, WASMC_TRAP_NONE, NULL);
    status->nframes = 0;
    status->exit_code = 0;
    if (sigsetjmp(e.jump, 1) == 0) {
        innermost = &e;
        fn(arg);
    }
    innermost = e.prev;
    return status->code;
}
