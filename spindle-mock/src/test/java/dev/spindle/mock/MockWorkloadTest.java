package dev.spindle.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.Workload;
import dev.spindle.core.runtime.ToolRuntime;
import org.junit.jupiter.api.Test;

class MockWorkloadTest {
    @Test
    void aToolAnsweredByAHandlerScriptComputesAndATemplatedOneRunsOnAWorker() {
        MockComponent mock = MockComponent.builder().build();
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(mock).build()) {
            var tools = Json.array().add(Json.object().put("name", "scripted").put("handler", "return 1;"));
            tools.addObject().put("name", "templated").set("mockResponse", Json.object().put("ok", true));
            runtime.operate("mock", "load-schema", Json.object().set("tools", tools));
            assertThat(mock.tool("scripted").orElseThrow().workload()).isEqualTo(Workload.COMPUTE);
            assertThat(mock.tool("templated").orElseThrow().workload()).isEqualTo(Workload.OUTSIDE);
        }
    }
}
