package dev.spindle.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PendingChangesTest {
    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void aDeleteIsAChangeThatReadsAsNoValue() {
        PendingChanges changes = new PendingChanges();
        assertThat(changes.isEmpty()).isTrue();
        assertThat(changes.has("files", "a")).isFalse();
        changes.put("files", "a", b("1"));
        changes.delete("files", "b");
        assertThat(changes.has("files", "a")).isTrue();
        assertThat(changes.value("files", "a")).asString(UTF_8).isEqualTo("1");
        assertThat(changes.has("files", "b")).as("deleted: known, no value").isTrue();
        assertThat(changes.value("files", "b")).isNull();
        assertThat(changes.has("dirs", "a")).isFalse();
        assertThat(changes.byNamespace()).containsOnlyKeys("files");
        assertThat(changes.byNamespace().get("files")).containsOnlyKeys("a", "b").containsEntry("b", null);
    }

    @Test
    void overlaysWhatWasReadAndTellsTheNamespacesLeft() {
        PendingChanges changes = new PendingChanges();
        changes.put("files", "new", b("123"));
        changes.delete("files", "old");
        changes.delete("dirs", "only");
        TreeMap<String, Integer> files = new TreeMap<>(Map.of("old", 5, "kept", 2));
        assertThat(changes.overlay("files", files, value -> value.length)).containsExactly(entry("kept", 2), entry("new", 3));
        assertThat(changes.overlay("state", new TreeMap<>(Map.of("k", 1)), value -> value.length)).containsExactly(entry("k", 1));
        Map<String, Map<String, Integer>> after = Map.of("files", Map.of("kept", 2, "new", 3), "dirs", Map.of(), "added", Map.of("x", 1));
        changes.put("added", "x", b("x"));
        assertThat(changes.namespaces(Set.of("files", "dirs", "state"), after::get))
                .as("dirs emptied by the write; state untouched needs no look").containsExactly("added", "files", "state");
    }

    @Test
    void aCopyDoesNotSeeLaterChanges() {
        PendingChanges changes = new PendingChanges();
        changes.put("files", "a", b("1"));
        PendingChanges copy = changes.copy();
        changes.put("files", "b", b("2"));
        changes.delete("files", "a");
        assertThat(copy.byNamespace().get("files")).containsOnlyKeys("a");
        assertThat(copy.value("files", "a")).asString(UTF_8).isEqualTo("1");
    }
}
