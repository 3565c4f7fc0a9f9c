package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ExposedTools;
import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.ToolService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What every way of calling tools promises, whichever carries the call (as the MCP Java SDK's abstract
 * server tests run one set of cases over each transport): a subclass opens sessions through its way, the
 * runtime in process, {@code SpindleClient} over HTTP, or the MCP SDK client over {@code /mcp}, and each
 * case asserts the data the caller gets, and that it equals what the runtime answers in process.
 */
@Timeout(60)
abstract class ToolCallingContract {
    /** A call's answer as every way can say it: success, the text a model reads, the failure's {@code error_type}. */
    record Answer(boolean ok, String text, String errorType) {
        static Answer of(ToolResult result) {
            return new Answer(result.success(), result.result(), result.success() ? null : result.errorType().name());
        }
    }

    /** One tool session opened through the way under test. */
    interface Caller extends AutoCloseable {
        Answer call(String tool, Map<String, Object> arguments);

        /** Exposed tool name to the names of its required arguments, in the order listed. */
        Map<String, List<String>> tools();

        @Override
        void close();
    }

    @TempDir
    Path dir;

    TestServer s;

    @BeforeEach
    void start() {
        s = TestServer.start("memory", dir);
        s.runtime.operate("mock", "load-schema", Json.parse("""
                [{"name": "get_weather", "description": "Weather by city",
                  "inputSchema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
                  "mockResponse": {"city": "{{city}}", "temp_c": 21}}]"""));
        started();
    }

    @AfterEach
    void stop() {
        stopped();
        s.close();
    }

    /** Starts what the way needs beside the server (a client), once {@link #s} runs. */
    void started() {}

    void stopped() {}

    /** A new session, through the way under test. */
    abstract Caller open();

    /** The reference: a new session on the runtime itself, in process. */
    Caller inProcess() {
        return new ServiceSession(s.runtime);
    }

    @Test
    void listsEveryToolWithItsRequiredArguments() {
        try (Caller caller = open(); Caller reference = inProcess()) {
            Map<String, List<String>> tools = caller.tools();
            assertThat(tools).containsEntry("read_file", List.of("file_path")).containsEntry("write_file", List.of("file_path", "content"))
                    .containsEntry("list_files", List.of()).containsEntry("get_weather", List.of("city"));
            assertThat(tools).isEqualTo(reference.tools());
        }
    }

    @Test
    void aWriteIsReadBackInTheSameSession() {
        try (Caller caller = open()) {
            assertThat(caller.call("write_file", Map.of("file_path", "notes/today.md", "content", "# mine")))
                    .isEqualTo(new Answer(true, "Successfully wrote 6 bytes to notes/today.md", null));
            assertThat(caller.call("read_file", Map.of("file_path", "notes/today.md"))).isEqualTo(new Answer(true, "# mine", null));
        }
    }

    @Test
    void aMockToolAnswersItsTemplateWithTheArguments() {
        try (Caller caller = open()) {
            Answer weather = caller.call("get_weather", Map.of("city", "Oslo"));
            assertThat(weather.ok()).isTrue();
            assertThat(Json.parse(weather.text())).isEqualTo(Json.parse("{\"city\":\"Oslo\",\"temp_c\":21}"));
            assertThat(weather.text()).as("the same JSON text on every way").isEqualTo("{\"city\":\"Oslo\",\"temp_c\":21}");
        }
    }

    @Test
    void anUnknownToolIsAFailureThatNamesIt() {
        try (Caller caller = open(); Caller reference = inProcess()) {
            Answer unknown = caller.call("get_wether", Map.of("city", "Oslo"));
            assertThat(unknown.ok()).isFalse();
            assertThat(unknown.text()).contains("get_wether");
            assertUnknownTool(unknown, reference.call("get_wether", Map.of("city", "Oslo")));
        }
    }

    /** The way's answer to an unknown tool, against the runtime's {@code UnknownTool} (which lists the tools). */
    void assertUnknownTool(Answer unknown, Answer reference) {
        assertThat(reference.errorType()).isEqualTo("UnknownTool");
        assertThat(reference.text()).startsWith("Unknown tool: get_wether. Available tools: ").contains("read_file", "get_weather");
        assertThat(unknown).isEqualTo(reference);
    }

