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
    wasmc_backtrace_walk(status, (uintptr_t)__builtin_frame_address(0), stack_low, stack_high);
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
    const wasmc_module_meta *meta = wasmc_module_of_pc(pc, &offset);
    const wasmc_meta_trap *trap = meta ? wasmc_trap_at(meta, offset) : NULL;
    int code = trap ? (int)trap->trap : 0;
    if (!code && innermost && is_stack_overflow(sig, info)) code = WASMC_TRAP_STACK_OVERFLOW;
    if (!code || !innermost) {
        signal(sig, SIG_DFL); /* a real crash: returning re-executes the fault, now fatal */
        return;
    }
    wasmc_status *status = innermost->status;
    wasmc_status_set(status, code, NULL);
    status->nframes = 0;
    wasmc_backtrace_add(status, pc);
    wasmc_backtrace_walk(status, fp, stack_low, stack_high);
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
