package dev.spindle.mock;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.ComponentHost;
import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Tool;
import dev.spindle.core.runtime.ArgumentValidator;
import dev.spindle.core.store.KeyValueScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Tools that cannot be called for real during data generation (payments, production databases, SaaS
 * APIs), loaded from MCP tool schemas and answered from templates and fixtures. The catalogue is global
 * and kept in the store (it survives a restart on sqlite); responses and fixtures given with a
 * {@code session_id} apply to that session only.
 */
public final class MockComponent implements Component {
    public static final String NAME = "mock";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** Fetches the tools of a remote MCP server: {@code (url, headers) -> raw MCP tool definitions}. */
    @FunctionalInterface
    public interface Puller {
        List<? extends JsonNode> pull(String url, Map<String, String> headers);
    }

    /** Default {@link Builder#maxResponseChars}: 1 MiB of JSON text. */
    public static final long DEFAULT_MAX_RESPONSE_CHARS = 1L << 20;

    private final Puller puller;
    private final long maxResponseChars;
    private KeyValueScope catalogue;
    private ComponentHost host;
    /** The catalogue in listing order, swapped whole by {@link #refresh} after every change; reads take no lock. */
    private volatile Map<String, MockTool> tools = Map.of();

    /** A mock without {@code pull}, with the default limits. */
    public MockComponent() {
        this(builder());
    }

    /** A mock whose {@code pull} operation fetches tools with {@code puller} (an MCP client), with the default limits. */
    public MockComponent(Puller puller) {
        this(builder().withPuller(puller));
    }

    private MockComponent(Builder b) {
        this.puller = b.puller;
        this.maxResponseChars = b.maxResponseChars;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Mock tools from MCP schemas: templated answers and argument-specific fixtures";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STATE);
    }

    @Override
    public void attach(ComponentHost host) {
        this.host = host;
        this.catalogue = host.global();
        refresh();
    }

    @Override
    public List<Tool> tools() {
        return List.copyOf(tools.values());
    }

    @Override
    public Optional<Tool> tool(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    @Override
    public Map<String, Operation> operations() {
        return Map.of(
                "load-schema", this::loadSchema,
                "pull", this::pull,
                "update-response", this::updateResponse,
                "add-fixture", this::addFixture,
                "list-tools", (body, params) -> listTools(),
                "clear", this::clear,
                "load-data", this::loadData);
    }

    /**
     * Rebuilds {@link #tools} from the store. Serialized: each change refreshes after its write, so the
     * last refresh to run reads every finished write; unserialized, an earlier read could be assigned
     * last and hide tools that another load had just added.
     */
    private synchronized void refresh() {
        List<MockRecord> records = new ArrayList<>();
        catalogue.entries().values().forEach(bytes -> records.add(MockRecord.fromBytes(bytes)));
        records.sort((a, b) -> Long.compare(a.order(), b.order()));
        Map<String, MockTool> fresh = new LinkedHashMap<>();
        Map<String, MockTool> old = tools;
        for (MockRecord record : records) {
            MockTool existing = old.get(record.name());
            // Unchanged tools keep their object: nothing to parse again.
            fresh.put(record.name(), existing != null && existing.record().equals(record) ? existing : new MockTool(record, maxResponseChars));
        }
        tools = fresh;
    }

    /** {@code load-schema}: MCP {@code {tools:[...]}} or a bare array, JSON or YAML. {@code ?replace=true} drops kept responses. */
    private JsonNode loadSchema(String body, Map<String, String> params) {
        JsonNode doc = parseJsonOrYaml(body);
        JsonNode list = doc.isArray() ? doc : doc.path("tools");
        if (!list.isArray()) {
            throw invalid("Expected {\"tools\": [...]} or a bare array of MCP tool definitions");
        }
        boolean replace = Boolean.parseBoolean(params.getOrDefault("replace", "false")) || doc.path("replace").asBoolean(false);
        List<JsonNode> tools = new ArrayList<>();
        list.forEach(tools::add);
        return load(tools, replace);
    }

    /** {@code pull}: {@code {url, headers?}}: the tools of a live MCP server (Streamable HTTP), loaded as by load-schema. */
    private JsonNode pull(String body, Map<String, String> params) {
        if (puller == null) {
            throw new SpindleException(HttpError.NotFound, "This server was built without an MCP client; use load-schema");
        }
        JsonNode request = jsonObject(body);
        JsonNode url = request.path("url");
        if (!url.isString() || !url.stringValue().matches("https?://.+")) {
            throw invalid("url is required: the MCP server's Streamable HTTP endpoint, e.g. http://127.0.0.1:3001/mcp");
        }
        JsonNode given = request.path("headers");
        if (!given.isMissingNode() && !given.isNull() && !given.isObject()) {
            throw invalid("headers must be an object of header names to string values");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : given.properties()) {
            if (!header.getValue().isString()) {
                throw invalid("headers." + header.getKey() + " must be a string");
            }
            headers.put(header.getKey(), header.getValue().stringValue());
        }
        return load(new ArrayList<>(puller.pull(url.stringValue(), headers)), Boolean.parseBoolean(params.getOrDefault("replace", "false")));
    }

    private JsonNode load(List<JsonNode> list, boolean replace) {
        List<MockRecord> incoming = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            MockRecord record = MockRecord.parse(list.get(i), i, 0);
            ArgumentValidator.compile(record.definition());
            checkTemplates(record.name(), record.responses());
            incoming.add(record);
        }
        catalogue.write(data -> {
            long next = data.entries().values().stream().mapToLong(b -> MockRecord.fromBytes(b).order()).max().orElse(0);
            for (MockRecord record : incoming) {
                byte[] stored = data.get(record.name());
                MockRecord merged = stored == null
                        ? new MockRecord(record.name(), record.description(), record.inputSchema(), record.annotations(), record.responses(), ++next)
                        : MockRecord.fromBytes(stored).reloadedAs(record, replace);
                data.put(record.name(), merged.bytes());
            }
            return null;
        });
        refresh();
        ArrayNode names = Json.array();
        incoming.forEach(r -> names.add(r.name()));
        ObjectNode answer = Json.object().put("loaded", incoming.size());
        answer.set("tools", names);
        return answer;
    }

