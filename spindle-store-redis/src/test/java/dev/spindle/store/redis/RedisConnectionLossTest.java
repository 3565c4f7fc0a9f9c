package dev.spindle.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.StoreUnavailable;
import dev.spindle.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RedisConnectionLossTest {

    private static void put(RedisStore store, String value) {
        store.write("s", d -> {
            d.put("files", "a", value.getBytes(UTF_8));
            return null;
        });
    }

    @Test
    void aLostRedisAnswersIoErrorNamingItAndTheStoreRecoversWhenItIsBack() throws Exception {
        try (RedisServer redis = RedisServer.start(); RedisStore store = new RedisStore(redis.uri())) {
            put(store, "before");
            redis.stop();

            long start = System.nanoTime();
            assertThatThrownBy(() -> put(store, "while-down")).isInstanceOfSatisfying(StoreUnavailable.class, e -> {
                assertThat(e.type()).isEqualTo(ErrorType.IOError);
                assertThat(e.getMessage()).contains("Redis at redis://127.0.0.1:" + redis.port);
            });
            assertThatThrownBy(() -> store.read("s", d -> d.get("files", "a"))).isInstanceOf(SpindleException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);

            redis.restart(); // empty: no persistence
            put(store, "after");
            assertThat(new String(store.read("s", d -> d.get("files", "a")), UTF_8)).isEqualTo("after");
            assertThat(store.sessions()).containsExactly("s");
        }
    }
}
