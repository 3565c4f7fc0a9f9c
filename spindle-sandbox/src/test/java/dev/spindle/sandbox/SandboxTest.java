package dev.spindle.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.testing.Prerequisite;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SandboxTest {
    private static Sandbox sandbox;
    @TempDir
    Path workspace;

    @BeforeAll
    static void open(@TempDir Path home) {
        Sandbox.Availability availability = Sandbox.open(RootFilesystem.host(), home);
        Prerequisite.require(availability.get().isPresent(), "SPINDLE_REQUIRE_SANDBOX", "no sandbox here: " + availability.reason());
        sandbox = availability.sandbox();
    }

    @AfterAll
    static void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private Sandbox.Run bash(String command) {
        return bash(command, Limits.DEFAULTS, Duration.ofSeconds(20));
    }

    private Sandbox.Run bash(String command, Limits limits, Duration timeout) {
        Sandbox.Run run = sandbox.run(new Sandbox.Invocation(List.of("/bin/bash", "-c", command), workspace, Map.of(), limits, timeout, 64 * 1024, List.of()));
        assertThat(run.failure()).as("sandbox failure").isEmpty();
        return run;
    }

    @Test
    void runsACommandInTheWorkspaceAndKeepsWhatItWrites() throws IOException {
        Files.writeString(workspace.resolve("in.txt"), "seeded\n");
        Sandbox.Run run = bash("pwd; cat in.txt; echo out > out.txt; echo oops >&2; exit 3");
        assertThat(run.stdout().text()).isEqualTo("/workspace\nseeded\n");
        assertThat(run.stderr().text()).isEqualTo("oops\n");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.timedOut()).isFalse();
        assertThat(Files.readString(workspace.resolve("out.txt"))).isEqualTo("out\n");
    }

    @Test
    void runsAsAPlainUserWithAClearedEnvironment() {
        Sandbox.Run run = bash("id -u; echo $HOME; env | sort | cut -d= -f1 | tr '\\n' ' '; echo; grep -c . /etc/passwd");
        assertThat(run.stdout().text().lines().toList()).containsExactly("1000", "/home/user",
                "HOME LANG PATH PWD PYTHONDONTWRITEBYTECODE SHLVL TERM USER _ ", "3");
    }

    @Test
    void etcHoldsWhatProgramsNeedOfTheHostsAndNothingOnlyRootMayRead() {
        Sandbox.Run run = bash("ls /etc/ssl | tr '\\n' ' '; echo; wc -c < /etc/ld.so.cache; "
                + "readlink /etc/localtime; head -c 10 /etc/ssl/certs/ca-certificates.crt; echo; cut -d: -f1 /etc/passwd | tr '\\n' ' '");
        List<String> lines = run.stdout().text().lines().toList();
        assertThat(lines.get(0).split(" ")).contains("certs", "openssl.cnf").doesNotContain("private");
        assertThat(Long.parseLong(lines.get(1).trim())).isEqualTo(new java.io.File("/etc/ld.so.cache").length());
        assertThat(lines.subList(2, lines.size())).containsExactly(readLink("/etc/localtime"), "-----BEGIN", "root user nobody ");
    }

    private static String readLink(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void seesNothingOfTheHostButItsSystemFiles() throws IOException {
        Path secret = Files.writeString(workspace.getParent().resolve("secret-" + System.nanoTime()), "host secret");
        Sandbox.Run run = bash("cat /etc/shadow; cat " + secret + "; ls / /home | tr '\\n' ' '; echo; cat /proc/1/cmdline | tr '\\0' ' '");
        assertThat(run.stdout().text()).doesNotContain("host secret").doesNotContain("root:");
        assertThat(run.stdout().text().lines().findFirst().orElseThrow().split(" ")).doesNotContain("root", "var", "opt", "srv", "mnt", "boot", "run", "media")
                .contains("usr", "etc", "tmp", "workspace", "home", "user");
        assertThat(run.stdout().text()).contains("bwrap"); // pid 1 is the sandbox's own init, not the host's
        assertThat(run.stderr().text()).contains("/etc/shadow: No such file or directory");
        Files.delete(secret);
    }

    @Test
    void cannotWriteOutsideTheWorkspaceAndTmp() {
        Sandbox.Run run = bash("for d in / /etc /usr /dev /proc/sys; do touch $d/x 2>/dev/null && echo wrote $d; done; touch /tmp/x && echo tmp ok");
        assertThat(run.stdout().text()).isEqualTo("tmp ok\n");
    }

    @Test
    void reachesNoNetworkNotEvenTheHostsLoopback() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Sandbox.Run run = bash("python3 -c \"import socket; socket.create_connection(('127.0.0.1', " + listener.getLocalPort()
                    + "), timeout=2)\" 2>&1 | tail -1; ip -o link 2>/dev/null | wc -l; cat /sys/class/net/*/operstate 2>/dev/null");
            assertThat(run.stdout().text()).contains("ConnectionRefusedError");
        }
    }

    @Test
    void refusesTheCallsTheSeccompFilterDenies() {
        Sandbox.Run run = bash("""
                python3 -c "
                import ctypes, os
                libc = ctypes.CDLL(None, use_errno=True)
                for name, nr in [('ptrace', 101), ('mount', 165), ('bpf', 321), ('keyctl', 250), ('unshare', 272), ('perf_event_open', 298)]:
                    r = libc.syscall(nr, 0, 0, 0, 0, 0)
                    print(name, r, os.strerror(ctypes.get_errno()))
                "
                unshare -U true 2>&1 | head -1
                """);
        assertThat(run.stdout().text().lines().filter(l -> !l.startsWith("unshare")).toList()).allSatisfy(line ->
                assertThat(line).endsWith("-1 Operation not permitted"));
        assertThat(run.stdout().text()).contains("unshare: unshare failed: Operation not permitted");
    }

    @Test
    void aTimeoutKillsEveryProcessTheCommandStarted() throws IOException {
        long start = System.nanoTime();
        String sleep = uniqueSleep();
        Sandbox.Run run = bash("(" + sleep + "; echo late > late.txt) & " + sleep, Limits.DEFAULTS, Duration.ofMillis(500));
        assertThat(run.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(running(sleep)).isZero();
    }

    @Test
    void aProcessLeftInTheBackgroundEndsWithItsCall() {
        String sleep = uniqueSleep();
        Sandbox.Run run = bash(sleep + " & echo started");
        assertThat(run.stdout().text()).isEqualTo("started\n");
        assertThat(run.timedOut()).isFalse();
        assertThat(running(sleep)).isZero();
    }

    /** A sleep no other process on the machine runs, to look for afterwards. */
    private static String uniqueSleep() {
        return "sleep 300." + (System.nanoTime() % 1_000_000);
    }

    private static long running(String command) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(command)).count();
    }

    @Test
    void aForkBombEndsAtTheProcessLimit() {
        Sandbox.Run run = bash(":(){ :|:& };: ; sleep 2; echo survived", Limits.DEFAULTS, Duration.ofSeconds(5));
        assertThat(run.failure()).isEmpty();
        // the host is untouched: this JVM still starts processes, and the bomb's are gone
        assertThat(bash("echo fine").stdout().text()).isEqualTo("fine\n");
    }

    @Test
    void aMemoryBombIsStoppedAtTheLimit() {
        Limits small = new Limits(128L << 20, 64, 60, 16L << 20, 256, 8L << 20);
        Sandbox.Run run = bash("python3 -c 'x = bytearray(1 << 30); print(len(x))'", small, Duration.ofSeconds(20));
        assertThat(run.stdout().text()).doesNotContain("1073741824");
        assertThat(run.exitCode()).isNotZero();
    }

    @Test
    void aFileLargerThanTheLimitIsCutAndTmpIsCapped() {
        Limits small = new Limits(256L << 20, 64, 60, 1L << 20, 256, 2L << 20);
        Sandbox.Run run = bash("head -c 5000000 /dev/zero > big.bin; stat -c %s big.bin; head -c 5000000 /dev/zero > /tmp/t 2>/dev/null; stat -c %s /tmp/t",
                small, Duration.ofSeconds(20));
        List<String> sizes = run.stdout().text().lines().toList();
        assertThat(Long.parseLong(sizes.get(0))).isLessThanOrEqualTo(1L << 20);
        assertThat(Long.parseLong(sizes.get(1))).isLessThanOrEqualTo(1L << 20);
    }

    @Test
    void outputPastTheCapIsCountedNotKept() {
        Sandbox.Run run = bash("head -c 200000 /dev/zero | tr '\\0' a");
        assertThat(run.stdout().text()).startsWith("aaa").endsWith("\n[output truncated: " + (200000 - 65536) + " more bytes]");
    }

    @Test
    void manyCommandsAtOnceEachGetTheirOwnSandbox() throws InterruptedException {
        AtomicInteger ok = new AtomicInteger();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                Sandbox.Run run = bash("echo $(( " + n + " * 2 ))");
                if (run.stdout().text().equals((n * 2) + "\n")) {
                    ok.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ok.get()).isEqualTo(16);
    }
}
