package dev.spindle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConfigNodeTest {
    private static Problems problems(String yaml) {
        return new Problems(ConfigText.parse(yaml, "c.yaml"));
    }

    @Test
    void problemsNameTheLineOfTheKeyOrOfTheMappingAMissingKeyBelongsIn() {
        Problems problems = problems("""
                top: 1
                section:
                  size: big
                  items:
                    - {name: a}
                    -
                      name: [b]
                """);
        ConfigNode root = problems.root();
        root.integer("top", 0, 2, 3);
        ConfigNode section = root.section("section");
        section.integer("size", 0, 1, 9);
        section.requiredString("label");
        List<ConfigNode> items = section.items("items");
        items.forEach(item -> item.string("name", null));
        root.requiredString("absent");
        assertThat(problems.errors()).containsExactly(
                "line 1: top: must be a whole number from 2 to 3, not 1",
                "line 3: section.size: must be a whole number from 1 to 9, not 'big'",
                "line 2: section.label: is required",
                "line 7: section.items[1].name: must be text, not a list",
                "absent: is required");
    }

    @Test
    void unknownKeysAreWarnedWithAHintOrRefusedWithTheKnownKeys() {
        String yaml = "depth: 1\ndegre: 2\nscenario_seed: {}\nodd: 3\n";
        Problems lenient = new Problems(ConfigText.parse(yaml, "c.yaml"), Map.of(), Map.of("scenario_seed", "generation.tools.scenario_seed"));
        ConfigNode warned = lenient.root();
        warned.integer("depth", 1, 1, 5);
        warned.integer("degree", 1, 1, 5);
        warned.reportUnknown(Map.of("odd", "Spindle does not use it"));
        assertThat(lenient.errors()).isEmpty();
        assertThat(lenient.warnings()).containsExactly(
                "line 2: degre: unknown key, ignored; did you mean 'degree'?",
                "line 3: scenario_seed: unknown key, ignored; it belongs at generation.tools.scenario_seed",
                "line 4: odd: ignored: Spindle does not use it");

        Problems strict = problems(yaml);
        ConfigNode refused = strict.root();
        refused.integer("depth", 1, 1, 5);
        refused.integer("degree", 1, 1, 5);
        refused.expect(Set.of("scenario_seed"));
        assertThat(refused.refuseUnknown(Map.of())).isTrue();
        assertThat(strict.errors()).containsExactly(
                "line 2: unknown key 'degre'; did you mean 'degree'? known keys: degree, depth, scenario_seed",
                "line 4: unknown key 'odd'; known keys: degree, depth, scenario_seed");
    }

    @Test
    void aCommandLineOptionIsNamedInsteadOfTheKeyItSet() {
        Problems problems = new Problems(ConfigText.parse("output: {num_samples: 3}\n", "c.yaml"), Map.of("output.num_samples", "--num-samples"), Map.of());
        problems.root().section("output").integer("num_samples", 1, 5, 9);
        assertThat(problems.errors()).containsExactly("--num-samples: must be a whole number from 5 to 9, not 3");
    }

    @Test
    void textThatIsNotYamlOrHoldsANumberJsonCannotIsRefusedWithItsLine() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigText.parse("a: 1\nb: [unclosed\n", "c.yaml")).getMessage())
                .startsWith("c.yaml: line ").contains("is not valid YAML");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigText.parse("a:\n  - {value: .inf}\n", "c.yaml")).getMessage())
                .isEqualTo("c.yaml: line 2: a[0].value: '.inf' is not a number JSON can hold (no infinity or NaN)");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigText.parse("a: 1\n---\nb: 2\n", "c.yaml")).getMessage())
                .contains("is not valid YAML");
        assertThat(ConfigText.parse("", "c.yaml").tree().isMissingNode()).isTrue();
    }
}
