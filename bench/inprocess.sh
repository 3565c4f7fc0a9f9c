#!/usr/bin/env bash
# In-process benchmark (JMH): session open + seed 10 files + close, fork + close, read_file without HTTP.
#   bench/inprocess.sh [extra JMH args]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/spindle" java-home)"
export JAVA_HOME
(cd "$root" && mvn -B -q -DskipTests -pl bench -am package)
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$root/bench/target/benchmarks.jar" \
  -f 1 -wi 5 -w 2s -i 5 -r 2s -jvmArgsAppend "-Dspindle.examples=$root/examples/components" "$@"
