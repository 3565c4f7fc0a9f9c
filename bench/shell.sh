#!/usr/bin/env bash
# The shell and native code against their baselines, side by side in one run: starts `spindle serve` twice
# on the memory store, once with the defaults (bash, native Python and JavaScript) and once with
# --python wasm --javascript wasm, then times (bench/shell_load.py) `bash true` against /bin/true and
# bubblewrap alone, a small Python script through run_python (native, keep_state, WebAssembly) against
# python3 -c, and a realistic Python and JavaScript script over a 5,000-row CSV against python3 and node
# run directly. Needs bubblewrap, python3 and node; prints the machine's cores and load.
#   bench/shell.sh [rounds]     (default 100)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-100}"
source "$root/bench/lib.sh"
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

native_port="$(free_port)"
wasm_port="$(free_port)"
(cd "$work" && exec "$root/spindle" serve --port "$native_port" --store memory >"$work/native.log" 2>&1) &
pids+=($!)
(cd "$work" && exec "$root/spindle" serve --port "$wasm_port" --store memory --python wasm --javascript wasm >"$work/wasm.log" 2>&1) &
pids+=($!)
wait_up "$native_port"
wait_up "$wasm_port"
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(curl -s "http://127.0.0.1:$native_port/health" | python3 -c '
import json, sys
code = json.load(sys.stdin)["details"]["code"]
print("; ".join(language + ": " + b["backend"] + " (" + b["why"] + ")" for language, b in code.items()))')"
python3 "$root/bench/shell_load.py" "$native_port" "$wasm_port" "$rounds"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
