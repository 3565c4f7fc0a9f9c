package dev.spindle.code;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Tool;
import java.util.List;
import java.util.Set;

/**
 * Code execution over the session's files, in WebAssembly: no network, no host filesystem, a timeout
 * and a memory cap per run. What the code prints and how it ended come back as the tool's answer.
 */
public final class CodeComponent implements Component {
    public static final String NAME = "code";

    /** Python instances kept for sessions (keep_state) by default; each holds about 31 MB. */
    public static final int DEFAULT_MAX_KEPT_INSTANCES = 16;

    private final List<Tool> tools;
    private final StatefulSandbox python;

    public CodeComponent() {
        this(builder());
    }

    private CodeComponent(Builder builder) {
        Sandbox javaScript = new JavaScriptSandbox();
        this.python = new PythonSandbox(builder.maxKeptInstances);
        this.tools = List.of(
                RunTool.inlineKeepingState("run_python", "Python", python),
                RunTool.file("run_python_file", "Python", python),
                RunTool.inline("run_javascript", "JavaScript", javaScript),
                RunTool.file("run_javascript_file", "JavaScript", javaScript));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxKeptInstances = DEFAULT_MAX_KEPT_INSTANCES;

        private Builder() {}

        /** How many sessions may keep a Python instance at once; past it the least recently used loses its own. */
        public Builder maxKeptInstances(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxKeptInstances must be at least 1, got " + max);
            }
            this.maxKeptInstances = max;
            return this;
        }

        public CodeComponent build() {
            return new CodeComponent(this);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Code execution in WebAssembly sandboxes over the session's files";
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.SESSION_FILES);
    }

    @Override
    public void sessionClosed(String sessionId) {
        python.forget(sessionId);
    }
}
