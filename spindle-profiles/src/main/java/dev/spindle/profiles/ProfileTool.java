package dev.spindle.profiles;

import dev.spindle.core.Tool;
import dev.spindle.core.ToolDefinition;

/**
 * A tool of a profile: its definition is the harness's, read from a JSON resource beside the class
 * ({@code Read.json} for {@code Read}: {@code {name, description, inputSchema}}), so the schema a model is
 * shown is exactly the deployed one.
 */
public abstract class ProfileTool implements Tool {
    private final ToolDefinition definition;

    protected ProfileTool(String name) {
        this.definition = ToolDefinitions.resource(getClass(), name);
    }

    @Override
    public final ToolDefinition definition() {
        return definition;
    }
}
