//! Every program under `tests/programs/` compiled by wasmc for aarch64 Linux (-O2) and run
//! under `qemu-aarch64`: it must behave exactly like the wasmtime reference run, as in
//! `e2e.rs` (which also checks the reference itself).

use wasmc::object::Target;
use wasmc_tests::program::run_test;
use wasmc_tests::Program;

/// Scratch space and the Wasm cache live in the target directory.
const WORK_ROOT: &str = env!("CARGO_TARGET_TMPDIR");
/// The user-mode emulator with the cross sysroot (Debian's `qemu-user` and
/// `libc6-dev-arm64-cross`, installed by `scripts/setup.sh`).
const QEMU: &[&str] = &["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"];

macro_rules! programs {
    ($($name:ident: $program:expr,)*) => {
        $(
            #[test]
            fn $name() {
                let program: Program = $program;
                run_test(concat!("aarch64-", stringify!($name)), WORK_ROOT, |ws| {
                    program.check_native_on(ws, 2, Target::Aarch64Linux, QEMU)
                });
            }
        )*
    };
}

programs! {
    int_arith: Program::exits("int_arith.c", 0),
    float_arith: Program::exits("float_arith.c", 0),
    libm: Program::exits("libm.c", 0),
    malloc_stress: Program::exits("malloc_stress.c", 0),
    memory_grow: Program::exits("memory_grow.c", 0),
    qsort_structs: Program::exits("qsort_structs.c", 0),
    strings: Program::exits("strings.c", 0),
    recursion: Program::exits("recursion.c", 0),
    switch_table: Program::exits("switch_table.c", 0),
    func_ptrs: Program::exits("func_ptrs.c", 0),
    abi_corners: Program::exits("abi_corners.c", 0),
    u64_math: Program::exits("u64_math.c", 0),
    matrix: Program::exits("matrix.c", 0),
    interpreter: Program::exits("interpreter.c", 0),
    hash_table: Program::exits("hash_table.c", 0),
    bit_tricks: Program::exits("bit_tricks.c", 0),
    big_output: Program::exits("big_output.c", 0),
    env_absent: Program::exits("env_absent.c", 0),
    // main returns argc.
    argv: Program::exits("argv.c", 6).with_args(&["alpha", "beta gamma", "", "ünïcode ✓", "-x"]),
    stdin_lines: Program::exits("stdin_lines.c", 0).with_stdin("stdin_lines.stdin"),
    exit_return: Program::exits("exit_return.c", 3),
    exit_call: Program::exits("exit_call.c", 42),
    wasi_minimal: Program::exits("wasi_minimal.wat", 7).with_args(&["one", "two"]),

    trap_unreachable: Program::traps("trap_unreachable.c", "unreachable"),
    trap_memory_oob: Program::traps("trap_memory_oob.c", "out of bounds memory access"),
    trap_memory_oob_edge: Program::traps("trap_memory_oob_edge.c", "out of bounds memory access"),
    trap_div_zero: Program::traps("trap_div_zero.c", "integer divide by zero"),
    trap_int_overflow: Program::traps("trap_int_overflow.c", "integer overflow"),
    trap_invalid_conversion: Program::traps("trap_invalid_conversion.c", "invalid conversion to integer"),
    trap_indirect_call_signature: Program::traps("trap_indirect_call_signature.c", "indirect call type mismatch"),
    trap_indirect_call_null: Program::traps("trap_indirect_call_null.c", "uninitialized element"),
    trap_table_out_of_bounds: Program::traps("trap_table_out_of_bounds.c", "undefined element"),
    trap_stack_overflow: Program::traps("trap_stack_overflow.c", "call stack exhausted"),
}
