package dev.spindle.core.store;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A write's changes to one session's data, kept until they are committed in one step (see
 * {@link OverlaidData}): per namespace, in key order, the keys put with their values
 * and the keys deleted (a null value). Reads within the write see what was read through them.
 */
public final class PendingChanges {
    private final TreeMap<String, TreeMap<String, byte[]>> changes = new TreeMap<>();

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** True when the write put or deleted the key; {@link #value} is then what it reads. */
    public boolean has(String namespace, String key) {
        TreeMap<String, byte[]> keys = changes.get(namespace);
        return keys != null && keys.containsKey(key);
    }

    /** The value the write put, null when it deleted the key (or did neither: see {@link #has}). */
    public byte[] value(String namespace, String key) {
        TreeMap<String, byte[]> keys = changes.get(namespace);
        return keys == null ? null : keys.get(key);
    }

    public void put(String namespace, String key, byte[] value) {
        changes.computeIfAbsent(namespace, ns -> new TreeMap<>()).put(key, value);
    }

    public void delete(String namespace, String key) {
        changes.computeIfAbsent(namespace, ns -> new TreeMap<>()).put(key, null);
    }

    /** {@code stored}, the namespace's keys as read, with the write's changes applied, values seen through {@code view}. */
    public <V> NavigableMap<String, V> overlay(String namespace, NavigableMap<String, V> stored, Function<byte[], V> view) {
        changes.getOrDefault(namespace, new TreeMap<>()).forEach((key, value) -> {
            if (value == null) {
                stored.remove(key);
            } else {
                stored.put(key, view.apply(value));
            }
        });
        return stored;
    }

    /**
     * The namespaces holding an entry once the write is applied: {@code stored} (as read, each holding one)
     * and those the write put in, less those it emptied, which {@code sizes} (read through the write) tells.
     */
    public NavigableSet<String> namespaces(Set<String> stored, Function<String, Map<String, Integer>> sizes) {
        NavigableSet<String> names = new TreeSet<>(stored);
        names.addAll(changes.keySet());
        names.removeIf(name -> changes.containsKey(name) && sizes.apply(name).isEmpty());
        return names;
    }

    /** Per namespace, the keys put (with their values) and deleted (null), in key order; read-only. */
    public Map<String, ? extends Map<String, byte[]>> byNamespace() {
        return Collections.unmodifiableMap(changes);
    }

    /** A copy, for going back to it should the rest of the write fail. */
    public PendingChanges copy() {
        PendingChanges copy = new PendingChanges();
        changes.forEach((ns, keys) -> copy.changes.put(ns, new TreeMap<>(keys)));
        return copy;
    }
}
