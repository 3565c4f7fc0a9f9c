package dev.spindle.generator.tools;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.ToolDefinition;
import dev.spindle.generator.config.GeneratorConfig.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The tools of a run, resolved before any LLM call: {@code builtin} names from the VFS component,
 * other components' names from {@code tools_endpoint} or, without one, from what the tool service
 * itself serves, then {@code custom} tools. A listed name that exists nowhere is an error naming its
 * key path (DeepFabric drops it silently). Order is config order; the first of two equal names wins.
 */
public final class ToolBox {
    private final List<AgentTool> tools;
    private final Map<String, AgentTool> byName = new LinkedHashMap<>();

    public ToolBox(List<AgentTool> tools) {
        this.tools = List.copyOf(tools);
        tools.forEach(tool -> byName.putIfAbsent(tool.name(), tool));
    }

    public List<AgentTool> all() {
        return tools;
    }

    public Optional<AgentTool> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<String> names() {
        return byName.keySet();
    }

    public static ToolBox resolve(Tools config, List<ComponentInfo> served, String source) {
        List<String> problems = new ArrayList<>();
        List<AgentTool> out = new ArrayList<>();
        Map<String, ToolDefinition> fromEndpoint = null;
        for (Map.Entry<String, List<String>> entry : config.components().entrySet()) {
            String key = entry.getKey();
            String component = key.equals("builtin") ? "vfs" : key;
            Map<String, ToolDefinition> known;
            if (!key.equals("builtin") && config.toolsEndpoint() != null) {
                if (fromEndpoint == null) {
                    fromEndpoint = fetch(config.toolsEndpoint(), source);
                }
                known = fromEndpoint;
            } else {
                known = served(served, component);
                if (known == null) {
                    problems.add("generation.tools.components." + key + ": the tool service has no component '" + component + "'"
                            + (key.equals("builtin") ? "" : "; set generation.tools.tools_endpoint or serve that component"));
                    continue;
                }
            }
            List<String> names = entry.getValue();
            for (int i = 0; i < names.size(); i++) {
                ToolDefinition definition = known.get(names.get(i));
                if (definition == null) {
                    problems.add("generation.tools.components." + key + "[" + i + "]: no tool '" + names.get(i) + "' in "
                            + (known == fromEndpoint ? config.toolsEndpoint() : "component " + component) + " (it has: " + String.join(", ", known.keySet()) + ")");
                } else {
                    out.add(new AgentTool(definition, config.toolExecutePath() != null ? null : component));
                }
            }
        }
        for (int i = 0; i < config.custom().size(); i++) {
            JsonNode tool = config.custom().get(i);
            String component = tool.path("component").isString() ? tool.get("component").stringValue() : null;
            out.add(new AgentTool(ToolFormats.toMcp(tool), component));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new ToolBox(out);
    }

    private static Map<String, ToolDefinition> served(List<ComponentInfo> served, String component) {
        for (ComponentInfo info : served) {
            if (info.name().equals(component)) {
                Map<String, ToolDefinition> byName = new LinkedHashMap<>();
                info.tools().forEach(tool -> byName.put(tool.name(), tool));
                return byName;
            }
        }
        return null;
    }

    /** {@code tools_endpoint}: {@code {"tools":[...]}} or a bare list, each tool in MCP, native or OpenAI form. */
    private static Map<String, ToolDefinition> fetch(String url, String source) {
        String where = "generation.tools.tools_endpoint: ";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ConfigException(source, List.of(where + url + " answered HTTP " + response.statusCode()));
            }
            JsonNode body = Json.parse(response.body());
            JsonNode list = body.isArray() ? body : body.path("tools");
            if (!list.isArray()) {
                throw new ConfigException(source, List.of(where + url + " did not answer a tool list"));
            }
            Map<String, ToolDefinition> byName = new LinkedHashMap<>();
            list.forEach(tool -> byName.putIfAbsent(tool.path("name").asString(), ToolFormats.toMcp(tool)));
            return byName;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(source, List.of(where + "cannot fetch " + url + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(source, List.of(where + "interrupted"));
        } catch (RuntimeException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException(source, List.of(where + url + " did not answer JSON: " + e.getMessage()));
        }
    }
}
