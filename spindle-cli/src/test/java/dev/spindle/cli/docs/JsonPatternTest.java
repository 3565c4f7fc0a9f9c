package dev.spindle.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Json;
import org.junit.jupiter.api.Test;

/** The answers docs show: {@code ...} for what varies, everything else exactly. */
class JsonPatternTest {
    private static boolean matches(String pattern, String actual) {
        return JsonPattern.parse(pattern).mismatch(Json.parse(actual)).isEmpty();
    }

    @Test
    void membersAreExactlyThoseShownUnlessAnEllipsisAllowsMore() {
        assertThat(matches("{\"a\":1,\"b\":\"x\"}", "{\"b\":\"x\",\"a\":1}")).isTrue();
        assertThat(matches("{\"a\":1}", "{\"a\":1,\"b\":2}")).isFalse();
        assertThat(matches("{\"a\":1, ...}", "{\"a\":1,\"b\":2}")).isTrue();
        assertThat(matches("{\"a\":1, ...}", "{\"b\":2}")).isFalse();
        assertThat(matches("{...}", "{\"b\":{\"c\":[]}}")).isTrue();
    }

    @Test
    void aQuotedEllipsisIsAnyValueAndOneInsideAStringIsAnyText() {
        assertThat(matches("{\"id\":\"...\",\"n\":\"...\"}", "{\"id\":\"a1\",\"n\":[1]}")).isTrue();
        assertThat(matches("{\"store\":\"sqlite:/.../.spindle/state.db\"}", "{\"store\":\"sqlite:/tmp/x/.spindle/state.db\"}")).isTrue();
        assertThat(matches("{\"store\":\"sqlite:/.../.spindle/state.db\"}", "{\"store\":\"memory\"}")).isFalse();
    }

    @Test
    void anEllipsisInAnArrayIsAnyNumberOfElements() {
        assertThat(matches("[1, ...]", "[1]")).isTrue();
        assertThat(matches("[1, ...]", "[1,2,3]")).isTrue();
        assertThat(matches("[..., 3]", "[1,2,3]")).isTrue();
        assertThat(matches("[1, ...]", "[2,1]")).isFalse();
        assertThat(matches("[1]", "[1,2]")).isFalse();
    }

    @Test
    void numbersCompareByValueAndOtherValuesExactly() {
        assertThat(matches("{\"reward\":1.0}", "{\"reward\":1}")).isTrue();
        assertThat(matches("{\"reward\":1.0}", "{\"reward\":0.5}")).isFalse();
        assertThat(matches("{\"ok\":true}", "{\"ok\":\"true\"}")).isFalse();
        assertThat(matches("{\"x\":null}", "{\"x\":null}")).isTrue();
    }

    @Test
    void theMismatchSaysWhereAndWhatTheServerAnswered() {
        assertThat(JsonPattern.parse("{\"a\":{\"b\":[1,2]}}").mismatch(Json.parse("{\"a\":{\"b\":[1,3]}}")))
                .hasValueSatisfying(why -> assertThat(why).startsWith("/a/b: the doc shows [1,2] but the server answered [1,3]"));
    }

    @Test
    void textAfterTheAnswerIsKeptAndAnIncompleteAnswerRefused() {
        assertThat(JsonPattern.parse("{\"a\":1}      (HTTP 404)").trailing).isEqualTo("(HTTP 404)");
        assertThatThrownBy(() -> JsonPattern.parse("{\"a\":[1, 2}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonPattern.parse("{name, description}")).isInstanceOf(IllegalArgumentException.class);
    }
}
