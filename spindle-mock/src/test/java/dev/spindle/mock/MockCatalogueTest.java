package dev.spindle.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.ComponentHost;
import dev.spindle.core.Json;
import dev.spindle.core.store.KeyValueScope;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The catalogue alone, on a memory store: its view against what the store holds. */
@Timeout(60)
class MockCatalogueTest {
    final KeyValueStore store = new MemoryStore();

    MockCatalogue open() {
        return open(store);
    }

    /** A catalogue opened on {@code store}, as the runtime would attach it. */
    static MockCatalogue open(KeyValueStore store) {
        MockCatalogue catalogue = new MockCatalogue(MockComponent.DEFAULT_MAX_RESPONSE_CHARS, new Scripts(
                MockComponent.DEFAULT_HANDLER_TIMEOUT, MockComponent.DEFAULT_MAX_STATE_BYTES, MockComponent.DEFAULT_MAX_RESPONSE_CHARS));
        catalogue.attach(new ComponentHost() {
            @Override
            public KeyValueScope global() {
                return new KeyValueScope(store, "\u0000global", "state:mock");
            }

            @Override
            public KeyValueScope session(String sessionId) {
                return new KeyValueScope(store, sessionId, "state:mock");
            }

            @Override
            public AllowedHosts outbound() {
                return AllowedHosts.NONE;
            }

            @Override
            public Map<String, String> variables() {
                return Map.of();
            }

            @Override
            public void every(Duration period, Runnable chore) {
                // no chores: each test's catalogue is the only one writing its store
            }
        });
        return catalogue;
    }

    static List<String> load(MockCatalogue catalogue, String... names) {
        return catalogue.load(List.of(names).stream().map(n -> Json.object().put("name", n)).toList(), false);
    }

    @Test
    void afterConcurrentLoadsAndClearsTheViewListsExactlyWhatTheStoreHolds() throws Exception {
        MockCatalogue catalogue = open();
        int writers = 6;
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int round = 0; round < 200; round++) {
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<?>> changes = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    String name = "tool_" + round + "_" + i;
                    // Clears are rarer than loads, so that the catalogue grows and each read of it takes a while.
                    boolean clears = i == 0 && round % 10 == 0;
                    changes.add(pool.submit(() -> {
                        start.await();
                        if (clears) {
                            catalogue.clear(null);
                        } else {
                            load(catalogue, name);
                        }
                        return null;
                    }));
                }
                for (Future<?> change : changes) {
                    change.get();
                }
                // A second catalogue reads the store afresh: the first one's view must not lag behind it.
                assertThat(catalogue.tools().keySet()).as("round " + round).containsExactlyElementsOf(open().tools().keySet());
            }
        }
    }

    @Test
    void aChangeWaitsForTheOneBeforeItSoItsToolsAreNeverHiddenByAnOlderRead() throws Exception {
        KeyValueStore memory = new MemoryStore();
        AtomicBoolean stallNextRead = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The memory store, but the next read, once it has its data, waits to be released before it returns.
        KeyValueStore store = (KeyValueStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {KeyValueStore.class},
                (proxy, method, args) -> {
                    Object result = method.invoke(memory, args);
                    if (method.getName().equals("read") && stallNextRead.compareAndSet(true, false)) {
                        reading.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                    return result;
                });
        MockCatalogue catalogue = open(store);
        stallNextRead.set(true);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> first = pool.submit(() -> load(catalogue, "a"));
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> second = pool.submit(() -> load(catalogue, "b"));
            assertThatThrownBy(() -> second.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            release.countDown();
            first.get();
            second.get();
        }
        // Unserialized, the first load's read (without b) would be assigned last.
        assertThat(catalogue.tools().keySet()).containsExactly("a", "b");
    }

    @Test
    void aSnapshotStaysAsItWasWhileTheCatalogueChanges() {
        MockCatalogue catalogue = open();
        load(catalogue, "a", "b");
        Map<String, MockTool> snapshot = catalogue.tools();
        load(catalogue, "c");
        catalogue.clear(null);
        assertThat(snapshot.keySet()).containsExactly("a", "b");
        assertThat(catalogue.tools()).isEmpty();
        assertThatThrownBy(() -> snapshot.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anUnchangedToolKeepsItsObjectAndAChangedOneIsRebuilt() {
        MockCatalogue catalogue = open();
        load(catalogue, "a", "b");
        MockTool a = catalogue.tools().get("a");
        MockTool b = catalogue.tools().get("b");
        catalogue.addResponses(null, Map.of("b", new Responses(Json.object().put("answer", 1), List.of())));
        assertThat(catalogue.tools().get("a")).isSameAs(a);
        assertThat(catalogue.tools().get("b")).isNotSameAs(b);
        assertThat(catalogue.tools().get("b").record().responses().mockResponse().path("answer").asInt()).isEqualTo(1);
    }

    @Test
    void aSessionOverlayLeavesTheCatalogueAndItsViewAlone() {
        MockCatalogue catalogue = open();
        load(catalogue, "a");
        MockTool a = catalogue.tools().get("a");
        Map<String, Responses> updated = catalogue.addResponses("s1", Map.of("a", new Responses(Json.object().put("answer", 2), List.of())));
        assertThat(updated.get("a").mockResponse().path("answer").asInt()).isEqualTo(2);
        assertThat(catalogue.tools().get("a")).isSameAs(a);
        assertThat(open().tools().get("a").record().responses().mockResponse()).isNull();
        assertThat(Responses.parse(store.read("s1", d -> d.get("state:mock", "a"))).mockResponse().path("answer").asInt()).isEqualTo(2);
    }
}
