package dev.spindle.cli;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.Json;
import dev.spindle.generator.tools.ToolFormats;
import dev.spindle.mcp.McpToolFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@code spindle import-tools}: DeepFabric's command, fetching tool definitions from an MCP server. */
@Command(name = "import-tools", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fetch the tools of an MCP server (stdio or Streamable HTTP).",
                "Push them to a running Spindle's mock component (--spin) and/or save them to a file (--output)."})
final class ImportToolsCommand implements Callable<Integer> {
    enum Transport { stdio, http }

    enum Format { deepfabric, openai }

    @Option(names = "--transport", required = true, description = "stdio or http.")
    Transport transport;

    @Option(names = {"-c", "--command"}, description = "Command that starts a stdio server, e.g. \"npx -y @modelcontextprotocol/server-everything\".")
    String command;

    @Option(names = {"-e", "--endpoint"}, paramLabel = "URL", description = {"Streamable HTTP endpoint, e.g.", "http://localhost:3001/mcp."})
    String endpoint;

    @Option(names = {"-s", "--spin"}, paramLabel = "URL", description = "A running Spindle (or Spin service) to push the tools to, at URL/mock/load-schema.")
    String spin;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Save the tools: YAML for .yaml/.yml, JSON otherwise.")
    Path output;

    @Option(names = "--format", defaultValue = "deepfabric", description = "Format of --output: deepfabric or openai (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Environment variable for the stdio server (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(names = "--header", paramLabel = "KEY=VALUE", description = "HTTP header for the server (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds to wait for the server (default: ${DEFAULT-VALUE}); applies to stdio too.")
    double timeout;

    @Option(names = {"-v", "--verbose"}, description = "Also show the stdio server's own stderr (its banner, instructions) and Spindle's debug logs.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (spin == null && output == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give --spin URL and/or --output FILE: where should the tools go?");
        }
        Logging.configure(verbose);
        Duration wait = Duration.ofMillis((long) (timeout * 1000));
        List<ObjectNode> tools = switch (transport) {
            case stdio -> McpToolFetcher.overStdio(CommandSplitter.split(require(command, "--command")), pairs(env, "--env"), wait,
                    line -> {
                        if (verbose) { // a server's banner and instructions are noise unless something goes wrong
                            System.err.println("  server: " + line);
                        }
                    });
            case http -> McpToolFetcher.overHttp(require(endpoint, "--endpoint"), pairs(headers, "--header"), wait);
        };
        if (tools.isEmpty()) {
            System.err.println("spindle: the server lists no tools; nothing to import");
            return 0;
        }
        for (ObjectNode tool : tools) {
            String description = tool.path("description").asString("");
            System.out.printf("  %s (%d params): %s%n", tool.path("name").asString(), tool.path("inputSchema").path("properties").size(),
                    description.length() > 60 ? description.substring(0, 60) + "..." : description);
        }
        if (spin != null) {
            ObjectNode body = Json.object();
            body.putArray("tools").addAll(tools);
            try (SpindleClient client = SpindleClient.connect(spin).withTimeout(wait)) {
                JsonNode answer = client.operate("mock", "load-schema", body);
                System.out.printf("Pushed %d tools to %s/mock/load-schema%n", answer.path("loaded").asInt(), spin);
            }
        }
        if (output != null) {
            save(tools);
            System.out.printf("Saved %d tools to %s (%s format)%n", tools.size(), output, format);
        }
        return 0;
    }

    private void save(List<ObjectNode> tools) throws Exception {
        ArrayNode list = Json.array();
        tools.forEach(tool -> list.add(format == Format.openai ? ToolFormats.openai(tool) : ToolFormats.deepfabric(tool)));
        ObjectNode doc = Json.object();
        doc.set("tools", list);
        String name = output.getFileName().toString().toLowerCase();
        String text = name.endsWith(".yaml") || name.endsWith(".yml")
                ? YAMLMapper.builder().build().writeValueAsString(doc)
                : Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        Files.writeString(output, text);
    }

    private String require(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " is required with --transport " + transport);
        }
        return value;
    }

    private Map<String, String> pairs(List<String> given, String option) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : given) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + " '" + pair + "' must be KEY=VALUE");
            }
            pairs.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return pairs;
    }
}
