#!/usr/bin/env bash
# The shell at scale on one instance: starts `spindle serve` on the memory store with a repository of FILES
# files (small source files in nested folders) under --seed-root, then (bench/shell_scale.py) times the first
# and later `bash` commands in a session seeded from it and in a fork, opens SESSIONS forks with one command
# each, and prints the disk they take (shared bases, each workspace's tmpfs), the server's RSS and the
# latency of `bash true` among them. Needs bubblewrap and root (the workspaces' mounts); prints the load.
#   bench/shell-scale.sh [sessions] [files] [rounds]     (defaults 1000, 1000, 100)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sessions="${1:-1000}"
files="${2:-1000}"
rounds="${3:-100}"
source "$root/bench/lib.sh"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

python3 - "$work/seeds/repo" "$files" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
os.makedirs(root)
open(os.path.join(root, "README.md"), "w").write("# repo\n")
for i in range(count - 1):
    folder = os.path.join(root, "src", f"pkg{i % 20}", f"mod{i % 7}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"file_{i}.py"), "w") as f:
        f.write("".join(f"def f{i}_{j}(x):\n    return x * {rng.randint(1, 999)}\n\n" for j in range(rng.randint(10, 60))))
PY
port="$(free_port)"
(cd "$work" && exec "$root/spindle" serve --port "$port" --store memory --seed-root "$work/seeds" \
    --workspaces "$work/sandboxes" >"$work/serve.log" 2>&1) &
server=$!
wait_up "$port"
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/bench/shell_scale.py" "$port" "$server" "$work/sandboxes/workspaces" "$work/seeds/repo" "$sessions" "$rounds"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
