package dev.spindle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import dev.spindle.core.files.VPath;
import dev.spindle.core.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

@Timeout(30)
class ToolRuntimeTest {
    /** Repeats text; its schema exercises required, type, range and enum rules. */
    static final Tool SHOUT = new Tool() {
        @Override
        public ToolDefinition definition() {
            ObjectNode schema = Schema.object()
                    .required("text", Schema.string("what to repeat", 1))
                    .optional("times", Json.object().put("type", "integer").put("minimum", 1).put("maximum", 5))
                    .optional("mode", Json.object().put("type", "string").set("enum", Json.array().add("upper").add("lower")))
                    .build();
            return new ToolDefinition("shout", "Repeat text", schema, null);
        }

        @Override
        public JsonNode call(ToolContext context, ObjectNode args) {
            String text = args.path("text").asString().repeat(args.path("times").asInt(1));
            return StringNode.valueOf(args.path("mode").asString("upper").equals("upper") ? text.toUpperCase() : text.toLowerCase());
        }
    };

    /** Reads a file: works only where the component was granted the session's files. */
    static final Tool PEEK = new Tool() {
        @Override
        public ToolDefinition definition() {
            return new ToolDefinition("peek", "Read a file", Schema.object().required("file_path", Schema.string("path")).build(), null);
        }

        @Override
        public JsonNode call(ToolContext context, ObjectNode args) {
            VPath path = context.files().file(args.path("file_path").asString());
            return StringNode.valueOf(context.files().readText(path));
        }
    };

    record TestComponent(String name, List<Tool> tools, Set<Capability> capabilities) implements Component {
        @Override
        public String description() {
            return "test component " + name;
        }
    }

    private final ToolRuntime runtime = ToolRuntime.builder()
            .withComponent(new TestComponent("talk", List.of(SHOUT), Set.of()))
            .withComponent(new TestComponent("files", List.of(PEEK), Set.of(Capability.SESSION_FILES)))
            .withComponent(new TestComponent("nosy", List.of(PEEK, SHOUT), Set.of()))
            .build();

    @AfterEach
    void close() {
        runtime.close();
    }

    private ToolResult call(String session, String component, String tool, String argsJson) {
        return runtime.execute(new ToolCall(session, component, tool, argsJson == null ? null : Json.parse(argsJson)));
    }

    @Test
    void runsAToolWithValidArguments() {
        ToolResult result = call("s", "talk", "shout", "{\"text\":\"hi\",\"times\":2}");
        assertThat(result.success()).isTrue();
        assertThat(result.result()).isEqualTo("HIHI");
        assertThat(result.errorType()).isNull();
    }

    @Test
    void aMissingRequiredArgumentIsNamed() {
        ToolResult result = call("s", "talk", "shout", "{}");
        assertThat(result.success()).isFalse();
        assertThat(result.errorType()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(result.result()).isEqualTo("Missing required argument: text");
    }

    @Test
    void wrongTypesRangesAndEnumsNameThePathAndTheRule() {
        assertThat(call("s", "talk", "shout", "{\"text\":5}").result()).contains("text").contains("string");
        assertThat(call("s", "talk", "shout", "{\"text\":\"a\",\"times\":9}").result()).contains("times").contains("5");
        assertThat(call("s", "talk", "shout", "{\"text\":\"a\",\"mode\":\"loud\"}").result()).contains("mode").contains("upper");
        assertThat(call("s", "talk", "shout", "{\"text\":\"a\",\"volume\":3}").result()).isEqualTo("Unknown argument: volume");
        assertThat(call("s", "talk", "shout", "[1,2]").result()).isEqualTo("Arguments must be a JSON object, got array");
    }

    @Test
    void nullArgumentsMeanNoArguments() {
        assertThat(call("s", "talk", "shout", null).result()).isEqualTo("Missing required argument: text");
        assertThat(call("s", "talk", "shout", "null").result()).isEqualTo("Missing required argument: text");
    }

    @Test
    void anUnknownToolIsAFailedCallThatListsTheTools() {
        ToolResult result = call("s", "talk", "whisper", "{}");
        assertThat(result.errorType()).isEqualTo(ErrorType.UnknownTool);
        assertThat(result.result()).isEqualTo("Unknown tool: whisper. Available tools: shout");
    }

    @Test
    void anUnknownComponentIsARequestError() {
        assertThatThrownBy(() -> call("s", "nope", "shout", "{}")).isInstanceOfSatisfying(SpindleException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.UnknownComponent));
        assertThat(runtime.session("s")).isEmpty();
    }

