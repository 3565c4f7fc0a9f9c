package dev.spindle.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link KeyValueStore} backend must do; each backend's test extends this. */
@Timeout(60)
public abstract class KeyValueStoreContract {
    protected KeyValueStore store;

    protected abstract KeyValueStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    protected void put(String session, String ns, String key, String value) {
        store.write(session, d -> {
            d.put(ns, key, b(value));
            return null;
        });
    }

    protected String get(String session, String ns, String key) {
        byte[] value = store.read(session, d -> d.get(ns, key));
        return value == null ? null : new String(value, UTF_8);
    }

    protected java.util.NavigableMap<String, Integer> sizes(String session, String ns) {
        return store.read(session, d -> d.sizes(ns));
    }

    protected boolean delete(String session, String ns, String key) {
        return store.write(session, d -> d.delete(ns, key));
    }

    @Test
    void readsWhatWasWritten() {
        put("s", "files", "a.txt", "hello");
        assertThat(get("s", "files", "a.txt")).isEqualTo("hello");
        assertThat(get("s", "files", "missing")).isNull();
        assertThat(get("other", "files", "a.txt")).isNull();
    }

    @Test
    void namespacesListsThoseHoldingEntriesInOrderAlsoInsideAWrite() {
        put("s", "zeta", "k", "v");
        put("s", "alpha", "k", "v");
        put("s", "gone", "k", "v");
        delete("s", "gone", "k");
        put("other", "beta", "k", "v");
        assertThat(store.read("s", SessionData::namespaces)).containsExactly("alpha", "zeta");
        assertThat(store.read("nobody", SessionData::namespaces)).isEmpty();
        var seenInWrite = store.write("s", d -> {
            d.put("mid", "k", b("v"));
            d.delete("zeta", "k");
            return d.namespaces();
        });
        assertThat(seenInWrite).containsExactly("alpha", "mid");
        assertThat(store.read("s", SessionData::namespaces)).containsExactly("alpha", "mid");
    }

    @Test
    void sessionsWhoseJoinedKeysWouldCollideStayApart() {
        // The reference's "session:path" scheme makes these two the same key.
        put("a:b", "files", "c", "first");
        put("a", "files", "b:c", "second");
        assertThat(get("a:b", "files", "c")).isEqualTo("first");
        assertThat(get("a", "files", "b:c")).isEqualTo("second");
        assertThat(get("a", "files", "c")).isNull();
        put("x", "files\u0000y", "z", "nul-ns");
        put("x\u0000files", "y", "z", "nul-session");
        assertThat(get("x", "files\u0000y", "z")).isEqualTo("nul-ns");
        assertThat(get("x\u0000files", "y", "z")).isEqualTo("nul-session");
    }

    @Test
    void namespacesAreSeparate() {
        put("s", "files", "k", "file");
        put("s", "dirs", "k", "dir");
        assertThat(get("s", "files", "k")).isEqualTo("file");
        assertThat(sizes("s", "dirs")).containsOnlyKeys("k");
    }

    @Test
    void listsKeysInOrderWithSizes() {
        put("s", "files", "b", "22");
        put("s", "files", "a", "1");
        put("s", "files", "c/d", "333");
        assertThat(sizes("s", "files")).containsExactly(
                org.assertj.core.api.Assertions.entry("a", 1), org.assertj.core.api.Assertions.entry("b", 2),
                org.assertj.core.api.Assertions.entry("c/d", 3));
        Set<String> keys = store.read("s", d -> d.entries("files")).keySet();
        assertThat(keys).containsExactly("a", "b", "c/d");
    }

    @Test
    void measuresANamespaceOfManySessionsAtOnce() {
        put("a", "files", "x", "12345");
        put("a", "files", "y/z", "67");
        put("a", "dirs", "y", "");
        put("b", "files", "only", "1");
        put("c", "dirs", "empty", "");
        assertThat(store.usage(List.of("a", "b", "c", "absent"), "files")).containsOnly(
                entry("a", new Usage(2, 7)), entry("b", new Usage(1, 1)),
                entry("c", Usage.NONE), entry("absent", Usage.NONE));
        assertThat(store.usage(List.of(), "files")).isEmpty();
    }

