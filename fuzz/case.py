#!/usr/bin/env python3
"""One differential fuzz case: generate a module from a seed, record wasmtime's behaviour on it
(oracle.py), run the recording through `wasmc wast`, and classify the outcome.

    case.py SEED --wasmc PATH [--dir DIR] [--simd]        one seed; prints `SEED VERDICT [DETAIL]`
    case.py --module FILE.wasm --wasmc PATH [--expect CLASS]
                                                          an existing module (reducing a finding):
                                                          exit 0 iff its class is CLASS

Verdicts: `pass`, `skip` (the generator or wasmtime gave up: not a wasmc finding), or `fail`
with a class: `compile` (wasmc rejected or crashed compiling a valid module), `crash` (the test
program died), `wrong` (a result or trap differs from wasmtime's), `timeout`.
"""

import argparse
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import oracle

HERE = Path(__file__).resolve().parent
SMITH_CONFIG = HERE / "smith.json"
# Loop iterations and calls a generated module may make before it traps (wasm-smith's fuel).
FUEL = 2000
CALLS_PER_FUNCTION = 3
WASMC_TIMEOUT = 120


def seed_bytes(seed):
    """The generator's input for a seed: a deterministic byte string of seed-dependent length
    (longer inputs make larger modules)."""
    rng = random.Random(seed)
    return rng.randbytes(rng.randrange(256, 16384))


def export_shape(seed):
    """The exports wasm-smith must give a module, as text: a few functions that return values
    (a function without results shows a wrong value only through a global) and mutable globals.
    """
    rng = random.Random(~seed)
    # No v128 here even with SIMD: wasmtime's C API aborts on any v128 crossing it, so vectors
    # stay inside the module and show through the scalars and memory they produce.
    types = ["i32", "i64", "f32", "f64"]
    fields = []
    for i in range(rng.randint(2, 5)):
        params = " ".join(rng.choice(types) for _ in range(rng.randint(0, 4)))
        results = " ".join(rng.choice(types) for _ in range(rng.choice([1, 1, 1, 2, 3])))
        fields.append(f'(func (export "f{i}") (param {params}) (result {results}) unreachable)')
    for i in range(rng.randint(0, 3)):
        ty = rng.choice(types)
        fields.append(f'(global (export "g{i}") (mut {ty}) ({ty}.const 0))')
    if rng.random() < 0.75:
        # Bounded, so memory.grow cannot take more than the generator's own limit.
        fields.append(f'(memory (export "mem") {rng.randint(0, 2)} 16)')
    return "(module\n  " + "\n  ".join(fields) + ")\n"


def generate(seed, out, simd, config=SMITH_CONFIG):
    """Write the module of `seed` to `out`; False if wasm-smith could not make one.

    Three seeds in four prescribe the exports (functions with results); the fourth exports
    everything the generator made (tables, memories, functions of any type)."""
    cmd = ["wasm-tools", "smith", "-c", str(config), "--ensure-termination", "--fuel", str(FUEL),
           "--simd-enabled", "true" if simd else "false", "-o", str(out)]
    if seed % 2 == 0:
        cmd += ["--disallow-traps", "true"]
    # With SIMD, always prescribed exports: they keep v128 inside the module.
    if seed % 4 != 3 or simd:
        shape = out.with_suffix(".shape.wasm")
        shape_text = export_shape(seed).encode()
        parsed = subprocess.run(["wasm-tools", "parse", "-o", str(shape)], input=shape_text)
        if parsed.returncode != 0:
            return False
        cmd += ["--exports", str(shape), "--export-everything", "false"]
        if b"(memory" in shape_text:
            # The exported memory is the one memory it may have.
            cmd += ["--max-memories", "0"]
    done = subprocess.run(cmd, input=seed_bytes(seed), capture_output=True)
    out.with_suffix(".shape.wasm").unlink(missing_ok=True)
    return done.returncode == 0


def classify(output, status):
    """The class of a `wasmc wast` run's outcome, from its printed failures; None if it passed."""
    if status == 0 and re.search(r"^\d+ passed, 0 failed$", output, re.M):
        return None
    if "failed to compile" in output or "panicked" in output:
        return "compile"
    if "stopped before this step" in output or "signal" in output or "test program" in output:
        return "crash"
    if re.search(r": expected ", output):
        return "wrong"
    return "crash"


def run_wasmc(wasmc, script, target):
    """Run `wasmc wast` on a script: (class or None, output)."""
    try:
        done = subprocess.run([wasmc, "wast", "--target", target, "-j", "1", "--max-failures", "5", str(script)],
                              capture_output=True, text=True, timeout=WASMC_TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    output = done.stdout + done.stderr
    return classify(output, done.returncode), output


def check_module(wasm_path, wast_path, wasmc, seed, target):
    """('skip' | None | class, output) for a module already on disk."""
    script = oracle.run(Path(wasm_path).read_bytes(), seed, CALLS_PER_FUNCTION)
    if script is None:
        return "skip", "wasmtime refused the module"
    Path(wast_path).write_text(script)
    return run_wasmc(wasmc, wast_path, target)


def one_seed(seed, wasmc, work, simd, config, target):
    work.mkdir(parents=True, exist_ok=True)
    wasm, wast = work / f"{seed}.wasm", work / f"{seed}.wast"
    if not generate(seed, wasm, simd, config):
        return "skip", "wasm-smith could not use this seed"
    verdict, output = check_module(wasm, wast, wasmc, seed, target)
    if verdict is None:
        wasm.unlink()
        wast.unlink()
        return "pass", ""
    if verdict == "skip":
        wasm.unlink()
        return verdict, output
    (work / f"{seed}.out").write_text(output)
    first = next((line for line in output.splitlines() if ".wast:" in line), "")
    return verdict, first


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seed", type=int, nargs="?")
    parser.add_argument("--wasmc", required=True, help="the wasmc binary")
    parser.add_argument("--dir", default="target/fuzz/cases", help="where cases are kept")
    parser.add_argument("--target", default="x86_64-linux", help="wasmc's target (aarch64-linux runs under qemu)")
    parser.add_argument("--simd", action="store_true", help="let the generator use SIMD")
    parser.add_argument("--config", default=SMITH_CONFIG, help="wasm-smith's configuration (default fuzz/smith.json)")
    parser.add_argument("--module", help="check this module instead of generating one")
    parser.add_argument("--expect", help="with --module: exit 0 iff the outcome has this class")
    args = parser.parse_args()
    if args.module:
        wast = Path(args.module).with_suffix(".wast")
        verdict, output = check_module(args.module, wast, args.wasmc, 0, args.target)
        if args.expect:
            return 0 if verdict == args.expect else 1
        print(verdict or "pass")
        print(output)
        return 0 if verdict is None else 1
    if args.seed is None:
        parser.error("a seed or --module is needed")
    verdict, detail = one_seed(args.seed, args.wasmc, Path(args.dir), args.simd, args.config, args.target)
    # One write per line: parallel cases share the campaign's output.
    sys.stdout.write(f"{args.seed} {verdict} {detail}".rstrip() + "\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
