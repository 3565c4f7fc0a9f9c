#!/usr/bin/env bash
# The eval runner's throughput and own cost per step, with an in-process model of fixed latency:
#   bench/eval.sh [attempts] [llm-latency-ms]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/spindle" java-home)"
export JAVA_HOME
(cd "$root" && mvn -B -q -DskipTests -pl bench -am package)
exec "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -cp "$root/bench/target/benchmarks.jar" dev.spindle.bench.EvalBench "$@"