    @Test
    void readsANamespaceOfManySessionsAtOnce() {
        put("a", "meta", "created", "1");
        put("a", "meta", "used", "22");
        put("a", "files", "x", "not asked for");
        put("b\u0000meta", "meta", "k", "another session");
        put("c", "files", "only", "no meta");
        var entries = store.entries(List.of("a", "b", "c", "absent"), "meta");
        assertThat(entries).containsOnlyKeys("a", "b", "c", "absent");
        assertThat(entries.get("a").keySet()).containsExactly("created", "used");
        assertThat(new String(entries.get("a").get("used"), UTF_8)).isEqualTo("22");
        assertThat(entries.get("b")).isEmpty();
        assertThat(entries.get("c")).isEmpty();
        assertThat(entries.get("absent")).isEmpty();
        assertThat(store.entries(List.of(), "meta")).isEmpty();
    }

    @Test
    void deletesOneKey() {
        put("s", "files", "a", "1");
        assertThat(delete("s", "files", "a")).isTrue();
        assertThat(delete("s", "files", "a")).isFalse();
        assertThat(get("s", "files", "a")).isNull();
    }

    @Test
    void deletesAWholeSessionAndCountsPerNamespace() {
        put("s", "files", "a", "1");
        put("s", "files", "b", "2");
        put("s", "dirs", "d", "");
        put("keep", "files", "a", "kept");
        assertThat(store.deleteSession("s")).containsEntry("files", 2).containsEntry("dirs", 1);
        assertThat(sizes("s", "files")).isEmpty();
        assertThat(get("keep", "files", "a")).isEqualTo("kept");
        assertThat(store.sessions()).containsExactly("keep");
        assertThat(store.deleteSession("never")).isEmpty();
    }

    @Test
    void copiesASessionThatThenDiverges() {
        put("src", "files", "a", "1");
        put("src", "dirs", "d", "");
        store.copySession("src", "dst");
        put("dst", "files", "a", "changed");
        put("src", "files", "b", "only-in-source");
        assertThat(get("src", "files", "a")).isEqualTo("1");
        assertThat(get("dst", "files", "a")).isEqualTo("changed");
        assertThat(get("dst", "files", "b")).isNull();
        assertThat(sizes("dst", "dirs")).containsOnlyKeys("d");
        assertThat(store.sessions()).containsExactlyInAnyOrder("src", "dst");
    }

