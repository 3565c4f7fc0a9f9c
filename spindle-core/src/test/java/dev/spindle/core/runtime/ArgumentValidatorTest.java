package dev.spindle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

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
        ArgumentValidator validator = new ArgumentValidator(new ToolDefinition("t", "", bounded, null));
        for (String n : List.of("1e300", "-1e300", "123456789012345678901234567890")) {
            assertThatThrownBy(() -> validator.check("t", Json.parse("{\"n\":" + n + "}"))).as(n)
                    .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.InvalidArguments));
        }
    }

    @Test
    void theQuickCheckOnlyAcceptsWhatTheFullValidatorAccepts() {
        ArgumentValidator validator = new ArgumentValidator(new ToolDefinition("t", "", FLAT, null));
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
        ArgumentValidator validator = new ArgumentValidator(new ToolDefinition("t", "", withEnum, null));
        assertThat(validator.quickAccept(Json.parse("{\"mode\":\"b\"}"))).isFalse();
    }
}
