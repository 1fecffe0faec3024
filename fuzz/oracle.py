#!/usr/bin/env python3
"""The reference side of the differential fuzzer.

Runs a module in wasmtime, calls every exported function with arguments derived from a seed,
and writes what wasmtime observed as a `.wast` script (`assert_return`, `assert_trap`, the
values of exported globals and a hash of the exported memory) that `wasmc wast` then checks
against wasmc's code.

Values cross the wasmtime C API as raw bits: the Python-level API turns an f32 into a Python
float, which quiets a signalling NaN, so arguments and results are read and written here
through ctypes instead.

Exit status: 0 the script was written; 2 wasmtime refused the module (not a wasmc finding).
"""

import argparse
import ctypes
import random
import struct
import sys

import wasmtime
from wasmtime import _ffi as ffi
from wasmtime._func import enter_wasm

REFUSED = 2

# Integer and float bit patterns that tend to expose wrong code: zero, signs, extremes,
# boundaries of conversions, NaNs (quiet, signalling, with payloads), subnormals.
I32_EDGES = [0, 1, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 2, 31, 32, 0xFF, 0x80, 0xFFFF, 0x8000, 0x10000, 0xFFFFFFFE]
I64_EDGES = [0, 1, (1 << 64) - 1, 1 << 63, (1 << 63) - 1, 63, 64, 0xFFFFFFFF, 0x80000000, 1 << 32, 0xFFFF_FFFF_0000_0000]
F32_EDGES = [
    0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000,  # ±0, ±1, ±inf
    0x7FC00000, 0xFFC00000, 0x7FC12345, 0x7FA00000,  # canonical NaNs, payload, signalling
    0x00000001, 0x007FFFFF, 0x7F7FFFFF, 0x3F000000, 0xBFC00000, 0x40200000,  # subnormals, max, ½, -1.5, 2.5
    0x4F000000, 0xCF000000, 0x4F800000, 0x5F000000, 0xDF000000,  # ±2^31, 2^32, ±2^63
]
F64_EDGES = [
    0x0000000000000000, 0x8000000000000000, 0x3FF0000000000000, 0xBFF0000000000000,
    0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000, 0xFFF8000000000000,
    0x7FF8000000012345, 0x7FF4000000000000, 0x0000000000000001, 0x000FFFFFFFFFFFFF,
    0x7FEFFFFFFFFFFFFF, 0x3FE0000000000000, 0xBFF8000000000000, 0x4004000000000000,
    0x41E0000000000000, 0xC1E0000000000000, 0x41F0000000000000, 0x43E0000000000000,
    0xC3E0000000000000, 0x41DFFFFFFFC00000,  # ±2^31, 2^32, ±2^63, 2^31-1
]

# wasmtime trap codes → the spec suite's messages (what `wasmc wast` compares with).
TRAP_MESSAGES = {
    wasmtime.TrapCode.UNREACHABLE: "unreachable",
    wasmtime.TrapCode.MEMORY_OUT_OF_BOUNDS: "out of bounds memory access",
    wasmtime.TrapCode.INTEGER_DIVISION_BY_ZERO: "integer divide by zero",
    wasmtime.TrapCode.INTEGER_OVERFLOW: "integer overflow",
    wasmtime.TrapCode.BAD_CONVERSION_TO_INTEGER: "invalid conversion to integer",
    wasmtime.TrapCode.INDIRECT_CALL_TO_NULL: "uninitialized element",
    wasmtime.TrapCode.BAD_SIGNATURE: "indirect call type mismatch",
    wasmtime.TrapCode.STACK_OVERFLOW: "call stack exhausted",
}
CALL_INDIRECT = 0x11


class Exhausted(Exception):
    """wasmtime ran out of stack: its limit is not wasmc's, so the rest of the run is not comparable."""


