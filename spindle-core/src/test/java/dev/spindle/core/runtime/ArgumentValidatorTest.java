package dev.spindle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolDefinition;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Timeout(60)
class ArgumentValidatorTest {
    private static final ObjectNode FLAT = Schema.object()
            .required("path", Schema.string("p", 1))
            .optional("recursive", Schema.bool("r", true))
            .optional("count", Json.object().put("type", "integer"))
            .build();

    private static final List<String> INPUTS = List.of(
            "{\"path\":\"a\"}", "{\"path\":\"\"}", "{\"path\":\"a\",\"recursive\":false}", "{\"path\":\"a\",\"recursive\":\"yes\"}",
            "{\"path\":null}", "{}", "{\"path\":\"a\",\"extra\":1}", "{\"path\":\"a\",\"count\":3}", "{\"path\":\"a\",\"count\":3.5}",
            "{\"path\":\"a\",\"count\":3.0}", "{\"path\":5}", "{\"path\":\"\uD83D\uDE00\"}", "[]", "\"text\"", "{\"path\":[\"a\"]}");

    @Test
    void aNumberBeyondTheValidatorsRangeIsInvalidArgumentsNotACrash() {
        ObjectNode bounded = Json.object().put("type", "object");
        bounded.putObject("properties").set("n", Json.object().put("type", "integer").put("minimum", 1).put("maximum", 100));
        ArgumentValidator validator = ArgumentValidator.compile(new ToolDefinition("t", "", bounded, null));
        for (String n : List.of("1e300", "-1e300", "123456789012345678901234567890")) {
            assertThatThrownBy(() -> validator.check(Json.parse("{\"n\":" + n + "}"))).as(n)
                    .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.InvalidArguments));
        }
    }

    @Test
    void theQuickCheckOnlyAcceptsWhatTheFullValidatorAccepts() {
        ArgumentValidator validator = ArgumentValidator.compile(new ToolDefinition("t", "", FLAT, null));
        var full = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(FLAT);
        int accepted = 0;
        for (String input : INPUTS) {
            JsonNode args = Json.parse(input);
            if (validator.quickAccept(args)) {
                accepted++;
                assertThat(full.validate(args)).as(input).isEmpty();
            }
        }
        assertThat(accepted).isEqualTo(4);
    }

    @Test
    void schemasWithOtherKeywordsAlwaysUseTheFullValidator() {
        ObjectNode withEnum = Schema.object().required("mode", Json.object().put("type", "string").set("enum", Json.array().add("a"))).build();
        ArgumentValidator validator = ArgumentValidator.compile(new ToolDefinition("t", "", withEnum, null));
        assertThat(validator.quickAccept(Json.parse("{\"mode\":\"b\"}"))).isFalse();
    }

    @Test
    void aSchemaThatCannotBeUsedIsRefusedWhenCompiledNamingTheToolAndTheProblem() {
        String[][] cases = {
                {"{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#/$defs/nope\"}}}", "$defs/nope"},
                {"{\"$schema\":\"http://example.com/unknown\",\"type\":\"object\"}", "$schema http://example.com/unknown is not a dialect"},
                {"{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"http://127.0.0.1:9/x.json\"}}}", "http://127.0.0.1:9/x.json"},
                {"{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"other.json\"}}}", "other.json"},
                {"{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\",\"pattern\":\"[\"}}}", "'['"},
                {"{\"$dynamicRef\":\"#meta\"}", "meta"},
                {"{\"$ref\":\"#\"}", "$ref cycle"}};
        for (String[] c : cases) {
            SpindleException e = catchThrowableOfType(SpindleException.class,
                    () -> ArgumentValidator.compile(new ToolDefinition("lookup", "", (ObjectNode) Json.parse(c[0]), null)));
            assertThat(e).as(c[0]).isNotNull();
            assertThat(e.type()).isEqualTo(ErrorType.InvalidArguments);
            assertThat(e.getMessage()).startsWith("The inputSchema of tool lookup cannot be used: ").contains(c[1])
                    .doesNotContain("java.").doesNotContain("Exception");
        }
    }

    @Test
    void aBacktrackingPatternAnswersTimeoutInsteadOfHoldingTheThread() {
        ObjectNode schema = (ObjectNode) Json.parse("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\",\"pattern\":\"^(.*a){12}$\"}}}");
        ArgumentValidator validator = ArgumentValidator.compile(new ToolDefinition("t", "", schema, null));
        validator.check(Json.parse("{\"x\":\"" + "a".repeat(12) + "\"}"));
        SpindleException e = catchThrowableOfType(SpindleException.class, () -> validator.check(Json.parse("{\"x\":\"" + "a".repeat(32) + "b\"}")));
        assertThat(e.type()).isEqualTo(ErrorType.Timeout);
        // Many items share one budget: 50 of them do not take 50 budgets.
        ObjectNode items = (ObjectNode) Json.parse("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"array\",\"items\":{\"pattern\":\"^(.*a){12}$\"}}}}");
        ArgumentValidator each = ArgumentValidator.compile(new ToolDefinition("t", "", items, null));
        String evil = "\"" + "a".repeat(32) + "b\"";
        long start = System.nanoTime();
        SpindleException many = catchThrowableOfType(SpindleException.class,
                () -> each.check(Json.parse("{\"x\":[" + String.join(",", Collections.nCopies(50, evil)) + "]}")));
        assertThat(many.type()).isEqualTo(ErrorType.Timeout);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ArgumentValidator.PATTERN_BUDGET.multipliedBy(5));
    }

    @Test
    void aRefCycleIsInvalidArgumentsNotACrash() {
        ObjectNode cyclic = (ObjectNode) Json.parse("{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#/$defs/a\"}},\"$defs\":{\"a\":{\"$ref\":\"#/$defs/a\"}}}");
        ArgumentValidator validator = ArgumentValidator.compile(new ToolDefinition("t", "", cyclic, null));
        validator.check(Json.parse("{}"));
        SpindleException e = catchThrowableOfType(SpindleException.class, () -> validator.check(Json.parse("{\"x\":1}")));
        assertThat(e.type()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(e.getMessage()).contains("$ref cycle");
    }

    @Test
    void aReferenceThatOnlyFailsWhenUsedIsInvalidArgumentsNotACrash() {
        ObjectNode nested = (ObjectNode) Json.parse("{\"type\":\"object\",\"properties\":{\"a\":{\"$dynamicRef\":\"#meta\"}}}");
        ArgumentValidator validator = ArgumentValidator.compile(new ToolDefinition("t", "", nested, null));
        SpindleException e = catchThrowableOfType(SpindleException.class, () -> validator.check(Json.parse("{\"a\":1}")));
        assertThat(e.type()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(e.getMessage()).contains("meta").doesNotContain("Exception");
    }
}