    /** {@code update-response}: {@code {name, mockResponse, session_id?}}. */
    private JsonNode updateResponse(String body, Map<String, String> params) {
        JsonNode request = jsonObject(body);
        String name = requiredName(request);
        if (!request.has("mockResponse")) {
            throw invalid("mockResponse is required: the answer template for " + name);
        }
        checkTemplate(name, request.get("mockResponse"));
        change(request, params, name, r -> r.withResponse(request.get("mockResponse")));
        return Json.object().put("updated", name);
    }

    /** {@code add-fixture}: {@code {name, match, response, session_id?}}. */
    private JsonNode addFixture(String body, Map<String, String> params) {
        JsonNode request = jsonObject(body);
        String name = requiredName(request);
        Fixture fixture = Responses.parseFixture(request);
        checkTemplate(name, fixture.response());
        Responses updated = change(request, params, name, r -> r.withFixture(fixture));
        return Json.object().put("tool", name).put("fixture_key", fixture.key()).put("total_fixtures", updated.fixtures().size());
    }

    /** {@code load-data}: DeepFabric's mock-data file ({@code mockResponses.<tool>.defaultResponse}, {@code fixtures.<tool>[]}) in one call. */
    private JsonNode loadData(String body, Map<String, String> params) {
        JsonNode data = parseJsonOrYaml(body);
        Set<String> named = new TreeSet<>();
        data.path("mockResponses").propertyNames().forEach(named::add);
        data.path("fixtures").propertyNames().forEach(named::add);
        List<String> unknown = named.stream().filter(n -> !tools.containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw new SpindleException(HttpError.NotFound, "Not in the catalogue: " + String.join(", ", unknown)
                    + ". Load their schemas first (load-schema); nothing was changed");
        }
        Map<String, UnaryOperator<Responses>> changes = new LinkedHashMap<>();
        int[] counts = new int[2];
        for (String name : named) {
            JsonNode response = data.path("mockResponses").path(name).get("defaultResponse");
            List<Fixture> fixtures = new ArrayList<>();
            data.path("fixtures").path(name).forEach(f -> fixtures.add(Responses.parseFixture(f)));
            Responses.checkErrorFixture(response);
            fixtures.forEach(f -> Responses.checkErrorFixture(f.response()));
            checkTemplates(name, new Responses(response, fixtures));
            counts[0] += response == null ? 0 : 1;
            counts[1] += fixtures.size();
            changes.put(name, r -> {
                Responses next = response == null ? r : r.withResponse(response);
                for (Fixture fixture : fixtures) {
                    next = next.withFixture(fixture);
                }
                return next;
            });
        }
        String session = sessionOf(data, params);
        if (session == null) {
            catalogue.write(d -> {
                changes.forEach((name, change) -> {
                    MockRecord record = stored(d, name);
                    d.put(name, record.withResponses(change.apply(record.responses())).bytes());
                });
                return null;
            });
            refresh();
        } else {
            host.session(session).write(d -> {
                changes.forEach((name, change) -> d.put(name, change.apply(Responses.parse(d.get(name))).bytes()));
                return null;
            });
        }
        return Json.object().put("responses", counts[0]).put("fixtures", counts[1]);
    }

    private JsonNode listTools() {
        ArrayNode list = Json.array();
        for (MockTool tool : tools.values()) {
            ObjectNode entry = Json.object().put("name", tool.definition().name()).put("description", tool.definition().description());
            entry.set("inputSchema", tool.definition().inputSchema());
            list.add(entry);
        }
        ObjectNode answer = Json.object();
        answer.set("tools", list);
        return answer;
    }