def kind_of(valtype):
    """Our short name of a value type. (wasmtime's C API aborts on any question about a v128
    type, so SIMD modules must keep v128 out of their exports: see case.py.)"""
    for name in ("i32", "i64", "f32", "f64", "funcref", "externref"):
        if valtype == getattr(wasmtime.ValType, name)():
            return name
    raise ValueError("unsupported value type")


KINDS = {
    "i32": ffi.WASMTIME_I32, "i64": ffi.WASMTIME_I64, "f32": ffi.WASMTIME_F32, "f64": ffi.WASMTIME_F64,
    "funcref": ffi.WASMTIME_FUNCREF, "externref": ffi.WASMTIME_EXTERNREF,
}
WIDTH = {"i32": 4, "i64": 8, "f32": 4, "f64": 8}


def pick_argument(rng, kind):
    """A value of `kind`: mostly edge values, sometimes random bits. Refs: null or extern N."""
    if kind in WIDTH:
        edges = {"i32": I32_EDGES, "i64": I64_EDGES, "f32": F32_EDGES, "f64": F64_EDGES}[kind]
        if rng.random() < 0.7:
            return rng.choice(edges)
        return rng.getrandbits(8 * WIDTH[kind])
    if kind == "externref" and rng.random() < 0.5:
        return rng.randrange(1, 1000)
    return None


def to_raw(store, kind, value):
    raw = ffi.wasmtime_val_t(kind=KINDS[kind])
    if kind in WIDTH:
        ctypes.memmove(ctypes.addressof(raw.of), value.to_bytes(WIDTH[kind], "little"), WIDTH[kind])
    elif value is None:
        # A null reference: the zeroed union (store_id 0).
        pass
    else:
        return wasmtime.Val.externref(value)._new_raw(store)
    return raw


def from_raw(store, kind, raw):
    """A result as (kind, bits) for numbers, (kind, None | "func" | N) for references."""
    if kind in WIDTH:
        return kind, int.from_bytes(ctypes.string_at(ctypes.addressof(raw.of), WIDTH[kind]), "little")
    value = wasmtime.Val._from_raw(store, raw).value
    if kind == "funcref":
        return kind, None if value is None else "func"
    return kind, value


def call(store, func, kinds_in, kinds_out, args):
    """Call `func` with raw arguments; the results, or raise the wasmtime trap."""
    params = (ffi.wasmtime_val_t * len(args))()
    for i, (kind, value) in enumerate(zip(kinds_in, args)):
        params[i] = to_raw(store, kind, value)
    results = (ffi.wasmtime_val_t * len(kinds_out))()
    with enter_wasm(store) as trap:
        error = ffi.wasmtime_func_call(
            store._context(), ctypes.byref(func._func), params, len(args), results, len(kinds_out), trap)
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)
    return [from_raw(store, kind, results[i]) for i, kind in enumerate(kinds_out)]


def global_value(store, glob, kind):
    raw = ffi.wasmtime_val_t()
    ffi.wasmtime_global_get(store._context(), ctypes.byref(glob._global), ctypes.byref(raw))
    return from_raw(store, kind, raw)


def trap_message(trap, wasm):
    """The spec's message for a wasmtime trap.

    wasmtime has one code for every table bound violation; the spec says "undefined element" when
    call_indirect's index is out of bounds and "out of bounds table access" otherwise, so look at
    the trapping instruction.
    """
    code = trap.trap_code
    if code == wasmtime.TrapCode.STACK_OVERFLOW:
        raise Exhausted()
    if code == wasmtime.TrapCode.TABLE_OUT_OF_BOUNDS:
        frames = trap.frames
        if frames and frames[0].module_offset < len(wasm) and wasm[frames[0].module_offset] == CALL_INDIRECT:
            return "undefined element"
        return "out of bounds table access"
    if code in TRAP_MESSAGES:
        return TRAP_MESSAGES[code]
    raise ValueError(f"unmapped wasmtime trap: {trap.message}")


# ---- the text of the script ----