    @Test
    void withoutAComponentToolsAreFoundByNameFirstRegisteredWins() {
        assertThat(call("s", null, "shout", "{\"text\":\"a\"}").result()).isEqualTo("A");
        assertThat(runtime.trace("s").getFirst().component()).isEqualTo("talk");
        assertThat(call("s", null, "peek", "{\"file_path\":\"x\"}").errorType()).isEqualTo(ErrorType.FileNotFound);
        assertThat(runtime.trace("s").getLast().component()).isEqualTo("files");
    }

    @Test
    void capabilitiesAreGrantedNotReachedFor() {
        ToolResult result = call("s", "nosy", "peek", "{\"file_path\":\"x\"}");
        assertThat(result.errorType()).isEqualTo(ErrorType.ComponentFailed);
    }

    @Test
    void badSessionIdsAreInvalidRequests() {
        for (String id : new String[] {"", "x".repeat(257), "a\nb"}) {
            assertThatThrownBy(() -> call(id, "talk", "shout", "{\"text\":\"a\"}")).isInstanceOfSatisfying(SpindleException.class,
                    e -> assertThat(e.type()).isEqualTo(ErrorType.InvalidRequest));
        }
        assertThatThrownBy(() -> call(null, "talk", "shout", "{}")).isInstanceOf(SpindleException.class);
    }

    @Test
    void sessionsAreCreatedOnFirstUse() {
        assertThat(runtime.session("fresh")).isEmpty();
        call("fresh", "talk", "shout", "{\"text\":\"a\"}");
        assertThat(runtime.session("fresh")).hasValueSatisfying(info -> {
            assertThat(info.calls()).isEqualTo(1);
            assertThat(info.files()).isZero();
        });
    }

