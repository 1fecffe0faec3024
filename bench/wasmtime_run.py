#!/usr/bin/env python3
"""Run a WASI command module under wasmtime for the benchmark, timing compilation and execution apart.

Usage: wasmtime_run.py --timings FILE [--stdin FILE] MODULE.wasm [ARGS...]

The module is compiled once (Cranelift, wasmtime's default), then instantiated and its `_start`
run with ARGS, the given stdin (or an empty one), no environment and no directories. The guest's
stdout and stderr are this process's. FILE receives one line, `compile_s=<float> run_s=<float>`:
`run_s` covers instantiation and `_start`, measured inside this process so that the Python start-up
and the compilation are not counted. Exit status: the guest's; 134 on a trap; 125 if this script
itself fails (bad arguments, a module that does not load).
"""

import os
import sys
import time

import wasmtime

TRAP_EXIT_STATUS = 134
RUNNER_ERROR_STATUS = 125


def fail(message):
    print(f"wasmtime_run: {message}", file=sys.stderr)
    sys.exit(RUNNER_ERROR_STATUS)


def parse_args(argv):
    timings_path, stdin_path = None, None
    while len(argv) >= 2 and argv[0] in ("--timings", "--stdin"):
        if argv[0] == "--timings":
            timings_path = argv[1]
        else:
            stdin_path = argv[1]
        argv = argv[2:]
    if timings_path is None or not argv:
        fail("usage: wasmtime_run.py --timings FILE [--stdin FILE] MODULE.wasm [ARGS...]")
    return timings_path, stdin_path, argv[0], argv[1:]


def main():
    timings_path, stdin_path, module_path, guest_args = parse_args(sys.argv[1:])

    engine = wasmtime.Engine()
    compile_start = time.perf_counter()
    try:
        module = wasmtime.Module.from_file(engine, module_path)
    except (OSError, wasmtime.WasmtimeError) as e:
        fail(f"cannot load {module_path}: {e}")
    compile_s = time.perf_counter() - compile_start

    wasi = wasmtime.WasiConfig()
    wasi.argv = [os.path.basename(module_path)] + guest_args
    wasi.stdin_file = stdin_path if stdin_path is not None else os.devnull
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()

    status = 0
    run_start = time.perf_counter()
    try:
        instance = linker.instantiate(store, module)
        start = instance.exports(store).get("_start")
        if start is None:
            fail(f"{module_path} exports no _start function")
        start(store)
    except wasmtime.ExitTrap as e:
        status = e.code
    except wasmtime.Trap as e:
        print(f"wasm trap: {e.message}", file=sys.stderr)
        status = TRAP_EXIT_STATUS
    except wasmtime.WasmtimeError as e:
        fail(f"cannot instantiate {module_path}: {e}")
    run_s = time.perf_counter() - run_start

    with open(timings_path, "w", encoding="utf-8") as f:
        f.write(f"compile_s={compile_s:.6f} run_s={run_s:.6f}\n")
    sys.exit(status)


if __name__ == "__main__":
    main()
