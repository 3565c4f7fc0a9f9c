#!/usr/bin/env bash
# Builds the example components into examples/components/build/ (run by .ci/run).
# Needs Debian's clang lld wasi-libc libclang-rt-14-dev-wasm32 (C) and wabt (WAT).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$here/build"
clang --target=wasm32-wasi -O2 -Wl,--strip-all -Wl,-z,stack-size=1048576 \
  -o "$here/build/textstats.wasm" "$here/textstats/textstats.c"
wat2wasm "$here/status/status.wat" -o "$here/build/status.wasm"
echo "built: $(cd "$here/build" && ls *.wasm | tr '\n' ' ')"
