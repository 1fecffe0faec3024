#!/usr/bin/env bash
# Installs the test toolchain if needed, then runs every test of the workspace: unit tests,
# the IR golden files, the encoder tests and the end-to-end programs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cargo test --workspace "$@"
