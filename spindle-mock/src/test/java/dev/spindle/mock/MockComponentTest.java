package dev.spindle.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.core.store.SessionData;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The mock's rules, in-process: a runtime with the mock alone. */
@Timeout(30)
class MockComponentTest {
    static final String ISSUES = """
            {"tools": [
              {"name": "get_issue", "description": "Get an issue",
               "inputSchema": {"type": "object",
                 "properties": {"owner": {"type": "string"}, "repo": {"type": "string"}, "issue_number": {"type": "integer"},
                                "state": {"type": "string", "enum": ["open", "closed"]}},
                 "required": ["owner", "repo", "issue_number"]}},
              {"name": "list_labels", "inputSchema": {"type": "object", "properties": {"labels": {"type": "array"}, "filter": {"type": "object"}}}}
            ]}""";

    @TempDir
    Path dir;

    ToolRuntime runtime = ToolRuntime.builder().withComponent(new MockComponent()).build();

    @AfterEach
    void close() {
        runtime.close();
    }

    JsonNode op(String operation, String body) {
        return op(operation, body, Map.of());
    }

    JsonNode op(String operation, String body, Map<String, String> params) {
        return runtime.operate("mock", operation, body, params);
    }

    ToolResult call(String session, String tool, String args) {
        return MockCalls.call(runtime, session, tool, args);
    }

    JsonNode ok(String session, String tool, String args) {
        return MockCalls.ok(runtime, session, tool, args);
    }

    SpindleException failure(Runnable action) {
        return catchThrowableOfType(SpindleException.class, action::run);
    }

    @Test
    void loadsAnMcpSchemaAndListsItInOrderWithoutNulls() {
        assertThat(op("load-schema", ISSUES).toString()).isEqualTo("{\"loaded\":2,\"tools\":[\"get_issue\",\"list_labels\"]}");
        var listed = op("list-tools", "").path("tools");
        assertThat(listed).extracting(t -> t.path("name").asString()).containsExactly("get_issue", "list_labels");
        assertThat(listed.get(1).path("description").asString()).isEqualTo("");
        assertThat(listed.get(0).path("inputSchema").path("required").size()).isEqualTo(3);
        assertThat(listed.get(0).has("fixtures")).isFalse();
    }

    @Test
    void listsResponsesAndFixturesWhenAsked() {
        op("load-schema", ISSUES);
        op("update-response", "{\"name\":\"get_issue\",\"mockResponse\":{\"title\":\"{{number}}\"}}");
        op("add-fixture", "{\"name\":\"get_issue\",\"match\":{\"number\":7},\"response\":{\"title\":\"seven\"}}");
        var issue = op("list-tools", "", Map.of("responses", "true")).path("tools").get(0);
        assertThat(issue.path("mockResponse").toString()).isEqualTo("{\"title\":\"{{number}}\"}");
        assertThat(issue.path("fixtures").get(0).path("match").path("number").asInt()).isEqualTo(7);
        assertThat(issue.path("fixtures").get(0).path("response").path("title").asString()).isEqualTo("seven");
    }

    @Test
    void loadsABareArrayInYaml() {
        String yaml = """
                - name: search_docs
                  description: Search the docs
                  inputSchema:
                    type: object
                    properties:
                      query: {type: string}
                    required: [query]
                  mockResponse:
                    results: ["{{query}} guide"]
                """;
        assertThat(op("load-schema", yaml).path("loaded").asInt()).isEqualTo(1);
        assertThat(ok("s", "search_docs", "{\"query\":\"install\"}").toString()).isEqualTo("{\"results\":[\"install guide\"]}");
    }

