package dev.spindle.mock;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.HttpError;
import dev.spindle.core.Operation;
import dev.spindle.core.SpindleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * {@code pull}: {@code {url, headers?}}: the tools of a live MCP server (Streamable HTTP), loaded as by
 * load-schema. {@code puller} is the MCP client, null in a build without one; {@code grant} is where the
 * mock's outbound HTTP capability lets it reach, checked before any connection.
 */
record Pull(MockCatalogue catalogue, MockComponent.Puller puller, Supplier<AllowedHosts> grant) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        if (puller == null) {
            throw new SpindleException(HttpError.NotFound, "This server was built without an MCP client; use load-schema");
        }
        JsonNode request = MockRequest.object(body);
        JsonNode url = request.path("url");
        if (!url.isString() || !url.stringValue().matches("https?://.+")) {
            throw MockRequest.invalid("url is required: the MCP server's Streamable HTTP endpoint, e.g. http://127.0.0.1:3001/mcp");
        }
        Map<String, String> headers = headers(request.path("headers"));
        grant.get().check(url.stringValue());
        List<? extends JsonNode> definitions = puller.pull(url.stringValue(), headers);
        return LoadSchema.loaded(catalogue.load(definitions, MockRequest.replace(params)));
    }

    private static Map<String, String> headers(JsonNode given) {
        if (!given.isMissingNode() && !given.isNull() && !given.isObject()) {
            throw MockRequest.invalid("headers must be an object of header names to string values");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : given.properties()) {
            if (!header.getValue().isString()) {
                throw MockRequest.invalid("headers." + header.getKey() + " must be a string");
            }
            headers.put(header.getKey(), header.getValue().stringValue());
        }
        return headers;
    }
}
