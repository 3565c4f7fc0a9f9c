package dev.spindle.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private final Summary summary = new Summary(Path.of("out/data.jsonl"), 5, 1, 3, 6, false,
            new HashMap<>(Map.of("over_limit", 1, "llm", 1)), new HashMap<>(Map.of("over_limit", "max_per_query is 1", "llm", "HTTP 500")),
            new Summary.PerSample(2.33, 4), new Summary.PerSample(3.0, 5), 9, 2, new HashMap<>(Map.of("UnknownTool", 1, "FileNotFound", 2)),
            new HashMap<>(Map.of("read_file", new Summary.Tool(6, 0.412, 3.5, new HashMap<>(Map.of("FileNotFound", 2))),
                    "list_files", new Summary.Tool(2, 0.2, 0.25, Map.of()), "get_weather", new Summary.Tool(1, 0.001, 0.001, Map.of("UnknownTool", 1)))),
            new Summary.Llm(12, 1, 1200, 240), 1.5, 2.0);

    @Test
    void savesTheJsonKeysInOrderWithEachToolsFigures() {
        assertThat(Json.write(summary.toJson())).isEqualTo("{\"dataset\":\"out/data.jsonl\",\"requested\":5,\"already_present\":1,\"written\":3,"
                + "\"failed\":2,\"attempts\":6,\"interrupted\":false,\"failures\":{\"llm\":1,\"over_limit\":1},"
                + "\"failure_examples\":{\"llm\":\"HTTP 500\",\"over_limit\":\"max_per_query is 1\"},"
                + "\"steps_per_sample\":{\"mean\":2.33,\"max\":4},\"calls_per_sample\":{\"mean\":3.0,\"max\":5},\"tool_calls\":9,"
                + "\"duplicate_calls\":2,\"tool_errors\":{\"FileNotFound\":2,\"UnknownTool\":1},"
                + "\"tools\":{\"get_weather\":{\"calls\":1,\"p50_ms\":0.001,\"p99_ms\":0.001,\"errors\":{\"UnknownTool\":1}},"
                + "\"list_files\":{\"calls\":2,\"p50_ms\":0.2,\"p99_ms\":0.25,\"errors\":{}},"
                + "\"read_file\":{\"calls\":6,\"p50_ms\":0.412,\"p99_ms\":3.5,\"errors\":{\"FileNotFound\":2}}},"
                + "\"llm\":{\"requests\":12,\"retries\":1,\"input_tokens\":1200,\"output_tokens\":240},\"seconds\":1.5,\"samples_per_second\":2.0}");
    }

    @Test
    void rendersTheClosingLines() {
        assertThat(summary.render()).isEqualTo("""
                wrote 3 of 5 samples (1 were already there) to out/data.jsonl in 1.5 s
                  steps/sample 2.33 (max 4), calls/sample 3.0 (max 5), duplicate calls 2
                  tool errors {"FileNotFound":2,"UnknownTool":1}, LLM requests 12 (retries 1), tokens in/out 1200/240
                  get_weather: 1 calls, p50 0.001 ms, p99 0.001 ms, errors {"UnknownTool":1}
                  list_files: 2 calls, p50 0.2 ms, p99 0.25 ms
                  read_file: 6 calls, p50 0.412 ms, p99 3.5 ms, errors {"FileNotFound":2}
                  failed 2: {"llm":1,"over_limit":1}
                    llm: HTTP 500
                    over_limit: max_per_query is 1""");
        assertThat(summary.complete()).as("3 written + 1 already there of 5").isFalse();
    }
}
