package dev.spindle.code;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Tool;
import dev.spindle.sandbox.Sandboxes;
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
    private final Backend pythonBackend;
    private final Backend javaScriptBackend;

    /** Where code runs: the sandbox's own python3 and node, or interpreters compiled to WebAssembly inside Spindle. */
    public enum Backend {
        NATIVE, WASM;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public CodeComponent() {
        this(builder());
    }

    private CodeComponent(Builder builder) {
        this.pythonBackend = builder.python;
        this.javaScriptBackend = builder.javaScript;
        Sandbox javaScript = javaScriptBackend == Backend.NATIVE ? new NativeJavaScript(builder.sandboxes) : new JavaScriptSandbox();
        this.python = pythonBackend == Backend.NATIVE ? new NativePython(builder.sandboxes, builder.maxKeptInstances) : new PythonSandbox(builder.maxKeptInstances);
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
        private Sandboxes sandboxes;
        private Backend python = Backend.WASM;
        private Backend javaScript = Backend.WASM;

        private Builder() {}

        /**
         * Runs Python and JavaScript natively in {@code sandboxes} where it has a sandbox (and the root has
         * {@code python3} and {@code node}), else in WebAssembly, unless {@link #python}/{@link #javaScript} say otherwise.
         */
        public Builder withSandboxes(Sandboxes sandboxes) {
            this.sandboxes = sandboxes;
            boolean native_ = sandboxes.sandbox().isPresent();
            this.python = native_ && sandboxes.sandbox().get().root().find("python3").isPresent() ? Backend.NATIVE : Backend.WASM;
            this.javaScript = native_ && sandboxes.sandbox().get().root().find("node").isPresent() ? Backend.NATIVE : Backend.WASM;
            return this;
        }

        /** Chooses where Python runs; {@code NATIVE} needs {@link #withSandboxes} with a working sandbox. */
        public Builder python(Backend backend) {
            this.python = requireSandbox(backend, "--python native");
            return this;
        }

        public Builder javaScript(Backend backend) {
            this.javaScript = requireSandbox(backend, "--javascript native");
            return this;
        }

        private Backend requireSandbox(Backend backend, String what) {
            if (backend == Backend.NATIVE && (sandboxes == null || sandboxes.sandbox().isEmpty())) {
                throw new dev.spindle.core.ConfigException(what + " needs a namespace sandbox, and this host has none: "
                        + (sandboxes == null ? "none was given" : sandboxes.unavailable()));
            }
            return backend;
        }

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
        return "Code execution over the session's files: Python " + describe(pythonBackend) + ", JavaScript " + describe(javaScriptBackend);
    }

    private static String describe(Backend backend) {
        return backend == Backend.NATIVE ? "native (python3/node in a namespace sandbox)" : "in WebAssembly";
    }

    /** Where each language runs, for /health and /components. */
    public java.util.Map<String, String> backends() {
        return java.util.Map.of("python", pythonBackend.label(), "javascript", javaScriptBackend.label());
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