    /** {@code clear}: the whole catalogue, or with a session only that session's overlays. */
    private JsonNode clear(String body, Map<String, String> params) {
        String session = sessionOf(body.isBlank() ? Json.object() : jsonObject(body), params);
        KeyValueScope scope = session == null ? catalogue : host.session(session);
        scope.write(d -> {
            d.entries().keySet().forEach(d::delete);
            return null;
        });
        refresh();
        return Json.object().put("cleared", true);
    }

    /** Applies a change to the session's overlay (when a session is named) or to the catalogue. */
    private Responses change(JsonNode request, Map<String, String> params, String name, UnaryOperator<Responses> change) {
        requireTool(name);
        String session = sessionOf(request, params);
        if (session != null) {
            return host.session(session).write(d -> {
                Responses updated = change.apply(Responses.parse(d.get(name)));
                d.put(name, updated.bytes());
                return updated;
            });
        }
        Responses updated = catalogue.write(d -> {
            MockRecord record = stored(d, name);
            MockRecord changed = record.withResponses(change.apply(record.responses()));
            d.put(name, changed.bytes());
            return changed.responses();
        });
        refresh();
        return updated;
    }

    private void checkTemplates(String tool, Responses responses) {
        checkTemplate(tool, responses.mockResponse());
        responses.fixtures().forEach(f -> checkTemplate(tool, f.response()));
    }

    /** A template that could never be answered within the response limit is refused when stored. */
    private void checkTemplate(String tool, JsonNode template) {
        long size = template == null ? 0 : Json.write(template).length();
        if (size > maxResponseChars) {
            throw new SpindleException(ErrorType.InvalidArguments, "A response template of " + tool + " is " + size
                    + " characters of JSON; the server's mock response limit is " + maxResponseChars);
        }
    }

    /** The tool's record inside a write; a concurrent clear may have removed it since {@link #requireTool}. */
    private static MockRecord stored(KeyValueScope.Data data, String name) {
        byte[] bytes = data.get(name);
        if (bytes == null) {
            throw new SpindleException(HttpError.NotFound, "Tool not found: " + name + " (the catalogue was just cleared)");
        }
        return MockRecord.fromBytes(bytes);
    }

    private void requireTool(String name) {
        if (tools.isEmpty()) {
            throw invalid("No tools loaded. POST a schema to /mock/load-schema first");
        }
        if (!tools.containsKey(name)) {
            throw new SpindleException(HttpError.NotFound, "Tool not found: " + name);
        }
    }

    private static String sessionOf(JsonNode request, Map<String, String> params) {
        JsonNode given = request.get("session_id");
        if (given != null && !given.isNull()) {
            if (!given.isString()) {
                throw invalid("session_id must be a string");
            }
            return given.stringValue();
        }
        return params.get("session_id");
    }

    private static String requiredName(JsonNode request) {
        JsonNode name = request.path("name");
        if (!name.isString()) {
            throw invalid("name is required: the tool to change");
        }
        return name.stringValue();
    }

    private static JsonNode jsonObject(String body) {
        JsonNode json = Json.parse(body.isBlank() ? "{}" : body);
        if (!json.isObject()) {
            throw invalid("Request body must be a JSON object");
        }
        return json;
    }

    private static JsonNode parseJsonOrYaml(String body) {
        if (body.isBlank()) {
            throw invalid("The body is empty: send JSON or YAML");
        }
        try {
            return Json.parse(body);
        } catch (SpindleException notJson) {
            try {
                JsonNode yaml = YAML.readTree(body);
                if (yaml == null || yaml.isMissingNode() || yaml.isString()) {
                    throw notJson;
                }
                return yaml;
            } catch (JacksonException notYaml) {
                throw invalid("The body is neither JSON nor YAML: " + notYaml.getOriginalMessage());
            }
        }
    }

    private static SpindleException invalid(String message) {
        return new SpindleException(ErrorType.InvalidRequest, message);
    }

    /** A mock's options: its MCP client and how large an answer may grow. */
    public static final class Builder {
        private Puller puller;
        private long maxResponseChars = DEFAULT_MAX_RESPONSE_CHARS;

        private Builder() {}

        /** Enables {@code pull}: fetches the tools of a remote MCP server. */
        public Builder withPuller(Puller puller) {
            this.puller = puller;
            return this;
        }

        /**
         * Largest answer, in characters of JSON, that a template may render (rendering stops there with
         * {@code QuotaExceeded}); a larger template is refused when stored.
         */
        public Builder withMaxResponseChars(long characters) {
            if (characters <= 0) {
                throw new IllegalArgumentException("the mock response limit must be positive: " + characters);
            }
            this.maxResponseChars = characters;
            return this;
        }

        public MockComponent build() {
            return new MockComponent(this);
        }
    }
}
