package dev.spindle.core.runtime;

import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.ComponentHost;
import dev.spindle.core.Operation;
import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionPage;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SnapshotInfo;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolResult;
import dev.spindle.core.ToolService;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.TraceSnapshot;
import dev.spindle.core.Workload;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import dev.spindle.core.store.KeyValueScope;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.core.store.ObservedStore;
import dev.spindle.core.store.StoreObserver;
import dev.spindle.core.store.Usage;
import dev.spindle.core.text.Text;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The heart of Spindle, usable with no server: components and their tools, sessions, argument
 * validation, the call trace. The HTTP server, the MCP server and the generator are thin adapters
 * over it. Build one with {@link #builder()}.
 */
public final class ToolRuntime implements ToolService {
    private static final Logger LOG = Logger.getLogger(ToolRuntime.class.getName());

    /** The store as given, timed for metrics ({@link #observeStore}). */
    private final ObservedStore store;
    private final PathPolicy pathPolicy;
    private final Quotas quotas;
    private final Map<String, Component> components;
    /** What each component was granted, by component name. */
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    /** Compiled argument schemas; far more than any catalogue holds at once. */
    private final ValidatorCache validators = new ValidatorCache(4_096);
    private final Sessions sessions;
    private final StoredSessionList storedSessions;
    private final Snapshots snapshots;
    /** Where {@link Workload#COMPUTE} calls run. */
    private final ComputePool compute;
    /** Sweeps idle sessions and runs the components' chores ({@link ComponentHost#every}). */
    private final ScheduledExecutorService background;
    /** Done once the snapshot ledger has been mended at start; a new snapshot waits for it, so that it counts them all. */
    private final CompletableFuture<Void> snapshotsCounted;
    private volatile CallObserver observer = CallObserver.NONE;
    /** What the composition root handed over to close with the runtime (the sandboxes' workspaces), in order. */
    private final List<AutoCloseable> owned;

    /** Where components keep state that belongs to no session; session ids cannot start with NUL. */
    static final String GLOBAL_PARTITION = "\u0000global";

    private ToolRuntime(Builder b) {
        this.store = new ObservedStore(b.store);
        this.pathPolicy = b.pathPolicy;
        this.quotas = b.quotas;
        this.components = b.components;
        this.owned = List.copyOf(b.owned);
        this.sessions = new Sessions(store, b.sessionTtl, b.sweepInterval, b.traceLimit, this::tellSessionClosed);
        this.storedSessions = new StoredSessionList(store, sessions);
        this.snapshots = new Snapshots(store, pathPolicy, quotas, components.keySet(), b.traceLimit,
                new SnapshotLedger(store, b.maxSnapshots, b.maxSnapshotBytes));
        this.compute = new ComputePool(b.computeThreads, b.computeQueue);
        // two threads: a sweep waiting on a slow store does not hold the components' chores back; made before
        // the components attach, as they may ask for chores then
        this.background = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("spindle-background-", 0).factory());
        components.values().forEach(c -> hosts.put(c.name(), new Host(c)));
        components.values().forEach(c -> c.attach(hosts.get(c.name())));
        long every = b.sweepInterval.toMillis();
        background.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        this.snapshotsCounted = CompletableFuture.runAsync(this::reconcileSnapshots, background);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A component failing to forget a session must not fail the close, nor keep others from hearing of it. */
    private void tellSessionClosed(String sessionId) {
        for (Component component : components.values()) {
            try {
                component.sessionClosed(sessionId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=session_closed_hook_failed component=" + component.name(), e);
            }
        }
    }

    private void sweep() {
        try {
            int expired = sessions.expire(System.currentTimeMillis());
            if (expired > 0) {
                LOG.fine(() -> "event=sessions_expired count=" + expired);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=sweep_failed", e);
        }
    }

    /** Off the start path: the store may be slow to answer, or not yet reachable (then the next start does it). */
    private void reconcileSnapshots() {
        try {
            snapshots.reconcile();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=snapshot_ledger_reconcile_failed", e);
        }
    }

    public KeyValueStore store() {
        return store;
    }

    public int sessionCount() {
        return sessions.count();
    }

    /** Compute calls (code, WebAssembly, scripts) running or waiting for a compute thread now. */
    public int computePending() {
        return compute.pending();
    }

    /** Who hears of every store operation (the server's metrics); replaces the previous one. */
    public void observeStore(StoreObserver observer) {
        store.observe(observer);
    }

    /** Who hears of every tool call (the server's metrics); replaces the previous one. */
    public void observeCalls(CallObserver observer) {
        this.observer = observer;
    }

    public boolean hasComponent(String name) {
        return components.containsKey(name);
    }

    /** How many compiled argument schemas are kept (bounded, whatever the catalogue's history). */
    int cachedValidators() {
        return validators.size();
    }



    /**
     * True when this call may block (store I/O, computing, or a tool that says it may): adapters must then run
     * it off their event loop, or hand it to {@link #executeAsync}, which does when it must. Unknown components
     * are quick to refuse; on this thread a store that can wait without blocking serves store-only tools.
     */
    public boolean mayBlock(String componentName, String toolName) {
        if (componentName != null && !components.containsKey(componentName)) {
            return false;
        }
        Target target = target(componentName, toolName);
        return needsThread(target) && !runsQuickly(target);
    }

    /** True when running the call on this thread could block it: store I/O the blocking way, or a tool that does more than store work. */
    private boolean needsThread(Target target) {
        return store.blocking() || target.tool != null && target.tool.workload() != Workload.SESSION_DATA;
    }

    /** True when the call keeps a core busy: it runs on the compute pool, whoever asks. */
    private static boolean computes(Target target) {
        return target.tool != null && target.tool.workload() == Workload.COMPUTE;
    }

    /**
     * True when the call can run as a {@link QuickCall} on this thread: the store waits without blocking here,
     * and the tool does nothing but work on its session's data in the store, so a run of it can be repeated.
     */
    private boolean runsQuickly(Target target) {
        return store.servesHere() && target.tool != null && target.tool.workload() == Workload.SESSION_DATA && !target.component.keepsSessionState();
    }

    /** The tool a call names and its component: the first component with that tool when none is named. */
    private record Target(Component component, Tool tool) {}

    private Target target(String componentName, String toolName) {
        if (componentName != null) {
            Component component = component(componentName);
            return new Target(component, component.tool(toolName).orElse(null));
        }
        for (Component candidate : components.values()) {
            Optional<Tool> tool = candidate.tool(toolName);
            if (tool.isPresent()) {
                return new Target(candidate, tool.get());
            }
        }
        return new Target(null, null);
    }

    /** Runs the call; a compute call on the compute pool, this thread waiting for it ({@code Overloaded} past its queue). */
    @Override
    public ToolResult execute(ToolCall call) {
        Target target = target(call.component(), call.tool());
        return computes(target) ? compute.run(() -> executeHere(target, call)) : executeHere(target, call);
    }

    private ToolResult executeHere(Target target, ToolCall call) {
        JsonNode args = arguments(call);
        Served served = sessions.inSession(call.sessionId(), target.tool == null || target.component.keepsSessionState(), session -> {
            Served done = serve(target, call.tool(), session, args, store);
            served(call.tool(), session.id, done);
            return done;
        }, (trace, done) -> trace.add(done.at, done.component, call.tool(), args, done.result, done.micros()));
        return served.result;
    }

    /**
     * Runs the call as {@link #execute} does, without holding this thread while a store that can wait without
     * blocking answers (a Redis store on a server's event loop: see {@link QuickCall}). A call that cannot run
     * so (a tool that does more than store work, a session not known here yet...) runs on {@code blocking}
     * when it may block, else here; a compute call runs on the compute pool, no thread waiting for it. The
     * stage may complete on another thread.
     */
    public CompletionStage<ToolResult> executeAsync(ToolCall call, Executor blocking) {
        try {
            Target target = target(call.component(), call.tool());
            if (computes(target)) {
                return elsewhere(call, compute);
            }
            Sessions.State state = runsQuickly(target) ? sessions.quickly(call.sessionId()) : null;
            if (state == null || !(state.trace instanceof StoredTrace trace)) {
                if (state != null) {
                    state.quickCallDone();
                }
                return needsThread(target) ? elsewhere(call, blocking) : completedFuture(execute(call));
            }
            JsonNode args = arguments(call);
            long start = System.nanoTime();
            CompletionStage<Served> quick;
            try {
                quick = new QuickCall<>(store, state.id, trace.log(), view -> serve(target, call.tool(), state, args, view),
                        done -> StoredTrace.entry(done.at, done.component, call.tool(), args, done.result, done.micros())).run();
            } catch (Throwable e) { // so that the call is counted out below whatever happens, an Error too
                quick = CompletableFuture.failedFuture(e);
            }
            return quick
                    .handle((done, failure) -> {
                        state.quickCallDone();
                        return failure == null ? done : storeFailed(target, call.tool(), state.id, failure, start);
                    })
                    .thenCompose(done -> {
                        if (done == null) {
                            return elsewhere(call, blocking);
                        }
                        served(call.tool(), state.id, done);
                        return completedFuture(done.result);
                    });
        } catch (Throwable e) { // the stage carries every failure, an Error (a bug) too: the adapter answers it
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A quick call the store failed (unreachable, say) answers as the tool would have on the blocking way:
     * with the store's error as the call's failure, untraced, since the trace is in the store too.
     */
    private static Served storeFailed(Target target, String toolName, String sessionId, Throwable failure, long start) {
        Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause() : failure;
        if (!(cause instanceof SpindleException e)) {
            throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
        }
        LOG.warning(() -> "event=trace_lost session=" + sessionId + " tool=" + toolName + " error=" + e.getMessage());
        return new Served(target.component.name(), ToolResult.failure(e), Instant.now(), System.nanoTime() - start);
    }

    /** Runs {@link #execute} on {@code executor}; what it or the call throws (overloaded, an Error...) fails the stage. */
    private CompletionStage<ToolResult> elsewhere(ToolCall call, Executor executor) {
        CompletableFuture<ToolResult> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(execute(call));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static JsonNode arguments(ToolCall call) {
        return call.arguments() == null || call.arguments().isNull() ? Json.object() : call.arguments();
    }

    /** One run of a call: its result, when it ended and how long it took. */
    private record Served(String component, ToolResult result, Instant at, long nanos) {
        long micros() {
            return nanos / 1000;
        }
    }

    /** Runs the call's tool (or answers that there is none) with {@code view} as its store. */
    private Served serve(Target target, String toolName, Sessions.State session, JsonNode args, KeyValueStore view) {
        long start = System.nanoTime();
        ToolResult result = target.tool == null ? unknownTool(toolName, target.component)
                : run(target.component, target.tool, session, args, view);
        return new Served(target.component == null ? null : target.component.name(), result, Instant.now(), System.nanoTime() - start);
    }

    /** Tells the observer (metrics) and the log of a call served, once. */
    private void served(String toolName, String sessionId, Served done) {
        ToolResult result = done.result;
        observer.called(done.component, toolName, result.success() ? null : result.errorType(), done.nanos);
        LOG.fine(() -> "event=tool_call session=" + sessionId + " component=" + done.component + " tool=" + toolName
                + " success=" + result.success() + (result.success() ? "" : " error_type=" + result.errorType()) + " duration_us=" + done.micros());
    }

    private Component component(String name) {
        Component component = components.get(name);
        if (component == null) {
            throw new SpindleException(ErrorType.UnknownComponent,
                    "Unknown component: " + name + ". Available: " + String.join(", ", components.keySet()));
        }
        return component;
    }

    private ToolResult unknownTool(String name, Component scope) {
        var names = (scope == null ? components.values().stream() : Stream.of(scope))
                .flatMap(c -> c.tools().stream()).map(t -> t.definition().name()).distinct().toList();
        if (names.isEmpty() && scope != null) {
            return ToolResult.failure(ErrorType.UnknownTool, "Unknown tool: " + name + ". Component " + scope.name() + " has no tools yet");
        }
        return ToolResult.unknownTool(name, names);
    }

    /**
     * Runs one of a component's non-tool operations ({@code /mock/load-schema}...).
     */
    @Override
    public JsonNode operate(String component, String operation, JsonNode body) {
        return operate(component, operation, Json.write(body), Map.of());
    }

    public JsonNode operate(String componentName, String operation, String body, Map<String, String> params) {
        Component component = component(componentName);
        Operation op = component.operations().get(operation);
        if (op == null) {
            throw new SpindleException(HttpError.NotFound, "Component " + componentName + " has no operation '" + operation + "'"
                    + (component.operations().isEmpty() ? "" : "; it has: " + String.join(", ", component.operations().keySet())));
        }
        return op.handle(body, params);
    }

    private ToolResult run(Component component, Tool tool, Sessions.State session, JsonNode args, KeyValueStore view) {
        String name = tool.definition().name();
        try {
            if (!(args instanceof ObjectNode object)) {
                throw new SpindleException(ErrorType.InvalidArguments,
                        "Arguments must be a JSON object, got " + args.getNodeType().name().toLowerCase());
            }
            validators.get(tool.definition()).check(object);
            return ToolResult.ok(tool.call(new Context(session, hosts.get(component.name()), view), object));
        } catch (SpindleException e) {
            return ToolResult.failure(e);
        } catch (PrefetchedData.Pending e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=tool_crashed component=" + component.name() + " tool=" + name, e);
            return ToolResult.failure(ErrorType.ComponentFailed, "Tool " + name + " failed unexpectedly: " + e.getClass().getSimpleName());
        }
    }

    private SessionFiles files(String sessionId) {
        return files(store, sessionId);
    }

    private SessionFiles files(KeyValueStore view, String sessionId) {
        return new SessionFiles(view, sessionId, pathPolicy, quotas);
    }

    /** What a tool sees of the runtime: its session (through {@code store}: the store, or a quick call's view), and what its component was granted. */
    private final class Context implements ToolContext {
        private final Sessions.State session;
        private final String sessionId;
        private final Host host;
        private final KeyValueStore store;

        Context(Sessions.State session, Host host, KeyValueStore store) {
            this.session = session;
            this.sessionId = session.id;
            this.host = host;
            this.store = store;
        }

        @Override
        public String sessionId() {
            return sessionId;
        }

        @Override
        public String incarnation() {
            return session.incarnation;
        }

        @Override
        public OptionalLong seed() {
            return session.seed == null ? OptionalLong.empty() : OptionalLong.of(session.seed);
        }

        @Override
        public SessionFiles files() {
            host.require(Capability.SESSION_FILES);
            return ToolRuntime.this.files(store, sessionId);
        }

        /** The call's session is live already: no need to touch it as {@link Host#session} does. */
        @Override
        public KeyValueScope state() {
            host.require(Capability.STATE);
            return new KeyValueScope(store, sessionId, host.namespace);
        }

        @Override
        public AllowedHosts outbound() {
            return host.outbound();
        }

        @Override
        public Map<String, String> variables() {
            return host.variables();
        }
    }

    /** What a component is granted at registration: exactly the capabilities it declares, its own namespaces, nothing else. */
    private final class Host implements ComponentHost {
        private final String name;
        private final Set<Capability> granted;
        private final String namespace;
        private AllowedHosts outbound = AllowedHosts.NONE;
        private Map<String, String> variables = Map.of();

        Host(Component component) {
            this.name = component.name();
            this.granted = Set.copyOf(component.capabilities());
            this.namespace = "state:" + name;
            for (Capability capability : granted) {
                switch (capability) {
                    case Capability.OutboundHttp(AllowedHosts allowed) -> outbound = allowed;
                    case Capability.Variables(Map<String, String> values) -> variables = values;
                    case Capability.SessionFiles _, Capability.KeyValueState _ -> { } // handed out on each use, after require()
                }
            }
        }

        /** A component asking for what it did not declare is a bug in the component, not a client mistake. */
        void require(Capability capability) {
            if (!granted.contains(capability)) {
                throw new IllegalStateException("component " + name + " did not declare " + capability.kind());
            }
        }

        @Override
        public KeyValueScope global() {
            require(Capability.STATE);
            return new KeyValueScope(store, GLOBAL_PARTITION, namespace);
        }

        /** A session named here is created on first use, as a tool call would create it. */
        @Override
        public KeyValueScope session(String sessionId) {
            require(Capability.STATE);
            return new KeyValueScope(store, sessions.touch(sessionId).id, namespace);
        }

        @Override
        public AllowedHosts outbound() {
            return outbound;
        }

        @Override
        public Map<String, String> variables() {
            return variables;
        }

        /** A store that fails (unreachable, say) is logged quietly: it would be every period while it lasts. */
        @Override
        public void every(Duration period, Runnable chore) {
            long millis = period.toMillis();
            background.scheduleWithFixedDelay(() -> {
                try {
                    chore.run();
                } catch (SpindleException e) {
                    LOG.log(Level.FINE, "event=chore_failed component=" + name, e);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "event=chore_failed component=" + name, e);
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public SessionInfo openSession(SessionSpec spec) {
        String id = spec.sessionId() == null ? UUID.randomUUID().toString() : spec.sessionId();
        Duration ttl = spec.ttlSeconds() == null ? null : checkTtl(spec.ttlSeconds());
        Map<VPath, byte[]> seed = new LinkedHashMap<>();
        spec.files().forEach((path, content) -> {
            if (content == null) {
                throw new SpindleException(ErrorType.InvalidArguments, "File '" + path + "' has no content: give a string");
            }
            seed.put(pathPolicy.file(path), Text.wellFormed(content, "File '" + path + "'").getBytes(StandardCharsets.UTF_8));
        });
        Sessions.State state = sessions.create(id, ttl, null, checkSeed(spec.seed()), sid -> files(sid).writeAll(seed));
        return info(state);
    }

    private static Long checkSeed(Long seed) {
        if (seed != null && seed < 0) {
            throw new SpindleException(ErrorType.InvalidRequest, "seed must be a whole number from 0 to " + Long.MAX_VALUE + ", got " + seed);
        }
        return seed;
    }

    private static Duration checkTtl(long seconds) {
        if (seconds <= 0 || seconds > Duration.ofDays(30).toSeconds()) {
            throw new SpindleException(ErrorType.InvalidRequest, "ttl_seconds must be between 1 and 2592000 (30 days), got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    @Override
    public SessionInfo forkSession(String sourceId, String newId) {
        return forkSession(sourceId, newId, null);
    }

    /** Like {@link #forkSession(String, String)}; the copy takes {@code seed} when given, else the source's. */
    public SessionInfo forkSession(String sourceId, String newId, Long seed) {
        Sessions.State source = sessions.require(Sessions.checkId(sourceId));
        String id = newId == null ? UUID.randomUUID().toString() : newId;
        Long kept = seed == null ? source.seed : checkSeed(seed);
        Sessions.State state = sessions.create(id, source.ttl, sourceId, kept, sid -> store.copySession(sourceId, sid));
        return info(state);
    }

    /**
     * Freezes the session (files, component state, seed, trace) as a snapshot that outlives it, taken while
     * no call runs in it; see {@link Snapshots}.
     */
    public SnapshotInfo snapshot(String sessionId) {
        String id = UUID.randomUUID().toString();
        snapshotsCounted.join();
        sessions.exclusively(Sessions.checkId(sessionId), state -> {
            snapshots.freeze(state.id, id, new Snapshots.Manifest(Instant.now().toString(), state.id, state.seed,
                    state.ttl.toSeconds(), state.trace.snapshot().calls()));
            return null;
        });
        return snapshots.info(id);
    }

    /** The snapshot's portable archive (JSON, the same bytes each time); {@code NotFound} when there is none. */
    public byte[] snapshotArchive(String snapshotId) {
        return snapshots.archive(snapshotId);
    }

    /** Stores an uploaded archive as a new snapshot, once it passed every check (paths, quotas, shape). */
    public SnapshotInfo importSnapshot(byte[] archive) {
        snapshotsCounted.join();
        return snapshots.upload(archive, UUID.randomUUID().toString());
    }

    /** True when there was such a snapshot. */
    public boolean deleteSnapshot(String snapshotId) {
        return snapshots.delete(snapshotId);
    }

    /**
     * A new session copied from the snapshot (files, component state, trace, and its seed unless {@code seed}
     * is given), as cheap as a fork.
     */
    public SessionInfo restoreSnapshot(String snapshotId, String newId, Long seed) {
        Snapshots.Manifest manifest = snapshots.manifest(snapshotId);
        snapshots.checkRestorable(snapshotId);
        String id = newId == null ? UUID.randomUUID().toString() : newId;
        Long kept = seed == null ? manifest.seed() : checkSeed(seed);
        Sessions.State state = sessions.create(id, Duration.ofSeconds(manifest.ttlSeconds()), null, kept, sid -> snapshots.copyTo(snapshotId, sid));
        for (TraceEntry call : manifest.trace()) {
            ToolResult result = call.success() ? ToolResult.ok(call.result()) : ToolResult.failure(call.errorType(), call.result());
            state.trace.add(call.at(), call.component(), call.tool(), call.args(), result, call.durationMicros());
        }
        return info(state);
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        return Optional.ofNullable(sessions.get(Sessions.checkId(sessionId))).map(this::info);
    }

    /**
     * True when this instance knows the session and it is still open: on a shared store, not closed by
     * another instance (the store is asked; an unreachable one counts as open).
     */
    public boolean hasSession(String sessionId) {
        try {
            return sessions.known(sessionId) != null;
        } catch (SpindleException unreachable) {
            return true;
        }
    }

    /** Marks the session as used now, as a call does; false when it does not exist (closed anywhere, or expired). */
    public boolean keepAlive(String sessionId) {
        return sessions.keepAlive(sessionId) != null;
    }

    /** Like {@link #session} but {@code UnknownSession} when there is no such session. */
    public SessionInfo requireSession(String sessionId) {
        return info(sessions.require(Sessions.checkId(sessionId)));
    }

    private SessionInfo info(Sessions.State state) {
        return info(state, Usage.of(files(state.id).sizes()));
    }

    private static SessionInfo info(Sessions.State state, Usage files) {
        return new SessionInfo(state.id, files.entries(), files.bytes(), state.trace.size(), state.createdAt, state.lastUsedAt(), state.expiresAt(), state.forkedFrom, state.seed);
    }

    /**
     * One page of the sessions whose id starts with {@code prefix}; the files of the whole page are measured
     * in one store call. On a shared store, every session in it, as the store records it ({@link StoredSessionList}).
     */
    public SessionPage listSessions(String prefix, SessionPage.Order order, int offset, int limit) {
        if (store.shared()) {
            return storedSessions.page(prefix, order, offset, limit);
        }
        List<Sessions.State> matching = sessions.list(prefix, order);
        List<Sessions.State> page = matching.subList(Math.min(offset, matching.size()), Math.min(matching.size(), offset + limit));
        Map<String, Usage> usage = store.usage(page.stream().map(s -> s.id).toList(), SessionFiles.FILES);
        return new SessionPage(page.stream().map(s -> info(s, usage.getOrDefault(s.id, Usage.NONE))).toList(), matching.size(), offset, limit);
    }

    @Override
    public Map<String, String> exportFiles(String sessionId) {
        sessions.require(Sessions.checkId(sessionId));
        Map<String, String> files = new LinkedHashMap<>();
        files(sessionId).contents(pathPolicy.directory(null)).forEach((k, v) -> files.put(k, new String(v, StandardCharsets.UTF_8)));
        return files;
    }

    /**
     * A SHA-256 (hex) of what the session holds: its files and directories and every component's state for
     * it, in a fixed order; not its creation or last-use time, nor its trace. Two sessions with the same
     * digest hold the same state (a task's verifier compares it with a reference run's).
     */
    public String stateDigest(String sessionId) {
        sessions.require(Sessions.checkId(sessionId));
        return store.read(sessionId, StateDigest::of);
    }

    @Override
    public List<TraceEntry> trace(String sessionId) {
        return traceSnapshot(sessionId).calls();
    }

    /** The kept calls and how many older ones were dropped to bound the trace. */
    public TraceSnapshot traceSnapshot(String sessionId) {
        return sessions.require(Sessions.checkId(sessionId)).trace.snapshot();
    }

    @Override
    public int closeSession(String sessionId) {
        // checked here too: an id with a NUL could name a component's global partition and wipe it
        return sessions.remove(Sessions.checkId(sessionId)).getOrDefault(SessionFiles.FILES, 0);
    }

    /** Like {@link #closeSession} but {@code UnknownSession} when there is no such session. */
    public int closeExisting(String sessionId) {
        sessions.require(Sessions.checkId(sessionId));
        return closeSession(sessionId);
    }

    /** Each component's {@link Component#warning}, by component name; only those that have one. */
    public Map<String, String> warnings() {
        Map<String, String> warnings = new LinkedHashMap<>();
        components.values().forEach(c -> c.warning().ifPresent(w -> warnings.put(c.name(), w)));
        return warnings;
    }

    /** Each component's {@link Component#health}, by component name; only those that show one. */
    public Map<String, ObjectNode> health() {
        Map<String, ObjectNode> health = new LinkedHashMap<>();
        components.values().forEach(c -> c.health().ifPresent(h -> health.put(c.name(), h)));
        return health;
    }

    @Override
    public List<ComponentInfo> components() {
        List<ComponentInfo> infos = new ArrayList<>();
        components.values().forEach(c -> infos.add(new ComponentInfo(c.name(), c.description(),
                c.tools().stream().map(Tool::definition).toList(), Capability.describe(c.capabilities()))));
        return infos;
    }

    @Override
    public void close() {
        snapshotsCounted.cancel(false);
        background.shutdownNow();
        compute.close();
        store.close();
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warning(() -> "event=close_failed resource=" + resource.getClass().getSimpleName() + " error=" + e.getMessage());
            }
        }
    }

    /** Options with defaults: memory store, default path policy and quotas, 1 h idle TTL. */
    public static final class Builder {
        private KeyValueStore store = new MemoryStore();
        private PathPolicy pathPolicy = PathPolicy.defaults();
        private Quotas quotas = Quotas.DEFAULTS;
        private Duration sessionTtl = Duration.ofHours(1);
        private Duration sweepInterval;
        private int traceLimit = 1_000;
        private int maxSnapshots = 1_000;
        private int computeThreads = Runtime.getRuntime().availableProcessors();
        private int computeQueue = ComputePool.DEFAULT_QUEUE;
        private Long maxSnapshotBytes;
        private final Map<String, Component> components = new LinkedHashMap<>();
        private final List<AutoCloseable> owned = new ArrayList<>();

        public Builder withStore(KeyValueStore store) {
            this.store = store;
            return this;
        }

        public Builder withPathPolicy(PathPolicy pathPolicy) {
            this.pathPolicy = pathPolicy;
            return this;
        }

        public Builder withQuotas(Quotas quotas) {
            this.quotas = quotas;
            return this;
        }

        /** Idle time after which a session is closed. */
        public Builder withSessionTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("session TTL must be positive: " + ttl);
            }
            this.sessionTtl = ttl;
            return this;
        }

        /** How often idle sessions are looked for; default a tenth of the TTL, between 100 ms and 1 min. */
        public Builder withSweepInterval(Duration every) {
            this.sweepInterval = every;
            return this;
        }

        /** Calls kept per session's trace (default 1,000; 0 keeps none), oldest dropped first. */
        public Builder withTraceLimit(int calls) {
            if (calls < 0) {
                throw new IllegalArgumentException("trace limit must be 0 (no trace) or more, got " + calls);
            }
            this.traceLimit = calls;
            return this;
        }

        /** Snapshots the store may hold at once (default 1,000); past it a new one answers {@code QuotaExceeded}. */
        public Builder withMaxSnapshots(int snapshots) {
            if (snapshots < 1) {
                throw new IllegalArgumentException("snapshot limit must be 1 or more, got " + snapshots);
            }
            this.maxSnapshots = snapshots;
            return this;
        }

        /**
         * Threads for compute calls (default one per core) and calls that may wait for one (default
         * {@value ComputePool#DEFAULT_QUEUE}); past them a call answers {@code Overloaded}.
         */
        public Builder withCompute(int threads, int queue) {
            if (threads < 1 || queue < 0) {
                throw new IllegalArgumentException("compute threads must be 1 or more and the queue 0 or more, got " + threads + " and " + queue);
            }
            this.computeThreads = threads;
            this.computeQueue = queue;
            return this;
        }

        /**
         * Bytes the stored snapshots may take at once, in the store (default 1 GiB; on the memory store, where
         * they are heap, at most a quarter of the heap); past it a new one answers {@code QuotaExceeded}.
         */
        public Builder withMaxSnapshotBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("snapshot byte limit must be 1 or more, got " + bytes);
            }
            this.maxSnapshotBytes = bytes;
            return this;
        }

        /** Registers a component; on a tool-name clash for {@code /execute} the first registered wins. */
        public Builder withComponent(Component component) {
            if (components.putIfAbsent(component.name(), component) != null) {
                throw new IllegalArgumentException("component registered twice: " + component.name());
            }
            return this;
        }

        /** Closes {@code resource} when the runtime closes, after its components have stopped being called. */
        public Builder withOwned(AutoCloseable resource) {
            owned.add(resource);
            return this;
        }

        public ToolRuntime build() {
            if (maxSnapshotBytes == null) {
                maxSnapshotBytes = store instanceof MemoryStore ? Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4) : 1L << 30;
            }
            if (sweepInterval == null) {
                long tenth = sessionTtl.toMillis() / 10;
                sweepInterval = Duration.ofMillis(Math.clamp(tenth, 100, 60_000));
            }
            return new ToolRuntime(this);
        }
    }
}