    @Test
    void aFailedWriteLeavesNothingBehind() {
        put("s", "files", "a", "original");
        assertThatThrownBy(() -> store.write("s", d -> {
            d.put("files", "a", b("overwritten"));
            d.put("files", "new", b("added"));
            d.delete("files", "a");
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(get("s", "files", "a")).isEqualTo("original");
        assertThat(get("s", "files", "new")).isNull();
    }

    @Test
    void racingReadModifyWritesOfOneSessionLoseNothing() throws Exception {
        int threads = 8;
        int increments = 200;
        put("s", "counters", "n", "0");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < increments; i++) {
                        int item = i;
                        store.write("s", d -> {
                            int n = Integer.parseInt(new String(d.get("counters", "n"), UTF_8));
                            d.put("counters", "n", b(Integer.toString(n + 1)));
                            d.put("items", thread + "-" + item, b("x"));
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(get("s", "counters", "n")).isEqualTo(Integer.toString(threads * increments));
        assertThat(sizes("s", "items")).hasSize(threads * increments);
    }

    @Test
    void measuresSeveralNamespacesAtOnceAlsoThroughAWritesOwnChanges() {
        put("s", "files", "a", "1");
        put("s", "files", "b", "22");
        put("s", "dirs", "d", "");
        List<java.util.NavigableMap<String, Integer>> read = store.read("s", d -> d.sizes(List.of("files", "dirs", "none")));
        assertThat(read).isEqualTo(List.of(java.util.Map.of("a", 1, "b", 2), java.util.Map.of("d", 0), java.util.Map.of()));
        List<java.util.NavigableMap<String, Integer>> inWrite = store.write("s", d -> {
            d.put("files", "c", b("333"));
            d.delete("files", "a");
            return d.sizes(List.of("files", "dirs"));
        });
        assertThat(inWrite).isEqualTo(List.of(java.util.Map.of("b", 2, "c", 3), java.util.Map.of("d", 0)));
    }

    @Test
    void aBoundedLogKeepsItsLastEntriesWithinItsLimitAndBytes() {
        BoundedLog log = new BoundedLog("log", "meta", "log", "owner", 3, 10);
        assertThat(store.append("s", log, b("before its owner"))).isZero();
        assertThat(store.sessions()).as("nothing written").isEmpty();
        put("s", "meta", "owner", "here");
        assertThat(List.of("aaaa", "bb", "cccc", "d").stream().map(e -> store.append("s", log, b(e))).toList()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(sizes("s", "log")).containsOnlyKeys(BoundedLog.key(2), BoundedLog.key(3), BoundedLog.key(4));
        assertThat(counters(log)).as("3 calls kept").isEqualTo(new BoundedLog.Counters(5, 2, 7, 1));

        assertThat(store.append("s", log, b("eeeeeeeeee"))).isEqualTo(5);
        assertThat(store.read("s", d -> d.entries("log")).keySet()).as("10 bytes leave room for no other").containsExactly(BoundedLog.key(5));
        assertThat(get("s", "log", BoundedLog.key(5))).isEqualTo("eeeeeeeeee");
        assertThat(counters(log)).isEqualTo(new BoundedLog.Counters(6, 5, 10, 4));
        assertThat(store.sessions()).containsExactly("s");

        BoundedLog none = new BoundedLog("nothing", "meta", "nothing", "owner", 0, 10);
        store.append("s", none, b("x"));
        assertThat(store.append("s", none, b("y"))).isEqualTo(2);
        assertThat(sizes("s", "nothing")).isEmpty();
        assertThat(counters(none)).isEqualTo(new BoundedLog.Counters(3, 3, 0, 2));
        assertThat(store.read("s", SessionData::namespaces)).as("a log that keeps nothing holds no namespace").containsExactly("log", "meta");

        store.write("s", d -> {
            log.clear(d);
            return null;
        });
        assertThat(sizes("s", "log")).isEmpty();
        assertThat(store.append("s", log, b("again"))).isEqualTo(1);
        delete("s", "meta", "owner");
        assertThat(store.append("s", log, b("after its owner"))).isZero();
        assertThat(sizes("s", "log")).containsOnlyKeys(BoundedLog.key(1));
    }

    /** Sizes are what the values measure, in bytes, after each kind of write, in a read and inside a write. */
    @Test
    void sizesAgreeWithTheValuesAfterEveryKindOfWrite() {
        BoundedLog log = new BoundedLog("log", "meta", "log", "owner", 2, 100);
        put("s", "meta", "owner", "here");
        put("s", "files", "a", "first");
        put("s", "files", "a", "é, then longer"); // overwritten: two bytes for é
        put("s", "files", "b", "b");
        delete("s", "files", "b");
        List.of("x", "yy", "zzz").forEach(entry -> store.append("s", log, b(entry)));
        assertSizesMatchValues("s");
        store.copySession("s", "fork");
        put("fork", "files", "c", "cc");
        assertSizesMatchValues("fork");
        assertThat(sizes("fork", "files")).containsExactly(entry("a", 15), entry("c", 2));
        assertThat(sizes("fork", "log")).containsExactly(entry(BoundedLog.key(2), 2), entry(BoundedLog.key(3), 3));
        store.write("fork", d -> {
            d.put("files", "a", b("1234"));
            d.delete("files", "c");
            assertThat(d.sizes("files")).containsExactly(entry("a", 4));
            return null;
        });
        store.deleteSession("s");
        assertThat(sizes("s", "files")).isEmpty();
        put("s", "files", "new", "n");
        assertThat(sizes("s", "files")).as("nothing left of the deleted session").containsExactly(entry("new", 1));
    }

    private void assertSizesMatchValues(String session) {
        store.read(session, d -> {
            for (String ns : d.namespaces()) {
                java.util.Map<String, Integer> measured = new java.util.TreeMap<>();
                d.entries(ns).forEach((k, v) -> measured.put(k, v.length));
                assertThat(d.sizes(ns)).as(ns).isEqualTo(measured);
            }
            return null;
        });
    }

    private BoundedLog.Counters counters(BoundedLog log) {
        return store.read("s", log::counters);
    }

    @Test
    void racingAppendsGetEveryNumberOnce() throws Exception {
        BoundedLog log = new BoundedLog("log", "meta", "log", "owner", 1_000, 1 << 20);
        put("s", "meta", "owner", "here");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Long>>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        seqs.add(store.append("s", log, b("entry")));
                    }
                    return seqs;
                }));
            }
            java.util.Set<Long> seqs = new java.util.TreeSet<>();
            for (Future<List<Long>> f : done) {
                seqs.addAll(f.get());
            }
            assertThat(seqs).hasSize(400).first().isEqualTo(1L);
            assertThat(sizes("s", "log")).hasSize(400);
        } finally {
            pool.shutdown();
        }
    }
}
