// i32.trunc_f64_s of NaN is an invalid conversion. Plain C casts are compiled with range
// checks that avoid the trap, so the builtin emits the trapping instruction directly.
#include <math.h>
#include <stdio.h>

int main(void) {
    volatile double in_range = 12.75, not_a_number = NAN;
    printf("trunc(12.75) = %d\n", __builtin_wasm_trunc_s_i32_f64(in_range));
    fflush(stdout);
    printf("trunc(nan) = %d\n", __builtin_wasm_trunc_s_i32_f64(not_a_number));
    return 0;
}
