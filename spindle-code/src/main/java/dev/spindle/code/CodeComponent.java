package dev.spindle.code;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.Tool;
import dev.spindle.sandbox.RootFilesystem;
import dev.spindle.sandbox.Sandboxes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Code execution over the session's files: natively (the sandbox root's python3 and node, in a namespace
 * sandbox over the session's workspace) or in WebAssembly; either way no network, no host filesystem, a
 * timeout and a memory cap per run. What the code prints and how it ended come back as the tool's answer.
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
    private final StatefulInterpreter python;
    private final Choice pythonBackend;
    private final Choice javaScriptBackend;

    /** Where code runs: the sandbox's own python3 and node, or interpreters compiled to WebAssembly inside Spindle. */
    public enum Backend {
        NATIVE, WASM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where one language runs and why there: the default for this host, or an option. */
    private record Choice(Backend backend, String why) {}

    public CodeComponent() {
        this(builder());
    }

    private CodeComponent(Builder builder) {
        this.pythonBackend = builder.python;
        this.javaScriptBackend = builder.javaScript;
        Interpreter javaScript = javaScriptBackend.backend() == Backend.NATIVE ? new NativeJavaScript(builder.sandboxes) : new WasmJavaScript();
        this.python = pythonBackend.backend() == Backend.NATIVE ? new NativePython(builder.sandboxes, builder.maxKeptInstances) : new WasmPython(builder.maxKeptInstances);
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
        private Sandboxes sandboxes;
        private Choice python = new Choice(Backend.WASM, "the default without a sandbox");
        private Choice javaScript = python;

        private Builder() {}

        /**
         * Runs Python and JavaScript natively in {@code sandboxes} where it has a sandbox (and the root has
         * {@code python3} and {@code node}), else in WebAssembly, unless {@link #python}/{@link #javaScript} say otherwise.
         */
        public Builder withSandboxes(Sandboxes sandboxes) {
            this.sandboxes = sandboxes;
            this.python = byDefault("python3");
            this.javaScript = byDefault("node");
            return this;
        }

        private Choice byDefault(String program) {
            if (sandboxes.sandbox().isEmpty()) {
                return new Choice(Backend.WASM, "the default where the host makes no sandbox: " + sandboxes.unavailable());
            }
            RootFilesystem root = sandboxes.sandbox().get().root();
            boolean found = root.find(program).isPresent();
            return new Choice(found ? Backend.NATIVE : Backend.WASM, "the default: the sandbox root (" + root.describe() + ") has "
                    + (found ? "" : "no ") + program);
        }

        /** Chooses where Python runs; {@code NATIVE} needs {@link #withSandboxes} with a working sandbox. */
        public Builder python(Backend backend) {
            this.python = chosen(backend, "--python");
            return this;
        }

        public Builder javaScript(Backend backend) {
            this.javaScript = chosen(backend, "--javascript");
            return this;
        }

        private Choice chosen(Backend backend, String option) {
            String what = option + " " + backend.label();
            if (backend == Backend.NATIVE && (sandboxes == null || sandboxes.sandbox().isEmpty())) {
                throw new ConfigException(what + " needs a namespace sandbox, and this host has none: "
                        + (sandboxes == null ? "none was given" : sandboxes.unavailable()));
            }
            return new Choice(backend, "chosen by " + what);
        }

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
        return "Code execution over the session's files: Python " + describe(pythonBackend) + ", JavaScript " + describe(javaScriptBackend);
    }

    private static String describe(Choice choice) {
        return choice.backend() == Backend.NATIVE ? "native (python3/node in a namespace sandbox)" : "in WebAssembly";
    }

    /** Where each language runs, for /health and /components. */
    public Map<String, String> backends() {
        return Map.of("python", pythonBackend.backend().label(), "javascript", javaScriptBackend.backend().label());
    }

    /** {@code {"python": {"backend": "native", "why": ...}, "javascript": {...}}}. */
    @Override
    public Optional<ObjectNode> health() {
        ObjectNode health = Json.object();
        health.putObject("python").put("backend", pythonBackend.backend().label()).put("why", pythonBackend.why());
        health.putObject("javascript").put("backend", javaScriptBackend.backend().label()).put("why", javaScriptBackend.why());
        return Optional.of(health);
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
