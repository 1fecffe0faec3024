#!/usr/bin/env bash
# Runs the WebAssembly 2.0 core suite (../shared/spec/wasm-2.0) for every column of
# tests/spec/STATUS.md: x86-64 at the baseline and at --target-cpu x86-64-v3, and aarch64 under
# qemu. Extra arguments go to `wasmc wast`; `scripts/spec.sh --bless` records the new figures
# (the ratchet test, compiler/tests/spec_ratchet.rs, fails CI if one ever goes down).
set -euo pipefail
cd "$(dirname "$0")/.."
suite=../shared/spec/wasm-2.0
cargo build --release -p wasmc
wasmc=${CARGO_TARGET_DIR:-target}/release/wasmc
run() {
    "$wasmc" wast -j "$(nproc)" --status tests/spec/STATUS.md "$@" "$suite"/*.wast | tail -n 1
}
echo "x86_64-linux:" && run "$@"
echo "x86_64-linux/x86-64-v3:" && run --target-cpu x86-64-v3 "$@"
echo "aarch64-linux:" && run --target aarch64-linux "$@"