def wast_string(data):
    """A wast string literal holding exactly these bytes."""
    out = []
    for b in data:
        ch = chr(b)
        out.append(ch if 0x20 <= b < 0x7F and ch not in '"\\' else f"\\{b:02x}")
    return '"' + "".join(out) + '"'


def signed(bits, width):
    return bits - (1 << width) if bits >> (width - 1) else bits


def float_text(kind, bits, exact):
    """A float's text. Not `exact` (a result): a quiet NaN matches any canonical or arithmetic
    NaN like it, since Wasm lets NaN payloads differ; a signalling NaN can only come from
    bit-exact operations (reinterpret, copysign, loads), so it must match exactly."""
    exp_bits, frac_bits = (8, 23) if kind == "f32" else (11, 52)
    exponent = (bits >> frac_bits) & ((1 << exp_bits) - 1)
    fraction = bits & ((1 << frac_bits) - 1)
    negative = bits >> (exp_bits + frac_bits)
    sign = "-" if negative else ""
    quiet = 1 << (frac_bits - 1)
    if exponent == (1 << exp_bits) - 1:
        if not fraction:
            return f"({kind}.const {sign}inf)"
        if not exact and fraction == quiet:
            return f"({kind}.const nan:canonical)"
        if not exact and fraction & quiet:
            return f"({kind}.const nan:arithmetic)"
        return f"({kind}.const {sign}nan:0x{fraction:x})"
    value = struct.unpack("<f" if kind == "f32" else "<d", bits.to_bytes(WIDTH[kind], "little"))[0]
    return f"({kind}.const {value.hex()})"


def value_text(value):
    kind, v = value
    if kind in ("i32", "i64"):
        return f"({kind}.const {signed(v, WIDTH[kind] * 8)})"
    if kind in ("f32", "f64"):
        return float_text(kind, v, exact=False)
    if v is None:
        return "(ref.null func)" if kind == "funcref" else "(ref.null extern)"
    return "(ref.func)" if kind == "funcref" else f"(ref.extern {v})"


def argument_text(kind, value):
    if kind in ("f32", "f64"):
        return float_text(kind, value, exact=True)
    return value_text((kind, value))


# ---- the run ----

def wasm2_engine():
    """A wasmtime that accepts WebAssembly 2.0 (SIMD included) and nothing later: wasm-smith
    may exceed its limits to provide prescribed exports (a second memory, say), and such a
    module must be refused here, not reported as a wasmc finding."""
    config = wasmtime.Config()
    for feature in ("relaxed_simd", "gc", "function_references", "exceptions", "tail_call", "threads",
                    "multi_memory", "memory64", "wide_arithmetic", "custom_page_sizes", "stack_switching"):
        setattr(config, "wasm_" + feature, False)
    return wasmtime.Engine(config)


def run(wasm, seed, calls_per_function):
    """The `.wast` script recording wasmtime's behaviour on `wasm`, or None if it refuses it.

    Each exported function starts on a fresh instance, and so does the call after a trap:
    generated code shares one fuel counter per instance, and a call that burnt it would make
    every later call trap the same way. The exported globals and memory are checked whenever
    an instance is done with."""
    engine = wasm2_engine()
    try:
        module = wasmtime.Module(engine, wasm)
    except wasmtime.WasmtimeError:
        return None
    module_text = "(module binary " + wast_string(wasm) + ")"
    functions = [e for e in module.exports if isinstance(e.type, wasmtime.FuncType)]
    lines = [f";; wasmtime's behaviour on a generated module (fuzz seed {seed})"]
    rng = random.Random(seed)
    try:
        for function in functions or [None]:
            remaining = calls_per_function if function else 0
            while True:
                store = wasmtime.Store(engine)
                try:
                    instance = wasmtime.Instance(store, module, [])
                except wasmtime.Trap as trap:
                    lines.append(f"(assert_trap {module_text} \"{trap_message(trap, wasm)}\")")
                    return "\n".join(lines) + "\n"
                lines.append(module_text)
                exports = instance.exports(store)
                if function is not None:
                    made = calls_until_trap(store, exports[function.name], function, rng, remaining, wasm)
                    lines += made
                    remaining -= len(made)
                lines += global_checks(store, module, exports)
                lines += memory_checks(store, module, exports)
                if remaining == 0:
                    break
    except Exhausted:
        # wasmtime's stack limit differs from native code's: nothing after this compares.
        pass
    except wasmtime.WasmtimeError:
        return None
    if len(lines) == 1:
        return None
    return "\n".join(lines) + "\n"


