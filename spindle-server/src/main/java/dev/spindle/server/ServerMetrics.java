package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.FailureKind;
import dev.spindle.core.runtime.CallObserver;
import dev.spindle.core.runtime.SessionAdmin;
import dev.spindle.core.runtime.ToolCalls;
import dev.spindle.core.store.StoreObserver;
import dev.spindle.server.openenv.OpenEnv;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One server's metrics in Prometheus text ({@code GET /metrics}): tool calls, their latency and errors per
 * component and tool, store operations' latency by outcome, HTTP answers by status, live sessions and the
 * worker queue. Meters are looked up once per (component, tool), per status and per store operation and
 * outcome, so a call costs a map read and a few atomic adds.
 */
final class ServerMetrics implements CallObserver, StoreObserver {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Tool names the runtime did not know are client input: one series for all of them, not one each. */
    private static final String UNKNOWN = "unknown";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Map<String, ToolMeters>> tools = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<Counter> statuses = new AtomicReferenceArray<>(600);
    /** By store, operation and outcome: a few dozen at most. */
    private final Map<String, Timer> storeOperations = new ConcurrentHashMap<>();

    <R extends ToolCalls & SessionAdmin> ServerMetrics(R runtime, WorkerPool workers, OpenEnv openEnv) {
        Gauge.builder("spindle.sessions.live", runtime, SessionAdmin::sessionCount)
                .description("Sessions open on this instance").register(registry);
        Gauge.builder("spindle.workers.pending", workers, WorkerPool::pending)
                .description("Blocking calls running or waiting for a worker").register(registry);
        Gauge.builder("spindle.compute.pending", runtime, ToolCalls::computePending)
                .description("Compute calls (code, WebAssembly, scripts) running or waiting for a compute thread").register(registry);
        Gauge.builder("spindle.openenv.episodes", openEnv, OpenEnv::activeEpisodes)
                .description("OpenEnv episodes open (against --max-envs)").register(registry);
    }

    @Override
    public void called(String component, String tool, FailureKind errorType, long nanos) {
        boolean known = errorType != ErrorType.UnknownTool && errorType != ErrorType.UnknownComponent;
        String componentTag = component == null ? UNKNOWN : component;
        String toolTag = known ? tool : UNKNOWN;
        ToolMeters meters = tools.computeIfAbsent(componentTag, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(toolTag, t -> new ToolMeters(componentTag, t));
        meters.latency.record(nanos, TimeUnit.NANOSECONDS);
        if (errorType == null) {
            meters.successes.increment();
        } else {
            meters.failures.increment();
            meters.errors.computeIfAbsent(errorType.name(), type -> Counter.builder("spindle.tool.errors")
                    .description("Failed tool calls by error_type").tags("component", componentTag, "tool", toolTag, "error_type", type)
                    .register(registry)).increment();
        }
    }

    @Override
    public void operated(String store, String operation, String outcome, long nanos) {
        storeOperations.computeIfAbsent(store + ' ' + operation + ' ' + outcome, key -> Timer.builder("spindle.store.duration")
                .description("Store operations by outcome").tags("store", store, "operation", operation, "outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** An answer sent with this status. */
    void answered(int status) {
        if (status < 100 || status >= statuses.length()) {
            return;
        }
        Counter counter = statuses.get(status);
        if (counter == null) {
            // the registry hands out the same counter for the same tags, so a race here is harmless
            counter = Counter.builder("spindle.http.responses").description("HTTP answers by status code")
                    .tag("status", String.valueOf(status)).register(registry);
            statuses.set(status, counter);
        }
        counter.increment();
    }

    String scrape() {
        return registry.scrape();
    }

    private final class ToolMeters {
        final Counter successes;
        final Counter failures;
        final Timer latency;
        final Map<String, Counter> errors = new ConcurrentHashMap<>();

        ToolMeters(String component, String tool) {
            successes = calls(component, tool, "success");
            failures = calls(component, tool, "error");
            latency = Timer.builder("spindle.tool.duration").description("Tool call latency")
                    .tags("component", component, "tool", tool).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        }

        private Counter calls(String component, String tool, String outcome) {
            return Counter.builder("spindle.tool.calls").description("Tool calls by outcome")
                    .tags("component", component, "tool", tool, "outcome", outcome).register(registry);
        }
    }
}
