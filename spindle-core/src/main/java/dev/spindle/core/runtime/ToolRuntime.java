package dev.spindle.core.runtime;

import dev.spindle.core.Component;
import dev.spindle.core.ComponentInfo;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionPage;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SnapshotInfo;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.ToolService;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.TraceSnapshot;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.core.store.ObservedStore;
import dev.spindle.core.store.StoreObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The heart of Spindle, usable with no server: components and their tools, sessions, argument
 * validation, the call trace. Build one with {@link #builder()}; it is the composition root of the roles
 * below, and a facade over them. Adapters (HTTP, MCP, OpenEnv, tasks) depend on the role they use:
 * {@link ToolCalls}, {@link SessionAdmin}, {@link SnapshotAdmin}. See docs/architecture.md.
 */
public final class ToolRuntime implements ToolService, ToolCalls, SessionAdmin, SnapshotAdmin {
    private static final Logger LOG = Logger.getLogger(ToolRuntime.class.getName());

    /** The store as given, timed for metrics ({@link #observeStore}). */
    private final ObservedStore store;
    private final ComponentRegistry registry;
    private final Sessions sessions;
    private final Sweeper sweeper = new Sweeper();
    private final CallPipeline calls;
    private final SessionAdministration sessionAdmin;
    private final SnapshotAdministration snapshotAdmin;
    /** What the composition root handed over to close with the runtime (the sandboxes' workspaces), in order. */
    private final List<AutoCloseable> owned;

    private ToolRuntime(Builder b) {
        this.store = new ObservedStore(b.store);
        this.owned = List.copyOf(b.owned);
        this.registry = new ComponentRegistry(b.components);
        SessionFileRules files = new SessionFileRules(b.pathPolicy, b.quotas);
        this.sessions = new Sessions(store, b.sessionTtl, b.sweepInterval, b.traceLimit, registry::sessionClosed);
        this.calls = new CallPipeline(store, registry, sessions, files, new ComputePool(b.computeThreads, b.computeQueue),
                b.store.callExecutor(CallExecutor.BY_WORKLOAD, store));
        this.sessionAdmin = new SessionAdministration(store, sessions, files);
        // the grants are made before the components attach, as they may ask for chores then
        registry.attach(component -> new ComponentGrant(component, store, sessions, sweeper));
        sweeper.sweepEvery(b.sweepInterval, sessions);
        Snapshots snapshots = new Snapshots(store, b.pathPolicy, b.quotas, b.components.keySet(), b.traceLimit,
                new SnapshotLedger(store, b.maxSnapshots, b.maxSnapshotBytes));
        this.snapshotAdmin = new SnapshotAdministration(snapshots, sessions, sessionAdmin, sweeper);
    }

    public static Builder builder() {
        return new Builder();
    }

    public KeyValueStore store() {
        return store;
    }

    /** Who hears of every store operation (the server's metrics); replaces the previous one. */
    public void observeStore(StoreObserver observer) {
        store.observe(observer);
    }

    /** Who hears of every tool call (the server's metrics); replaces the previous one. */
    public void observeCalls(CallObserver observer) {
        calls.observe(observer);
    }

    @Override
    public int computePending() {
        return calls.compute.pending();
    }

    /** How many compiled argument schemas are kept (bounded, whatever the catalogue's history). */
    int cachedValidators() {
        return calls.validators.size();
    }

    // ToolCalls

    @Override
    public ToolResult execute(ToolCall call) {
        return calls.execute(call);
    }

    @Override
    public CompletionStage<ToolResult> executeAsync(ToolCall call, Executor blocking) {
        return calls.executeAsync(call, blocking);
    }

    @Override
    public List<ComponentInfo> components() {
        return registry.infos();
    }

    @Override
    public boolean hasComponent(String name) {
        return registry.has(name);
    }

    @Override
    public void requireComponent(String name) {
        registry.component(name);
    }

    @Override
    public JsonNode operate(String component, String operation, JsonNode body) {
        return operate(component, operation, Json.write(body), Map.of());
    }

    @Override
    public JsonNode operate(String componentName, String operation, String body, Map<String, String> params) {
        return registry.operate(componentName, operation, body, params);
    }

    @Override
    public Map<String, String> warnings() {
        return registry.warnings();
    }

    // SessionAdmin

    @Override
    public SessionInfo openSession(SessionSpec spec) {
        return sessionAdmin.openSession(spec);
    }

    @Override
    public SessionInfo forkSession(String sourceId, String newId) {
        return sessionAdmin.forkSession(sourceId, newId, null);
    }

    @Override
    public SessionInfo forkSession(String sourceId, String newId, Long seed) {
        return sessionAdmin.forkSession(sourceId, newId, seed);
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        return sessionAdmin.session(sessionId);
    }

    @Override
    public SessionInfo requireSession(String sessionId) {
        return sessionAdmin.requireSession(sessionId);
    }

    @Override
    public boolean hasSession(String sessionId) {
        return sessionAdmin.hasSession(sessionId);
    }

    @Override
    public boolean keepAlive(String sessionId) {
        return sessionAdmin.keepAlive(sessionId);
    }

    @Override
    public SessionPage listSessions(String prefix, SessionPage.Order order, int offset, int limit) {
        return sessionAdmin.listSessions(prefix, order, offset, limit);
    }

    @Override
    public Map<String, String> exportFiles(String sessionId) {
        return sessionAdmin.exportFiles(sessionId);
    }

    @Override
    public String stateDigest(String sessionId) {
        return sessionAdmin.stateDigest(sessionId);
    }

    @Override
    public List<TraceEntry> trace(String sessionId) {
        return sessionAdmin.trace(sessionId);
    }

    @Override
    public TraceSnapshot traceSnapshot(String sessionId) {
        return sessionAdmin.traceSnapshot(sessionId);
    }

    @Override
    public int closeSession(String sessionId) {
        return sessionAdmin.closeSession(sessionId);
    }

    @Override
    public Map<String, ObjectNode> health() {
        return registry.health();
    }

    @Override
    public int closeExisting(String sessionId) {
        return sessionAdmin.closeExisting(sessionId);
    }

    @Override
    public int sessionCount() {
        return sessionAdmin.sessionCount();
    }

    // SnapshotAdmin

    @Override
    public SnapshotInfo snapshot(String sessionId) {
        return snapshotAdmin.snapshot(sessionId);
    }

    @Override
    public byte[] snapshotArchive(String snapshotId) {
        return snapshotAdmin.snapshotArchive(snapshotId);
    }

    @Override
    public SnapshotInfo importSnapshot(byte[] archive) {
        return snapshotAdmin.importSnapshot(archive);
    }

    @Override
    public boolean deleteSnapshot(String snapshotId) {
        return snapshotAdmin.deleteSnapshot(snapshotId);
    }

    @Override
    public SessionInfo restoreSnapshot(String snapshotId, String newId, Long seed) {
        return snapshotAdmin.restoreSnapshot(snapshotId, newId, seed);
    }

    @Override
    public void close() {
        snapshotAdmin.close();
        sweeper.close();
        calls.compute.close();
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
