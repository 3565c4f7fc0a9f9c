package dev.spindle.generator.tools;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ConfigException;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolService;
import dev.spindle.generator.config.GeneratorConfig.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What {@code generate} and {@code verify} both need from {@code generation.tools}: mock files
 * loaded into the service's mock component, the resolved tools, how calls run, and the seed files.
 */
public record ToolSetup(ToolBox tools, ToolRunner runner, Map<String, String> seed) {

    public static ToolSetup prepare(Tools settings, ToolService service, String source) {
        load(service, "load-schema", settings.mockTools(), "mock_tools", source);
        load(service, "load-data", settings.mockData(), "mock_data", source);
        List<ComponentInfo> served;
        try {
            served = service.components();
        } catch (SpindleException e) {
            throw new ConfigException(source, List.of("generation.tools.spin_endpoint: cannot list tools: " + e.getMessage()));
        }
        ToolBox tools = ToolBox.resolve(settings, served, source);
        ToolRunner runner = ToolRunner.on(service);
        if (settings.toolExecutePath() != null) {
            if (!(service instanceof SpindleClient client)) {
                throw new ConfigException(source, List.of("generation.tools.tool_execute_path: needs the tool service at spin_endpoint"));
            }
            runner = ToolRunner.atPath(client, settings.toolExecutePath());
        }
        return new ToolSetup(tools, runner, Seeds.files(settings.seed(), source));
    }

    /** Each file (JSON or YAML) is one operation on the mock component, all before the first sample. */
    private static void load(ToolService service, String operation, List<Path> files, String key, String source) {
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String where = "generation.tools." + key + "[" + i + "]: ";
            try {
                JsonNode body = new YAMLMapper().readTree(Files.readString(file)); // YAML is a superset of JSON
                service.operate("mock", operation, body);
            } catch (java.io.IOException e) {
                throw new ConfigException(source, List.of(where + "cannot read " + file + ": " + e.getMessage()));
            } catch (SpindleException e) {
                throw new ConfigException(source, List.of(where + file.getFileName() + " was refused: " + e.getMessage()));
            } catch (RuntimeException e) {
                throw new ConfigException(source, List.of(where + file + " is not JSON or YAML: " + e.getMessage()));
            }
        }
    }
}
