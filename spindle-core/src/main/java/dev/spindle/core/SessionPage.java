package dev.spindle.core;

import java.util.List;

/**
 * One page of a session listing: the sessions from {@code offset} on, and how many matched in all.

 */
public record SessionPage(List<SessionInfo> sessions, int total, int offset, int limit) {
    /** Where the next page starts, or -1 when this is the last. */
    public int nextOffset() {
        return offset + sessions.size() < total ? offset + sessions.size() : -1;
    }

    /** How a listing is sorted. */
    public enum Order {
        /** Most recently used first; ties by id. */
        last_used,
        /** By id, in code-point order. */
        id
    }
}
