#!/usr/bin/env bash
# Scale-out benchmark: read_file and write_file at 64 connections on the memory store, SQLite, Redis
# behind one instance and Redis behind two (wrk's two threads, 32 connections each, one per instance),
# all in one run; then the Redis memory an idle session holds. One redis-server on a free loopback port
# without persistence (stopped by PID) serves both Redis setups, emptied in between. The calls rotate over
# 64 sessions seeded with a 1 KiB file; the two routes alternate round after round and each row is the
# median round. "server CPU/call" sums the Spindle instances' user+sys CPU time, "redis CPU/call" is
# redis-server's. Idle memory: Redis's used_memory grown by IDLE sessions of 10 small files, per session.
#   bench/scale-out.sh [seconds-per-run] [rounds] [idle-sessions]     (defaults: 10, 3, 10000)
# SETUPS picks the setups, store[:instances] (default "memory:1 sqlite:1 redis:1 redis:2"); idle-sessions 0
# skips the idle measurement.
# Each instance runs with a fixed, pre-touched 1 GiB heap unless SPINDLE_JAVA_OPTS says otherwise.
# SPINDLE_CPUS and REDIS_CPUS (taskset lists, e.g. 0 and 1) pin the instances and wrk, and redis-server, to
# those CPUs: so Redis can have a core of its own, as it would on a machine of its own, while the instances
# of every setup get the same CPUs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-10}"
rounds="${2:-3}"
idle="${3:-10000}"
sessions=64
export SPINDLE_JAVA_OPTS="${SPINDLE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
source "$root/bench/lib.sh"
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
work="$(mktemp -d)"
pids=()
redis_pid=""
stop_instances() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done; pids=(); }
trap 'stop_instances; [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null; rm -rf "$work"' EXIT

redis_port="$(free_port)"
# the words that pin a command to the CPUs $1 lists (none when $1 is empty); taskset execs the command,
# so $! is still its PID
pin() { if [ -n "$1" ]; then echo "taskset -c $1"; fi; }
$(pin "${REDIS_CPUS:-}") redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
redis() { redis-cli -p "$redis_port" "$@"; }
for _ in $(seq 1 100); do redis PING >/dev/null 2>&1 && break; sleep 0.1; done

# starts COUNT instances on STORE; their ports in $ports, their PIDs in $pids
start_instances() {
  local store=$1 count=$2 port
  ports=()
  for i in $(seq 1 "$count"); do
    port="$(free_port)"
    (cd "$work" && exec $(pin "${SPINDLE_CPUS:-}") "$root/spindle" serve --port "$port" --store "$store" >"$work/server-$port.log" 2>&1) &
    pids+=($!)
    ports+=("$port")
  done
  for port in "${ports[@]}"; do wait_up "$port"; done
}

# one wrk run of ROUTE over the instances in $ports; prints "calls/s p50 p99 server-cpu redis-cpu errors"
measure() {
  local route=$1 s0 s1 r0 r1 out
  s0="$(cpu_ticks "${pids[@]}")"; r0="$(cpu_ticks "$redis_pid")"
  out="$(BENCH_ROUTE="$root/bench/$route.lua" BENCH_PORTS="${ports[*]}" BENCH_SESSIONS=$sessions \
    $(pin "${SPINDLE_CPUS:-}") wrk -t2 -c64 -d"${secs}s" --latency -s "$root/bench/spread.lua" "http://127.0.0.1:${ports[0]}/vfs/execute")"
  s1="$(cpu_ticks "${pids[@]}")"; r1="$(cpu_ticks "$redis_pid")"
  local redis_cpu; redis_cpu="$(echo "$out" | wrk_row $((r1 - r0)) | awk '{print $4}')"
  echo "$out" | wrk_row $((s1 - s0)) | awk -v r="$redis_cpu" '{$5 = r " " $5; print}'

}

echo "| store | instances | route | calls/s | p50 | p99 | server CPU/call | redis CPU/call | errors |"
echo "|---|---|---|---|---|---|---|---|---|"
for setup in ${SETUPS:-memory:1 sqlite:1 redis:1 redis:2}; do
  store="${setup%:*}" count="${setup#*:}"
  [ "$count" = "$setup" ] && count=1   # "memory" means memory:1
  case "$store" in
    sqlite) store_arg="sqlite:$work/state-$count.db" ;;
    redis) store_arg="redis://127.0.0.1:$redis_port"; redis FLUSHALL >/dev/null ;;
    *) store_arg="$store" ;;
  esac
  start_instances "$store_arg" "$count"
  python3 "$root/bench/seed.py" "${ports[0]}" bench "$sessions" data
  for route in read_file write_file; do measure $route >/dev/null; done   # warm-up: let the JIT compile the hot paths
  results="$work/results-$setup"
  for _ in $(seq 1 "$rounds"); do
    for route in read_file write_file; do echo "$route $(measure $route)" >>"$results"; done
  done
  for route in read_file write_file; do
    median_round "$route" "$results" "$rounds" | awk -v s="$store" -v c="$count" -v redis="$([ "$store" = redis ] && echo 1)" \
      '{e = $0; for (i = 1; i <= 6; i++) sub(/^[^ ]+ /, "", e)
        printf "| %s | %s | %s | %s | %s | %s | %s us | %s | %s |\n", s, c, $1, $2, $3, $4, $5, (redis ? $6 " us" : "-"), e}'
  done
  stop_instances
done

# memory per idle session on Redis: one fresh instance, an empty Redis, IDLE sessions opened and left alone
[ "$idle" -gt 0 ] || exit 0
redis FLUSHALL >/dev/null
start_instances "redis://127.0.0.1:$redis_port" 1
before="$(redis INFO memory | awk -F: '/^used_memory:/ {print $2 + 0}')"
python3 "$root/bench/seed.py" "${ports[0]}" idle "$idle" idle
after="$(redis INFO memory | awk -F: '/^used_memory:/ {print $2 + 0}')"
echo
echo "Redis memory per idle session (10 small files, $idle sessions): $(( (after - before) / idle )) bytes" \
  "(used_memory $before -> $after; $(redis DBSIZE) keys)"
