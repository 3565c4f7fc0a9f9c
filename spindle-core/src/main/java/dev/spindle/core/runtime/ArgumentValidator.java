package dev.spindle.core.runtime;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolDefinition;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Checks a call's arguments against its tool's {@code inputSchema} (draft 2020-12 unless the schema
 * names another dialect with {@code $schema}, e.g. draft-07). Schemas are compiled once, at
 * registration. Failures are {@code InvalidArguments} naming the argument and the rule.
 */
final class ArgumentValidator {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final Schema schema;

    ArgumentValidator(ToolDefinition definition) {
        this.schema = REGISTRY.getSchema(definition.inputSchema());
    }

    void check(String tool, JsonNode arguments) {
        List<Error> errors = schema.validate(arguments);
        if (errors.isEmpty()) {
            return;
        }
        throw new SpindleException(ErrorType.InvalidArguments,
                errors.stream().map(ArgumentValidator::describe).distinct().collect(Collectors.joining("; ")));
    }

    /** Reads like the reference's "Missing required argument: file_path" where it can, else names the path. */
    private static String describe(Error error) {
        String at = error.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
        return switch (error.getKeyword()) {
            case "required" -> "Missing required argument: " + error.getProperty();
            case "additionalProperties" -> "Unknown argument: " + error.getProperty();
            default -> "Invalid argument " + (at.isEmpty() ? "(arguments)" : at) + ": " + stripLocation(error.getMessage());
        };
    }

    private static String stripLocation(String message) {
        int colon = message.indexOf(": ");
        return colon >= 0 && message.startsWith("/") || message.startsWith("$") ? message.substring(colon + 2) : message;
    }
}
