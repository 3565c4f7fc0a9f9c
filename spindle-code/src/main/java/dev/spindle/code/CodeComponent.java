package dev.spindle.code;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Tool;
import java.time.Duration;
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
    /** How long a run may take when the call gives no {@code timeout_ms}, by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest {@code timeout_ms} a call, or the default, may be. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    private final List<Tool> tools;
    private final StatefulSandbox python;

    public CodeComponent() {
        this(builder());
    }

    private CodeComponent(Builder builder) {
        Sandbox javaScript = new JavaScriptSandbox();
        this.python = new PythonSandbox(builder.maxKeptInstances);
        Duration timeout = builder.defaultTimeout;
        this.tools = List.of(
                RunTool.inlineKeepingState("run_python", "Python", python, timeout),
                RunTool.file("run_python_file", "Python", python, timeout),
                RunTool.inline("run_javascript", "JavaScript", javaScript, timeout),
                RunTool.file("run_javascript_file", "JavaScript", javaScript, timeout));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxKeptInstances = DEFAULT_MAX_KEPT_INSTANCES;
        private Duration defaultTimeout = DEFAULT_TIMEOUT;

        private Builder() {}

        /** How many sessions may keep a Python instance at once; past it the least recently used loses its own. */
        public Builder maxKeptInstances(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxKeptInstances must be at least 1, got " + max);
            }
            this.maxKeptInstances = max;
            return this;
        }

        /** How long a run may take when the call gives no {@code timeout_ms}: 1 ms to {@link #MAX_TIMEOUT}. */
        public Builder defaultTimeout(Duration timeout) {
            if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("the default code timeout must be 1 ms to " + MAX_TIMEOUT.toSeconds() + " s, got " + timeout.toMillis() + " ms");
            }
            this.defaultTimeout = timeout;
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
