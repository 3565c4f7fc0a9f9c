# Shared by the HTTP benchmarks (sourced, with $root set): wrk from apt, the JDK and jar that ./spindle
# selects and builds, free ports, waiting for a server, CPU time of processes, reading wrk's report.
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
JAVA_HOME="$("$root/spindle" java-home)"
export JAVA_HOME
"$root/spindle" --version >/dev/null   # builds the jar if needed

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# user+sys CPU time, in clock ticks, of the given processes together
cpu_ticks() { local ticks=0 pid; for pid; do ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$ticks"; }

wait_up() { for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.1; done; echo "no server on port $1" >&2; return 1; }

# wrk's report on stdin -> "calls/s p50 p99 cpu_us_per_call errors" given the CPU ticks spent meanwhile
wrk_row() {
  awk -v ticks="$1" -v hz="$(getconf CLK_TCK)" '
    /requests in/ {calls=$1}
    /Requests\/sec/ {rps=int($2)}
    $1=="50%" {p50=$2}
    $1=="99%" {p99=$2}
    /Non-2xx|Socket errors/ {err=err $0 ";"}
    END {printf "%d %s %s %.1f %s\n", rps, p50, p99, ticks * 1e6 / hz / calls, (err == "" ? "-" : "\"" err "\"")}'
}

# the median round by calls/s: lines "<route> <calls/s> ..." of file $2 for route $1, of $3 rounds
median_round() { grep "^$1 " "$2" | sort -k2,2n | awk -v n="$3" 'NR == int((n + 1) / 2)'; }
