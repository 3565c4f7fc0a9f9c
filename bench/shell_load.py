"""The shell and native code against their baselines, in one run on one machine:
    python3 bench/shell_load.py NATIVE_PORT WASM_PORT ROUNDS
NATIVE_PORT serves with the defaults (bash, native Python and JavaScript), WASM_PORT with --python wasm
--javascript wasm. Each row: p50, p90 and max in ms over ROUNDS calls (the realistic scripts: fewer),
through the HTTP tool (one keep-alive connection), next to the same work run directly: the program
started by this script outside any sandbox, and bubblewrap alone with the tool's namespaces."""
import csv
import http.client
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

PYTHON_SMALL = "import json, statistics\nprint(statistics.mean([3, 4, 5]))"

PYTHON_REALISTIC = """import csv, json, re, statistics, datetime, collections
rows = list(csv.DictReader(open('orders.csv')))
by_region = collections.defaultdict(list)
for row in rows:
    by_region[row['region']].append(float(row['amount']))
months = collections.Counter(datetime.date.fromisoformat(row['date']).strftime('%Y-%m') for row in rows)
codes = sum(1 for row in rows if re.fullmatch(r'[A-Z]{3}-\\d{4}', row['code']))
summary = {region: {'n': len(v), 'mean': round(statistics.mean(v), 2), 'median': statistics.median(v),
                    'stdev': round(statistics.stdev(v), 2)} for region, v in sorted(by_region.items())}
print(json.dumps({'rows': len(rows), 'codes': codes, 'months': len(months), 'summary': summary})[:200])
"""

JS_REALISTIC = """const text = fs.readFile('orders.csv');
const lines = text.trim().split('\\n'); const head = lines[0].split(',');
const rows = lines.slice(1).map(l => { const c = l.split(','); const o = {}; head.forEach((h, i) => o[h] = c[i]); return o; });
const byRegion = {}; for (const r of rows) (byRegion[r.region] ||= []).push(parseFloat(r.amount));
const months = new Set(rows.map(r => r.date.slice(0, 7)));
const codes = rows.filter(r => /^[A-Z]{3}-\\d{4}$/.test(r.code)).length;
const summary = {}; for (const [k, v] of Object.entries(byRegion).sort()) { const s = [...v].sort((a, b) => a - b);
  summary[k] = {n: v.length, mean: +(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2), median: s[Math.floor(s.length / 2)]}; }
console.log(JSON.stringify({rows: rows.length, codes, months: months.size, summary}).slice(0, 200));
"""
# the same script for node outside Spindle: the fs helper is node's own readFileSync
JS_DIRECT = "const fs = {readFile: p => require('fs').readFileSync(p, 'utf8')};\n" + JS_REALISTIC


def orders_csv():
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "region", "amount", "code"])
    for i in range(5000):
        writer.writerow([f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", rng.choice(["north", "south", "east", "west"]),
                         f"{rng.uniform(1, 500):.2f}", rng.choice(["ABC-1234", "xyz-12", "QRS-9876"])])
    return out.getvalue()


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def call(self, component, session, tool, args):
        body = json.dumps({"session_id": session, "tool": tool, "args": args})
        self.connection.request("POST", f"/{component}/execute", body, {"content-type": "application/json"})
        answer = json.loads(self.connection.getresponse().read())
        if not answer.get("success"):
            raise SystemExit(f"{tool} failed: {answer}")
        return answer


def timed(run, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times


def row(name, times):
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    print(f"{name:<58} {len(times):>4} {statistics.median(times):>9.1f} {p90:>9.1f} {times[-1]:>9.1f}")
    return statistics.median(times)


def main():
    native_port, wasm_port, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    native, wasm = Client(native_port), Client(wasm_port)
    data = orders_csv()
    work = tempfile.mkdtemp()
    with open(os.path.join(work, "orders.csv"), "w") as f:
        f.write(data)
    for client in (native, wasm):
        client.call("vfs", "bench", "write_file", {"file_path": "orders.csv", "content": data})
        client.call("code", "warm", "run_python", {"code": "print(1)", "timeout_ms": 30000})
        client.call("code", "warm", "run_javascript", {"code": "console.log(1)", "timeout_ms": 30000})
    native.call("shell", "bench", "bash", {"command": "true"})
    bwrap = ["bwrap", "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--ro-bind", "/", "/",
             "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--bind", work, "/tmp/workspace", "--chdir", "/tmp/workspace"]
    print(f"{'':<58} {'n':>4} {'p50 ms':>9} {'p90 ms':>9} {'max ms':>9}")
    print("bash `true`")
    row("  direct: /bin/true from this script", timed(lambda: subprocess.run(["/bin/true"]), rounds))
    row("  direct: bubblewrap alone, the tool's namespaces", timed(lambda: subprocess.run(bwrap + ["/bin/true"]), rounds))
    row("  bash tool over HTTP", timed(lambda: native.call("shell", "bench", "bash", {"command": "true"}), rounds))
    print("python3 `import json, statistics; print(mean)`")
    row("  direct: python3 -c outside any sandbox", timed(lambda: subprocess.run(["python3", "-c", PYTHON_SMALL], capture_output=True), rounds))
    row("  run_python native", timed(lambda: native.call("code", "bench", "run_python", {"code": PYTHON_SMALL}), rounds))
    row("  run_python native, keep_state", timed(lambda: native.call("code", "bench", "run_python", {"code": PYTHON_SMALL, "keep_state": True}), rounds))
    row("  run_python WebAssembly", timed(lambda: wasm.call("code", "bench", "run_python", {"code": PYTHON_SMALL}), max(3, rounds // 10)))
    few = max(3, rounds // 10)
    print("realistic Python (csv, json, re, statistics, datetime, collections; 5,000 rows)")
    direct = row("  direct: python3 outside any sandbox", timed(lambda: subprocess.run(["python3", "-c", PYTHON_REALISTIC], cwd=work, capture_output=True), few))
    tool = row("  run_python native", timed(lambda: native.call("code", "bench", "run_python", {"code": PYTHON_REALISTIC, "timeout_ms": 30000}), few))
    row("  run_python WebAssembly", timed(lambda: wasm.call("code", "bench", "run_python", {"code": PYTHON_REALISTIC, "timeout_ms": 30000}), 3))
    print(f"  native tool / direct: {tool / direct:.2f}x")
    print("realistic JavaScript (the same work)")
    direct = row("  direct: node outside any sandbox", timed(lambda: subprocess.run(["node", "-e", JS_DIRECT], cwd=work, capture_output=True), few))
    tool = row("  run_javascript native", timed(lambda: native.call("code", "bench", "run_javascript", {"code": JS_REALISTIC, "timeout_ms": 30000}), few))
    row("  run_javascript WebAssembly", timed(lambda: wasm.call("code", "bench", "run_javascript", {"code": JS_REALISTIC, "timeout_ms": 30000}), 3))
    print(f"  native tool / direct: {tool / direct:.2f}x")


if __name__ == "__main__":
    main()
