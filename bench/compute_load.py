"""Bystanders under compute load: RUNNERS threads each call run_python with `while True: pass` back to back
(each in a session of its own, until its timeout stops it), while a probe asks GET /health and a read_file of
a 1 KiB file in another session at a fixed pace, over one keep-alive connection each. Prints the probes'
latencies (count, p50, p99, max) and how the runs were answered.
    python3 bench/compute_load.py PORT SECONDS RUNNERS RUN_TIMEOUT_MS"""
import http.client
import json
import os
import sys
import threading
import time
from collections import Counter

READ = json.dumps({"session_id": "bystander", "tool": "read_file", "args": {"file_path": "data.txt"}})
PACE_SECONDS = 0.02


def post(connection, path, body):
    connection.request("POST", path, body, {"content-type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def runner(port, index, timeout_ms, stop, answers):
    body = json.dumps({"session_id": f"compute-{index}", "tool": "run_python",
                       "args": {"code": "while True: pass", "timeout_ms": timeout_ms}})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    while not stop.is_set():
        try:
            status, answer = post(connection, "/code/execute", body)
        except OSError as e:
            answers[f"connection failed: {type(e).__name__}"] += 1
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            time.sleep(0.1)
            continue
        kind = json.loads(answer).get("error_type") or "ok"
        answers[f"{status} {kind}"] += 1
        if status == 503:
            time.sleep(1)  # Retry-After: 1


def probe(port, seconds, name, ask):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    latencies, failures = [], Counter()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.monotonic()
        status, answer = ask(connection)
        latencies.append(time.monotonic() - start)
        if status != 200 or (name == "read_file" and not json.loads(answer).get("success")):
            failures[status] += 1
        time.sleep(max(0.0, PACE_SECONDS - (time.monotonic() - start)))
    latencies.sort()
    at = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"| {name} | {len(latencies)} | {at(0.5):.1f} ms | {at(0.99):.1f} ms | {latencies[-1] * 1000:.1f} ms "
          f"| {dict(failures) or '-'} |")


def health(connection):
    connection.request("GET", "/health")
    response = connection.getresponse()
    return response.status, response.read()


def main():
    port, seconds, runners, timeout_ms = (int(a) for a in sys.argv[1:5])
    stop, answers = threading.Event(), Counter()
    threads = [threading.Thread(target=runner, args=(port, i, timeout_ms, stop, answers), daemon=True) for i in range(runners)]
    for thread in threads:
        thread.start()
    time.sleep(2)  # every runner has sent its first run
    load = os.getloadavg()[0]
    print("| probe | calls | p50 | p99 | max | failures |")
    print("|---|---|---|---|---|---|")
    probe(port, seconds, "health", health)
    probe(port, seconds, "read_file", lambda c: post(c, "/vfs/execute", READ))
    print(f"\nload average (1 min) at the start of the probes: {load:.2f}; at the end: {os.getloadavg()[0]:.2f}")
    stop.set()
    print(f"run_python answers while probing (status error_type: count): {dict(answers)}")


if __name__ == "__main__":
    main()
