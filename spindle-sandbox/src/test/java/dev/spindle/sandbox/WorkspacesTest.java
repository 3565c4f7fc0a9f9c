package dev.spindle.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.testing.Prerequisite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class WorkspacesTest {
    private static Sandbox sandbox;
    private final MemoryStore store = new MemoryStore();
    private final Quotas quotas = new Quotas(1 << 20, 200, 4 << 20);
    private final SessionFiles files = new SessionFiles(store, "s1", PathPolicy.defaults(), quotas);
    private Workspaces workspaces;

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

    @BeforeEach
    void workspaces(@TempDir Path root) {
        workspaces = new Workspaces(root.resolve("ws"), 1L << 30);
    }

    @AfterEach
    void closeWorkspaces() {
        workspaces.close();
    }

    private Workspaces.Result<Sandbox.Run> bash(String command) {
        return workspaces.run("s1", "1", files, workspace -> sandbox.run(new Sandbox.Invocation(List.of("/bin/bash", "-c", command),
                workspace.files(), Map.of(), Limits.DEFAULTS, Duration.ofSeconds(20), 65536, List.of())));
    }

    private String out(String command) {
        return bash(command).value().stdout().text();
    }

    private String file(String path) {
        return files.readText(files.file(path));
    }

    @Test
    void whatTheStoreHoldsACommandSeesAndWhatItWritesTheStoreHolds() {
        files.write(files.file("src/app.py"), "print('hi')\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out("cat src/app.py; echo data > out.txt; mkdir -p empty/inner; printf '#!/bin/sh\\necho ran\\n' > run.sh; chmod +x run.sh"))
                .isEqualTo("print('hi')\n");
        assertThat(file("out.txt")).isEqualTo("data\n");
        assertThat(files.isExecutable(files.file("run.sh"))).isTrue();
        assertThat(files.isExecutable(files.file("out.txt"))).isFalse();
        assertThat(files.isDirectory(files.directory("empty/inner"))).isTrue();
        assertThat(out("./run.sh")).isEqualTo("ran\n");
        // a change through the store (a VFS tool) between two commands is seen by the next
        files.write(files.file("out.txt"), "changed\n".getBytes(StandardCharsets.UTF_8));
        files.delete(files.file("src/app.py"));
        assertThat(out("cat out.txt; test -e src && echo src is there")).isEqualTo("changed\n");
        assertThat(out("rm out.txt; rmdir empty/inner")).isEmpty();
        assertThat(files.isFile(files.file("out.txt"))).isFalse();
        assertThat(files.isDirectory(files.directory("empty/inner"))).isFalse();
    }

    @Test
    void anUnchangedSessionIsNotRewrittenBeforeTheNextCommand() {
        files.write(files.file("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
        String first = out("stat -c %i:%Y a.txt");
        String second = out("stat -c %i:%Y a.txt");
        assertThat(second).isEqualTo(first);
        long revision = files.revision();
        out("cat a.txt > /dev/null");
        assertThat(files.revision()).as("a command that changed nothing writes nothing").isEqualTo(revision);
    }

    @Test
    void lookingChangesNothing() {
        files.write(files.file("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
        long revision = files.revision();
        String seen = workspaces.look("s1", "1", files, workspace -> sandbox.run(new Sandbox.Invocation(List.of("/bin/bash", "-c",
                "cat a.txt; echo b > a.txt; echo c > c.txt; mkdir d"), workspace.files(), Map.of(), Limits.DEFAULTS, Duration.ofSeconds(20), 4096, List.of()))
                .stdout().text());
        assertThat(seen).isEqualTo("a");
        assertThat(files.revision()).isEqualTo(revision);
        assertThat(out("cat a.txt; ls")).isEqualTo("aa.txt\n");
    }

    @Test
    void aLaterIncarnationOfTheSessionGetsAFreshWorkspace() {
        AtomicBoolean closed = new AtomicBoolean();
        Object first = workspaces.run("s1", "1", files, workspace -> workspace.attachment("kernel", () -> () -> closed.set(true))).value();
        assertThat(workspaces.run("s1", "1", files, workspace -> workspace.attachment("kernel", () -> () -> {})).value()).isSameAs(first);
        Object second = workspaces.run("s1", "2", files, workspace -> workspace.attachment("kernel", () -> () -> {})).value();
        assertThat(second).as("a session made again under the same id gets its own kernel").isNotSameAs(first);
        assertThat(closed).as("the earlier incarnation's attachments are closed with its workspace").isTrue();
        assertThat(workspaces.usage()).containsOnlyKeys("s1");
    }

    @Test
    void gitWorksAcrossCalls() {
        assertThat(bash("git init -q && echo one > f && git add -A && git commit -qm first && echo ok").value().stdout().text()).isEqualTo("ok\n");
        assertThat(out("git log --format=%s")).isEqualTo("first\n");
        assertThat(files.sizes().keySet()).anyMatch(k -> k.startsWith(".git/objects/"));
        assertThat(out("git status --porcelain")).isEmpty();
    }

    @Test
    void aCommandPastTheQuotaLeavesTheSessionAsItWas() {
        files.write(files.file("keep.txt"), "keep".getBytes(StandardCharsets.UTF_8));
        long revision = files.revision();
        assertThatThrownBy(() -> bash("echo gone > keep.txt; for i in 1 2 3 4 5; do head -c 1000000 /dev/zero > big$i; done"))
                .isInstanceOfSatisfying(SpindleException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.QuotaExceeded);
                    assertThat(e.getMessage()).contains("None of its changes were kept");
                });
        assertThat(files.revision()).isEqualTo(revision);
        assertThat(file("keep.txt")).isEqualTo("keep");
        assertThat(out("cat keep.txt; ls")).isEqualTo("keepkeep.txt\n");
    }

    @Test
    void hardLinksPastTheQuotaAreRefusedFromMetadata() {
        assertThatThrownBy(() -> bash("head -c 900000 /dev/zero > big; for i in $(seq 1 50); do ln big l$i; done"))
                .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.QuotaExceeded));
        assertThat(files.sizes()).isEmpty();
    }

    @Test
    void linksAndSpecialFilesAreRemovedAndReportedNeverFollowed() {
        Workspaces.Result<Sandbox.Run> run = bash("echo x > real; ln -s real inside; ln -s /etc/passwd outside; mkfifo pipe; "
                + "touch $'bad\\nname'; mkdir etc && touch etc/x; echo done");
        assertThat(run.value().stdout().text()).isEqualTo("done\n");
        assertThat(files.sizes().keySet()).containsExactly("real");
        assertThat(run.notes()).hasSize(5).anySatisfy(n -> assertThat(n).contains("symbolic link 'inside'"))
                .anySatisfy(n -> assertThat(n).contains("'pipe'")).anySatisfy(n -> assertThat(n).contains("'bad?name'"))
                .anySatisfy(n -> assertThat(n).contains("'etc'"));
        assertThat(out("ls")).isEqualTo("real\n");
    }

    @Test
    void aCommandThatChangedNothingOnABaseIsCommittedWithoutReadingTheWholeTree() {
        if (!workspaces.mounted()) {
            return;
        }
        java.util.Map<dev.spindle.core.files.VPath, byte[]> seed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            seed.put(files.file("src/m" + i + ".py"), ("x = " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        files.writeAll(seed);
        LocalWorkspace[] workspace = new LocalWorkspace[1];
        workspaces.run("s1", "1", files, w -> workspace[0] = w);
        assertThat(out("cat src/m1.py")).isEqualTo("x = 1\n");
        assertThat(workspace[0].scans()).as("nothing written: the upper layer is as it was").isZero();
        out("echo changed > src/m2.py");
        assertThat(file("src/m2.py")).isEqualTo("changed\n");
        out("true");
        assertThat(workspace[0].scans()).isEqualTo(1);
        // every kind of change still reaches the store: content, metadata only, mode, removal, a renamed folder
        out("touch -d 2001-01-01 src/m3.py");
        out("chmod +x src/m4.py");
        assertThat(files.isExecutable(files.file("src/m4.py"))).isTrue();
        out("rm src/m5.py");
        assertThat(files.isFile(files.file("src/m5.py"))).isFalse();
        out("mkdir lib && mv src lib/src");
        assertThat(file("lib/src/m6.py")).isEqualTo("x = 6\n");
        assertThat(workspace[0].scans()).isEqualTo(5);
        // what the store changed is written to the workspace, which then matches it again: no scan after
        files.write(files.file("lib/src/m7.py"), "from the store\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out("cat lib/src/m7.py")).isEqualTo("from the store\n");
        assertThat(workspace[0].scans()).isEqualTo(5);
    }

    @Test
    void forksOfOneTemplateShareItsFilesOnDisk() {
        if (!workspaces.mounted()) {
            return;
        }
        java.util.Map<dev.spindle.core.files.VPath, byte[]> seed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            seed.put(files.file("src/m" + i + ".py"), ("x = " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        files.writeAll(seed);
        for (int s = 2; s <= 5; s++) {
            store.copySession("s1", "s" + s);
        }
        for (int s = 1; s <= 5; s++) {
            SessionFiles fork = new SessionFiles(store, "s" + s, PathPolicy.defaults(), quotas);
            String command = "cat src/m7.py; echo changed > src/m" + s + ".py; mkdir -p d && mv src d/src2 && mv d/src2 src && echo moved";
            Workspaces.Result<Sandbox.Run> run = workspaces.run("s" + s, "1", fork, workspace -> sandbox.run(new Sandbox.Invocation(
                    List.of("/bin/bash", "-c", command), workspace.files(), Map.of(), Limits.DEFAULTS, Duration.ofSeconds(20), 65536, List.of())));
            assertThat(run.value().stdout().text()).isEqualTo("x = 7\nmoved\n");
            assertThat(fork.readText(fork.file("src/m" + s + ".py"))).isEqualTo("changed\n");
            assertThat(fork.readText(fork.file("src/m0.py"))).isEqualTo("x = 0\n");
        }
        assertThat(workspaces.bases()).isEqualTo(1);
        assertThat(workspaces.usage().values()).allSatisfy(bytes -> assertThat(bytes).isLessThan(1000));
        for (int s = 1; s <= 5; s++) {
            workspaces.forget("s" + s);
        }
        assertThat(workspaces.bases()).isZero();
    }

    @Test
    void aWorkspaceIsAsBigAsItsQuotaAtMost() {
        if (!workspaces.mounted()) {
            return; // without mounts the bound is the check after the command, covered above
        }
        Sandbox.Run run = sandbox.run(new Sandbox.Invocation(List.of("/bin/bash", "-c", "head -c 100000000 /dev/zero > f 2>/dev/null; stat -c %s f"),
                workspaces.run("s1", "1", files, LocalWorkspace::files).value(), Map.of(), Limits.DEFAULTS, Duration.ofSeconds(20), 4096, List.of()));
        assertThat(Long.parseLong(run.stdout().text().strip())).isLessThan(30L << 20);
    }
}
