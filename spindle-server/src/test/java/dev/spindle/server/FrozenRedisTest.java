package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A Redis that stops answering for a while ({@code DEBUG SLEEP}) under a mixed load from 8 clients: the event
 * loops never wait for it, so {@code /health} and {@code /components} answer fast throughout, and every call
 * answers within about the store's 2 s timeout, done or {@code IOError}, never hanging for the freeze.
 */
@Timeout(120)
class FrozenRedisTest {
    private static final int FREEZE_SECONDS = 8;
    /** Longest a call may take: past the 2 s timeout with room for a second store operation and a loaded machine, well short of the freeze. */
    private static final long CALL_BOUND_MILLIS = 5_000;
    /** Longest an event-loop route may take: a blocked event loop would wait for the store's 2 s timeout at least. */
    private static final long EVENT_LOOP_BOUND_MILLIS = 1_500;

    record Answered(String what, long millis, String outcome) {}

    @Test
    void aFrozenRedisNeverStallsTheEventLoopsAndCallsFailWithinTheTimeout() throws Exception {
        try (RedisServer redis = RedisServer.start(); TestServer s = new TestServer(new RedisStore(redis.uri()), b -> b, c -> c)) {
            for (int i = 0; i < 8; i++) {
                assertThat(s.post("/sessions", "{\"session_id\":\"s" + i + "\",\"files\":{\"a.txt\":\"seeded\"}}").status()).isEqualTo(201);
            }
            List<Answered> answers = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String session = "s" + i;
                List<Function<TestServer, Answered>> mix = List.of(
                        t -> call(t, "read_file", () -> t.vfs(session, "read_file", "{\"file_path\":\"a.txt\"}")),
                        t -> call(t, "write_file", () -> t.vfs(session, "write_file", "{\"file_path\":\"b.txt\",\"content\":\"x\"}")),
                        t -> call(t, "list_files", () -> t.vfs(session, "list_files", "{}")),
                        t -> call(t, "files", () -> t.get("/sessions/" + session + "/files")),
                        t -> call(t, "sessions", () -> t.get("/sessions")),
                        t -> call(t, "create", () -> t.post("/sessions", "{}")));
                clients.add(CompletableFuture.runAsync(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        answers.add(mix.get(n % mix.size()).apply(s));
                    }
                }, runnable -> Thread.ofPlatform().start(runnable)));
            }
            List<Answered> probes = new ArrayList<>();
            CompletableFuture<Void> awake = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(FREEZE_SECONDS + 4);
            long freezeAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < end) {
                if (awake == null && System.nanoTime() > freezeAt) {
                    awake = redis.freeze(FREEZE_SECONDS);
                }
                probes.add(call(s, "health", () -> s.get("/health")));
                probes.add(call(s, "components", () -> s.get("/components")));
                Thread.sleep(20);
            }
            stop.set(true);
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            awake.get(10, TimeUnit.SECONDS);

            assertThat(probes).allSatisfy(p -> {
                assertThat(p.outcome()).as(p.toString()).isEqualTo("ok");
                assertThat(p.millis()).as(p.toString()).isLessThan(EVENT_LOOP_BOUND_MILLIS);
            });
            assertThat(answers).allSatisfy(a -> {
                assertThat(a.outcome()).as(a.toString()).isIn("ok", "IOError");
                assertThat(a.millis()).as(a.toString()).isLessThan(CALL_BOUND_MILLIS);
            });
            assertThat(answers).as("the freeze was met").anyMatch(a -> a.outcome().equals("IOError"));
            assertThat(s.vfs("s0", "read_file", "{\"file_path\":\"a.txt\"}").json().path("result").asString()).as("recovered").isEqualTo("seeded");
        }
    }

    /** One request, timed: "ok", the error_type it failed with, or what went wrong otherwise. */
    private static Answered call(TestServer s, String what, java.util.function.Supplier<TestServer.Response> request) {
        long start = System.nanoTime();
        String outcome;
        try {
            TestServer.Response response = request.get();
            JsonNode json = response.json();
            if (json == null) {
                outcome = "not JSON: " + response.status();
            } else if (response.status() < 300 && json.path("success").asBoolean(true)) {
                outcome = "ok";
            } else {
                outcome = json.path("error_type").asString(response.status() + " " + Json.write(json));
            }
        } catch (RuntimeException e) {
            outcome = e.toString();
        }
        return new Answered(what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcome);
    }
}
