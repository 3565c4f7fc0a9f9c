package dev.spindle.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Handler scripts: state kept per session, forked and deleted with it, deterministic, typed errors, limits. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "sqlite"})
@Timeout(120)
class HandlerScriptsTest {
    @Parameter
    String storeKind;

    @TempDir
    Path dir;

    KeyValueStore store;
    ToolRuntime runtime;

    @BeforeEach
    void start() {
        start(Duration.ofSeconds(20)); // generous: a memory bomb must meet the memory cap first, even on a loaded machine
    }

    void start(Duration handlerTimeout) {
        store = storeKind.equals("memory") ? new MemoryStore() : new SqliteStore(dir.resolve("state.db"));
        runtime = ToolRuntime.builder().withStore(store)
                .withComponent(MockComponent.builder().withMaxStateBytes(4_000).withHandlerTimeout(handlerTimeout).build()).build();
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    /** Loads one tool whose answer is {@code handler}. */
    void tool(String name, String handler) {
        ObjectNode tool = Json.object().put("name", name).put("handler", handler);
        runtime.operate("mock", "load-schema", Json.object().set("tools", Json.array().add(tool)));
    }

    ToolResult call(String session, String tool, String args) {
        return MockCalls.call(runtime, session, tool, args);
    }

    JsonNode ok(String session, String tool, String args) {
        return MockCalls.ok(runtime, session, tool, args);
    }

    JsonNode state(String session) {
        return runtime.operate("mock", "state", Json.object().put("session_id", session));
    }

    static final String COUNTER = "state.n = (state.n || 0) + (args.by ?? 1); return {n: state.n};";

    @Test
    void stateSurvivesBetweenCallsAndBelongsToOneSession() {
        tool("count", COUNTER);
        tool("peek", "return state.n ?? 0;");
        assertThat(ok("a", "count", "{}").path("n").asInt()).isEqualTo(1);
        assertThat(ok("a", "count", "{\"by\": 5}").path("n").asInt()).isEqualTo(6);
        assertThat(ok("a", "peek", "{}").asInt()).isEqualTo(6);
        assertThat(ok("b", "count", "{}").path("n").asInt()).isEqualTo(1);
        assertThat(state("a").path("state").toString()).isEqualTo("{\"n\":6}");
        assertThat(state("a").path("changes").asLong()).isEqualTo(2);
    }

    @Test
    void concurrentCallsOfOneSessionLoseNoUpdate() throws Exception {
        tool("count", COUNTER);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(pool.submit(() -> ok("busy", "count", "{}")));
            }
            for (Future<JsonNode> call : calls) {
                call.get();
            }
        }
        assertThat(state("busy").path("state").path("n").asInt()).isEqualTo(40);
        assertThat(state("busy").path("changes").asLong()).isEqualTo(40);
    }

    @Test
    void aForkCopiesTheStateAndThenBothDiverge() {
        tool("count", COUNTER);
        runtime.openSession(new SessionSpec("original", Map.of(), null, 1L));
        ok("original", "count", "{\"by\": 10}");
        runtime.forkSession("original", "copy");
        assertThat(ok("copy", "count", "{}").path("n").asInt()).isEqualTo(11);
        assertThat(ok("copy", "count", "{}").path("n").asInt()).isEqualTo(12);
        assertThat(ok("original", "count", "{\"by\": 100}").path("n").asInt()).isEqualTo(110);
        assertThat(state("copy").path("state").path("n").asInt()).isEqualTo(12);
    }

    @Test
    void theStateDisappearsWithTheSession() {
        tool("count", COUNTER);
        ok("gone", "count", "{\"by\": 7}");
        runtime.closeSession("gone");
        assertThat(store.sessions()).doesNotContain("gone");
        assertThat(ok("gone", "count", "{}").path("n").asInt()).isEqualTo(1);
    }

    @Test
    void sessionsStartFromTheCataloguesInitialStateAndClearDropsIt() {
        tool("peek", "return state;");
        runtime.operate("mock", "load-data", Json.parse("{\"state\": {\"orders\": {\"A1\": \"open\"}}}"));
        assertThat(ok("s", "peek", "{}").toString()).isEqualTo("{\"orders\":{\"A1\":\"open\"}}");
        runtime.operate("mock", "state", Json.parse("{\"session_id\": \"own\", \"state\": {\"mine\": true}}"));
        assertThat(ok("own", "peek", "{}").toString()).isEqualTo("{\"mine\":true}");
        runtime.operate("mock", "clear", Json.parse("{\"session_id\": \"own\"}"));
        assertThat(ok("own", "peek", "{}").toString()).isEqualTo("{\"orders\":{\"A1\":\"open\"}}");
        assertThatFails(() -> runtime.operate("mock", "state", Json.parse("{\"state\": [1]}")), ErrorType.InvalidRequest, "state must be a JSON object");
    }

    /** Same seed and same calls: the same answers, clock and random numbers included; the clock moves a second per call. */
    @Test
    void handlersAreDeterministicUnderTheSessionsSeed() {
        tool("roll", "state.rolls = (state.rolls || 0) + 1;"
                + " return {now: Date.now(), iso: new Date().toISOString(), text: typeof Date(), r: [Math.random(), Math.random()],"
                + " later: new Date(2020, 0, 1).getFullYear(), changes: context.changes, seed: context.seed};");
        tool("look", "return {now: Date.now(), r: Math.random()};");
        List<String> first = rolls("one", 42L);
        List<String> second = rolls("two", 42L);
        assertThat(first).isEqualTo(second);
        assertThat(Json.parse(first.get(0)).path("iso").asString()).isEqualTo("2026-01-01T00:00:42.000Z");
        assertThat(Json.parse(first.get(1)).path("iso").asString()).isEqualTo("2026-01-01T00:00:43.000Z");
        assertThat(Json.parse(first.get(0)).path("text").asString()).isEqualTo("string");
        assertThat(Json.parse(first.get(0)).path("later").asInt()).isEqualTo(2020);
        assertThat(Json.parse(first.get(2)).path("changes").asInt()).isEqualTo(2);
        assertThat(first.get(0)).isNotEqualTo(first.get(1));
        List<String> other = rolls("three", 43L);
        assertThat(Json.parse(other.get(0)).path("r").toString()).isNotEqualTo(Json.parse(first.get(0)).path("r").toString());
        // a lookup changes nothing, so it moves neither the clock nor the generator
        JsonNode look = ok("one", "look", "{}");
        assertThat(ok("one", "look", "{}")).isEqualTo(look);
        assertThat(look.path("now").asLong()).isEqualTo(Json.parse(first.get(2)).path("now").asLong() + 1000);
        assertThat(state("one").path("changes").asLong()).isEqualTo(3);
        JsonNode unseeded = ok("none", "roll", "{}");
        assertThat(unseeded.path("iso").asString()).isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(unseeded.path("seed").asLong()).isZero();
    }

    private List<String> rolls(String session, long seed) {
        runtime.openSession(new SessionSpec(session, Map.of(), null, seed));
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(ok(session, "roll", "{}").toString());
        }
        return answers;
    }

    /** Every way to a clock or a random number gives the seeded one: the real Date is reachable from none. */
    @Test
    void everyClockAndRandomSourceIsTheSeededOne() {
        tool("clocks", "class Later extends Date {}; const Real = new Date().constructor; const proto = Object.getPrototypeOf(new Date()).constructor;"
                + " Reflect.construct = () => { throw new Error('the prelude must not use what a handler can replace'); };"
                + " return {times: [Date.now(), new Real().getTime(), Real.now(), proto.now(), new Date.prototype.constructor().getTime(), new Later().getTime(),"
                + " Function('return Date.now()')(), eval('new Date().getTime()'), new Date(Date.now() + 1).getTime() - 1, Date.parse(Date())],"
                + " same: Real === Date && proto === Date, absent: [typeof performance, typeof crypto], random: Math.random()};");
        runtime.openSession(new SessionSpec("a", Map.of(), null, 7L));
        runtime.openSession(new SessionSpec("b", Map.of(), null, 7L));
        JsonNode answer = ok("a", "clocks", "{}");
        long seeded = java.time.Instant.parse("2026-01-01T00:00:07Z").toEpochMilli();
        assertThat(answer.path("times")).hasSize(10).allSatisfy(time -> assertThat(time.asLong()).isEqualTo(seeded));
        assertThat(answer.path("same").asBoolean()).isTrue();
        assertThat(answer.path("absent").toString()).isEqualTo("[\"undefined\",\"undefined\"]");
        assertThat(ok("b", "clocks", "{}").path("random")).isEqualTo(answer.path("random"));
    }

    /**
     * A handler that closes its own function early would run code outside it, around whatever the server
     * puts there: refused when loaded, and when a source that was never checked (a snapshot brings one) runs.
     */
    @Test
    void aHandlerCannotReachPastItsBody() {
        // valid both as a const list after a spliced head and as a comma expression inside Function's text
        String constList = "return [Date.now(), globalThis.leak]; }, leak = globalThis.leak = [Date.now(), typeof spindle_handler], tail = function () {";
        String parenthesised = "}); globalThis.leak = [Date.now(), typeof spindle_handler]; (function () {";
        for (String escape : List.of(constList, parenthesised)) {
            assertThatFails(() -> tool("escape", escape), ErrorType.InvalidRequest, "The handler of escape does not compile: it closes its own function early");
            assertThatFails(() -> HandlerScript.run(new HandlerScript.Input("escape", escape, Json.object(), Json.object(), 0, 0, 0, new int[4]),
                    Duration.ofSeconds(20), 1 << 20), ErrorType.InvalidRequest, "closes its own function early");
        }
        assertThat(runtime.components().getFirst().tools()).extracting(t -> t.name()).doesNotContain("escape");
        tool("bridges", "return [typeof java_invoke, typeof Javy, typeof quickjs4j_engine, typeof spindle_handler,"
                + " Object.getOwnPropertyNames(globalThis).filter(n => /java|javy|quickjs|spindle|plugin/i.test(n))];");
        assertThat(ok("s", "bridges", "{}").toString()).isEqualTo("[\"undefined\",\"undefined\",\"undefined\",\"undefined\",[]]");
        tool("strict", "return (function () { return this; })() === undefined && (() => { try { undeclared = 1; return false; } catch (e) { return true; } })();");
        assertThat(ok("s", "strict", "{}").asBoolean()).isTrue();
    }

    @Test
    void typedErrorsFailTheCallAndKeepNoPartialState() {
        tool("count", COUNTER);
        tool("returns_error", "state.n = 999; return {error_type: 'FileNotFound', error: 'Order A9 does not exist'};");
        tool("throws_typed", "state.n = 999; throw {error_type: 'Conflict', error: 'The order is already cancelled'};");
        tool("throws_error", "state.n = 999; null.boom;");
        tool("unknown_type", "return {error_type: 'Nope', error: 'x'};");
        ok("s", "count", "{}");
        assertFailure(call("s", "returns_error", "{}"), ErrorType.FileNotFound, "Order A9 does not exist");
        assertFailure(call("s", "throws_typed", "{}"), ErrorType.Conflict, "The order is already cancelled");
        assertFailure(call("s", "throws_error", "{}"), ErrorType.ComponentFailed, "The handler of throws_error failed: TypeError");
        assertFailure(call("s", "unknown_type", "{}"), ErrorType.ComponentFailed, "unknown error_type 'Nope'");
        assertThat(state("s").path("state").toString()).isEqualTo("{\"n\":1}");
        assertThat(state("s").path("changes").asLong()).isEqualTo(1);
    }

    @Test
    void aRunawayHandlerIsStoppedAndTheNextCallWorks() {
        runtime.close();
        start(Duration.ofSeconds(3));
        tool("count", COUNTER);
        tool("spin", "state.n = -1; while (true) {}");
        ok("s", "count", "{}");
        long start = System.nanoTime();
        assertFailure(call("s", "spin", "{}"), ErrorType.Timeout, "The handler of spin took longer than 3000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(ok("s", "count", "{}").path("n").asInt()).isEqualTo(2);
    }

    @Test
    void hostileHandlersFailAloneWithClearErrors() {
        tool("bomb", "const a = []; while (true) a.push('x'.repeat(1 << 25) + a.length);");
        tool("recurse", "const f = (n) => f(n + 1) + 1; return f(0);");
        tool("cycle", "state.self = state; return 1;");
        tool("host", "return [typeof spindle_handler, typeof require, typeof fetch, typeof process, typeof setTimeout];");
        tool("promise", "return Promise.resolve(1);");
        tool("huge", "return 'x'.repeat(2 << 20);");
        assertFailure(call("s", "bomb", "{}"), ErrorType.ComponentFailed, "ran out of memory");
        assertFailure(call("s", "recurse", "{}"), ErrorType.ComponentFailed, "The handler of recurse failed in the JavaScript engine: call stack exhausted");
        assertFailure(call("s", "cycle", "{}"), ErrorType.ComponentFailed, "TypeError");
        assertThat(ok("s", "host", "{}").toString()).isEqualTo("[\"undefined\",\"undefined\",\"undefined\",\"undefined\",\"undefined\"]");
        assertFailure(call("s", "promise", "{}"), ErrorType.ComponentFailed, "not a promise");
        assertFailure(call("s", "huge", "{}"), ErrorType.QuotaExceeded, "limit");
        assertThatFails(() -> tool("broken", "return {;"), ErrorType.InvalidRequest, "The handler of broken does not compile: SyntaxError");
        assertThatFails(() -> runtime.operate("mock", "load-schema", Json.parse("{\"tools\": [{\"name\": \"x\", \"handler\": 5}]}")),
                ErrorType.InvalidRequest, "handler must be JavaScript source text");
        assertThat(runtime.components().getFirst().tools()).extracting(t -> t.name()).doesNotContain("broken", "x");
    }

    @Test
    void theStateIsCappedAndAnOversizedStateIsNotKept() {
        tool("grow", "state.text = (state.text || '') + 'x'.repeat(args.by); return state.text.length;");
        assertThat(ok("s", "grow", "{\"by\": 1000}").asInt()).isEqualTo(1000);
        assertFailure(call("s", "grow", "{\"by\": 5000}"), ErrorType.QuotaExceeded, "a session's state may hold 4000");
        assertThat(state("s").path("state").path("text").asString()).hasSize(1000);
        assertThatFails(() -> runtime.operate("mock", "state", Json.parse("{\"session_id\": \"s\", \"state\": {\"t\": \"" + "y".repeat(5000) + "\"}}")),
                ErrorType.QuotaExceeded, "The state given is");
    }

    @Test
    void specificFixturesAndSessionOverlaysComeBeforeTheCataloguesHandler() {
        tool("get_order", "return state.orders?.[args.id] ?? {error_type: 'FileNotFound', error: 'no order ' + args.id};");
        runtime.operate("mock", "add-fixture", Json.parse("{\"name\": \"get_order\", \"match\": {\"id\": \"FIX\"}, \"response\": {\"fixed\": true}}"));
        runtime.operate("mock", "add-fixture", Json.parse("{\"name\": \"get_order\", \"match\": {}, \"response\": {\"catch_all\": true}}"));
        assertThat(ok("s", "get_order", "{\"id\": \"FIX\"}").toString()).isEqualTo("{\"fixed\":true}");
        assertFailure(call("s", "get_order", "{\"id\": \"A1\"}"), ErrorType.FileNotFound, "no order A1");
        runtime.operate("mock", "update-response", Json.parse("{\"name\": \"get_order\", \"session_id\": \"s\", \"handler\": \"return 'overlay';\"}"));
        assertThat(ok("s", "get_order", "{\"id\": \"A1\"}").asString()).isEqualTo("overlay");
        assertFailure(call("other", "get_order", "{\"id\": \"A1\"}"), ErrorType.FileNotFound, "no order A1");
    }

    static void assertFailure(ToolResult result, ErrorType type, String message) {
        assertThat(result.success()).as(result.result()).isFalse();
        assertThat(result.errorType()).as(result.result()).isEqualTo(type);
        assertThat(result.result()).contains(message);
    }

    static void assertThatFails(Runnable action, ErrorType type, String message) {
        SpindleException e = catchThrowableOfType(SpindleException.class, action::run);
        assertThat(e).isNotNull();
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.getMessage()).contains(message);
    }
}
