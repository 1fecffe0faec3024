#!/usr/bin/env python3
"""Run a WASI command under wasmtime with capabilities: the reference for tests/tests/wasi.rs.

Usage: run_wasmtime_wasi.py [--stdin FILE] [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]...
                            [--argv0 NAME] MODULE.wasm [ARGS...]

argv[0] is NAME, or the module's file name without its directory.

The same grants as `wasmc run`: each --dir pre-opens HOST as GUEST (default: HOST itself),
in order, so the first gets fd 3; each --env NAME=VALUE sets one variable, --env NAME passes
the host's NAME if it is set; nothing else is visible.
Exit status and trap reporting are those of tests/run_wasmtime.py, whose functions this reuses.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import run_wasmtime  # noqa: E402  (the e2e runner: trap wording, module loading, exit codes)

import wasmtime  # noqa: E402


def parse_args(argv):
    stdin_path, dirs, env, argv0 = None, [], [], None
    while argv and argv[0] in ("--stdin", "--dir", "--env", "--argv0"):
        if len(argv) < 2:
            run_wasmtime.fail(f"{argv[0]} needs a value")
        flag, value, argv = argv[0], argv[1], argv[2:]
        if flag == "--stdin":
            stdin_path = value
        elif flag == "--argv0":
            argv0 = value
        elif flag == "--dir":
            host, _, guest = value.partition("::")
            dirs.append((host, guest or host))
        elif "=" in value:
            env.append(tuple(value.split("=", 1)))
        elif value in os.environ:  # --env NAME: the host's value, as wasmc passes it
            env.append((value, os.environ[value]))
    if not argv:
        run_wasmtime.fail("usage: run_wasmtime_wasi.py [--stdin F] [--dir H::G]... [--env N=V]... MODULE [ARGS...]")
    return stdin_path, dirs, env, argv0 or os.path.basename(argv[0]), argv[0], argv[1:]


def main():
    stdin_path, dirs, env, argv0, module_path, guest_args = parse_args(sys.argv[1:])
    wasi = wasmtime.WasiConfig()
    wasi.argv = [argv0] + guest_args
    wasi.env = env
    for host, guest in dirs:
        wasi.preopen_dir(host, guest)
    wasi.stdin_file = stdin_path if stdin_path is not None else os.devnull
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    run(wasi, module_path)


def run(wasi, module_path):
    """Runs `_start` as tests/run_wasmtime.py does (same exit statuses and trap lines)."""
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    module = run_wasmtime.load_module(engine, module_path)
    try:
        instance = linker.instantiate(store, module)
        start = instance.exports(store).get("_start")
        if start is None:
            run_wasmtime.fail(f"{module_path} exports no _start function")
        start(store)
    except wasmtime.ExitTrap as e:
        sys.exit(e.code)
    except wasmtime.Trap as e:
        kind = run_wasmtime.TRAP_KINDS.get(e.trap_code)
        if kind is None:
            run_wasmtime.fail(f"unexpected trap: {e.message}")
        sys.stdout.flush()
        print(f"wasm trap: {kind}", file=sys.stderr)
        sys.exit(run_wasmtime.TRAP_EXIT_STATUS)
    except wasmtime.WasmtimeError as e:
        run_wasmtime.fail(f"cannot instantiate {module_path}: {e}")
    sys.exit(0)


if __name__ == "__main__":
    main()
