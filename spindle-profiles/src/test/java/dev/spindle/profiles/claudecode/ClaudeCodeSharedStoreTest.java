package dev.spindle.profiles.claudecode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two instances on one Redis: what one read, the other may edit; what changed since, neither may. Quick calls on the event loop carry the state. */
@Timeout(60)
class ClaudeCodeSharedStoreTest {
    @Test
    void whatOneInstanceReadTheOtherMayEdit(@TempDir Path home) throws Exception {
        try (RedisServer redis = RedisServer.start();
             ProfileServer a = new ProfileServer(home.resolve("a"), new RedisStore(redis.uri()));
             ProfileServer b = new ProfileServer(home.resolve("b"), new RedisStore(redis.uri()))) {
            a.writeBehind("w", "app.py", "x = 1\n");
            b.fails("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"1\",\"new_string\":\"2\"}", "NotAllowed");
            a.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\"}");
            assertThat(b.ok("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"1\",\"new_string\":\"2\"}")).endsWith("     1\u2192x = 2");
            a.writeBehind("w", "app.py", "x = 3\n");
            b.fails("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"3\",\"new_string\":\"4\"}", "Conflict");
            assertThat(a.file("w", "app.py")).isEqualTo("x = 3\n");
        }
    }
}
