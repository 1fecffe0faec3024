#!/usr/bin/env bash
# From a fresh checkout to a running native program: installs the toolchain, builds wasmc,
# compiles examples/hello.c to WebAssembly with clang, compiles that to a native executable
# with wasmc, and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cargo build --release -p wasmc

target_dir=${CARGO_TARGET_DIR:-target}
out_dir="$target_dir/example"
mkdir -p "$out_dir"
clang --target=wasm32-wasi -O2 examples/hello.c -o "$out_dir/hello.wasm"
"$target_dir/release/wasmc" "$out_dir/hello.wasm" -o "$out_dir/hello"
"$out_dir/hello" "$@"
