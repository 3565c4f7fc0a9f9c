#!/usr/bin/env bash
# WebAssembly components over HTTP: serves the example manifest (examples/components, built by its
# committed modules) and drives textstats.word_count (a file-touching C tool) with wrk at 16 connections.
#   bench/wasm-http.sh [seconds]      (default 10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-10}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
export SPINDLE_JAVA_OPTS="${SPINDLE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
"$root/spindle" --version >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
work="$(mktemp -d)"
STATUS_URL="http://127.0.0.1:$port/health" "$root/spindle" serve --port "$port" --store memory \
  --manifest "$root/examples/components/spindle.toml" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
curl -sf -H 'content-type: application/json' "http://127.0.0.1:$port/sessions" -d "{\"session_id\":\"bench\",\"files\":{\"notes.txt\":\"$(printf 'the quick brown fox jumps over the lazy dog\\n%.0s' $(seq 20))\"}}" >/dev/null
cat >"$work/word_count.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"session_id":"bench","tool":"word_count","args":{"path":"notes.txt"}}'
LUA
wrk -t2 -c16 -d5s -s "$work/word_count.lua" "http://127.0.0.1:$port/textstats/execute" >/dev/null   # warm-up
out="$(wrk -t2 -c16 -d${secs}s --latency -s "$work/word_count.lua" "http://127.0.0.1:$port/textstats/execute")"
echo "$out" | awk '/Requests\/sec/ {rps=int($2)} $1=="50%" {p50=$2} $1=="99%" {p99=$2}
  END {printf "textstats.word_count over HTTP, 16 connections: %d calls/s, p50 %s, p99 %s\n", rps, p50, p99}'
echo "$out" | grep -E "Non-2xx|Socket errors" || true
