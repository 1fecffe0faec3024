// A small stack-machine interpreter: a bytecode program (loops, calls, arithmetic) run by a
// dispatch loop whose switch becomes a br_table, the hot path of many real Wasm workloads.
#include <stdint.h>
#include <stdio.h>

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JMP, JZ, CALL, RET, PRINT, DUP, DROP, HALT };

struct vm {
    int64_t stack[256];
    int sp;
    int64_t vars[16];
    int calls[64];
    int csp;
    uint64_t steps;
};

static int run(struct vm *m, const int32_t *code) {
    int pc = 0;
    for (;;) {
        m->steps++;
        int32_t op = code[pc++];
        switch (op) {
        case PUSH: m->stack[m->sp++] = code[pc++]; break;
        case LOAD: m->stack[m->sp++] = m->vars[code[pc++]]; break;
        case STORE: m->vars[code[pc++]] = m->stack[--m->sp]; break;
        case ADD: m->sp--; m->stack[m->sp - 1] += m->stack[m->sp]; break;
        case SUB: m->sp--; m->stack[m->sp - 1] -= m->stack[m->sp]; break;
        case MUL: m->sp--; m->stack[m->sp - 1] *= m->stack[m->sp]; break;
        case MOD: m->sp--; m->stack[m->sp - 1] %= m->stack[m->sp]; break;
        case LT: m->sp--; m->stack[m->sp - 1] = m->stack[m->sp - 1] < m->stack[m->sp]; break;
        case JMP: pc = code[pc]; break;
        case JZ: pc = m->stack[--m->sp] == 0 ? code[pc] : pc + 1; break;
        case CALL: m->calls[m->csp++] = pc + 1; pc = code[pc]; break;
        case RET: pc = m->calls[--m->csp]; break;
        case PRINT: printf("%lld\n", (long long)m->stack[--m->sp]); break;
        case DUP: m->stack[m->sp] = m->stack[m->sp - 1]; m->sp++; break;
        case DROP: m->sp--; break;
        case HALT: return m->sp;
        default: printf("bad opcode %d at %d\n", op, pc - 1); return -1;
        }
    }
}

static int32_t code[512];
static int code_len;

static void emit(int32_t word) { code[code_len++] = word; }
static void emit2(int32_t op, int32_t operand) { emit(op); emit(operand); }
// Emits a jump or call whose target is not known yet; returns where to patch it.
static int emit_forward(int32_t op) { emit2(op, -1); return code_len - 1; }
static void patch_here(int at) { code[at] = code_len; }

// Builds: acc = sum of (i*i % 7) for i < 200000, printing acc every 25000 iterations,
// then prints 20! mod 1000003 computed by a subroutine.
static void assemble(void) {
    enum { I, ACC, N, F };
    emit2(PUSH, 0); emit2(STORE, I);
    emit2(PUSH, 0); emit2(STORE, ACC);
    int loop = code_len;
    emit2(LOAD, I); emit2(PUSH, 200000); emit(LT);
    int exit_loop = emit_forward(JZ);
    emit2(LOAD, I); emit(DUP); emit(MUL); emit2(PUSH, 7); emit(MOD);
    emit2(LOAD, ACC); emit(ADD); emit2(STORE, ACC);
    emit2(LOAD, I); emit2(PUSH, 25000); emit(MOD);
    int to_print = emit_forward(JZ);
    int skip_print = emit_forward(JMP);
    patch_here(to_print);
    emit2(LOAD, ACC); emit(PRINT);
    patch_here(skip_print);
    emit2(LOAD, I); emit2(PUSH, 1); emit(ADD); emit2(STORE, I);
    emit2(JMP, loop);
    patch_here(exit_loop);
    emit2(LOAD, ACC); emit(PRINT);
    emit2(PUSH, 20); emit2(STORE, N);
    int call_fact = emit_forward(CALL);
    emit2(LOAD, F); emit(PRINT);
    emit2(PUSH, 99); emit(DUP); emit(DROP);
    emit(HALT);
    patch_here(call_fact);
    emit2(PUSH, 1); emit2(STORE, F);
    int fact_loop = code_len;
    emit2(PUSH, 0); emit2(LOAD, N); emit(LT);
    int fact_done = emit_forward(JZ);
    emit2(LOAD, F); emit2(LOAD, N); emit(MUL); emit2(PUSH, 1000003); emit(MOD); emit2(STORE, F);
    emit2(LOAD, N); emit2(PUSH, 1); emit(SUB); emit2(STORE, N);
    emit2(JMP, fact_loop);
    patch_here(fact_done);
    emit(RET);
}

int main(void) {
    assemble();
    static struct vm m;
    int depth = run(&m, code);
    printf("code words=%d stack depth at halt=%d steps=%llu\n", code_len, depth,
           (unsigned long long)m.steps);
    return 0;
}
