#!/usr/bin/env bash
# Reduce a failing fuzz case to a small module that fails the same way (same class: compile,
# crash, wrong, timeout), with `wasm-tools shrink`, and print it as text.
#
#   [WASMC=PATH] [TARGET=aarch64-linux] fuzz/shrink.sh SEED [ATTEMPTS]
#
# Reads target/fuzz/cases/SEED.wasm; writes target/fuzz/cases/SEED.min.wasm, SEED.min.wat and
# SEED.min.wast (wasmtime's record of the reduced module, what a regression test keeps).
set -euo pipefail
cd "$(dirname "$0")/.."

seed=$1
attempts=${2:-300}
cases=target/fuzz/cases
wasmc=$(realpath "${WASMC:-${CARGO_TARGET_DIR:-target}/debug/wasmc}")
target=${TARGET:-x86_64-linux}
fuzz=$(realpath fuzz)

class=$(python3 fuzz/case.py --module "$cases/$seed.wasm" --wasmc "$wasmc" --target "$target" | head -1 || true)
if [ "$class" = pass ] || [ "$class" = skip ]; then
    echo "fuzz: seed $seed does not fail ($class)" >&2
    exit 1
fi
echo "shrinking seed $seed (class $class)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
predicate="$work/predicate.sh"
cat >"$predicate" <<EOF
#!/bin/sh
exec python3 "$fuzz/case.py" --module "\$1" --wasmc "$wasmc" --target "$target" --expect "$class"
EOF
chmod +x "$predicate"

wasm-tools shrink --attempts "$attempts" "$predicate" "$cases/$seed.wasm" -o "$cases/$seed.min.wasm"
wasm-tools print "$cases/$seed.min.wasm" -o "$cases/$seed.min.wat"
python3 fuzz/case.py --module "$cases/$seed.min.wasm" --wasmc "$wasmc" --target "$target" | tail -n +2 || true
echo "reduced: $cases/$seed.min.wat"
