package dev.spindle.core.runtime;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolDefinition;
import java.io.FileNotFoundException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.exc.JsonNodeException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a call's arguments against its tool's {@code inputSchema} (draft 2020-12 unless the schema
 * names another dialect with {@code $schema}, e.g. draft-07). A schema is compiled whole, with every
 * {@code $ref} resolved, by {@link #compile}: a schema that cannot be used fails there, not at each
 * call. References only within the schema are followed (nothing is fetched). Failures are
 * {@code InvalidArguments} naming the argument and the rule; the schema's regular expressions share a
 * deadline per call and answer {@code Timeout} past it.
 *
 * <p>Most tool schemas are flat objects of strings and booleans. For those a quick check runs first
 * and, when it passes, the arguments are certainly valid; anything it is unsure of (and every failure,
 * for its message) goes to the full validator. The quick check only ever accepts, never rejects.
 */
public final class ArgumentValidator {
    /** How long the patterns of one call's validation may run in all. */
    static final Duration PATTERN_BUDGET = Duration.ofSeconds(1);
    private static final DeadlineRegularExpressions PATTERNS = new DeadlineRegularExpressions(PATTERN_BUDGET);
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder().regularExpressionFactory(PATTERNS).build()));
    private static final Set<String> FLAT_KEYWORDS = Set.of("type", "properties", "required", "additionalProperties", "description", "title");
    private static final Set<String> FLAT_PROPERTY_KEYWORDS = Set.of("type", "description", "default", "minLength", "title");

    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();
    private final Schema schema;
    /** Property name to its quick rule, or null when the schema is not flat enough for the quick check. */
    private final Map<String, Rule> flat;
    private final List<String> required;
    private final boolean closed;

    private record Rule(String type, int minLength) {
        boolean accepts(JsonNode value) {
            return switch (type) {
                case "string" -> value.isString() && value.stringValue().codePointCount(0, value.stringValue().length()) >= minLength;
                case "boolean" -> value.isBoolean();
                case "integer" -> value.isIntegralNumber();
                case "number" -> value.isNumber();
                default -> false;
            };
        }
    }

    private ArgumentValidator(Schema schema, ObjectNode input) {
        this.schema = schema;
        this.flat = flatRules(input);
        this.required = input.path("required").valueStream().map(JsonNode::asString).toList();
        this.closed = input.path("additionalProperties").isBoolean() && !input.path("additionalProperties").asBoolean();
    }

    /** The tool's schema compiled, or {@code InvalidArguments} naming the tool and what is wrong with it. */
    public static ArgumentValidator compile(ToolDefinition definition) {
        ObjectNode input = definition.inputSchema();
        try {
            Schema schema = REGISTRY.getSchema(input);
            schema.initializeValidators();
            // Some references ($dynamicRef) are resolved at their first use: use them once now.
            schema.validate(EMPTY);
            return new ArgumentValidator(schema, input);
        } catch (RuntimeException | StackOverflowError e) {
            throw new SpindleException(ErrorType.InvalidArguments, "The inputSchema of tool " + definition.name() + " cannot be used: " + problem(e, input));
        }
    }

    /** What the schema library found, said without its Java class names. */
    private static String problem(Throwable e, JsonNode input) {
        if (e instanceof StackOverflowError) {
            return "it refers to itself without end (a $ref cycle), or the arguments nest too deeply for it";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof FileNotFoundException && root.getMessage().equals(input.path("$schema").asString(null))) {
            return "$schema " + root.getMessage() + " is not a dialect this server knows (draft-04, -06, -07, 2019-09 or 2020-12)";
        }
        if (root instanceof FileNotFoundException) {
            return "$ref " + root.getMessage() + " cannot be resolved (only references within the schema are followed)";
        }
        if (root instanceof PatternSyntaxException bad) {
            return "the pattern '" + bad.getPattern() + "' is not a regular expression (" + bad.getDescription() + ")";
        }
        String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\b(?:[a-z]\\w*\\.)+[A-Z]\\w*: ", "");
        return message.isBlank() ? "it does not compile" : message;
    }

    private static Map<String, Rule> flatRules(ObjectNode input) {
        if (!input.path("type").asString("").equals("object") || !FLAT_KEYWORDS.containsAll(input.propertyNames())
                || !(input.path("additionalProperties").isMissingNode() || input.path("additionalProperties").isBoolean())) {
            return null;
        }
        Map<String, Rule> rules = new HashMap<>();
        for (Map.Entry<String, JsonNode> property : input.path("properties").properties()) {
            JsonNode spec = property.getValue();
            if (!FLAT_PROPERTY_KEYWORDS.containsAll(spec.propertyNames()) || !spec.path("type").isString()
                    || (spec.has("minLength") && !spec.path("minLength").isIntegralNumber())) {
                return null;
            }
            rules.put(property.getKey(), new Rule(spec.path("type").asString(), spec.path("minLength").asInt(0)));
        }
        return rules;
    }

    void check(JsonNode arguments) {
        if (quickAccept(arguments)) {
            return;
        }
        List<Error> errors;
        try {
            errors = PATTERNS.within(() -> schema.validate(arguments));
        } catch (JsonNodeException e) {
            // the schema library converts numbers to long for its limits: 1e300 against "minimum": 1 throws
            throw new SpindleException(ErrorType.InvalidArguments, "Invalid arguments: a number is too large to check against the schema's limits");
        } catch (SchemaException | StackOverflowError broken) {
            // A reference that fails only when used, a $ref cycle only some arguments reach, or arguments nested too deeply.
            throw new SpindleException(ErrorType.InvalidArguments, "The arguments could not be checked: the tool's inputSchema cannot be used: "
                    + problem(broken, schema.getSchemaNode()));
        }
        if (errors.isEmpty()) {
            return;
        }
        throw new SpindleException(ErrorType.InvalidArguments,
                errors.stream().map(ArgumentValidator::describe).distinct().collect(Collectors.joining("; ")));
    }

    /** True only when the arguments are certainly valid; false means "ask the full validator". */
    boolean quickAccept(JsonNode arguments) {
        if (flat == null || !arguments.isObject()) {
            return false;
        }
        for (String name : required) {
            if (!arguments.has(name)) {
                return false;
            }
        }
        for (Map.Entry<String, JsonNode> argument : arguments.properties()) {
            Rule rule = flat.get(argument.getKey());
            if (rule == null ? closed : !rule.accepts(argument.getValue())) {
                return false;
            }
        }
        return true;
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
        return colon >= 0 && (message.startsWith("/") || message.startsWith("$")) ? message.substring(colon + 2) : message;
    }
}
