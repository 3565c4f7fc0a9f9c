package dev.spindle.code;

import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.vfs.VfsComponent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fresh process's first code calls, all at once the moment the runtime is built, each with a 1 s timeout
 * (far less than loading a sandbox takes): prints each answer as one JSON line, for {@link FirstCallsTest}.
 */
public final class FirstCalls {
    private FirstCalls() {}

    public static void main(String[] args) {
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withComponent(new CodeComponent()).build()) {
            runtime.openSession(new SessionSpec("file", Map.of("main.py", "print(sum(range(10)))"), null));
            List<ToolCall> calls = List.of( // at once, before any sandbox has loaded
                    call("py-1", "run_python", "code", "print(6 * 7)", false),
                    call("py-kept", "run_python", "code", "x = 1\nprint(x)", true),
                    call("file", "run_python_file", "file_path", "main.py", false),
                    call("js-1", "run_javascript", "code", "console.log(6 * 7)", false),
                    call("js-2", "run_javascript", "code", "console.log(JSON.stringify([1, 2]))", false));
            List<CompletableFuture<String>> answers = calls.stream()
                    .map(call -> CompletableFuture.supplyAsync(() -> answer(runtime.execute(call)))).toList();
            answers.forEach(answer -> System.out.println(answer.join()));
        }
    }

    private static String answer(ToolResult result) {
        return Json.write(Json.object().put("success", result.success()).put("result", result.result())
                .put("error_type", result.success() ? null : result.errorType().name()));
    }

    private static ToolCall call(String session, String tool, String key, String value, boolean keep) {
        ObjectNode arguments = Json.object().put(key, value).put("timeout_ms", 1000);
        if (keep) {
            arguments.put("keep_state", true);
        }
        return new ToolCall(session, null, tool, arguments);
    }
}
