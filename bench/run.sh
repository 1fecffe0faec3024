#!/usr/bin/env bash
# Runs the whole benchmark: installs what is missing (wasmi_cli, Python's wasmtime), then
# `cargo run --release -p wasmc-bench -- ARGS`, which builds wasmc and the kernels, fetches the
# real programs, runs everything and rewrites bench/README.md and bench/chart.svg.
# ARGS: see `bench/run.sh --help` (e.g. --quick, --reps 5, --only sort,nbody).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'run.sh: %s\n' "$*" >&2; }

# clang for wasm32-wasi, wabt, Python's wasmtime and wasm-tools: the project's own set-up script.
scripts/setup.sh

# wasmi's command line, from crates.io; skipped when already installed.
if ! command -v wasmi >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/wasmi" ]; then
    log "installing wasmi_cli (a few minutes, once)"
    cargo install wasmi_cli --locked
fi

bench/fetch_real.sh
exec cargo run --release -p wasmc-bench -- "$@"
