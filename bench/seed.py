"""Opens COUNT sessions PREFIX-0 ... through POST /sessions on a Spindle instance, over keep-alive
connections from 4 threads. KIND "data": one 1 KiB file data.txt (what read_file.lua reads); KIND
"idle": 10 small files, as SessionMemory seeds them.
    python3 bench/seed.py PORT PREFIX COUNT KIND"""
import http.client
import json
import sys
from concurrent.futures import ThreadPoolExecutor


def files(kind, i):
    if kind == "data":
        return {"data.txt": "x" * 1024}
    return {f"src/pkg{f % 3}/file_{f}.py": f"# sample {i} file {f}\nx = {f}" + "\n" * 3 for f in range(10)}


def seed(port, prefix, kind, indices):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in indices:
        body = json.dumps({"session_id": f"{prefix}-{i}", "files": files(kind, i)})
        connection.request("POST", "/sessions", body, {"content-type": "application/json"})
        response = connection.getresponse()
        answer = response.read()
        if not 200 <= response.status < 300:
            sys.exit(f"seeding {prefix}-{i}: HTTP {response.status} {answer[:200]!r}")


def main():
    port, prefix, count, kind = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with ThreadPoolExecutor(4) as pool:
        for done in [pool.submit(seed, port, prefix, kind, range(t, count, 4)) for t in range(4)]:
            done.result()


main()
