#!/usr/bin/env bash
# Installs the test toolchain if needed, then runs every test of the workspace: unit tests,
# the IR golden files, the encoder tests, the spec scripts and the end-to-end programs.
#
# Debug profile (which is already opt-level 1), not --release: measured on this 2-core
# machine, the end-to-end suite runs in the same time either way (43 s vs 45 s: clang and
# wasmtime dominate it), while a release build of the workspace takes minutes longer.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cargo test --workspace "$@"
