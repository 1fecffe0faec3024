#!/usr/bin/env python3
"""Run a WASI command module under wasmtime: the reference the end-to-end tests compare against.

Usage: run_wasmtime.py [--stdin FILE] MODULE.wasm|MODULE.wat [ARGS...]

The guest gets ARGS (after argv[0], the module's file name), the given stdin (or an empty one),
no environment and no directories, and writes straight to this process's stdout and stderr.
This script prints nothing of its own, except on a trap: then stderr gets `wasm trap: <kind>`,
worded as the spec's assert_trap messages (the same words wasmc's runtime prints), and the
exit status is 134, as a trapping wasmc executable's. Otherwise it exits with the guest's status.
Its own failures (bad arguments, a module that does not load) exit with 125.
"""

import os
import sys

import wasmtime

TRAP_EXIT_STATUS = 134
RUNNER_ERROR_STATUS = 125

# wasmtime's trap codes, worded as the spec test suite words them.
TRAP_KINDS = {
    wasmtime.TrapCode.UNREACHABLE: "unreachable",
    wasmtime.TrapCode.MEMORY_OUT_OF_BOUNDS: "out of bounds memory access",
    wasmtime.TrapCode.HEAP_MISALIGNED: "out of bounds memory access",
    wasmtime.TrapCode.INTEGER_DIVISION_BY_ZERO: "integer divide by zero",
    wasmtime.TrapCode.INTEGER_OVERFLOW: "integer overflow",
    wasmtime.TrapCode.BAD_CONVERSION_TO_INTEGER: "invalid conversion to integer",
    wasmtime.TrapCode.INDIRECT_CALL_TO_NULL: "uninitialized element",
    wasmtime.TrapCode.BAD_SIGNATURE: "indirect call type mismatch",
    wasmtime.TrapCode.TABLE_OUT_OF_BOUNDS: "undefined element",
    wasmtime.TrapCode.STACK_OVERFLOW: "call stack exhausted",
}


def fail(message):
    print(f"run_wasmtime: {message}", file=sys.stderr)
    sys.exit(RUNNER_ERROR_STATUS)


def parse_args(argv):
    stdin_path = None
    if len(argv) >= 2 and argv[0] == "--stdin":
        stdin_path, argv = argv[1], argv[2:]
    if not argv:
        fail("usage: run_wasmtime.py [--stdin FILE] MODULE [ARGS...]")
    return stdin_path, argv[0], argv[1:]


def load_module(engine, path):
    try:
        if path.endswith(".wat"):
            with open(path, encoding="utf-8") as f:
                return wasmtime.Module(engine, f.read())
        return wasmtime.Module.from_file(engine, path)
    except (OSError, wasmtime.WasmtimeError) as e:
        fail(f"cannot load {path}: {e}")


def main():
    stdin_path, module_path, guest_args = parse_args(sys.argv[1:])

    wasi = wasmtime.WasiConfig()
    wasi.argv = [os.path.basename(module_path)] + guest_args
    wasi.stdin_file = stdin_path if stdin_path is not None else os.devnull
    wasi.inherit_stdout()
    wasi.inherit_stderr()

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    module = load_module(engine, module_path)

    try:
        instance = linker.instantiate(store, module)
        start = instance.exports(store).get("_start")
        if start is None:
            fail(f"{module_path} exports no _start function")
        start(store)
    except wasmtime.ExitTrap as e:
        sys.exit(e.code)
    except wasmtime.Trap as e:
        kind = TRAP_KINDS.get(e.trap_code)
        if kind is None:
            fail(f"unexpected trap: {e.message}")
        sys.stdout.flush()
        print(f"wasm trap: {kind}", file=sys.stderr)
        sys.exit(TRAP_EXIT_STATUS)
    except wasmtime.WasmtimeError as e:
        fail(f"cannot instantiate {module_path}: {e}")
    sys.exit(0)


if __name__ == "__main__":
    main()
