#!/usr/bin/env bash
# HTTP benchmark: starts `spindle serve` on a free loopback port for each store, seeds a 1 KiB file,
# then drives /health, read_file and write_file over keep-alive with wrk at 1, 16 and 64 connections.
# The three routes alternate, round after round, so that machine noise hits them alike; the table gives
# the median round (calls/s, p50, p99) and the server's CPU time per call (user+sys, from /proc),
# which does not depend on how much CPU wrk took. Heap and RSS are read after the runs.
#   bench/http.sh [seconds-per-run] [rounds] [stores...]     (defaults: 5, 3, memory sqlite)
# The server runs with a fixed, pre-touched 1 GiB heap unless SPINDLE_JAVA_OPTS says otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-5}"
rounds="${2:-3}"
shift 2 || true
stores="${*:-memory sqlite}"
export SPINDLE_JAVA_OPTS="${SPINDLE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
source "$root/bench/lib.sh"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# one wrk run; prints "calls/s p50 p99 cpu_us_per_call errors"
measure() {
  local route=$1 conns=$2 port=$3 threads=2 out t0 t1
  [ "$conns" = 1 ] && threads=1
  t0="$(cpu_ticks "$pid")"
  if [ "$route" = health ]; then
    out="$(wrk -t$threads -c$conns -d${secs}s --latency "http://127.0.0.1:$port/health")"
  else
    out="$(wrk -t$threads -c$conns -d${secs}s --latency -s "$root/bench/$route.lua" "http://127.0.0.1:$port/vfs/execute")"
  fi
  t1="$(cpu_ticks "$pid")"
  echo "$out" | wrk_row $((t1 - t0))
}

echo "| store | route | conns | calls/s | p50 | p99 | server CPU/call | errors |"
echo "|---|---|---|---|---|---|---|---|"
for store in $stores; do
  port="$(free_port)"
  store_arg="$store"; [ "$store" = sqlite ] && store_arg="sqlite:$work/state.db"
  (cd "$work" && exec "$root/spindle" serve --port "$port" --store "$store_arg" >"$work/server-$store.log" 2>&1) &
  pid=$!
  wait_up "$port"
  curl -sf -XPOST "http://127.0.0.1:$port/vfs/execute" -H 'content-type: application/json' \
    -d "{\"session_id\":\"bench\",\"tool\":\"write_file\",\"args\":{\"file_path\":\"data.txt\",\"content\":\"$(head -c 1024 /dev/zero | tr '\0' 'x')\"}}" >/dev/null
  # warm-up: let the JIT compile the hot paths before measuring
  for route in read_file write_file health; do measure $route 16 "$port" >/dev/null; done
  for conns in 1 16 64; do
    results="$work/results-$store-$conns"
    : >"$results"
    for _ in $(seq 1 "$rounds"); do
      for route in health read_file write_file; do
        echo "$route $(measure $route "$conns" "$port")" >>"$results"
      done
    done
    for route in health read_file write_file; do
      # the median round by calls/s
      median_round "$route" "$results" "$rounds" |
        awk -v s="$store" -v c="$conns" '{printf "| %s | %s | %s | %s | %s | %s | %s us | %s |\n", s, $1, c, $2, $3, $4, $5, $6}'
    done
  done
  heap="$("$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info 2>/dev/null | awk '{for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}' | tr -d ',')" || true
  rss="$(awk '/VmRSS/ {print $2 " " $3}' "/proc/$pid/status" 2>/dev/null || true)"
  echo "| $store | heap used after the runs: ${heap:-?}; RSS ${rss:-?} | | | | | | |"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=""
done
