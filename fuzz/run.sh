#!/usr/bin/env bash
# The differential fuzzing campaign: for each seed, wasm-smith makes a module, wasmtime records
# what it does (fuzz/oracle.py), and `wasmc wast` checks wasmc's code against that record
# (fuzz/case.py). Failing cases stay in target/fuzz/cases/ (SEED.wasm, SEED.wast, SEED.out);
# fuzz/shrink.sh SEED reduces one to a small .wat.
#
#   fuzz/run.sh [--seeds N] [--start S] [-j JOBS] [--simd] [--wasmc PATH] [--config SMITH.json]
#               [--target x86_64-linux|aarch64-linux]
#
# --wasmc tests a given binary (say, one built from a clean checkout of a commit, so that
# edits in progress in the working tree do not show up as findings); by default the working
# tree is built.
#
# The last line is `N passed, M failed` (seeds the generator or wasmtime gave up on are
# counted as skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=100
start=0
jobs=$(nproc)
simd=()
given_wasmc=
config=()
target=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seeds) seeds=$2; shift 2 ;;
        --start) start=$2; shift 2 ;;
        -j) jobs=$2; shift 2 ;;
        --simd) simd=(--simd); shift ;;
        --wasmc) given_wasmc=$2; shift 2 ;;
        --target) target=(--target "$2"); shift 2 ;;
        --config) config=(--config "$(realpath "$2")"); shift 2 ;;
        *) echo "usage: fuzz/run.sh [--seeds N] [--start S] [-j JOBS] [--simd] [--wasmc PATH] [--config SMITH.json] [--target T]" >&2; exit 2 ;;
    esac
done

for tool in wasm-tools python3; do
    command -v "$tool" >/dev/null || { echo "fuzz: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done
python3 -c 'import wasmtime' 2>/dev/null || { echo "fuzz: python's wasmtime is missing: run scripts/setup.sh" >&2; exit 1; }

if [ -z "$given_wasmc" ]; then
    cargo build --quiet -p wasmc
    given_wasmc=${CARGO_TARGET_DIR:-target}/debug/wasmc
fi
out=target/fuzz
mkdir -p "$out/cases"
# A copy: a rebuild during a long campaign must not change the compiler under test.
wasmc="$(realpath "$out")/wasmc-$$"
cp "$given_wasmc" "$wasmc"
trap 'rm -f "$wasmc"' EXIT
log="$out/run-$start-$((start + seeds)).log"
seq "$start" $((start + seeds - 1)) \
    | xargs -P "$jobs" -I{} python3 fuzz/case.py {} --wasmc "$wasmc" --dir "$out/cases" "${simd[@]}" "${config[@]}" "${target[@]}" \
    | tee "$log"

passed=$(grep -cE '^[0-9]+ pass$' "$log" || true)
skipped=$(grep -cE '^[0-9]+ skip' "$log" || true)
failed=$(grep -cE '^[0-9]+ (compile|crash|wrong|timeout)' "$log" || true)
echo "failing seeds (kept in $out/cases):"
grep -E '^[0-9]+ (compile|crash|wrong|timeout)' "$log" | sort -n || echo "  none"
echo "$skipped skipped"
echo "$passed passed, $failed failed"
