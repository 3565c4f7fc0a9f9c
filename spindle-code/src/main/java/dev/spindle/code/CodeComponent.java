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

    private final List<Tool> tools;

    public CodeComponent() {
        Sandbox javaScript = new JavaScriptSandbox();
        Sandbox python = new PythonSandbox();
        this.tools = List.of(
                RunTool.inline("run_python", "Python", python),
                RunTool.file("run_python_file", "Python", python),
                RunTool.inline("run_javascript", "JavaScript", javaScript),
                RunTool.file("run_javascript_file", "JavaScript", javaScript));
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
}
