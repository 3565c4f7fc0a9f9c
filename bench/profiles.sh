#!/usr/bin/env bash
# Profile benchmark: the claude-code profile's file tools beside the VFS's, in one server (memory store,
# --profile spindle --profile claude-code): read_file vs Read and write_file vs Write of a 1 KiB file,
# over keep-alive with wrk at 16 connections, alternating round after round so that machine noise hits
# them alike; the median round (calls/s, p50, p99) and the server's CPU time per call.
#   bench/profiles.sh [seconds-per-run] [rounds]     (defaults: 5, 3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-5}"
rounds="${2:-3}"
export SPINDLE_JAVA_OPTS="${SPINDLE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
source "$root/bench/lib.sh"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

declare -A route=([read_file]=vfs [write_file]=vfs [claude_read]=claude-code [claude_write]=claude-code)

measure() {
  local script=$1 port=$2 t0 t1 out
  t0="$(cpu_ticks "$pid")"
  out="$(wrk -t2 -c16 -d${secs}s --latency -s "$root/bench/$script.lua" "http://127.0.0.1:$port/${route[$script]}/execute")"
  t1="$(cpu_ticks "$pid")"
  echo "$out" | wrk_row $((t1 - t0))
}

port="$(free_port)"
(cd "$work" && exec "$root/spindle" serve --port "$port" --store memory --profile spindle --profile claude-code >"$work/server.log" 2>&1) &
pid=$!
wait_up "$port"
post() { curl -sf -XPOST "http://127.0.0.1:$port/$1/execute" -H 'content-type: application/json' -d "$2" >/dev/null; }
post vfs "{\"session_id\":\"bench\",\"tool\":\"write_file\",\"args\":{\"file_path\":\"data.txt\",\"content\":\"$(head -c 1024 /dev/zero | tr '\0' 'x')\"}}"
post vfs '{"session_id":"bench","tool":"write_file","args":{"file_path":"out.txt","content":"x"}}'
post claude-code '{"session_id":"bench","tool":"Read","args":{"file_path":"/workspace/out.txt"}}'
scripts="read_file claude_read write_file claude_write"
for script in $scripts; do measure "$script" "$port" >/dev/null; done # warm-up
results="$work/results"
for _ in $(seq 1 "$rounds"); do
  for script in $scripts; do echo "$script $(measure "$script" "$port")" >>"$results"; done
done
echo "| tool | conns | calls/s | p50 | p99 | server CPU/call | errors |"
echo "|---|---|---|---|---|---|---|"
for script in $scripts; do
  median_round "$script" "$results" "$rounds" | awk '{printf "| %s | 16 | %s | %s | %s | %s us | %s |\n", $1, $2, $3, $4, $5, $6}'
done
