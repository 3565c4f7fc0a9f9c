package dev.spindle.server.openenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** Capacity, the idle reaper, the tool timeout, the token, and many episodes at once. */
@Timeout(180)
class OpenEnvLimitsTest {
    @Test
    void pastMaxEnvsAResetAnswersCapacityReachedAndTheSocketCloses() throws InterruptedException {
        try (EnvServer env = new EnvServer(e -> e.withMaxEnvs(2), c -> c);
             EnvSocket first = env.socket(); EnvSocket second = env.socket(); EnvSocket third = env.socket()) {
            assertThat(first.ask("{\"type\":\"reset\"}").path("type").asString()).isEqualTo("observation");
            assertThat(second.ask("{\"type\":\"reset\"}").path("type").asString()).isEqualTo("observation");
            JsonNode refused = third.ask("{\"type\":\"reset\"}");
            assertThat(refused.path("type").asString()).isEqualTo("error");
            assertThat(refused.path("data").path("code").asString()).isEqualTo("CAPACITY_REACHED");
            assertThat(refused.path("data").path("active_sessions").asInt()).isEqualTo(2);
            assertThat(refused.path("data").path("max_sessions").asInt()).isEqualTo(2);
            assertThat(third.closedWithin(20)).isTrue();
            // resetting again on a socket that holds a slot needs no new one
            assertThat(first.ask("{\"type\":\"reset\"}").path("type").asString()).isEqualTo("observation");
            first.socket.close();
            long deadline = System.currentTimeMillis() + 20_000;
            while (env.server.openEnvEpisodes() > 1 && System.currentTimeMillis() < deadline) { // released off the event loop
                Thread.sleep(20);
            }
            try (EnvSocket fourth = env.socket()) {
                assertThat(fourth.ask("{\"type\":\"reset\"}").path("type").asString()).isEqualTo("observation");
            }
        }
    }

    @Test
    void theReaperClosesIdleSocketsAndTheirSessions() {
        try (EnvServer env = new EnvServer(e -> e.withIdleTimeout(Duration.ofMillis(400)), c -> c); EnvSocket ws = env.socket()) {
            String session = ws.ask("{\"type\":\"reset\"}").path("data").path("observation").path("session_id").asString();
            assertThat(ws.closedWithin(20)).isTrue();
            assertThat(env.runtime.hasSession(session)).isFalse();
            assertThat(env.server.openEnvEpisodes()).isZero();
        }
    }

    @Test
    void aToolCallPastTheTimeoutAnswersTimeoutAndTheSocketGoesOn() throws InterruptedException {
        try (EnvServer env = new EnvServer(e -> e.withToolTimeout(Duration.ofMillis(300)), c -> c); EnvSocket ws = env.socket()) {
            ws.ask("{\"type\":\"reset\"}");
            JsonNode slow = ws.call("sleep", "{\"ms\":1500}").path("observation");
            assertThat(slow.path("result").isNull()).isTrue();
            assertThat(slow.path("error").path("error_type").asString()).isEqualTo("timeout");
            assertThat(slow.path("error").path("message").asString()).contains("sleep");
            assertThat(ws.ask("{\"type\":\"state\"}").path("type").asString()).isEqualTo("state");
            Thread.sleep(1500); // the late call ends in the background; the session serves one call at a time
            assertThat(ws.call("sleep", "{\"ms\":1}").path("observation").path("result").path("data").asString()).isEqualTo("slept");
        }
    }

    @Test
    void theUpgradeNeedsTheTokenAndAnAllowedOrigin() {
        try (EnvServer env = new EnvServer(e -> e, c -> c.withToken("s3cret"))) {
            assertThatThrownBy(env::socket).hasMessageContaining("401");
            assertThatThrownBy(() -> env.socket("authorization", "Bearer s3cret", "origin", "https://evil.example")).hasMessageContaining("403");
            try (EnvSocket ws = env.socket("authorization", "Bearer s3cret")) {
                assertThat(ws.ask("{\"type\":\"reset\"}").path("type").asString()).isEqualTo("observation");
            }
            assertThat(env.send("GET", "/schema", null).status()).isEqualTo(401);
            assertThat(env.send("GET", "/schema", null, "authorization", "Bearer s3cret").status()).isEqualTo(200);
        }
    }

    @Test
    void sixtyFourEpisodesRunAtOnceEachInItsOwnSandbox() throws Exception {
        try (EnvServer env = EnvServer.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(64);
            Set<String> sessions = ConcurrentHashMap.newKeySet();
            List<Future<String>> runs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                runs.add(pool.submit(() -> {
                    try (EnvSocket ws = env.socket()) {
                        JsonNode started = ws.ask("{\"type\":\"reset\",\"data\":{\"seed\":" + n + ",\"episode_id\":\"e" + n + "\"}}");
                        sessions.add(started.path("data").path("observation").path("session_id").asString());
                        ws.call("write_file", "{\"file_path\":\"me.txt\",\"content\":\"" + n + "\"}");
                        ws.step("{\"type\":\"list_tools\"}");
                        ws.call("append_file", "{\"file_path\":\"me.txt\",\"content\":\"!\"}");
                        String mine = ws.call("read_file", "{\"file_path\":\"me.txt\"}").path("observation").path("result").path("data").asString();
                        return mine + "/" + ws.ask("{\"type\":\"state\"}").path("data").path("episode_id").asString();
                    }
                }));
            }
            for (int i = 0; i < 64; i++) {
                assertThat(runs.get(i).get()).isEqualTo(i + "!/e" + i);
            }
            pool.shutdown();
            assertThat(sessions).hasSize(64);
        }
    }
}
