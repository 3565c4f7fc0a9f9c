package dev.spindle.code;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import dev.spindle.core.files.SessionFiles;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Runs code in an {@link Interpreter}: given inline ({@code code}) or as a session file ({@code file_path}). */
final class RunTool implements Tool {
    private static final String ANSWERS = "; answers {stdout, stderr, exit_code}";

    private final ToolDefinition definition;
    private final Duration defaultTimeout;
    private final Interpreter interpreter;
    private final boolean fromFile;
    /** Null when the tool does not offer {@code keep_state}. */
    private final StatefulInterpreter stateful;

    private RunTool(ToolDefinition definition, Duration defaultTimeout, Interpreter interpreter, boolean fromFile, StatefulInterpreter stateful) {
        this.definition = definition;
        this.defaultTimeout = defaultTimeout;
        this.interpreter = interpreter;
        this.fromFile = fromFile;
        this.stateful = stateful;
    }

    static RunTool inline(String name, String language, Interpreter sandbox, Duration defaultTimeout) {
        return new RunTool(definition(name, "Run " + language + " code in a sandbox whose files are the session's" + ANSWERS,
                inlineArguments(language, defaultTimeout)), defaultTimeout, sandbox, false, null);
    }

    /** Like {@link #inline}, with {@code keep_state}: the session's globals persist from one call to the next. */
    static RunTool inlineKeepingState(String name, String language, StatefulInterpreter sandbox, Duration defaultTimeout) {
        return new RunTool(definition(name, "Run " + language + " code in a sandbox whose files are the session's" + ANSWERS
                        + ". With keep_state, the session keeps one interpreter so that its globals persist between such calls",
                inlineArguments(language, defaultTimeout).optional("keep_state", Schema.bool(
                        "Run in this session's kept interpreter, whose globals persist between keep_state calls", false))),
                defaultTimeout, sandbox, false, sandbox);
    }

    static RunTool file(String name, String language, Interpreter sandbox, Duration defaultTimeout) {
        return new RunTool(definition(name, "Run a " + language + " file of the session in a sandbox" + ANSWERS,
                Schema.object().required("file_path", Schema.string("Path of the " + language + " file to run"))
                        .optional("timeout_ms", timeoutSchema(defaultTimeout))), defaultTimeout, sandbox, true, null);
    }

    private static Schema inlineArguments(String language, Duration defaultTimeout) {
        return Schema.object().required("code", Schema.string(language + " source to run")).optional("timeout_ms", timeoutSchema(defaultTimeout));
    }

    private static ToolDefinition definition(String name, String description, Schema arguments) {
        return new ToolDefinition(name, description, arguments.build(), Schema.hints(false, true, false));
    }

    private static ObjectNode timeoutSchema(Duration defaultTimeout) {
        return Json.object().put("type", "integer").put("minimum", 1).put("maximum", CodeComponent.MAX_TIMEOUT.toMillis())
                .put("default", defaultTimeout.toMillis()).put("description", "Stop the run after this many milliseconds");
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    /** An interpreter runs: on the compute pool. */
    @Override
    public Workload workload() {
        return Workload.COMPUTE;
    }

    @Override
    public JsonNode call(ToolContext context, ObjectNode arguments) {
        SessionFiles files = context.files();
        Arguments args = new Arguments(arguments);
        String code = fromFile ? files.readText(files.file(args.string("file_path"))) : args.text("code");
        if (stateful != null && arguments.path("keep_state").asBoolean(false)) {
            return stateful.runKept(context.sessionId(), context.incarnation(), files, code, timeout(arguments)).toJson();
        }
        return interpreter.run(context.sessionId(), context.incarnation(), files, code, timeout(arguments)).toJson();
    }

    /** The schema has checked the range already. */
    private Duration timeout(ObjectNode arguments) {
        JsonNode given = arguments.path("timeout_ms");
        return given.isMissingNode() ? defaultTimeout : Duration.ofMillis(given.asLong());
    }
}
