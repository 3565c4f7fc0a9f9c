#!/usr/bin/env bash
# OpenEnv episodes over WS /ws: starts `spindle serve` (memory store) on a free loopback port and runs
# EpisodeBench against it: reset p50/p99, N open episodes with p99 step latency, 5-step episodes per second.
#   bench/openenv.sh [seconds] [open-episodes] [step-interval-ms] [resetters] [runners] [task]
#   (defaults: 10, 1000, 200, 8, 32, no task: bare sandboxes; a task of examples/tasks, e.g. fix-median, resets that task)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/spindle" java-home)"
export JAVA_HOME
export SPINDLE_JAVA_OPTS="${SPINDLE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
"$root/spindle" --version >/dev/null   # builds the jar if needed
(cd "$root" && mvn -B -q -DskipTests -pl bench -am package)
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
log="$(mktemp)"
"$root/spindle" serve --port "$port" --store memory --max-envs 4096 --tasks "$root/examples/tasks" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
"$JAVA_HOME/bin/java" -Xmx1g -cp "$root/bench/target/benchmarks.jar" dev.spindle.bench.EpisodeBench "$port" "$@"
