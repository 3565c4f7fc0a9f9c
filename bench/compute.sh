#!/usr/bin/env bash
# Compute beside storage: starts `spindle serve` on the default SQLite store, seeds a 1 KiB file in a
# bystander session, then, first with no load and then while RUNNERS clients each call run_python with
# `while True: pass` back to back (stopped by its timeout), probes GET /health and the bystander's read_file
# every 20 ms over keep-alive (bench/compute_load.py): latencies (count, p50, p99, max), the machine's load
# average, and how the runs were answered (past the compute queue: 503 Overloaded).
#   bench/compute.sh [seconds-per-probe] [runners] [run-timeout-ms]     (defaults: 15, 32, 5000)
# SPINDLE_JAR runs that jar instead of this checkout's (to compare builds); extra serve options in SERVE_ARGS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-15}"
runners="${2:-32}"
timeout_ms="${3:-5000}"
source "$root/bench/lib.sh"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

port="$(free_port)"
if [ -n "${SPINDLE_JAR:-}" ]; then
  serve=("$JAVA_HOME/bin/java" -XX:-DontCompileHugeMethods --enable-native-access=ALL-UNNAMED -jar "$SPINDLE_JAR" serve)
else
  serve=("$root/spindle" serve)
fi
# shellcheck disable=SC2086
(cd "$work" && exec "${serve[@]}" --port "$port" --store "sqlite:$work/state.db" ${SERVE_ARGS:-} >"$work/server.log" 2>&1) &
pid=$!
wait_up "$port"
post() { curl -sf -XPOST "http://127.0.0.1:$port/$1/execute" -H 'content-type: application/json' -d "$2" >/dev/null; }
post vfs "{\"session_id\":\"bystander\",\"tool\":\"write_file\",\"args\":{\"file_path\":\"data.txt\",\"content\":\"$(head -c 1024 /dev/zero | tr '\0' 'x')\"}}"
# warm-up: the interpreter's first load and the JIT's first compilations are not what is measured
for _ in 1 2 3; do post code '{"session_id":"warm","tool":"run_python","args":{"code":"print(sum(range(1000)))"}}'; done
echo "$(nproc) cores; $(curl -s "http://127.0.0.1:$port/health" | python3 -c 'import json,sys; print("spindle", json.load(sys.stdin)["version"])'); serve ${SERVE_ARGS:-}"
echo
echo "No load:"
python3 "$root/bench/compute_load.py" "$port" "$secs" 0 "$timeout_ms"
echo
echo "While $runners run_python calls of \`while True: pass\` (timeout $timeout_ms ms) go, back to back:"
python3 "$root/bench/compute_load.py" "$port" "$secs" "$runners" "$timeout_ms"