    @Test
    void openSeedsFilesAndRefusesTakenIds() {
        var info = runtime.openSession(new SessionSpec("seeded", Map.of("/a.txt", "alpha", "dir/b.txt", "beta"), null));
        assertThat(info.files()).isEqualTo(2);
        assertThat(info.bytes()).isEqualTo(9);
        assertThat(runtime.exportFiles("seeded")).containsExactly(Map.entry("a.txt", "alpha"), Map.entry("dir/b.txt", "beta"));
        assertThat(call("seeded", "files", "peek", "{\"file_path\":\"a.txt\"}").result()).isEqualTo("alpha");
        assertThatThrownBy(() -> runtime.openSession(new SessionSpec("seeded", Map.of(), null)))
                .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.Conflict));
    }

    @Test
    void aRefusedSeedLeavesNoSession() {
        assertThatThrownBy(() -> runtime.openSession(new SessionSpec("bad", Map.of("ok.txt", "1", "../escape.txt", "2"), null)))
                .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.PermissionDenied));
        assertThat(runtime.session("bad")).isEmpty();
        assertThat(runtime.store().sessions()).doesNotContain("bad");
    }

    @Test
    void generatedIdsAreUnique() {
        String a = runtime.openSession(SessionSpec.seeded(Map.of())).sessionId();
        String b = runtime.openSession(SessionSpec.seeded(Map.of())).sessionId();
        assertThat(a).isNotEqualTo(b).hasSize(36);
    }

    @Test
    void aForkCopiesFilesAndThenDiverges() {
        runtime.openSession(new SessionSpec("template", Map.of("config.json", "{\"debug\":true}"), null));
        var fork = runtime.forkSession("template", "sample-1");
        assertThat(fork.forkedFrom()).isEqualTo("template");
        assertThat(fork.files()).isEqualTo(1);
        runtime.store().write("sample-1", d -> {
            d.put("files", "config.json", "{\"debug\":false}".getBytes(StandardCharsets.UTF_8));
            return null;
        });
        assertThat(runtime.exportFiles("template")).containsEntry("config.json", "{\"debug\":true}");
        assertThat(runtime.exportFiles("sample-1")).containsEntry("config.json", "{\"debug\":false}");
        assertThat(runtime.trace("sample-1")).isEmpty();
        assertThatThrownBy(() -> runtime.forkSession("missing", null)).isInstanceOfSatisfying(SpindleException.class,
                e -> assertThat(e.type()).isEqualTo(HttpError.UnknownSession));
    }

    @Test
    void theStateDigestFollowsFilesAndComponentStateButNotTimesNorTheTrace() {
        runtime.openSession(new SessionSpec("a", Map.of("x.txt", "one"), null));
        runtime.openSession(new SessionSpec("b", Map.of("x.txt", "one"), null));
        String seeded = runtime.stateDigest("a");
        assertThat(seeded).hasSize(64).isEqualTo(runtime.stateDigest("b"));
        call("a", "talk", "shout", "{\"text\":\"one\"}");
        assertThat(runtime.stateDigest("a")).as("a call recorded in the trace changes no state").isEqualTo(seeded);
        runtime.store().write("b", d -> {
            d.put("state:talk", "k", "v".getBytes(StandardCharsets.UTF_8));
            return null;
        });
        assertThat(runtime.stateDigest("b")).isNotEqualTo(seeded);
        runtime.openSession(new SessionSpec("c", Map.of("x.txt", "two"), null));
        assertThat(runtime.stateDigest("c")).isNotEqualTo(seeded);
        assertThatThrownBy(() -> runtime.stateDigest("missing")).isInstanceOfSatisfying(SpindleException.class,
                e -> assertThat(e.type()).isEqualTo(HttpError.UnknownSession));
    }

    @Test
    void theTraceRecordsCallsInOrderWithResultsAndErrors() {
        call("t", "talk", "shout", "{\"text\":\"one\"}");
        call("t", "talk", "shout", "{}");
        call("t", "talk", "nope", "{\"x\":1}");
        var trace = runtime.trace("t");
        assertThat(trace).extracting(e -> e.seq()).containsExactly(1L, 2L, 3L);
        assertThat(trace).extracting(e -> e.tool()).containsExactly("shout", "shout", "nope");
        assertThat(trace.get(0).result()).isEqualTo("ONE");
        assertThat(trace.get(0).success()).isTrue();
        assertThat(trace.get(1).errorType()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(trace.get(2).errorType()).isEqualTo(ErrorType.UnknownTool);
        assertThat(trace.get(2).args().toString()).isEqualTo("{\"x\":1}");
        assertThat(trace).allSatisfy(e -> assertThat(e.durationMicros()).isGreaterThanOrEqualTo(0));
    }

    @Test
    void theTraceCutsLongTextButKeepsTheCall() {
        String big = "x".repeat(CallTrace.MAX_TEXT + 10);
        runtime.execute(new ToolCall("long", "talk", "shout", Json.object().put("text", big)));
        var entry = runtime.trace("long").getFirst();
        assertThat(entry.result()).hasSize(CallTrace.MAX_TEXT + "... [10 more characters]".length()).endsWith("... [10 more characters]");
        assertThat(entry.args().path("text").asString()).startsWith("xxx").endsWith(" more characters]").hasSizeLessThan(CallTrace.MAX_TEXT + 30);
    }

    @Test
    void theTraceIsBounded() {
        try (ToolRuntime small = ToolRuntime.builder().withComponent(new TestComponent("talk", List.of(SHOUT), Set.of())).withTraceLimit(3).build()) {
            for (int i = 0; i < 5; i++) {
                small.execute(new ToolCall("s", "talk", "shout", Json.object().put("text", "n" + i)));
            }
            assertThat(small.trace("s")).extracting(e -> e.result()).containsExactly("N2", "N3", "N4");
        }
    }

    @Test
    void closingRemovesEverythingAndCountsFiles() {
        runtime.openSession(new SessionSpec("c", Map.of("a", "1", "b", "2"), null));
        assertThat(runtime.closeSession("c")).isEqualTo(2);
        assertThat(runtime.session("c")).isEmpty();
        assertThat(runtime.store().sessions()).doesNotContain("c");
        assertThat(runtime.closeSession("c")).isZero();
        assertThatThrownBy(() -> runtime.closeExisting("c")).isInstanceOfSatisfying(SpindleException.class,
                e -> assertThat(e.type()).isEqualTo(HttpError.UnknownSession));
    }

    @Test
    void idleSessionsExpireAfterTheirTtl() throws InterruptedException {
        try (ToolRuntime shortLived = ToolRuntime.builder()
                .withComponent(new TestComponent("talk", List.of(SHOUT), Set.of()))
                .withSessionTtl(Duration.ofMillis(400)).withSweepInterval(Duration.ofMillis(50)).build()) {
            shortLived.openSession(new SessionSpec("idle", Map.of("f", "x"), null));
            shortLived.openSession(new SessionSpec("long", Map.of("f", "x"), 60L));
            shortLived.execute(new ToolCall("busy", "talk", "shout", Json.object().put("text", "a")));
            for (int i = 0; i < 8; i++) {
                Thread.sleep(100);
                shortLived.execute(new ToolCall("busy", "talk", "shout", Json.object().put("text", "a")));
            }
            assertThat(shortLived.session("idle")).isEmpty();
            assertThat(shortLived.store().sessions()).doesNotContain("idle");
            assertThat(shortLived.session("busy")).isPresent();
            assertThat(shortLived.session("long")).isPresent();
        }
    }

    /** Remembers the sessions it heard closed, and whether their files were gone by then. */
    static final class Listener implements Component {
        final List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ToolRuntime runtime;

        @Override
        public String name() {
            return "listener";
        }

        @Override
        public String description() {
            return "hears of closed sessions";
        }

        @Override
        public List<Tool> tools() {
            return List.of(SHOUT);
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public void sessionClosed(String sessionId) {
            closed.add(sessionId + (runtime.store().sessions().contains(sessionId) ? " with data" : ""));
        }
    }

    @Test
    void componentsHearOfClosedAndExpiredSessionsAfterTheirDataIsRemoved() throws InterruptedException {
        Listener listener = new Listener();
        try (ToolRuntime shortLived = ToolRuntime.builder().withComponent(listener)
                .withSessionTtl(Duration.ofMillis(400)).withSweepInterval(Duration.ofMillis(50)).build()) {
            listener.runtime = shortLived;
            shortLived.openSession(new SessionSpec("closed", Map.of("f", "x"), 60L));
            shortLived.openSession(new SessionSpec("idle", Map.of("f", "x"), null));
            shortLived.closeSession("closed");
            assertThat(listener.closed).containsExactly("closed");
            for (int i = 0; i < 50 && listener.closed.size() < 2; i++) {
                Thread.sleep(100);
            }
            assertThat(listener.closed).containsExactly("closed", "idle");
            shortLived.closeSession("closed");
            assertThat(listener.closed).hasSize(2);
        }
    }

    @Test
    void noInstanceExpiresASessionAnotherOneOnTheSameStoreKeepsUsing() throws InterruptedException {
        MemoryStore shared = new MemoryStore();
        try (ToolRuntime a = shortLivedOn(shared); ToolRuntime b = shortLivedOn(shared)) {
            a.openSession(new SessionSpec("shared", Map.of("f", "x"), null));
            for (int i = 0; i < 15; i++) { // 1.5 s of use on B only, past A's 1 s TTL (whole seconds: the store keeps seconds)
                Thread.sleep(100);
                assertThat(b.execute(new ToolCall("shared", "talk", "shout", Json.object().put("text", "a"))).success()).isTrue();
            }
            assertThat(a.session("shared")).isPresent();
            assertThat(a.exportFiles("shared")).containsExactly(Map.entry("f", "x"));

            Thread.sleep(2_000); // now idle everywhere
            assertThat(a.session("shared")).isEmpty();
            assertThat(b.session("shared")).isEmpty();
            assertThat(shared.sessions()).doesNotContain("shared");
        }
    }

    private static ToolRuntime shortLivedOn(MemoryStore store) {
        return ToolRuntime.builder().withStore(store).withComponent(new TestComponent("talk", List.of(SHOUT), Set.of()))
                .withSessionTtl(Duration.ofSeconds(1)).withSweepInterval(Duration.ofMillis(50)).build();
    }

    @Test
    void componentsListTheirToolDefinitions() {
        var components = runtime.components();
        assertThat(components).extracting(c -> c.name()).containsExactly("talk", "files", "nosy");
        assertThat(components.getFirst().tools().getFirst().inputSchema().path("required").get(0).asString()).isEqualTo("text");
    }

    /** Answers what its context grants: the outbound patterns and the variables. */
    static final Tool GRANTS = new Tool() {
        @Override
        public ToolDefinition definition() {
            return new ToolDefinition("grants", "Show the grants", Schema.object().build(), null);
        }

        @Override
        public JsonNode call(ToolContext context, ObjectNode args) {
            ObjectNode answer = Json.object().put("outbound", context.outbound().toString());
            context.variables().forEach(answer.putObject("variables")::put);
            return answer;
        }
    };

    @Test
    void aComponentGetsExactlyTheCapabilitiesItDeclaresThroughItsContextAndListsThem() {
        Set<Capability> declared = Set.of(Capability.outbound(AllowedHosts.of(List.of("https://api.example.com"), "here")),
                Capability.variables(Map.of("region", "eu")), Capability.STATE);
        try (ToolRuntime granted = ToolRuntime.builder().withComponent(new TestComponent("net", List.of(GRANTS), declared))
                .withComponent(new TestComponent("plain", List.of(GRANTS), Set.of())).build()) {
            ToolResult net = granted.execute(new ToolCall("s", "net", "grants", Json.object()));
            assertThat(net.result()).isEqualTo("{\"outbound\":\"https://api.example.com\",\"variables\":{\"region\":\"eu\"}}");
            ToolResult plain = granted.execute(new ToolCall("s", "plain", "grants", Json.object()));
            assertThat(plain.result()).isEqualTo("{\"outbound\":\"\",\"variables\":{}}");
            var infos = granted.components();
            assertThat(infos.get(0).capabilities().toString()).isEqualTo(
                    "{\"key_value\":{},\"outbound_http\":{\"allowed_hosts\":[\"https://api.example.com\"]},\"variables\":{\"names\":[\"region\"]}}");
            assertThat(infos.get(1).capabilities().toString()).isEqualTo("{}");
        }
    }

    /** A tool rebuilt as a new object with a freshly parsed schema, as the mock does on every catalogue change. */
    static Tool rebuilt(String schema) {
        ToolDefinition definition = new ToolDefinition("changing", "", (ObjectNode) Json.parse(schema), null);
        return new Tool() {
            @Override
            public ToolDefinition definition() {
                return definition;
            }

            @Override
            public JsonNode call(ToolContext context, ObjectNode args) {
                return StringNode.valueOf("ok");
            }
        };
    }

    @Test
    void aThousandCatalogueChangesDoNotGrowTheValidatorCache() {
        List<Tool> catalogue = new CopyOnWriteArrayList<>();
        try (ToolRuntime changing = ToolRuntime.builder().withComponent(new TestComponent("cat", catalogue, Set.of())).build()) {
            for (int change = 0; change < 1_000; change++) {
                catalogue.clear();
                catalogue.add(rebuilt("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}"));
                assertThat(changing.execute(new ToolCall("s", "cat", "changing", Json.parse("{\"n\":" + change + "}"))).success()).isTrue();
            }
            assertThat(changing.cachedValidators()).isEqualTo(1);
            assertThat(changing.execute(new ToolCall("s", "cat", "changing", Json.parse("{\"n\":\"x\"}"))).errorType())
                    .isEqualTo(ErrorType.InvalidArguments);
        }
    }

    @Test
    void theValidatorCacheKeepsOnlyTheMostRecentlyUsedSchemas() {
        ValidatorCache cache = new ValidatorCache(10);
        ToolDefinition kept = rebuilt("{\"type\":\"object\"}").definition();
        for (int i = 0; i < 100; i++) {
            cache.get(kept);
            cache.get(rebuilt("{\"type\":\"object\",\"maxProperties\":" + i + "}").definition());
        }
        assertThat(cache.size()).isEqualTo(10);
        assertThat(cache.get(kept)).isSameAs(cache.get(rebuilt("{\"type\":\"object\"}").definition()));
    }
}
