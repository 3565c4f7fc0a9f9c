package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolContext;
import dev.spindle.core.Workload;

/**
 * {@code TodoWrite {todos: [{content, status, id}]}}: replaces the session's todo list, kept in the
 * component's state (key {@value #KEY}) so it forks and snapshots with the session.
 */
final class TodoWriteTool extends ClaudeCodeTool {
    static final String KEY = "todos";
    static final int MAX_BYTES = 64 * 1024;

    TodoWriteTool() {
        super("TodoWrite");
    }

    @Override
    public Workload workload() {
        return Workload.SESSION_DATA;
    }

    @Override
    String run(ToolContext context, Arguments args) {
        byte[] todos = Json.writeBytes(args.json().path("todos"));
        if (todos.length > MAX_BYTES) {
            throw new SpindleException(ErrorType.QuotaExceeded, "The todo list is " + todos.length + " bytes of JSON; the limit is " + MAX_BYTES
                    + ". Keep each todo short and drop completed ones");
        }
        context.state().write(data -> {
            data.put(KEY, todos);
            return null;
        });
        return "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable";
    }
}