    @Test
    void withoutResponsesItEchoesLikeTheReference() {
        op("load-schema", ISSUES);
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":7}").toString()).isEqualTo(
                "{\"tool\":\"get_issue\",\"description\":\"Get an issue\",\"input_received\":{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":7},"
                        + "\"mock_result\":\"Successfully executed get_issue\",\"status\":\"success\"}");
    }

    @Test
    void argumentsAreValidatedAgainstTheSchemaFirst() {
        op("load-schema", ISSUES);
        assertThat(call("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\"}").result()).isEqualTo("Missing required argument: issue_number");
        ToolResult wrongType = call("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":\"seven\"}");
        assertThat(wrongType.errorType()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(wrongType.result()).contains("issue_number").contains("integer");
        ToolResult wrongEnum = call("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":1,\"state\":\"merged\"}");
        assertThat(wrongEnum.result()).contains("state").contains("open");
    }

    @Test
    void draft07SchemasValidateToo() {
        op("load-schema", """
                [{"name": "d7", "inputSchema": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                  "properties": {"n": {"type": "integer", "maximum": 3}}, "required": ["n"]}}]""");
        assertThat(call("s", "d7", "{\"n\":9}").result()).contains("n").contains("3");
        assertThat(call("s", "d7", "{\"n\":2}").success()).isTrue();
    }

    @Test
    void templatesKeepTypesResolvePathsAndNeverReexpand() {
        op("load-schema", ISSUES);
        op("update-response", """
                {"name": "get_issue", "mockResponse": {"number": "{{issue_number}}", "title": "Issue {{issue_number}} in {{owner}}/{{repo}}",
                 "path": "{{filter.kind}}", "missing": "{{nope}}", "text": "{{owner}}"}}""");
        JsonNode answer = ok("s", "get_issue", "{\"owner\":\"{{repo}}\",\"repo\":\"r\",\"issue_number\":42}");
        assertThat(answer.path("number").isInt()).isTrue();
        assertThat(answer.path("number").asInt()).isEqualTo(42);
        assertThat(answer.path("title").asString()).isEqualTo("Issue 42 in {{repo}}/r");
        assertThat(answer.path("text").asString()).isEqualTo("{{repo}}");
        assertThat(answer.path("missing").asString()).isEqualTo("{{nope}}");
        op("update-response", "{\"name\": \"list_labels\", \"mockResponse\": {\"first\": \"{{labels[0]}}\", \"kind\": \"{{filter.kind}}\", \"all\": \"{{labels}}\"}}");
        JsonNode labels = ok("s", "list_labels", "{\"labels\":[\"bug\",\"ui\"],\"filter\":{\"kind\":\"open\"}}");
        assertThat(labels.toString()).isEqualTo("{\"first\":\"bug\",\"kind\":\"open\",\"all\":[\"bug\",\"ui\"]}");
    }

    @Test
    void anArgumentTheCallLeftOutTakesItsSchemaDefaultOrRendersAsNothing() {
        op("load-schema", """
                [{"name": "weather", "inputSchema": {"type": "object", "required": ["city"],
                  "$defs": {"scale": {"type": "string", "default": "celsius"}},
                  "properties": {"city": {"type": "string"}, "units": {"type": "string", "default": "metric"},
                    "days": {"type": "integer", "default": 3}, "lang": {"type": "string"}, "scale": {"$ref": "#/$defs/scale"},
                    "options": {"type": "object", "properties": {"page": {"type": "integer", "default": 1}, "tag": {"type": "string"}}}}},
                  "mockResponse": {"units": "{{units}}", "days": "{{days}}", "lang": "{{lang}}", "scale": "{{scale}}",
                    "page": "{{options.page}}", "tag": "{{options.tag}}", "line": "{{city}}: {{days}} days in {{units}}{{lang}}.",
                    "unknown": "{{nope}} and {{city.x}}"}}]""");
        JsonNode bare = ok("s", "weather", "{\"city\":\"Oslo\"}");
        assertThat(bare.toString()).isEqualTo("{\"units\":\"metric\",\"days\":3,\"lang\":null,\"scale\":\"celsius\",\"page\":1,"
                + "\"tag\":null,\"line\":\"Oslo: 3 days in metric.\",\"unknown\":\"{{nope}} and {{city.x}}\"}");
        JsonNode given = ok("s", "weather", "{\"city\":\"Oslo\",\"units\":\"imperial\",\"lang\":\" (nb)\",\"options\":{\"page\":4}}");
        assertThat(given.path("units").asString()).isEqualTo("imperial");
        assertThat(given.path("page").asInt()).isEqualTo(4);
        assertThat(given.path("tag").isNull()).isTrue();
        assertThat(given.path("line").asString()).isEqualTo("Oslo: 3 days in imperial (nb).");
    }

    @Test
    void theMostSpecificFixtureWinsAndTiesGoToTheEarlier() {
        op("load-schema", ISSUES);
        op("add-fixture", "{\"name\":\"get_issue\",\"match\":{\"owner\":\"o\"},\"response\":\"by owner\"}");
        op("add-fixture", "{\"name\":\"get_issue\",\"match\":{\"repo\":\"r\"},\"response\":\"by repo\"}");
        var added = op("add-fixture", "{\"name\":\"get_issue\",\"match\":{\"repo\":\"r\",\"owner\":\"o\",\"issue_number\":342},\"response\":{\"n\":\"{{issue_number}}\"}}");
        assertThat(added.toString()).isEqualTo("{\"tool\":\"get_issue\",\"fixture_key\":\"issue_number=342,owner=o,repo=r\",\"total_fixtures\":3}");
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":342}").toString()).isEqualTo("{\"n\":342}");
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":1}").asString()).isEqualTo("by owner");
        assertThat(ok("s", "get_issue", "{\"owner\":\"x\",\"repo\":\"r\",\"issue_number\":1}").asString()).isEqualTo("by repo");
        // the same match replaces in place
        assertThat(op("add-fixture", "{\"name\":\"get_issue\",\"match\":{\"owner\":\"o\"},\"response\":\"owner v2\"}").path("total_fixtures").asInt()).isEqualTo(3);
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":1}").asString()).isEqualTo("owner v2");
    }

    @Test
    void fixturesMatchByDeepEqualityWithNumbersMatchingTheirText() {
        op("load-schema", ISSUES);
        op("add-fixture", "{\"name\":\"list_labels\",\"match\":{\"labels\":[\"bug\",\"ui\"],\"filter\":{\"kind\":\"open\",\"page\":2}},\"response\":\"deep\"}");
        op("add-fixture", "{\"name\":\"get_issue\",\"match\":{\"issue_number\":\"342\"},\"response\":\"text key\"}");
        assertThat(ok("s", "list_labels", "{\"labels\":[\"bug\",\"ui\"],\"filter\":{\"page\":2,\"kind\":\"open\"}}").asString()).isEqualTo("deep");
        assertThat(ok("s", "list_labels", "{\"labels\":[\"ui\",\"bug\"],\"filter\":{\"page\":2,\"kind\":\"open\"}}").path("status").asString()).isEqualTo("success");
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":342}").asString()).isEqualTo("text key");
    }

    @Test
    void aCatchAllFixtureNeverShadowsAResponseTemplate() {
        op("load-schema", ISSUES);
        op("add-fixture", "{\"name\":\"get_issue\",\"match\":{},\"response\":\"catch-all\"}");
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":1}").asString()).isEqualTo("catch-all");
        op("update-response", "{\"name\":\"get_issue\",\"mockResponse\":\"template\"}");
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":1}").asString()).isEqualTo("template");
    }

    @Test
    void errorFixturesFailTheCallWithTheirType() {
        op("load-schema", ISSUES);
        op("add-fixture", "{\"name\":\"get_issue\",\"match\":{\"issue_number\":404},\"response\":{\"error_type\":\"FileNotFound\",\"error\":\"Issue {{issue_number}} not found\"}}");
        ToolResult result = call("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":404}");
        assertThat(result.success()).isFalse();
        assertThat(result.errorType()).isEqualTo(ErrorType.FileNotFound);
        assertThat(result.result()).isEqualTo("Issue 404 not found");
        assertThat(failure(() -> op("add-fixture", "{\"name\":\"get_issue\",\"match\":{},\"response\":{\"error_type\":\"Oops\"}}")).getMessage())
                .contains("Unknown error_type 'Oops'");
        assertThat(failure(() -> op("add-fixture", "{\"name\":\"get_issue\",\"match\":{},\"response\":{\"error_type\":\"Overloaded\"}}")).getMessage())
                .as("a refused request is not a tool failure").contains("Unknown error_type 'Overloaded'").contains("FileNotFound").doesNotContain("Unauthorized");
    }

    @Test
    void sessionOverlaysApplyToTheirSessionOnlyAndGoWithIt() {
        op("load-schema", ISSUES);
        op("update-response", "{\"name\":\"get_issue\",\"mockResponse\":\"global\"}");
        op("update-response", "{\"name\":\"get_issue\",\"mockResponse\":\"only for a\",\"session_id\":\"a\"}");
        op("add-fixture", "{\"name\":\"get_issue\",\"match\":{\"issue_number\":1},\"response\":\"fixture for b\"}", Map.of("session_id", "b"));
        String args = "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":1}";
        assertThat(ok("a", "get_issue", args).asString()).isEqualTo("only for a");
        assertThat(ok("b", "get_issue", args).asString()).isEqualTo("fixture for b");
        assertThat(ok("c", "get_issue", args).asString()).isEqualTo("global");
        runtime.closeSession("a");
        assertThat(ok("a", "get_issue", args).asString()).isEqualTo("global");
        op("clear", "{\"session_id\":\"b\"}");
        assertThat(ok("b", "get_issue", args).asString()).isEqualTo("global");
    }

    @Test
    void reloadingASchemaKeepsResponsesUnlessAskedToReplace() {
        op("load-schema", ISSUES);
        op("update-response", "{\"name\":\"get_issue\",\"mockResponse\":\"kept\"}");
        op("add-fixture", "{\"name\":\"get_issue\",\"match\":{\"issue_number\":2},\"response\":\"fixture kept\"}");
        op("load-schema", ISSUES);
        String args = "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":1}";
        assertThat(ok("s", "get_issue", args).asString()).isEqualTo("kept");
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":2}").asString()).isEqualTo("fixture kept");
        op("load-schema", ISSUES, Map.of("replace", "true"));
        assertThat(ok("s", "get_issue", args).path("status").asString()).isEqualTo("success");
        assertThat(op("list-tools", "").path("tools").get(0).path("name").asString()).isEqualTo("get_issue");
    }

    @Test
    void referenceStyleMockFixturesKeysLoadWithTheirTypes() {
        op("load-schema", """
                [{"name": "t", "inputSchema": {"type": "object"},
                  "mockFixtures": {"issue_number=342,owner=o": "from key", "all=true": "bool"}}]""");
        assertThat(ok("s", "t", "{\"owner\":\"o\",\"issue_number\":342}").asString()).isEqualTo("from key");
        assertThat(ok("s", "t", "{\"all\":true}").asString()).isEqualTo("bool");
    }

    @Test
    void loadDataLoadsResponsesAndFixturesInOneCallOrNothing() {
        op("load-schema", ISSUES);
        String data = """
                {"description": "issues", "version": "1",
                 "mockResponses": {"get_issue": {"defaultResponse": {"title": "Issue {{issue_number}}"}}},
                 "fixtures": {"list_labels": [{"match": {"labels": ["a,b", "c"]}, "response": "comma and array"},
                                              {"match": {"filter": {"x": 1, "y": 2}}, "response": "object"}]}}""";
        assertThat(op("load-data", data).toString()).isEqualTo("{\"responses\":1,\"fixtures\":2}");
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":5}").path("title").asString()).isEqualTo("Issue 5");
        assertThat(ok("s", "list_labels", "{\"labels\":[\"a,b\",\"c\"]}").asString()).isEqualTo("comma and array");
        assertThat(ok("s", "list_labels", "{\"filter\":{\"y\":2,\"x\":1}}").asString()).isEqualTo("object");
        SpindleException unknown = failure(() -> op("load-data", "{\"mockResponses\":{\"nope\":{\"defaultResponse\":1},\"get_issue\":{\"defaultResponse\":2}}}"));
        assertThat(unknown.type()).isEqualTo(HttpError.NotFound);
        assertThat(ok("s", "get_issue", "{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":5}").path("title").asString()).isEqualTo("Issue 5");
    }

    @Test
    void mistakesAreClearErrors() {
        assertThat(failure(() -> op("update-response", "{\"name\":\"x\",\"mockResponse\":1}")).getMessage()).startsWith("No tools loaded");
        assertThat(call("s", "anything", "{}").result()).contains("Unknown tool: anything").contains("no tools yet");
        op("load-schema", ISSUES);
        assertThat(failure(() -> op("update-response", "{\"name\":\"x\",\"mockResponse\":1}")).type()).isEqualTo(HttpError.NotFound);
        assertThat(failure(() -> op("add-fixture", "{\"name\":\"get_issue\",\"match\":[1],\"response\":1}")).type()).isEqualTo(ErrorType.InvalidRequest);
        assertThat(failure(() -> op("add-fixture", "{\"name\":\"get_issue\",\"match\":{}}")).getMessage()).contains("'response'");
        assertThat(failure(() -> op("load-schema", "")).type()).isEqualTo(ErrorType.InvalidRequest);
        assertThat(failure(() -> op("load-schema", "{\"tools\": [{\"description\": \"no name\"}]}")).getMessage()).isEqualTo("tools[0] has no name");
        assertThat(failure(() -> op("load-schema", "{\"tools\": \"x\"}")).type()).isEqualTo(ErrorType.InvalidRequest);
        assertThat(failure(() -> op("load-schema", ": : :\n- [")).type()).isEqualTo(ErrorType.InvalidRequest);
        assertThat(failure(() -> op("update-response", "[]")).type()).isEqualTo(ErrorType.InvalidRequest);
        assertThat(failure(() -> runtime.operate("mock", "frobnicate", "", new HashMap<>())).type()).isEqualTo(HttpError.NotFound);
    }

    @Test
    void clearEmptiesTheCatalogue() {
        op("load-schema", ISSUES);
        assertThat(op("clear", "").toString()).isEqualTo("{\"cleared\":true}");
        assertThat(op("list-tools", "").path("tools").size()).isZero();
    }

    @Test
    void theCatalogueSurvivesARestartOnSqlite() {
        Path db = dir.resolve("state.db");
        try (ToolRuntime first = ToolRuntime.builder().withStore(new SqliteStore(db)).withComponent(new MockComponent()).build()) {
            first.operate("mock", "load-schema", ISSUES, Map.of());
            first.operate("mock", "update-response", "{\"name\":\"get_issue\",\"mockResponse\":\"persisted\"}", Map.of());
        }
        try (ToolRuntime second = ToolRuntime.builder().withStore(new SqliteStore(db)).withComponent(new MockComponent()).build()) {
            ToolResult result = second.execute(new ToolCall("s", "mock", "get_issue", Json.parse("{\"owner\":\"o\",\"repo\":\"r\",\"issue_number\":1}")));
            assertThat(result.result()).isEqualTo("persisted");
            assertThat(second.sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void aTemplateThatRepeatsALargeArgumentStopsAtTheResponseLimit() {
        op("load-schema", "[{\"name\": \"amp\", \"inputSchema\": {\"type\": \"object\"}}]");
        String x = "\"" + "x".repeat(20_000) + "\"";
        op("update-response", "{\"name\":\"amp\",\"mockResponse\":\"" + "{{x}}".repeat(200_000) + "\"}");
        ToolResult inText = call("s", "amp", "{\"x\":" + x + "}");
        assertThat(inText.errorType()).isEqualTo(ErrorType.QuotaExceeded);
        assertThat(inText.result()).contains("amp").contains(String.valueOf(MockComponent.DEFAULT_MAX_RESPONSE_CHARS));
        // Whole-string placeholders share the argument's node; the answer's size still counts each.
        op("update-response", "{\"name\":\"amp\",\"mockResponse\":[" + "\"{{x}}\",".repeat(100_000) + "1]}");
        assertThat(call("s", "amp", "{\"x\":" + x + "}").errorType()).isEqualTo(ErrorType.QuotaExceeded);
        assertThat(ok("s", "amp", "{\"x\":\"small\"}").size()).isEqualTo(100_001);
    }

    @Test
    void theResponseLimitIsConfigurableAndCountsTheWholeAnswer() {
        try (ToolRuntime small = ToolRuntime.builder().withComponent(MockComponent.builder().withMaxResponseChars(100).build()).build()) {
            small.operate("mock", "load-schema", "[{\"name\": \"t\", \"mockResponse\": {\"echo\": \"{{x}}\", \"n\": \"{{n}}\"}}]", Map.of());
            ToolResult fits = small.execute(new ToolCall("s", "mock", "t", Json.parse("{\"x\":\"" + "a".repeat(60) + "\",\"n\":{\"k\":[1,2]}}")));
            assertThat(fits.value().toString()).hasSizeLessThanOrEqualTo(100).contains("\"n\":{\"k\":[1,2]}");
            ToolResult over = small.execute(new ToolCall("s", "mock", "t", Json.parse("{\"x\":\"a\",\"n\":{\"k\":\"" + "b".repeat(90) + "\"}}")));
            assertThat(over.errorType()).isEqualTo(ErrorType.QuotaExceeded);
        }
    }

    @Test
    void aTemplateLargerThanTheResponseLimitIsRefusedWhenStored() {
        try (ToolRuntime small = ToolRuntime.builder().withComponent(MockComponent.builder().withMaxResponseChars(1_000).build()).build()) {
            String big = "\"" + "z".repeat(2_000) + "\"";
            SpindleException atLoad = catchThrowableOfType(SpindleException.class, () -> small.operate("mock", "load-schema",
                    "[{\"name\": \"t\", \"mockResponse\": " + big + "}]", Map.of()));
            assertThat(atLoad.type()).isEqualTo(ErrorType.InvalidArguments);
            assertThat(atLoad.getMessage()).contains("t").contains("2002").contains("1000");
            small.operate("mock", "load-schema", "[{\"name\": \"t\", \"mockResponse\": \"fine\"}]", Map.of());
            for (String[] attempt : new String[][] {
                    {"update-response", "{\"name\":\"t\",\"mockResponse\":" + big + "}"},
                    {"add-fixture", "{\"name\":\"t\",\"match\":{},\"response\":" + big + "}"},
                    {"load-data", "{\"mockResponses\":{\"t\":{\"defaultResponse\":" + big + "}}}"},
                    {"load-data", "{\"fixtures\":{\"t\":[{\"match\":{\"a\":1},\"response\":" + big + "}]}}"}}) {
                SpindleException e = catchThrowableOfType(SpindleException.class, () -> small.operate("mock", attempt[0], attempt[1], Map.of()));
                assertThat(e.type()).as(attempt[0]).isEqualTo(ErrorType.InvalidArguments);
            }
            assertThat(small.execute(new ToolCall("s", "mock", "t", Json.object())).value().asString()).isEqualTo("fine");
        }
    }

    @Test
    void anIndexPastTheEndRendersLikeAMissingArgument() {
        op("load-schema", ISSUES);
        op("update-response", """
                {"name": "list_labels", "mockResponse": {"huge": "{{labels[99999999999]}}", "past": "{{labels[5]}}",
                 "inText": "first {{labels[0]}}, then {{labels[99999999999]}}"}}""");
        JsonNode answer = ok("s", "list_labels", "{\"labels\":[\"bug\"]}");
        assertThat(answer.toString()).isEqualTo(
                "{\"huge\":\"{{labels[99999999999]}}\",\"past\":\"{{labels[5]}}\",\"inText\":\"first bug, then {{labels[99999999999]}}\"}");
    }

    @Test
    void aSchemaThatCannotBeCompiledIsRefusedAtLoadNamingTheTool() {
        op("load-schema", ISSUES);
        for (String schema : new String[] {
                "{\"type\": \"object\", \"properties\": {\"q\": {\"$ref\": \"#/$defs/missing\"}}}",
                "{\"$schema\": \"http://example.com/my-dialect\", \"type\": \"object\"}"}) {
            SpindleException e = failure(() -> op("load-schema", "[{\"name\": \"ok_tool\"}, {\"name\": \"broken\", \"inputSchema\": " + schema + "}]"));
            assertThat(e.type()).isEqualTo(ErrorType.InvalidArguments);
            assertThat(e.getMessage()).contains("broken").containsAnyOf("$defs/missing", "http://example.com/my-dialect");
        }
        // Nothing of the refused load was kept.
        assertThat(op("list-tools", "").path("tools")).extracting(t -> t.path("name").asString()).containsExactly("get_issue", "list_labels");
    }

    @Test
    void aBacktrackingPatternInASchemaAnswersTimeout() {
        op("load-schema", "[{\"name\": \"evil\", \"inputSchema\": {\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\", \"pattern\": \"^(.*a){12}$\"}}}}]");
        ToolResult result = call("s", "evil", "{\"s\": \"" + "a".repeat(32) + "b\"}");
        assertThat(result.errorType()).isEqualTo(ErrorType.Timeout);
        assertThat(result.result()).contains("^(.*a){12}$");
        assertThat(ok("s", "evil", "{\"s\": \"" + "a".repeat(12) + "\"}").path("status").asString()).isEqualTo("success");
    }

    @Test
    void concurrentLoadsLeaveEveryToolListedAndCallable() throws Exception {
        int loaders = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(loaders)) {
            for (int round = 0; round < 300; round++) {
                op("clear", "");
                CyclicBarrier start = new CyclicBarrier(loaders);
                List<Future<?>> loads = new ArrayList<>();
                for (int i = 0; i < loaders; i++) {
                    String name = "tool_" + round + "_" + i;
                    loads.add(pool.submit(() -> {
                        start.await();
                        return op("load-schema", "[{\"name\": \"" + name + "\"}]");
                    }));
                }
                for (Future<?> load : loads) {
                    load.get();
                }
                int r = round;
                assertThat(op("list-tools", "").path("tools")).as("round " + round).hasSize(loaders);
                for (int i = 0; i < loaders; i++) {
                    ToolResult result = call("s", "tool_" + r + "_" + i, "{}");
                    assertThat(result.success()).as("round %d: %s", r, result.result()).isTrue();
                }
            }
        }
    }

    /** A memory store whose next catalogue write first empties the catalogue: a clear landing just before it. */
    static final class ClearedBeforeNextWrite implements KeyValueStore {
        final MemoryStore inner = new MemoryStore();
        volatile boolean armed;

        @Override
        public <T> T write(String session, Function<SessionData, T> work) {
            if (armed && session.startsWith("\u0000")) {
                armed = false;
                inner.write(session, d -> {
                    d.entries("state:mock").keySet().forEach(key -> d.delete("state:mock", key));
                    return null;
                });
            }
            return inner.write(session, work);
        }

        @Override
        public <T> T read(String session, Function<SessionData, T> work) {
            return inner.read(session, work);
        }

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public boolean blocking() {
            return false;
        }

        @Override
        public Map<String, Integer> deleteSession(String session) {
            return inner.deleteSession(session);
        }

        @Override
        public void copySession(String from, String to) {
            inner.copySession(from, to);
        }

        @Override
        public List<String> sessions() {
            return inner.sessions();
        }

        @Override
        public void close() {}
    }

    @Test
    void aChangeThatAClearOvertakesIsNotFoundNotACrash() {
        ClearedBeforeNextWrite store = new ClearedBeforeNextWrite();
        try (ToolRuntime racing = ToolRuntime.builder().withStore(store).withComponent(new MockComponent()).build()) {
            for (String[] change : new String[][] {
                    {"update-response", "{\"name\":\"get_issue\",\"mockResponse\":1}"},
                    {"add-fixture", "{\"name\":\"get_issue\",\"match\":{},\"response\":1}"},
                    {"load-data", "{\"mockResponses\":{\"get_issue\":{\"defaultResponse\":2}}}"}}) {
                racing.operate("mock", "load-schema", ISSUES, Map.of());
                store.armed = true;
                SpindleException e = catchThrowableOfType(SpindleException.class, () -> racing.operate("mock", change[0], change[1], Map.of()));
                assertThat(e).as(change[0]).isNotNull();
                assertThat(e.type()).isEqualTo(HttpError.NotFound);
                assertThat(e.getMessage()).contains("get_issue");
            }
        }
    }

    @Test
    void argumentsCannotTurnAnAnswerIntoAnError() {
        op("load-schema", "[{\"name\": \"t\", \"mockResponse\": \"{{o}}\"}, {\"name\": \"e\", \"mockResponse\": {\"error_type\": \"FileNotFound\", \"error\": \"{{o}}\"}}]");
        assertThat(ok("s", "t", "{\"o\": {\"error_type\": \"Bogus\"}}").toString()).isEqualTo("{\"error_type\":\"Bogus\"}");
        assertThat(ok("s", "t", "{\"o\": {\"error_type\": \"Unauthorized\", \"error\": \"x\"}}").path("error_type").asString()).isEqualTo("Unauthorized");
        ToolResult error = call("s", "e", "{\"o\": {\"why\": [1]}}");
        assertThat(error.errorType()).isEqualTo(ErrorType.FileNotFound);
        assertThat(error.result()).isEqualTo("{\"why\":[1]}");
        op("update-response", "{\"name\": \"e\", \"mockResponse\": {\"error_type\": \"Conflict\"}}");
        assertThat(call("s", "e", "{}").result()).isEqualTo("Mock error");
    }

    @Test
    void aNumberTooLargeForADoubleNeverCrashesFixtureMatching() {
        op("load-schema", "[{\"name\": \"n\", \"fixtures\": [{\"match\": {\"v\": 1}, \"response\": \"one\"}]}]");
        assertThat(ok("s", "n", "{\"v\": 1e999}").path("status").asString()).isEqualTo("success");
        assertThat(ok("s", "n", "{\"v\": 1.0}").asString()).isEqualTo("one");
    }

    @Test
    void pullHeadersMustBeStrings() {
        List<Map<String, String>> sent = new ArrayList<>();
        try (ToolRuntime pulling = ToolRuntime.builder().withComponent(new MockComponent((url, headers) -> {
            sent.add(headers);
            return List.of(Json.object().put("name", "pulled"));
        })).build()) {
            for (String body : new String[] {"{\"url\":\"http://h/mcp\",\"headers\":{\"a\":{\"b\":1}}}", "{\"url\":\"http://h/mcp\",\"headers\":[1]}"}) {
                SpindleException e = catchThrowableOfType(SpindleException.class, () -> pulling.operate("mock", "pull", body, Map.of()));
                assertThat(e.type()).as(body).isEqualTo(ErrorType.InvalidRequest);
            }
            assertThat(pulling.operate("mock", "pull", "{\"url\":\"http://h/mcp\",\"headers\":{\"A\":\"b\"}}", Map.of()).path("loaded").asInt()).isEqualTo(1);
            assertThat(sent).containsExactly(Map.of("A", "b"));
        }
    }

    /** The pull's URL goes through the mock's outbound grant before the puller (and so any connection) is reached. */
    @Test
    void pullReachesOnlyWhatTheMocksOutboundGrantAllows() {
        List<String> pulled = new ArrayList<>();
        MockComponent.Puller recording = (url, headers) -> {
            pulled.add(url);
            return List.of(Json.object().put("name", "pulled"));
        };
        try (ToolRuntime defaults = ToolRuntime.builder().withComponent(MockComponent.builder().withPuller(recording).build()).build()) {
            for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.5:3001/mcp", "http://192.168.1.1/mcp",
                    "http://[::1]:3001/mcp")) {
                SpindleException e = catchThrowableOfType(SpindleException.class,
                        () -> defaults.operate("mock", "pull", "{\"url\":\"" + url + "\"}", Map.of()));
                assertThat(e.type()).as(url).isEqualTo(ErrorType.NotAllowed);
            }
            defaults.operate("mock", "pull", "{\"url\":\"http://127.0.0.1:3001/mcp\"}", Map.of());
            assertThat(pulled).containsExactly("http://127.0.0.1:3001/mcp");
            assertThat(defaults.components().getFirst().capabilities().path("outbound_http").toString())
                    .isEqualTo("{\"allowed_hosts\":[\"*://*:*\",\"*://127.0.0.1:*\",\"*://localhost:*\"]}");
        }
        pulled.clear();
        MockComponent granted = MockComponent.builder().withPuller(recording).withOutbound(MockOutbound.of(List.of("http://10.0.0.5:3001"))).build();
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(granted).build()) {
            runtime.operate("mock", "pull", "{\"url\":\"http://10.0.0.5:3001/mcp\"}", Map.of());
            SpindleException e = catchThrowableOfType(SpindleException.class,
                    () -> runtime.operate("mock", "pull", "{\"url\":\"http://127.0.0.1:3001/mcp\"}", Map.of()));
            assertThat(e.getMessage()).isEqualTo("Outbound request to http://127.0.0.1:3001 is not allowed: allow it with serve --mock-outbound "
                    + "PATTERN (e.g. --mock-outbound 'http://10.0.0.5:*') (allowed: http://10.0.0.5:3001)");
            assertThat(pulled).containsExactly("http://10.0.0.5:3001/mcp");
        }
    }
}
