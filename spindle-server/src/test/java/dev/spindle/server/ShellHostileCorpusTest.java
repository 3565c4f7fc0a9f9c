package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.store.sqlite.SqliteStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The hostile corpus through the whole path: {@code POST /shell/execute} on a real server on SQLite,
 * the workspace commit and the VFS. Each attempt is answered as data (its exact fields), and afterwards the
 * server answers {@code /health} and a normal command in the same session and in another.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShellHostileCorpusTest {
    private ShellServer s;
    private ServerSocket listener;
    private Host host;

    /** What an attempt aims at on the host: the server's own files and ports, another session's workspace. */
    record Host(Path cwd, Path store, Path otherSession, int serverPort, int listenerPort) {}

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        s = ShellServer.start(new SqliteStore(dir.resolve("state.db")), dir.resolve("sandboxes"));
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        assertThat(s.bash("other", "echo other-session-secret > secret.txt").path("exit_code").asInt()).isZero();
        Path secret;
        try (Stream<Path> walk = Files.walk(dir.resolve("sandboxes"))) {
            secret = walk.filter(p -> p.getFileName().toString().equals("secret.txt")).findFirst().orElseThrow();
        }
        host = new Host(Path.of("").toAbsolutePath(), dir.resolve("state.db"), secret, s.http.server.port(), listener.getLocalPort());
    }

    @AfterAll
    void stop() throws IOException {
        if (s != null) {
            s.close();
            listener.close();
        }
    }

    /** One attempt: the command (from what it aims at), its timeout, and what its answer must be. */
    record Attempt(String name, Function<Host, String> command, long timeoutMs, Consumer<Answer> expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The envelope of one call, the session's files just before and after it, and the server to look further. */
    record Answer(JsonNode envelope, JsonNode before, JsonNode after, String session, ShellServer s, Host host) {
        JsonNode result() {
            assertThat(envelope.path("success").asBoolean()).as(envelope.toString()).isTrue();
            return Json.parse(envelope.path("result").asString());
        }

        String stdout() {
            return result().path("stdout").asString();
        }

        String stderr() {
            return result().path("stderr").asString();
        }

        int exitCode() {
            return result().path("exit_code").asInt();
        }

        void filesUnchanged() {
            assertThat(after).isEqualTo(before);
        }

        /** Refused whole: typed, and the session's files exactly as they were. */
        void refused(String errorType, String message) {
            assertThat(envelope.path("success").asBoolean()).as(envelope.toString()).isFalse();
            assertThat(envelope.path("error_type").asString()).isEqualTo(errorType);
            assertThat(envelope.path("result").asString()).contains(message);
            filesUnchanged();
        }
    }

    private static Attempt attempt(String name, Function<Host, String> command, Consumer<Answer> expect) {
        return new Attempt(name, command, 20_000, expect);
    }

    static Stream<Attempt> corpus() {
        return Stream.of(
                attempt("etc-shadow", h -> "cat /etc/shadow", a -> {
                    assertThat(a.result()).isEqualTo(Json.parse("{\"stdout\":\"\",\"stderr\":\"cat: /etc/shadow: No such file or directory\\n\",\"exit_code\":1}"));
                    a.filesUnchanged();
                }),
                attempt("server-working-directory", h -> "cat " + h.cwd().resolve("pom.xml"), a -> {
                    assertThat(a.stderr()).isEqualTo("cat: " + a.host().cwd().resolve("pom.xml") + ": No such file or directory\n");
                    assertThat(a.stdout()).isEmpty();
                    assertThat(a.exitCode()).isEqualTo(1);
                }),
                attempt("store-file", h -> "cat " + h.store() + "; ls " + h.store().getParent(), a -> {
                    assertThat(a.stdout()).isEmpty();
                    assertThat(a.stderr()).contains(": No such file or directory\n").doesNotContain("SQLite");
                    assertThat(a.exitCode()).isEqualTo(2);
                }),
                // PID 1 is the sandbox's own init: its environment and command line are bubblewrap's, which hold no host path but the sandbox's
                attempt("proc-1-environ", h -> "tr '\\0' '\\n' < /proc/1/environ", a -> {
                    assertThat(a.stdout()).isEqualTo("PATH=/usr/bin:/bin\n");
                    assertThat(a.exitCode()).isZero();
                }),
                attempt("proc-1-cmdline", h -> "tr '\\0' ' ' < /proc/1/cmdline", a -> {
                    // bubblewrap's options, which name the workspace's host folders, came through a file it closed
                    assertThat(a.stdout()).startsWith("/usr/bin/bwrap --args 5 -- /bin/bash --noprofile --norc -c ")
                            .doesNotContain(a.host().cwd().toString()).doesNotContain("/tmp").doesNotContain("--bind");
                    assertThat(a.exitCode()).isZero();
                }),
                attempt("another-sessions-files", h -> "cat " + h.otherSession() + "; ls /workspace/..; grep -rs other-session-secret /workspace /tmp /home /run/spindle/terminal.in; echo $?", a -> {
                    assertThat(a.stdout()).isEqualTo("bin\ndev\netc\nhome\nlib\nlib32\nlib64\nproc\nrun\nsbin\ntmp\nusr\nworkspace\n1\n");
                    assertThat(a.stderr()).isEqualTo("cat: " + a.host().otherSession() + ": No such file or directory\n");
                }),
                attempt("the-servers-own-port", h -> "echo hi > /dev/tcp/127.0.0.1/" + h.serverPort(), a -> {
                    assertThat(a.stderr()).endsWith("/dev/tcp/127.0.0.1/" + a.host().serverPort() + ": Connection refused\n");
                    assertThat(a.exitCode()).isEqualTo(1);
                }),
                attempt("a-listener-on-the-hosts-loopback", h -> "echo hi > /dev/tcp/127.0.0.1/" + h.listenerPort(), a -> {
                    assertThat(a.stderr()).endsWith("/dev/tcp/127.0.0.1/" + a.host().listenerPort() + ": Connection refused\n");
                    assertThat(a.exitCode()).isEqualTo(1);
                }),
                // the bomb holds the processes the sandbox allows until the call ends: whether the shell wins a slot
                // back for its sleep is the scheduler's (on a loaded machine it may not, and the call times out);
                // either way the call is answered as data, nothing is kept, and the server serves on (checked after each)
                new Attempt("fork-bomb", h -> ":(){ :|:& };: ; sleep 2; echo survived", 10_000, a -> {
                    if (a.envelope().path("success").asBoolean()) {
                        assertThat(a.stdout()).isEqualTo("survived\n");
                        assertThat(a.stderr()).contains("fork: retry: Resource temporarily unavailable");
                        a.filesUnchanged();
                    } else {
                        a.refused("Timeout", "The command ran past its 10000 ms limit and was stopped, with every process it started");
                    }
                }),
                attempt("memory-bomb", h -> "python3 -c 'x = bytearray(2 << 30); print(len(x))'", a -> {
                    assertThat(a.exitCode()).isEqualTo(137);
                    assertThat(a.stdout()).isEmpty();
                    assertThat(a.stderr()).endsWith("Killed                  python3 -c 'x = bytearray(2 << 30); print(len(x))'\n"
                            + "[killed: the command's processes passed their 1024 MiB memory limit]\n");
                }),
                // one file stops at the per-file quota (4 MiB), which the session may hold
                attempt("one-huge-file", h -> "head -c 200000000 /dev/zero > big.bin; echo $?; stat -c %s big.bin", a -> {
                    assertThat(a.stdout()).isEqualTo("153\n4194304\n");
                    assertThat(a.stderr()).contains("File size limit exceeded");
                    assertThat(a.after().path("files").path("big.bin").asString()).hasSize(4 << 20);
                }),
                attempt("filling-the-workspace", h -> "for i in $(seq 1 20); do head -c 4000000 /dev/zero > f$i.bin; done; echo kept >> kept.txt",
                        a -> a.refused("QuotaExceeded", "The command left 80000017 bytes of files; the limit is 67108864 bytes. None of its changes were kept")),
                attempt("filling-tmp", h -> "for i in $(seq 1 20); do head -c 4000000 /dev/zero > /tmp/f$i || break; done; echo $i; du -sm /tmp | cut -f1", a -> {
                    assertThat(a.stdout()).isEqualTo("17\n64\n");
                    assertThat(a.stderr()).contains("No space left on device");
                    a.filesUnchanged();
                }),
                attempt("output-flood", h -> "yes | head -c 10000000; yes err | head -c 200000 >&2", a -> {
                    assertThat(a.stdout()).hasSize(65536 + "\n[output truncated: 9934464 more bytes]".length()).startsWith("y\ny\n")
                            .endsWith("y\n\n[output truncated: 9934464 more bytes]");
                    assertThat(a.stderr()).startsWith("err\n").endsWith("\n[output truncated: 134464 more bytes]");
                }),
                new Attempt("endless-output", h -> "yes", 2_000, a -> a.refused("Timeout", "The command ran past its 2000 ms limit and was stopped")),
                attempt("kill-every-process", h -> "sleep 100 & kill -9 -1; wait $!; echo after $?", a -> {
                    assertThat(a.stdout()).isEqualTo("after 137\n");
                    a.filesUnchanged();
                }),
                attempt("a-process-left-in-the-background", h -> "(sleep 301.25; echo late > late.txt) & echo started", a -> {
                    assertThat(a.stdout()).isEqualTo("started\n");
                    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep 301.25"))).isEmpty();
                    assertThat(a.s().bash(a.session(), "sleep 1; ls late.txt; pgrep -c sleep").path("stdout").asString()).isEqualTo("0\n");
                    a.filesUnchanged();
                }),
                attempt("setuid-binaries", h -> "stat -c %A /usr/bin/su; su -c id root < /dev/null; echo su=$?; mount -t tmpfs none /tmp; echo mount=$?; id -u", a -> {
                    assertThat(a.stdout()).isEqualTo("-rwsr-xr-x\nsu=1\nmount=32\n1000\n");
                    assertThat(a.stderr()).contains("mount: /tmp: must be superuser to use mount.");
                }),
                attempt("links-out-of-the-workspace", h -> "ln -s /etc/passwd passwd-link; ln -s .. up; ln -s " + h.otherSession() + " other; ln /etc/hostname hard-out; ln kept.txt hard-in; echo done", a -> {
                    assertThat(a.stdout()).isEqualTo("done\n");
                    assertThat(a.stderr()).contains("ln: failed to create hard link 'hard-out' => '/etc/hostname': Invalid cross-device link")
                            .contains("[not kept] The symbolic link 'passwd-link' was not kept: a session holds regular files and directories only",
                                    "[not kept] The symbolic link 'up' was not kept", "[not kept] The symbolic link 'other' was not kept");
                    // a hard link inside is a plain file of its own
                    assertThat(a.after().path("files").properties()).extracting(e -> e.getKey()).containsExactly("dir/n.txt", "hard-in", "kept.txt");
                    assertThat(a.after().path("files").path("hard-in").asString()).isEqualTo("kept\n");
                    JsonNode read = a.s().http.vfs(a.session(), "read_file", "{\"file_path\":\"passwd-link\"}").json();
                    assertThat(read.path("error_type").asString()).isEqualTo("FileNotFound");
                    assertThat(a.s().bash(a.session(), "ls; cat passwd-link up/x 2>&1").path("stdout").asString())
                            .isEqualTo("dir\nhard-in\nkept.txt\ncat: passwd-link: No such file or directory\ncat: up/x: No such file or directory\n");
                    assertThat(a.s().http.post("/sessions/" + a.session() + "/fork", "{\"session_id\":\"" + a.session() + "-fork\"}").status()).isEqualTo(201);
                    assertThat(a.s().bash(a.session() + "-fork", "ls; cat other 2>&1").path("stdout").asString())
                            .isEqualTo("dir\nhard-in\nkept.txt\ncat: other: No such file or directory\n");
                }),
                attempt("names-with-newlines-and-control-characters", h -> "touch $'a\\nb' $'c\\x01d' 'bad\\name'; mkfifo fifo; echo done", a -> {
                    assertThat(a.stdout()).isEqualTo("done\n");
                    assertThat(a.stderr().lines().sorted().toList()).containsExactly(
                            "[not kept] 'a?b' was not kept: Path contains a control character (U+000A); paths are plain text",
                            "[not kept] 'bad\\name' was not kept: a session's paths cannot hold a backslash",
                            "[not kept] 'c?d' was not kept: Path contains a control character (U+0001); paths are plain text",
                            "[not kept] The special file 'fifo' was not kept: a session holds regular files and directories only");
                    a.filesUnchanged();
                    assertThat(a.s().bash(a.session(), "ls").path("stdout").asString()).isEqualTo("dir\nkept.txt\n");
                }),
                new Attempt("100000-tiny-files", h -> "mkdir many && cd many && seq 100000 | xargs touch && ls | wc -l", 120_000,
                        a -> a.refused("QuotaExceeded", "files and directories; a session may hold 10000. None of its changes were kept")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isAnsweredAsDataAndTheServerKeepsServing(Attempt attempt) {
        String session = "hostile-" + attempt.name();
        s.bash(session, "echo kept > kept.txt; mkdir -p dir && echo nested > dir/n.txt");
        JsonNode before = s.http.get("/sessions/" + session + "/files").json();
        JsonNode envelope = s.call(session, attempt.command().apply(host), attempt.timeoutMs());
        JsonNode after = s.http.get("/sessions/" + session + "/files").json();
        attempt.expect().accept(new Answer(envelope, before, after, session, s, host));
        s.assertServing(session);
    }
}
