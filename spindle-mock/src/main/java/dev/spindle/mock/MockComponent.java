package dev.spindle.mock;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.ComponentHost;
import dev.spindle.core.Operation;
import dev.spindle.core.Tool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Tools that cannot be called for real during data generation (payments, production databases, SaaS
 * APIs), loaded from MCP tool schemas and answered from templates and fixtures, or by handler scripts
 * that keep per-session state ({@link Scripts}). The catalogue is global
 * and kept in the store (it survives a restart on sqlite); responses and fixtures given with a
 * {@code session_id} apply to that session only.
 *
 * <p>This class is the wiring: what the runtime sees, and the options ({@link Builder}). The
 * {@link MockCatalogue} keeps the tools, and each operation ({@link LoadSchema}, {@link Pull}, ...) reads
 * its request and answers, as Spin's key-value factor separates wiring, host implementation and config.
 */
public final class MockComponent implements Component {
    public static final String NAME = "mock";

    /** Fetches the tools of a remote MCP server: {@code (url, headers) -> raw MCP tool definitions}. */
    @FunctionalInterface
    public interface Puller {
        List<? extends JsonNode> pull(String url, Map<String, String> headers);
    }

    /** Default {@link Builder#withMaxResponseChars}: 1 MiB of JSON text. */
    public static final long DEFAULT_MAX_RESPONSE_CHARS = 1L << 20;

    /** Default {@link Builder#withMaxStateBytes}: 1 MiB of JSON per session. */
    public static final long DEFAULT_MAX_STATE_BYTES = 1L << 20;

    /** Default {@link Builder#withHandlerTimeout}. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(2);

    private final MockCatalogue catalogue;
    private final Scripts scripts;
    private final Map<String, Operation> operations;
    private final AllowedHosts outbound;
    private volatile ComponentHost host;

    /** A mock without {@code pull}, with the default limits. */
    public MockComponent() {
        this(builder());
    }

    /** A mock whose {@code pull} operation fetches tools with {@code puller} (an MCP client), with the default limits. */
    public MockComponent(Puller puller) {
        this(builder().withPuller(puller));
    }

    private MockComponent(Builder b) {
        this.scripts = new Scripts(b.handlerTimeout, b.maxStateBytes, b.maxResponseChars);
        this.catalogue = new MockCatalogue(b.maxResponseChars, scripts);
        this.outbound = b.outbound;
        this.operations = Map.of(
                "load-schema", new LoadSchema(catalogue),
                "pull", new Pull(catalogue, b.puller, () -> host.outbound()),
                "update-response", new UpdateResponse(catalogue),
                "add-fixture", new AddFixture(catalogue),
                "list-tools", new ListTools(catalogue),
                "clear", new Clear(catalogue, scripts),
                "load-data", new LoadData(catalogue, scripts),
                "state", new MockState(scripts));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Mock tools from MCP schemas: templated answers and argument-specific fixtures";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STATE, Capability.outbound(outbound));
    }

    @Override
    public void attach(ComponentHost host) {
        this.host = host;
        scripts.attach(host);
        catalogue.attach(host);
    }

    @Override
    public List<Tool> tools() {
        return List.copyOf(catalogue.tools().values());
    }

    @Override
    public Optional<Tool> tool(String name) {
        return Optional.ofNullable(catalogue.tools().get(name));
    }

    @Override
    public Map<String, Operation> operations() {
        return operations;
    }

    @Override
    public void sessionClosed(String sessionId) {
        scripts.forget(sessionId);
    }

    /** A mock's options: its MCP client, where it may reach, and how large an answer may grow. */
    public static final class Builder {
        private Puller puller;
        private long maxResponseChars = DEFAULT_MAX_RESPONSE_CHARS;
        private AllowedHosts outbound = MockOutbound.DEFAULT;
        private long maxStateBytes = DEFAULT_MAX_STATE_BYTES;
        private Duration handlerTimeout = DEFAULT_HANDLER_TIMEOUT;

        private Builder() {}

        /** Largest state, in bytes of JSON, that handler scripts may keep per session; past it a call fails with {@code QuotaExceeded}. */
        public Builder withMaxStateBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("the script state limit must be positive: " + bytes);
            }
            this.maxStateBytes = bytes;
            return this;
        }

        /** How long one handler script may run before it is stopped with {@code Timeout}. */
        public Builder withHandlerTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the handler timeout must be positive: " + timeout);
            }
            this.handlerTimeout = timeout;
            return this;
        }

        /** Where {@code pull} may reach (default {@link MockOutbound#DEFAULT}). */
        public Builder withOutbound(AllowedHosts outbound) {
            this.outbound = outbound;
            return this;
        }

        /** Enables {@code pull}: fetches the tools of a remote MCP server. */
        public Builder withPuller(Puller puller) {
            this.puller = puller;
            return this;
        }

        /**
         * Largest answer, in characters of JSON, that a template may render (rendering stops there with
         * {@code QuotaExceeded}); a larger template is refused when stored.
         */
        public Builder withMaxResponseChars(long characters) {
            if (characters <= 0) {
                throw new IllegalArgumentException("the mock response limit must be positive: " + characters);
            }
            this.maxResponseChars = characters;
            return this;
        }

        public MockComponent build() {
            return new MockComponent(this);
        }
    }
}
