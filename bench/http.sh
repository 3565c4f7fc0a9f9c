#!/usr/bin/env bash
# HTTP benchmark: starts `spindle serve` on a free loopback port for each store, seeds a 1 KiB file,
# and drives /health, read_file and write_file over keep-alive with wrk at 1, 16 and 64 connections.
# Prints a markdown table (calls/s, p50, p99, heap after the runs). Needs wrk (apt-get install wrk).
#   bench/http.sh [seconds-per-run] [stores...]     (defaults: 10, memory sqlite)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-10}"
shift || true
stores="${*:-memory sqlite}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
JAVA_HOME="$("$root/spindle" java-home)"
export JAVA_HOME
"$root/spindle" --version >/dev/null   # builds the jar if needed
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

echo "| store | route | conns | calls/s | p50 | p99 |"
echo "|---|---|---|---|---|---|"
for store in $stores; do
  port="$(free_port)"
  store_arg="$store"; [ "$store" = sqlite ] && store_arg="sqlite:$work/state.db"
  (cd "$work" && exec "$root/spindle" serve --port "$port" --store "$store_arg" >"$work/server-$store.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
  curl -sf -XPOST "http://127.0.0.1:$port/vfs/execute" -H 'content-type: application/json' \
    -d "{\"session_id\":\"bench\",\"tool\":\"write_file\",\"args\":{\"file_path\":\"data.txt\",\"content\":\"$(head -c 1024 /dev/zero | tr '\0' 'x')\"}}" >/dev/null
  # warm-up: let the JIT compile the hot paths before measuring
  wrk -t2 -c16 -d5s -s "$root/bench/read_file.lua" "http://127.0.0.1:$port/vfs/execute" >/dev/null
  wrk -t2 -c16 -d3s "http://127.0.0.1:$port/health" >/dev/null
  for route in health read_file write_file; do
    for conns in 1 16 64; do
      threads=2; [ "$conns" = 1 ] && threads=1
      if [ "$route" = health ]; then
        out="$(wrk -t$threads -c$conns -d${secs}s --latency "http://127.0.0.1:$port/health")"
      else
        out="$(wrk -t$threads -c$conns -d${secs}s --latency -s "$root/bench/$route.lua" "http://127.0.0.1:$port/vfs/execute")"
      fi
      rps="$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')"
      p50="$(echo "$out" | awk '$1=="50%" {print $2}')"
      p99="$(echo "$out" | awk '$1=="99%" {print $2}')"
      errors="$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')"
      echo "| $store | $route | $conns | $rps | $p50 | $p99 |${errors:+ $errors}"
    done
  done
  heap="$("$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info 2>/dev/null | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}' | tr -d ',')" || true
  rss="$(awk '/VmRSS/ {print $2 " " $3}' "/proc/$pid/status" 2>/dev/null || true)"
  echo "| $store | heap used after runs: ${heap:-?}, RSS ${rss:-?} | | | | |"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
