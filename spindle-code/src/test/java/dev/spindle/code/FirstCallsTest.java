package dev.spindle.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Loading the sandboxes never counts against a call's timeout: in a fresh JVM (this one has them loaded
 * already), the first calls, all at once and each with 1 s, get their answers.
 */
@Timeout(300)
class FirstCallsTest {
    @Test
    void aFreshProcesssFirstCallsWithAShortTimeoutAllSucceed() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-XX:-DontCompileHugeMethods",
                "-cp", System.getProperty("java.class.path"), FirstCalls.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<JsonNode> answers = out.lines().map(Json::parse).toList();
        assertThat(answers).as(out).hasSize(5).allMatch(answer -> answer.path("success").asBoolean());
        assertThat(answers.stream().map(answer -> Json.parse(answer.path("result").asString()).path("stdout").asString()))
                .containsExactly("42\n", "1\n", "45\n", "42\n", "[1,2]\n");
    }
}
