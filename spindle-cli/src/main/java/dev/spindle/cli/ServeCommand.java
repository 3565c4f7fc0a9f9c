package dev.spindle.cli;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ConfigException;
import dev.spindle.core.Version;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.mock.MockOutbound;
import dev.spindle.generator.Verifier;
import dev.spindle.server.Offerings;
import dev.spindle.server.RecordVerifier;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import java.nio.file.Files;
import dev.spindle.server.openenv.EnvConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spindle serve}: the tool service on HTTP, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the tool service (Spin-compatible HTTP API).",
                "DeepFabric users: point spin_endpoint at http://localhost:3000."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "3000", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host;

    @Option(names = "--store", converter = Spindle.StoreConverter.class, defaultValue = "sqlite:.spindle/state.db", paramLabel = "STORE",
            description = {"Session state: memory (lost on exit), sqlite:PATH, or",
                    "redis://HOST:PORT, shared by every instance on it (user, password and database in the address as usual; rediss for TLS).",
                    "Default ${DEFAULT-VALUE} (relative to the working directory)."})
    String store;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "WebAssembly components to serve beside the built-ins (a Spin-style manifest).")
    Path manifest;

    @Option(names = "--session-ttl", defaultValue = "1h", paramLabel = "DURATION", converter = Sizes.DurationConverter.class,
            description = "Idle time after which a session is closed, e.g. 90s, 30m, 1h (default: ${DEFAULT-VALUE}).")
    Duration sessionTtl;

    @Option(names = "--token", defaultValue = "${env:SPINDLE_TOKEN}",
            description = "Bearer token required on every route but the health checks (default: $SPINDLE_TOKEN; none when unset).")
    String token;

    @Option(names = "--deny-path", paramLabel = "PATH",
            description = "Extra path that answers PermissionDenied (repeatable). Always denied unless --no-default-deny: /etc /proc /sys /dev /root /home /boot /var/run ~")
    List<String> denyPaths = new ArrayList<>();

    @Option(names = "--no-default-deny", description = "Drop the default deny-list; only --deny-path entries are denied.")
    boolean noDefaultDeny;

    @Option(names = "--max-file-size", defaultValue = "4MiB", paramLabel = "BYTES", converter = Sizes.ByteConverter.class,
            description = "Largest file in a session (default: ${DEFAULT-VALUE}).")
    long maxFileBytes;

    @Option(names = "--max-files", defaultValue = "10000", paramLabel = "N",
            description = "Most files and directories per session (default: ${DEFAULT-VALUE}).")
    int maxFiles;

    @Option(names = "--max-session-size", defaultValue = "64MiB", paramLabel = "BYTES", converter = Sizes.ByteConverter.class,
            description = "Most bytes of file content per session (default: ${DEFAULT-VALUE}).")
    long maxSessionBytes;

    @Option(names = "--max-body-size", defaultValue = "10MiB", paramLabel = "BYTES", converter = Sizes.ByteConverter.class,
            description = "Largest request body; larger answers 413 (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-mock-response", defaultValue = "1MiB", paramLabel = "CHARS", converter = Sizes.ByteConverter.class,
            description = "Largest answer a mock template may render, in characters of JSON (default: ${DEFAULT-VALUE}).")
    long maxMockResponse;

    @Option(names = "--handler-timeout", defaultValue = "2s", paramLabel = "DURATION", converter = Sizes.DurationConverter.class,
            description = "How long a mock tool's handler script may run; past it the call answers Timeout (default: ${DEFAULT-VALUE}).")
    Duration handlerTimeout;

    @Option(names = "--max-script-state", defaultValue = "1MiB", paramLabel = "BYTES", converter = Sizes.ByteConverter.class,
            description = "Largest state, in bytes of JSON, handler scripts keep per session (QuotaExceeded past it; default: ${DEFAULT-VALUE}).")
    long maxScriptState;

    @Option(names = "--code-timeout", defaultValue = "5s", paramLabel = "DURATION", converter = Sizes.DurationConverter.class,
            description = {"How long run_python and run_javascript may run when a call gives no timeout_ms",
                    "(at most 30s; loading the interpreters never counts; default: ${DEFAULT-VALUE})."})
    Duration codeTimeout;

    @Option(names = "--mock-outbound", paramLabel = "PATTERN", converter = Spindle.OutboundPatternConverter.class,
            description = {"Where /mock/pull may fetch from (repeatable),", "e.g. https://*:443 or http://10.0.0.5:*;",
                    "none for nowhere. The default is", "*://*:* *://127.0.0.1:* *://localhost:*.",
                    "Private and link-local addresses need an", "entry naming them."})
    List<String> mockOutbound = new ArrayList<>();

    @Mixin
    GitHubOptions github;

    @Mixin
    SandboxOptions sandbox;

    @Mixin
    ProfileOptions profiles;

    @Option(names = "--trace-limit", defaultValue = "1000", paramLabel = "N",
            description = "Calls kept in each session's trace, oldest dropped first; 0 keeps none (default: ${DEFAULT-VALUE}).")
    int traceLimit;

    @Option(names = "--max-snapshots", defaultValue = "1000", paramLabel = "N",
            description = {"Snapshots kept at once (they never expire);",
                    "past it a new one answers QuotaExceeded (default: ${DEFAULT-VALUE})."})
    int maxSnapshots;

    @Option(names = "--max-snapshot-bytes", paramLabel = "BYTES", converter = Sizes.ByteConverter.class,
            description = {"Bytes the stored snapshots may take at once, in the store;",
                    "past it a new one answers QuotaExceeded (default: 1GiB;", "on --store memory at most a quarter of the heap)."})
    Long maxSnapshotBytes;

    @Option(names = "--max-mcp-sessions", defaultValue = "1000", paramLabel = "N",
            description = "Most MCP sessions open at once on /mcp; past it initialize answers 503 (default: ${DEFAULT-VALUE}).")
    int mcpSessions;

    @Option(names = "--max-envs", defaultValue = "${env:MAX_CONCURRENT_ENVS:-512}", paramLabel = "N",
            description = "OpenEnv episodes open at once on /ws and /mcp; past it CAPACITY_REACHED (default: $MAX_CONCURRENT_ENVS, else 512).")
    int maxEnvs;

    @Option(names = "--env-idle-timeout", defaultValue = "10m", paramLabel = "DURATION", converter = Sizes.DurationConverter.class,
            description = "Close an OpenEnv episode and its socket after this long without a message (default: ${DEFAULT-VALUE}).")
    Duration envIdleTimeout;

    @Option(names = "--env-tool-timeout", defaultValue = "30s", paramLabel = "DURATION", converter = Sizes.DurationConverter.class,
            description = "An OpenEnv tool call running longer answers error_type timeout (default: ${DEFAULT-VALUE}).")
    Duration envToolTimeout;

    @Option(names = "--workers", defaultValue = "32", paramLabel = "N",
            description = "Threads for tool calls that may block: storage, slow tools (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--max-pending-calls", defaultValue = "1024", paramLabel = "N",
            description = "Calls running or waiting for a worker at once; more answer 503 Overloaded (default: ${DEFAULT-VALUE}).")
    int maxPendingCalls;

    @Option(names = "--compute-threads", paramLabel = "N",
            description = "Threads for compute calls: code runs, WebAssembly components, handler scripts (default: one per core).")
    Integer computeThreads;

    @Option(names = "--compute-queue", defaultValue = "256", paramLabel = "N",
            description = "Compute calls waiting for a compute thread at once; more answer 503 Overloaded (default: ${DEFAULT-VALUE}).")
    int computeQueue;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Open connections at once; more are closed at once (default: 10000, or 3/4 of the open-file limit if lower).")
    Integer maxConnections;

    @Option(names = "--idle-timeout", defaultValue = "120s", paramLabel = "DURATION", converter = Sizes.DurationConverter.class,
            description = "Close a connection after this long without traffic, even one waiting for a slow call (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN",
            description = "Browser origin allowed to call the server besides localhost ones, e.g. https://app.example (repeatable).")
    List<String> allowOrigins = new ArrayList<>();

    @Option(names = "--seed-root", paramLabel = "DIR",
            description = "Let POST /sessions seed from folders and git repositories: local ones under DIR, and remote git URLs (off by default).")
    Path seedRoot;

    @Option(names = "--tasks", paramLabel = "DIR",
            description = "Offer the tasks (*.task.yaml) in DIR or its subfolders on /tasks; see docs/tasks.md.")
    Path tasks;

    @Option(names = "--datasets", paramLabel = "DIR",
            description = "Folder whose JSONL datasets the web console at /ui/ lists and opens (uploads work without it).")
    Path datasets;

    @Option(names = "--dataset-config", paramLabel = "CONFIG",
            description = {"The generator config that made those datasets: the console's verify",
                    "button then seeds and routes as spindle verify --config does."})
    Path datasetConfig;

    @Option(names = {"-v", "--verbose"}, description = "Log more: each tool call (session, tool, outcome, duration), expired sessions, failed requests.")
    boolean verbose;

    /**
     * The console's verify button: the verify command's replay, set up as the generator config that made the
     * datasets says (seed files, tool routing, mock files), or, without one, each call going to whichever
     * component serves its tool in an empty session.
     */
    static RecordVerifier consoleVerifier(ToolRuntime runtime, Path datasetConfig) {
        Verifier verifier = VerifyCommand.verifier(runtime, VerifyCommand.toolsOf(datasetConfig), datasetConfig);
        return record -> verifier.check(record).toJson();
    }

    @Override
    public Integer call() throws InterruptedException {
        Logging.configure(verbose);
        checkOptions();
        List<String> deny = new ArrayList<>(noDefaultDeny ? List.of() : PathPolicy.DEFAULT_DENY);
        deny.addAll(denyPaths);
        AllowedHosts pullFrom = mockOutbound.isEmpty() ? MockOutbound.DEFAULT
                : MockOutbound.of(mockOutbound.stream().filter(p -> !p.equals("none")).toList());
        TaskCatalog catalog = tasks == null ? TaskCatalog.EMPTY : TaskCatalog.load(tasks);
        ToolRuntime.Builder builder = Spindle.runtime(Spindle.store(store), manifest, mock -> mock.withMaxResponseChars(maxMockResponse)
                        .withOutbound(pullFrom).withHandlerTimeout(handlerTimeout).withMaxStateBytes(maxScriptState),
                        code -> code.defaultTimeout(codeTimeout), github.config(), sandbox.open(), profiles.names())
                .withSessionTtl(sessionTtl)
                .withPathPolicy(new PathPolicy(deny))
                .withQuotas(new Quotas(maxFileBytes, maxFiles, maxSessionBytes))
                .withTraceLimit(traceLimit)
                .withMaxSnapshots(maxSnapshots)
                .withCompute(computeThreads == null ? Runtime.getRuntime().availableProcessors() : computeThreads, computeQueue);
        if (maxSnapshotBytes != null) {
            builder.withMaxSnapshotBytes(maxSnapshotBytes);
        }
        ToolRuntime runtime = builder.build();
        RecordVerifier recordVerifier;
        try {
            new TaskEnvironment(runtime).prepare(catalog);
            recordVerifier = consoleVerifier(runtime, datasetConfig);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        SpindleServer server;
        try {
            ServerConfig config = ServerConfig.DEFAULTS.withHost(host).withPort(port).withToken(token)
                    .withMaxBodyBytes(maxBodyBytes).withWorkers(workers).withMaxPendingCalls(maxPendingCalls).withSeedRoot(seedRoot)
                    .withAllowedOrigins(allowOrigins).withMcpSessions(mcpSessions).withIdleTimeoutSeconds(Math.clamp(idleTimeout.toSeconds(), 1, Integer.MAX_VALUE)).withDatasets(datasets)
                    .withEnvs(new EnvConfig(maxEnvs, envIdleTimeout, envToolTimeout));
            server = SpindleServer.start(runtime, maxConnections == null ? config : config.withMaxConnections(maxConnections),
                    Offerings.NONE.withTasks(catalog).withVerifier(recordVerifier));
        } catch (RuntimeException e) {
            runtime.close();
            String hint = String.valueOf(e.getMessage()).contains("in use") ? "; choose another with --port N, or --port 0 for any free one" : "";
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage() + hint, e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            runtime.close();
            System.err.println("spindle: stopped");
            stopped.countDown();
        }, "spindle-shutdown"));
        System.err.printf("spindle %s listening on http://%s:%d (store %s, components %s%s%s)%n",
                Version.CURRENT, host, server.port(), runtime.store().describe(),
                String.join(",", runtime.components().stream().map(ComponentInfo::name).toList()),
                catalog.size() == 0 ? "" : ", " + catalog.size() + " tasks", token == null ? "" : ", token required");
        stopped.await();
        return 0;
    }

    /** Numbers the converters cannot judge alone; every problem is named at once, before anything starts. */
    private void checkOptions() {
        List<String> problems = new ArrayList<>();
        if (port < 0 || port > 65535) {
            problems.add("--port must be 0 (any free port) to 65535, got " + port);
        }
        problems.addAll(github.problems());
        if (datasets != null && !Files.isDirectory(datasets)) {
            problems.add("--datasets must be a folder, and " + datasets + " is not one");
        }
        if (handlerTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add("--handler-timeout must be at most 10m (a mock answer, not a job), got " + handlerTimeout.toSeconds() + "s");
        }
        Spindle.codeTimeoutProblem(codeTimeout).ifPresent(problems::add);
        if (maxSnapshots < 1) {
            problems.add("--max-snapshots must be 1 or more, got " + maxSnapshots);
        }
        if (traceLimit < 0) {
            problems.add("--trace-limit must be 0 (keep no trace) or more, got " + traceLimit);
        }
        if (mcpSessions < 1) {
            problems.add("--max-mcp-sessions must be at least 1, got " + mcpSessions);
        }
        if (maxFiles < 1) {
            problems.add("--max-files must be at least 1, got " + maxFiles);
        }
        if (maxEnvs < 1) {
            problems.add("--max-envs (or MAX_CONCURRENT_ENVS) must be at least 1, got " + maxEnvs);
        }
        if (workers < 1) {
            problems.add("--workers must be at least 1, got " + workers);
        }
        if (computeThreads != null && computeThreads < 1) {
            problems.add("--compute-threads must be at least 1, got " + computeThreads);
        }
        if (computeQueue < 0) {
            problems.add("--compute-queue must be 0 (no waiting) or more, got " + computeQueue);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("serve", problems);
        }
    }
}