def calls_until_trap(store, func, export, rng, count, wasm):
    """Up to `count` calls of an exported function with fresh arguments, as assertions,
    stopping after the first that traps."""
    kinds_in = [kind_of(t) for t in export.type.params]
    kinds_out = [kind_of(t) for t in export.type.results]
    lines = []
    for _ in range(count):
        args = [pick_argument(rng, k) for k in kinds_in]
        invoke = f"(invoke {wast_string(export.name.encode())}" + "".join(
            " " + argument_text(k, a) for k, a in zip(kinds_in, args)) + ")"
        try:
            results = call(store, func, kinds_in, kinds_out, args)
        except wasmtime.Trap as trap:
            lines.append(f"(assert_trap {invoke} \"{trap_message(trap, wasm)}\")")
            break
        lines.append(f"(assert_return {invoke}" + "".join(" " + value_text(r) for r in results) + ")")
    return lines


def global_checks(store, module, exports):
    lines = []
    for export in module.exports:
        if isinstance(export.type, wasmtime.GlobalType):
            kind = kind_of(export.type.content)
            value = global_value(store, exports[export.name], kind)
            lines.append(f"(assert_return (get {wast_string(export.name.encode())}) {value_text(value)})")
    return lines


# A second module that reads the fuzzed instance's memory (registered as "fuzz") and hashes it
# (FNV-1a over 64-bit little-endian words), so one assertion covers every byte stored.
MEMORY_HASH_MODULE = """(module
  (import "fuzz" {name} (memory 0))
  (func (export "hash") (result i64) (local $i i32) (local $h i64)
    (local.set $h (i64.const 0xcbf29ce484222325))
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $i) (i32.shl (memory.size) (i32.const 16))))
        (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load (local.get $i))) (i64.const 0x100000001b3)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $words)))
    (local.get $h)))"""


# A memory that grew past this (memory.grow in a loop) is left unchecked: reading and hashing
# gigabytes would cost more than the rest of the case.
MAX_HASHED_MEMORY = 16 << 20


def memory_hash(data):
    h = 0xCBF29CE484222325
    for (word,) in struct.iter_unpack("<Q", data):
        h = ((h ^ word) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def memory_checks(store, module, exports):
    """The hash of an exported memory's contents, checked through a second module."""
    for export in module.exports:
        if isinstance(export.type, wasmtime.MemoryType):
            memory = exports[export.name]
            if memory.data_len(store) > MAX_HASHED_MEMORY:
                return []
            data = memory.read(store, 0, memory.data_len(store))
            name = wast_string(export.name.encode())
            return ['(register "fuzz")', MEMORY_HASH_MODULE.format(name=name),
                    f'(assert_return (invoke "hash") (i64.const {signed(memory_hash(data), 64)}))']
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="a .wasm file")
    parser.add_argument("-o", "--output", required=True, help="the .wast script to write")
    parser.add_argument("--seed", type=int, default=0, help="seeds the arguments")
    parser.add_argument("--calls", type=int, default=3, help="calls per exported function")
    args = parser.parse_args()
    with open(args.module, "rb") as f:
        wasm = f.read()
    script = run(wasm, args.seed, args.calls)
    if script is None:
        return REFUSED
    with open(args.output, "w") as f:
        f.write(script)
    return 0


if __name__ == "__main__":
    sys.exit(main())
