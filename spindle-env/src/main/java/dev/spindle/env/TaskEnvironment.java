package dev.spindle.env;

import dev.spindle.core.ConfigException;
import dev.spindle.core.ErrorType;
import dev.spindle.core.ExposedTools;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.SessionAdmin;
import dev.spindle.core.runtime.ToolCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tasks as episodes over the runtime's {@link ToolCalls} and {@link SessionAdmin}, for the HTTP routes, the OpenEnv socket and
 * {@code spindle task check}: open a session seeded for a task, list and call the tools it allows, and grade
 * the session's final state. Sessions are ordinary runtime sessions (forked, traced, closed and expired as
 * any other); the caller closes them. The step budget is {@link Task#maxSteps()}; counting steps is the
 * caller's (a socket counts its own).
 *
 * <p>Determinism: the same task and seed open sessions with identical state ({@link SessionAdmin#stateDigest}
 * equal); the seed reaches the runtime as {@link SessionSpec#seed()}, for tools that draw from it.
 */
public final class TaskEnvironment {
    /** The seed {@link #check} runs with. */
    public static final long CHECK_SEED = 0;
    /** Where a verifier's {@code command} runs: the shell component's tool, by its names on the wire. */
    private static final String SHELL = "shell";
    private static final String BASH = "bash";
    private static final int CACHED_REFERENCES = 256;
    private static final String TIMEOUT = "timeout_ms";

    private final ToolCalls calls;
    private final SessionAdmin sessions;
    /** Tasks whose mock schemas are in the mock's catalogue already (by identity: a reloaded task loads again). */
    private final Set<Task> schemasLoaded = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    /** The reference run's outcome per task and seed, the least recently used dropped first. */
    private final Map<ReferenceKey, Evidence.Reference> references = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ReferenceKey, Evidence.Reference> eldest) {
            return size() > CACHED_REFERENCES;
        }
    });

    private record ReferenceKey(Task task, long seed) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ReferenceKey key && key.task == task && key.seed == seed;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(task) * 31 + Long.hashCode(seed);
        }
    }

    public <R extends ToolCalls & SessionAdmin> TaskEnvironment(R runtime) {
        this.calls = runtime;
        this.sessions = runtime;
    }

    /**
     * Loads every task's mock schemas now, so that one the mock refuses (a schema that does not compile, a
     * template over the limit) stops a server at start with a {@link ConfigException} naming the task file,
     * rather than failing its first episode.
     */
    public void prepare(TaskCatalog catalog) {
        for (Task task : catalog.tasks()) {
            try {
                loadSchemas(task);
            } catch (SpindleException e) {
                throw new ConfigException(task.source() + ": seed.mock.tools was refused by the mock: " + e.getMessage());
            }
        }
    }

    /**
     * Opens a session in the task's starting state: its files, its mock schemas (loaded into the mock's
     * shared catalogue on first use) and its mock responses and fixtures (for this session only).
     *
     * @param seed what the session's tools draw from; null for none
     * @param sessionId the session's id; null for a generated one ({@code Conflict} when taken)
     */
    public SessionInfo open(Task task, Long seed, String sessionId) {
        loadSchemas(task);
        SessionInfo info = sessions.openSession(new SessionSpec(sessionId, task.files(), null, seed));
        try {
            for (JsonNode data : task.mockData()) {
                loadData(task, ((ObjectNode) data).deepCopy().put("session_id", info.sessionId()));
            }
            return info;
        } catch (RuntimeException e) {
            sessions.closeSession(info.sessionId());
            throw mockRefused(task, e);
        }
    }

    /** Responses and fixtures for one session; when the mock's catalogue lost the task's tools (a clear), they are loaded again. */
    private void loadData(Task task, ObjectNode forSession) {
        try {
            calls.operate("mock", "load-data", forSession);
        } catch (SpindleException e) {
            if (e.type() != HttpError.NotFound || task.mockTools().isEmpty()) {
                throw e;
            }
            schemasLoaded.remove(task);
            loadSchemas(task);
            calls.operate("mock", "load-data", forSession);
        }
    }

    private void loadSchemas(Task task) {
        if (task.mockTools().isEmpty() || schemasLoaded.contains(task)) {
            return;
        }
        try {
            task.mockTools().forEach(document -> calls.operate("mock", "load-schema", document));
        } catch (RuntimeException e) {
            throw mockRefused(task, e);
        }
        schemasLoaded.add(task);
    }

    /** A task whose mock seed the runtime refuses cannot be played here: the server's configuration is at fault. */
    private static RuntimeException mockRefused(Task task, RuntimeException e) {
        if (e instanceof SpindleException refused && refused.type() == ErrorType.UnknownComponent) {
            return new ConfigException(task.source() + ": seeds mock tools, but this runtime has no mock component");
        }
        return e;
    }

    /**
     * The tools an agent may use in the task ({@link TaskTools}), in the runtime's order, under the names a
     * call reaches them by. Loads the task's mock schemas first, as {@link #open} does.
     */
    public List<ToolDefinition> tools(Task task) {
        List<ToolDefinition> tools = new ArrayList<>();
        offered(task, Set.of()).forEach((name, tool) -> tools.add(new ToolDefinition(name, tool.definition().description(),
                tool.definition().inputSchema(), tool.definition().annotations())));
        return tools;
    }

    /** The task's tools by the name each is offered under, {@code reserved} names prefixed (a protocol's own, such as OpenEnv's). */
    public Map<String, ExposedTools.Exposed> offered(Task task, Set<String> reserved) {
        loadSchemas(task);
        return TaskTools.offered(task, calls.components(), reserved);
    }

    /**
     * Runs one tool call in the task's session, as {@link ToolCalls#execute} does (traced), or answers
     * {@code UnknownTool} without running it when the task does not allow the tool.
     */
    public ToolResult call(Task task, String sessionId, String tool, JsonNode arguments) {
        Map<String, ExposedTools.Exposed> offered = offered(task, Set.of());
        ExposedTools.Exposed exposed = offered.get(tool);
        if (exposed != null) {
            String name = exposed.definition().name();
            return calls.execute(new ToolCall(sessionId, exposed.component(), name, arguments(task, exposed.component(), name, arguments)));
        }
        if (task.tools().isEmpty() && ScopedMockTools.visible(tool, task) != null) { // every tool is allowed but other tasks' copies
            return calls.execute(new ToolCall(sessionId, null, tool, arguments(task, null, tool, arguments)));
        }
        return ToolResult.unknownTool(tool, offered.keySet());
    }

    /**
     * A call's arguments in the task: with the task's {@code code_timeout_ms} as {@code timeout_ms} when the
     * tool takes one ({@code component}'s, or the first component's with that name) and the call gives none.
     */
    public JsonNode arguments(Task task, String component, String tool, JsonNode arguments) {
        if (task.codeTimeoutMs() == null || !takesTimeout(component, tool)) {
            return arguments;
        }
        if (arguments instanceof ObjectNode object) {
            return object.has(TIMEOUT) ? object : object.deepCopy().put(TIMEOUT, task.codeTimeoutMs());
        }
        // arguments that are not an object are refused by the runtime as they are
        return arguments == null || arguments.isNull() ? Json.object().put(TIMEOUT, task.codeTimeoutMs()) : arguments;
    }

    private boolean takesTimeout(String component, String tool) {
        return calls.components().stream().filter(c -> component == null || c.name().equals(component))
                .flatMap(c -> c.tools().stream()).filter(t -> t.name().equals(tool)).findFirst()
                .map(t -> t.inputSchema().path("properties").has(TIMEOUT)).orElse(false);
    }

    /**
     * Grades the session's current state by the task's verifier. {@code seed} is the one the session was
     * opened with: a {@code state_hash: reference} assertion compares with the reference solution run on a
     * fresh session of the same task and seed (kept for the next verdicts when the seed is given).
     * {@code UnknownSession} when there is no such session.
     */
    public Verdict verify(Task task, String sessionId, Long seed) {
        sessions.requireSession(sessionId);
        Evidence evidence = new Evidence(sessions.exportFiles(sessionId), task.files(), ScopedMockTools.declared(sessions.traceSnapshot(sessionId), task),
                once(() -> sessions.stateDigest(sessionId)), once(() -> reference(task, seed)),
                (command, timeout, report) -> runInCopy(sessionId, command, timeout, report));
        List<Verdict.Check> checks = new ArrayList<>();
        for (Task.Graded graded : task.verifier()) {
            Finding finding = graded.assertion().check(evidence);
            checks.add(new Verdict.Check(graded.name(), graded.assertion().kind(), graded.gate(), graded.weight(),
                    finding.passed(), finding.score(), finding.expected(), finding.actual(), finding.message()));
        }
        return Verdict.of(task.id(), checks);
    }

    /**
     * {@code spindle task check}: every name in the task's {@code tools} must exist, the reference solution
     * on a fresh session must score 1, and a session where nothing was done must score 0 (a task that pays
     * for doing nothing is broken). Both run with
     * seed {@value #CHECK_SEED}, on sessions closed afterwards.
     */
    public TaskCheck check(Task task) {
        SessionInfo solved = open(task, CHECK_SEED, null);
        try {
            String failure = solve(task, solved.sessionId());
            Verdict solvedVerdict = verify(task, solved.sessionId(), CHECK_SEED);
            SessionInfo idle = open(task, CHECK_SEED, null);
            try {
                return new TaskCheck(task.id(), TaskTools.unknown(task, calls.components()), failure, solvedVerdict, verify(task, idle.sessionId(), CHECK_SEED));
            } finally {
                sessions.closeSession(idle.sessionId());
            }
        } finally {
            sessions.closeSession(solved.sessionId());
        }
    }

    /** Runs the reference solution in the session; answers the first failure ("step 2 (edit_file): ...") or null. */
    private String solve(Task task, String sessionId) {
        for (int i = 0; i < task.solution().size(); i++) {
            Task.Step step = task.solution().get(i);
            ToolResult result = step.component() == null ? call(task, sessionId, step.tool(), step.args())
                    : calls.execute(new ToolCall(sessionId, step.component(), step.tool(), arguments(task, step.component(), step.tool(), step.args())));
            if (!result.success()) {
                return "step " + (i + 1) + " (" + step.tool() + ") failed with " + result.errorType() + ": " + result.result();
            }
        }
        return null;
    }

    private Evidence.Reference reference(Task task, Long seed) {
        ReferenceKey key = seed == null ? null : new ReferenceKey(task, seed);
        Evidence.Reference known = key == null ? null : references.get(key);
        if (known != null) {
            return known;
        }
        SessionInfo session = open(task, seed, null);
        Evidence.Reference reference;
        try {
            String failure = task.solution().isEmpty() ? "the task has no solution" : solve(task, session.sessionId());
            reference = new Evidence.Reference(failure == null ? sessions.stateDigest(session.sessionId()) : null, failure);
        } finally {
            sessions.closeSession(session.sessionId());
        }
        if (key != null) {
            references.put(key, reference);
        }
        return reference;
    }

    /**
     * A verifier's command, run by the shell's {@code bash} in a fork of the session closed afterwards, so
     * that neither the graded state nor the agent's trace sees it; from {@code /workspace} with a clean
     * environment, whatever directory and variables the agent's terminal left (a {@code PYTEST_ADDOPTS} it
     * exported must not change how its work is graded).
     */
    private Evidence.CommandRun runInCopy(String sessionId, String command, Duration timeout, String report) {
        String copy = sessions.forkSession(sessionId, null, null).sessionId();
        try {
            String clean = "cd /workspace && exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/user "
                    + "LANG=C.UTF-8 TERM=dumb /bin/bash --noprofile --norc -c '" + command.replace("'", "'\\''") + "'";
            ToolResult result = calls.execute(new ToolCall(copy, SHELL, BASH, Json.object().put("command", clean).put("timeout_ms", timeout.toMillis())));
            if (!result.success()) {
                return Evidence.CommandRun.failed(result.errorType() + ": " + result.result());
            }
            JsonNode answer = Json.parse(result.result());
            String reportText = report == null ? null : sessions.exportFiles(copy).get(report);
            return new Evidence.CommandRun(answer.path("exit_code").asInt(-1), answer.path("stdout").asString(""),
                    answer.path("stderr").asString(""), reportText, null);
        } finally {
            sessions.closeSession(copy);
        }
    }

    /** Computed on first use only: most verifiers need neither digest. */
    private static <T> Supplier<T> once(Supplier<T> compute) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            }
        };
    }
}
