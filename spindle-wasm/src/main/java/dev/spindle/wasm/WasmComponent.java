package dev.spindle.wasm;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.ComponentHost;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A user tool set compiled to WebAssembly, speaking the plain ABI of DESIGN.md section 8: the request
 * JSON on stdin ({@code {session_id, tool, args}}, or {@code {"describe":true}}), the answer JSON on
 * stdout ({@code {success, result, error_type?}}, or {@code {tools:[MCP definitions]}}), each declared
 * variable as an upper-case environment variable and no others. Described once at registration.
 * What it may use is what it declares ({@link Manifest} builds that from spindle.toml): the session's
 * files at {@code /workspace}, outbound HTTP as its runtime grants it, variables.
 */
public final class WasmComponent implements Component {
    private static final int EXCERPT = 120;

    private final String name;
    private final WasmProgram program;
    private final Limits limits;
    private final Set<Capability> capabilities;
    private final boolean sessionFiles;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private volatile Map<String, Tool> tools = Map.of();

    /**
     * @param timeout per call (default in manifests: 5 s)
     * @param maxMemoryBytes linear-memory cap (default 64 MiB)
     * @param maxOutputBytes stdout cap
     */
    public record Limits(Duration timeout, long maxMemoryBytes, int maxOutputBytes) {
        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(5), 64L << 20, 1 << 20);
    }

    /**
     * @param capabilities what the module may use: {@link Capability#SESSION_FILES} (each call sees the session's
     *     files at {@code /workspace}, and its changes are kept), {@link Capability.OutboundHttp} (the hosts it may
     *     call; without it, none), {@link Capability.Variables} (its environment)
     */
    public WasmComponent(String name, WasmProgram program, Limits limits, Set<Capability> capabilities) {
        this.name = name;
        this.program = program;
        this.limits = limits;
        this.capabilities = Set.copyOf(capabilities);
        this.sessionFiles = capabilities.contains(Capability.SESSION_FILES);
        for (Capability capability : capabilities) {
            if (capability instanceof Capability.Variables(Map<String, String> values)) {
                values.forEach((key, value) -> environment.put(key.toUpperCase(Locale.ROOT), value));
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** What the module's environment holds: the declared variables, names in upper case. */
    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    Limits limits() {
        return limits;
    }

    @Override
    public String description() {
        return "WebAssembly component " + name;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** Asks the module for its tools; a module that cannot say fails registration, naming the component. */
    @Override
    public void attach(ComponentHost host) {
        JsonNode answer;
        try {
            answer = call(Json.object().put("describe", true), null, host.outbound());
        } catch (SpindleException e) {
            throw new IllegalStateException("component " + name + ": describe failed: " + e.getMessage(), e);
        }
        if (!answer.path("tools").isArray()) {
            throw new IllegalStateException("component " + name + ": describe must answer {\"tools\": [...]}, got " + excerpt(Json.write(answer)));
        }
        Map<String, Tool> described = new LinkedHashMap<>();
        for (JsonNode definition : answer.path("tools")) {
            if (!definition.path("name").isString()) {
                throw new IllegalStateException("component " + name + ": a described tool has no name: " + excerpt(Json.write(definition)));
            }
            ToolDefinition tool = ToolDefinition.fromJson(definition);
            described.put(tool.name(), new WasmTool(tool));
        }
        tools = described;
    }

    @Override
    public List<Tool> tools() {
        return new ArrayList<>(tools.values());
    }

    @Override
    public Optional<Tool> tool(String toolName) {
        return Optional.ofNullable(tools.get(toolName));
    }

    /**
     * One run of the module with {@code request} on stdin (and {@code workspace} mounted, if any), reaching the
     * hosts {@code outbound} grants (without a grant, the module gets no network function); its stdout parsed as JSON.
     */
    private JsonNode call(ObjectNode request, Workspace workspace, AllowedHosts outbound) {
        WasmProgram.Outcome outcome = program.run(Json.writeBytes(request), environment, workspace == null ? null : workspace.root(),
                outbound.isEmpty() ? null : new OutboundHttp(outbound, limits.timeout()), limits.timeout(), limits.maxMemoryBytes(), limits.maxOutputBytes());
        String stdout = new String(outcome.stdout(), StandardCharsets.UTF_8);
        try {
            JsonNode answer = Json.parse(stdout);
            if (!answer.isObject()) {
                throw new SpindleException(ErrorType.InvalidRequest, "not an object");
            }
            return answer;
        } catch (SpindleException e) {
            throw new SpindleException(ErrorType.ComponentFailed, "Component " + name + " answered something that is not a JSON object"
                    + (outcome.exitCode() == 0 ? "" : " (exit code " + outcome.exitCode() + ")") + ": " + excerpt(stdout));
        }
    }

    private static String excerpt(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.isEmpty() ? "(nothing)" : oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT) + "...";
    }

    /** One described tool: each call is one run of the module. */
    private final class WasmTool implements Tool {
        private final ToolDefinition definition;

        WasmTool(ToolDefinition definition) {
            this.definition = definition;
        }

        @Override
        public ToolDefinition definition() {
            return definition;
        }

        /** Every call runs the module: on the compute pool. */
        @Override
        public Workload workload() {
            return Workload.COMPUTE;
        }

        @Override
        public JsonNode call(ToolContext context, ObjectNode arguments) {
            ObjectNode request = Json.object().put("session_id", context.sessionId()).put("tool", definition.name());
            request.set("args", arguments);
            if (!sessionFiles) {
                return result(WasmComponent.this.call(request, null, context.outbound()));
            }
            try (Workspace workspace = new Workspace(context.files())) {
                JsonNode result = result(WasmComponent.this.call(request, workspace, context.outbound()));
                workspace.writeBack(); // only a call that succeeded changes the session: a failed one leaves no partial edits
                return result;
            }
        }

        /** The answer's result, or its failure as the tool's failure. */
        private JsonNode result(JsonNode answer) {
            if (!answer.path("success").isBoolean() || !answer.has("result")) {
                throw new SpindleException(ErrorType.ComponentFailed,
                        "Component " + name + " must answer {success, result, error_type?}, got " + excerpt(Json.write(answer)));
            }
            if (!answer.path("success").asBoolean()) {
                // a type outside the catalogue is ComponentFailed
                ErrorType type = ErrorType.parse(answer.path("error_type").asString(null)).orElse(ErrorType.ComponentFailed);
                throw new SpindleException(type, answer.path("result").asString(""));
            }
            return answer.get("result");
        }
    }
}