    @Test
    void invalidArgumentsAreTypedAndSayWhichArgument() {
        try (Caller caller = open()) {
            assertThat(caller.call("write_file", Map.of("file_path", "x")))
                    .isEqualTo(new Answer(false, "Missing required argument: content", "InvalidArguments"));
            assertThat(caller.call("get_weather", Map.of("city", 7)).errorType()).isEqualTo("InvalidArguments");
        }
    }

    @Test
    void aSessionSeesOnlyItsOwnFiles() {
        try (Caller first = open(); Caller second = open()) {
            assertThat(first.call("write_file", Map.of("file_path", "secret.txt", "content", "first's")).ok()).isTrue();
            assertThat(second.call("read_file", Map.of("file_path", "secret.txt")))
                    .isEqualTo(new Answer(false, "File not found: secret.txt", "FileNotFound"));
            assertThat(second.call("list_files", Map.of())).isEqualTo(inProcess().call("list_files", Map.of()));
            assertThat(first.call("read_file", Map.of("file_path", "secret.txt"))).isEqualTo(new Answer(true, "first's", null));
        }
    }

    /** The same calls in a fresh session, through this way and in process: every answer equal, failures typed alike. */
    @Test
    void everyAnswerEqualsTheRuntimesInProcess() {
        List<Map.Entry<String, Map<String, Object>>> script = List.of(
                Map.entry("write_file", Map.of("file_path", "a/b.txt", "content", "one\ntwo\n")),
                Map.entry("edit_file", Map.of("file_path", "a/b.txt", "old_string", "two", "new_string", "three")),
                Map.entry("read_file", Map.of("file_path", "a/b.txt")),
                Map.entry("list_files", Map.of()),
                Map.entry("get_weather", Map.of("city", "Lima")),
                Map.entry("read_file", Map.of("file_path", "/etc/passwd")),
                Map.entry("read_file", Map.of("file_path", "../outside.txt")),
                Map.entry("read_file", Map.of("file_path", "missing.txt")),
                Map.entry("write_file", Map.of("file_path", "a/b.txt")),
                Map.entry("edit_file", Map.of("file_path", "a/b.txt", "old_string", "absent", "new_string", "x")));
        List<Answer> through = new ArrayList<>();
        List<Answer> reference = new ArrayList<>();
        try (Caller caller = open(); Caller runtime = inProcess()) {
            script.forEach(call -> through.add(caller.call(call.getKey(), call.getValue())));
            script.forEach(call -> reference.add(runtime.call(call.getKey(), call.getValue())));
        }
        assertThat(reference).extracting(Answer::errorType)
                .containsExactly(null, null, null, null, null, "PermissionDenied", "PermissionDenied", "FileNotFound", "InvalidArguments", "InvalidArguments");
        assertThat(through).isEqualTo(reference);
    }

    /** Tool name to required argument names, under the names an agent is offered (clashes prefixed). */
    static Map<String, List<String>> requiredArguments(List<ComponentInfo> components) {
        Map<String, List<String>> tools = new LinkedHashMap<>();
        ExposedTools.of(components, Set.of()).forEach((name, exposed) -> {
            List<String> required = new ArrayList<>();
            exposed.definition().inputSchema().path("required").forEach(argument -> required.add(argument.asString()));
            tools.put(name, required);
        });
        return tools;
    }

    /** A session of a {@code ToolService} (the runtime, or {@code SpindleClient}), by a fresh id; closed at the end. */
    static class ServiceSession implements Caller {
        private final ToolService service;
        private final String session = "contract-" + UUID.randomUUID();

        ServiceSession(ToolService service) {
            this.service = service;
        }

        @Override
        public Answer call(String tool, Map<String, Object> arguments) {
            JsonNode args = Json.MAPPER.valueToTree(arguments);
            return Answer.of(service.execute(new ToolCall(session, null, tool, args)));
        }

        @Override
        public Map<String, List<String>> tools() {
            return requiredArguments(service.components());
        }

        @Override
        public void close() {
            service.closeSession(session);
        }
    }
}
