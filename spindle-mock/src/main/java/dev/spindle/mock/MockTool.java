package dev.spindle.mock;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A catalogue tool, answering from the session's overlay first, then the catalogue: the most specific
 * matching fixture (ties: the session's first, then the earlier added); a catch-all {@code match: {}}
 * only where no handler or response template is set; then the handler script; then the template; then
 * the reference's echo.
 */
final class MockTool implements Tool {
    private final MockRecord record;
    private final ToolDefinition definition;
    private final long maxResponseChars;
    private final Scripts scripts;

    MockTool(MockRecord record, long maxResponseChars, Scripts scripts) {
        this.record = record;
        this.definition = record.definition();
        this.maxResponseChars = maxResponseChars;
        this.scripts = scripts;
    }

    MockRecord record() {
        return record;
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    /**
     * A handler script runs JavaScript: on the compute pool. Else schema patterns, fixture matching and
     * templates of any size: on a worker, never on an event loop. (A handler only a session's overlay sets
     * runs on the worker too: which one answers is known only once the overlay is read.)
     */
    @Override
    public Workload workload() {
        return record.responses().handler() != null ? Workload.COMPUTE : Workload.OUTSIDE;
    }

    @Override
    public JsonNode call(ToolContext context, ObjectNode arguments) {
        Responses overlay = Responses.parse(context.state().get(record.name()));
        List<Fixture> fixtures = new ArrayList<>(overlay.fixtures());
        fixtures.addAll(record.responses().fixtures());
        Fixture best = null;
        for (Fixture fixture : fixtures) {
            if ((best == null || fixture.specificity() > best.specificity()) && fixture.matches(arguments)) {
                best = fixture;
            }
        }
        JsonNode template = overlay.mockResponse() != null ? overlay.mockResponse() : record.responses().mockResponse();
        String handler = overlay.handler() != null ? overlay.handler() : record.responses().handler();
        if (best != null && (best.specificity() > 0 || template == null && handler == null)) {
            return answer(best.response(), arguments);
        }
        if (handler != null) {
            return scripts.call(context, record.name(), handler, arguments);
        }
        if (template != null) {
            return answer(template, arguments);
        }
        ObjectNode echo = Json.object().put("tool", record.name()).put("description", record.description());
        echo.set("input_received", arguments);
        return echo.put("mock_result", "Successfully executed " + record.name()).put("status", "success");
    }

    /** The filled response; an error response fails the call. Whether it is one is decided by the stored template, never by the arguments. */
    private JsonNode answer(JsonNode response, JsonNode arguments) {
        JsonNode filled = Template.fill(response, arguments, record.inputSchema(), record.name(), maxResponseChars);
        if (Responses.isErrorFixture(response)) {
            JsonNode message = filled.path("error");
            // checked when stored; a name from an older catalogue fails as the tool's own failure
            throw new SpindleException(ErrorType.parse(response.path("error_type").stringValue()).orElse(ErrorType.ComponentFailed),
                    message.isContainer() ? Json.write(message) : message.asString("Mock error"));
        }
        return filled;
    }
}
