package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.code.CodeComponent;
import dev.spindle.core.Json;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A kept Python interpreter belongs to one session, not to its id: on one Redis, session T keeps a secret
 * through A; B closes T and a new T is made through B (explicitly, by a file call, by a restore); the new
 * T's next keep_state call through A must not see the secret.
 */
@Timeout(180)
class KeptStateAcrossInstancesTest {
    private RedisServer redis;
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        a = new TestServer(new RedisStore(redis.uri()), r -> r.withComponent(new CodeComponent()), c -> c);
        b = new TestServer(new RedisStore(redis.uri()), r -> r.withComponent(new CodeComponent()), c -> c);
    }

    @AfterEach
    void stop() throws Exception {
        if (redis == null) {
            return; // skipped: this machine has no redis-server
        }
        a.close();
        b.close();
        redis.close();
    }

    /** What a keep_state run printed. */
    private static String kept(TestServer via, String session, String code) {
        JsonNode answer = via.post("/code/execute", "{\"session_id\":" + Json.write(session) + ",\"tool\":\"run_python\",\"args\":"
                + Json.write(Json.object().put("code", code).put("keep_state", true).put("timeout_ms", 20_000)) + "}").json();
        assertThat(answer.path("success").asBoolean()).as(answer.toString()).isTrue();
        return Json.parse(answer.path("result").asString()).path("stdout").asString();
    }

    private void keepASecretThroughA(String session) {
        kept(a, session, "api_key = 'sk-secret'");
        assertThat(kept(a, session, "print(api_key)")).isEqualTo("sk-secret\n");
    }

    private void theNewSessionSeesNoSecretThroughA(String session) {
        assertThat(kept(a, session, "print(globals().get('api_key'))")).isEqualTo("None\n");
        assertThat(kept(a, session, "print('x' in globals())")).isEqualTo("False\n");
    }

    @Test
    void closedAndCreatedAgainThroughB() {
        keepASecretThroughA("t1");
        assertThat(b.delete("/sessions/t1").status()).isEqualTo(200);
        assertThat(b.post("/sessions", "{\"session_id\":\"t1\"}").status()).isEqualTo(201);
        theNewSessionSeesNoSecretThroughA("t1");
    }

    @Test
    void cleanedUpThroughBAndMadeAgainByAFileCallThroughB() {
        keepASecretThroughA("t2");
        assertThat(b.delete("/session/t2").json().path("success").asBoolean()).isTrue();
        assertThat(b.vfs("t2", "write_file", "{\"file_path\":\"a.txt\",\"content\":\"new\"}").json().path("success").asBoolean()).isTrue();
        theNewSessionSeesNoSecretThroughA("t2");
        assertThat(kept(a, "t2", "print(open('a.txt').read())")).isEqualTo("new\n");
    }

    @Test
    void closedThroughBAndRestoredFromASnapshotThroughB() {
        kept(a, "source", "pass");
        String snapshot = b.post("/sessions/source/snapshot", "{}").json().path("snapshot_id").asString();
        keepASecretThroughA("t3");
        assertThat(b.delete("/sessions/t3").status()).isEqualTo(200);
        var restored = b.post("/sessions", "{\"session_id\":\"t3\",\"from\":{\"snapshot\":\"" + snapshot + "\"}}");
        assertThat(restored.status()).as(restored.raw().body()).isEqualTo(201);
        theNewSessionSeesNoSecretThroughA("t3");
    }

    /** The same session goes on keeping its state through A, whatever B does with other sessions. */
    @Test
    void anUntouchedSessionKeepsItsState() {
        keepASecretThroughA("t4");
        b.post("/sessions", "{\"session_id\":\"other\"}");
        b.delete("/sessions/other");
        assertThat(b.get("/sessions/t4").status()).isEqualTo(200);
        assertThat(kept(a, "t4", "print(api_key)")).isEqualTo("sk-secret\n");
    }
}
