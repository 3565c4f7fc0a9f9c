"""The shell at scale, on one instance (bench/shell-scale.sh starts it):
    python3 bench/shell_scale.py PORT SERVER_PID WORKSPACES SEED_DIR SESSIONS ROUNDS
(1) a session seeded from SEED_DIR (a repository of many files): its first `bash` command (the workspace is
made then) and later ones; the same for a fork of it; (2) SESSIONS forks of it, each given one command so
that each has its local workspace; then the disk they take (the shared bases on the host's disk, each
workspace's own tmpfs, beside what a copy per session would take), the server's RSS, the host's mount
count, and the latency of `bash true` in sessions picked at random among them."""
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def post(self, path, body):
        self.connection.request("POST", path, json.dumps(body), {"content-type": "application/json"})
        response = self.connection.getresponse()
        answer = json.loads(response.read())
        if response.status >= 300 or answer.get("success") is False:
            raise SystemExit(f"POST {path} failed: HTTP {response.status} {answer}")
        return answer

    def bash(self, session, command="true"):
        start = time.perf_counter()
        answer = self.post("/shell/execute", {"session_id": session, "tool": "bash", "args": {"command": command}})
        elapsed = (time.perf_counter() - start) * 1000
        result = json.loads(answer["result"])
        if result["exit_code"] != 0:
            raise SystemExit(f"bash {command!r} in {session}: {result}")
        return elapsed, result["stdout"]


def summary(times):
    times = sorted(times)
    pick = lambda q: times[min(len(times) - 1, int(len(times) * q))]
    return f"n {len(times):>5}  p50 {statistics.median(times):8.1f}  p90 {pick(0.9):8.1f}  p99 {pick(0.99):8.1f}  max {times[-1]:8.1f} ms"


def du(path, *flags):
    return int(subprocess.run(["du", "-s", "-B1", *flags, path], capture_output=True, text=True).stdout.split()[0])


def workspace_tmpfs(workspaces):
    """Each workspace's own tmpfs (its overlay's upper layer and Spindle's control files): bytes used and count."""
    used, count = 0, 0
    for line in open("/proc/self/mountinfo"):
        fields = line.split()
        mount_point, fs_type = fields[4], fields[fields.index("-") + 1]
        if fs_type == "tmpfs" and mount_point.startswith(workspaces + "/"):
            stat = os.statvfs(mount_point)
            used += (stat.f_blocks - stat.f_bfree) * stat.f_frsize
            count += 1
    return used, count


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])


def mounts():
    return sum(1 for _ in open("/proc/self/mountinfo"))


def main():
    port, pid, workspaces, seed_dir, sessions, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    client = Client(int(port))
    files = sum(len(names) for _, _, names in os.walk(seed_dir))
    repo_bytes = du(seed_dir, "--apparent-size")
    print(f"repository: {files} files, {repo_bytes:,} bytes; host mounts {mounts()}, server RSS {rss_kib(pid) / 1024:.0f} MiB")

    start = time.perf_counter()
    client.post("/sessions", {"session_id": "repo", "from": {"dir": seed_dir}})
    print(f"seed from the folder (POST /sessions from.dir): {(time.perf_counter() - start) * 1000:.1f} ms")
    first, out = client.bash("repo", "ls -R | wc -l")
    print(f"first command in the seeded session (ls -R | wc -l: {out.strip()} lines): {first:.1f} ms")
    print(f"later `true` in it:                {summary([client.bash('repo')[0] for _ in range(rounds)])}")
    client.post("/sessions/repo/fork", {"session_id": "fork-probe"})
    first, _ = client.bash("fork-probe")
    print(f"first command in a fork of it: {first:.1f} ms; later `true`: {summary([client.bash('fork-probe')[0] for _ in range(rounds)])}")
    print(f"later `echo >> one file` in the fork: {summary([client.bash('fork-probe', f'echo {i} >> README.md')[0] for i in range(rounds)])}")

    firsts = []
    start = time.perf_counter()
    for i in range(sessions):
        client.post("/sessions/repo/fork", {"session_id": f"s-{i}"})
        firsts.append(client.bash(f"s-{i}")[0])
    print(f"{sessions} forks of the seeded session opened, one command each, in {time.perf_counter() - start:.1f} s; "
          f"first command: {summary(firsts)}")
    used, count = workspace_tmpfs(workspaces)
    bases = du(os.path.join(workspaces, "bases"))
    print(f"disk: shared bases {bases:,} bytes; {count} workspace tmpfs mounts using {used:,} bytes "
          f"({used / max(count, 1):,.0f} per session); a copy per session would be {repo_bytes * sessions:,} bytes")
    print(f"host mounts {mounts()}, server RSS {rss_kib(pid) / 1024:.0f} MiB")
    rng = random.Random(7)
    print(f"`true` in random ones of the {sessions}:  {summary([client.bash(f's-{rng.randrange(sessions)}')[0] for _ in range(rounds)])}")
    print(f"`true` in the first session again: {summary([client.bash('repo')[0] for _ in range(rounds)])}")


if __name__ == "__main__":
    main()
