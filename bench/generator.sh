#!/usr/bin/env bash
# Generator overhead and throughput with an in-process scripted LLM (no network):
#   bench/generator.sh [samples] [llm-latency-ms]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/spindle" java-home)"
export JAVA_HOME
(cd "$root" && mvn -B -q -DskipTests -pl bench -am package)
exec "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -cp "$root/bench/target/benchmarks.jar" dev.spindle.bench.GeneratorBench "$@"
