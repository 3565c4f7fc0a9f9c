package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.MemoryStore;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a command writes survives the routes that carry a session's files elsewhere: snapshot and restore, another instance on Redis. */
@Timeout(180)
class ShellRoundTripsTest {
    private static final String COMMIT = "git init -q && printf '#!/bin/sh\\necho ran\\n' > run.sh && chmod +x run.sh && git add -A && git commit -qm 'first commit' && echo committed";

    @Test
    void aGitRepositoryAndAnExecutableBitSurviveSnapshotAndRestore(@TempDir Path dir) {
        try (ShellServer s = ShellServer.start(new MemoryStore(), dir)) {
            assertThat(s.bash("original", COMMIT).path("stdout").asString()).isEqualTo("committed\n");
            var taken = s.http.post("/sessions/original/snapshot", "{}");
            assertThat(taken.status()).as(taken.raw().body()).isEqualTo(201);
            // the original moves on after the snapshot: the restored session must not see it
            s.bash("original", "git commit -q --allow-empty -m later");
            var restored = s.http.post("/sessions", "{\"session_id\":\"restored\",\"from\":{\"snapshot\":\"" + taken.json().path("snapshot_id").asString() + "\"}}");
            assertThat(restored.status()).as(restored.raw().body()).isEqualTo(201);
            assertThat(s.bash("restored", "git log --format=%s; git status --porcelain; ./run.sh").path("stdout").asString()).isEqualTo("first commit\nran\n");
            assertThat(s.bash("original", "git log --format=%s").path("stdout").asString()).isEqualTo("later\nfirst commit\n");
        }
    }

    /** Each instance keeps its own local copy of the session's files; a command on one catches up with what a command on the other committed. */
    @Test
    void twoInstancesOnOneRedisSeeEachOthersCommits(@TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start();
             ShellServer a = ShellServer.start(new RedisStore(redis.uri()), dir.resolve("a"));
             ShellServer b = ShellServer.start(new RedisStore(redis.uri()), dir.resolve("b"))) {
            assertThat(a.bash("repo", COMMIT).path("stdout").asString()).isEqualTo("committed\n");
            assertThat(b.bash("repo", "git log --format=%s; git status --porcelain; ./run.sh").path("stdout").asString()).isEqualTo("first commit\nran\n");
            assertThat(b.bash("repo", "echo two > two.txt && git add two.txt && git commit -qm second && cd sub 2>/dev/null; export FROM=b").path("exit_code").asInt()).isZero();
            // A's copy is a version behind: it catches up, and the terminal (exported variables) is the session's, not the instance's
            assertThat(a.bash("repo", "git log --format=%s; git status --porcelain; cat two.txt; echo $FROM").path("stdout").asString())
                    .isEqualTo("second\nfirst commit\ntwo\nb\n");
            assertThat(a.http.vfs("repo", "read_file", "{\"file_path\":\"two.txt\"}").json().path("result").asString()).isEqualTo("two\n");
        }
    }
}
