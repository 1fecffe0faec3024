/* A stack-based bytecode interpreter (switch dispatch) running a loop that calls a hashing function. */
#include <stdio.h>
#include <stdint.h>

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, XOR, SHR, JMP, JZ, CALL, RET, HALT };

#define MAX_CODE 256
#define MAX_STACK 256
#define MAX_FRAMES 64
#define ITERATIONS 500000

struct frame { int return_pc; int64_t locals[4]; };

static int64_t run(const int32_t *code, int64_t arg) {
    int64_t stack[MAX_STACK];
    struct frame frames[MAX_FRAMES];
    int sp = 0, fp = 0, pc = 0;
    frames[0].locals[0] = arg;
    for (;;) {
        switch (code[pc++]) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = frames[fp].locals[code[pc++]]; break;
        case STORE: frames[fp].locals[code[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case SHR: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> stack[sp]); break;
        case JMP: pc = code[pc]; break;
        case JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
        case CALL:
            fp++;
            frames[fp].return_pc = pc + 1;
            frames[fp].locals[0] = stack[--sp];
            pc = code[pc];
            break;
        case RET: pc = frames[fp--].return_pc; break;
        case HALT: return stack[sp - 1];
        default: return -1;
        }
    }
}

/* A tiny assembler: emit() appends words, here() names the next address, patch() fills a hole. */
static int32_t code[MAX_CODE];
static int code_len;
static int emit(int32_t word) { code[code_len] = word; return code_len++; }
static int here(void) { return code_len; }
static void patch(int hole, int target) { code[hole] = target; }

int main(void) {
    /* main(n): acc = 0; for (i = 0; i < n; i++) acc = (acc ^ hash(i)) % 1000000007; return acc */
    emit(PUSH); emit(0); emit(STORE); emit(1);
    emit(PUSH); emit(0); emit(STORE); emit(2);
    int loop = here();
    emit(LOAD); emit(2); emit(LOAD); emit(0); emit(LT); emit(JZ); int exit_hole = emit(0);
    emit(LOAD); emit(2); emit(CALL); int call_hole = emit(0);
    emit(LOAD); emit(1); emit(XOR); emit(PUSH); emit(1000000007); emit(MOD); emit(STORE); emit(1);
    emit(LOAD); emit(2); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(2);
    emit(JMP); emit(loop);
    patch(exit_hole, here());
    emit(LOAD); emit(1); emit(HALT);

    /* hash(x): h = x; for (k = 0; k < 12; k++) h = (h * 31 + k) ^ (h >> 7); return h % 16777216 */
    patch(call_hole, here());
    emit(LOAD); emit(0); emit(STORE); emit(1);
    emit(PUSH); emit(0); emit(STORE); emit(2);
    int inner = here();
    emit(LOAD); emit(2); emit(PUSH); emit(12); emit(LT); emit(JZ); int done_hole = emit(0);
    emit(LOAD); emit(1); emit(PUSH); emit(31); emit(MUL); emit(LOAD); emit(2); emit(ADD);
    emit(LOAD); emit(1); emit(PUSH); emit(7); emit(SHR); emit(XOR); emit(STORE); emit(1);
    emit(LOAD); emit(2); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(2);
    emit(JMP); emit(inner);
    patch(done_hole, here());
    emit(LOAD); emit(1); emit(PUSH); emit(16777216); emit(MOD); emit(RET);

    int64_t result = run(code, ITERATIONS);
    printf("interp: %d iterations, %d words of bytecode, result %lld\n", ITERATIONS, code_len,
           (long long)result);
    return 0;
}
