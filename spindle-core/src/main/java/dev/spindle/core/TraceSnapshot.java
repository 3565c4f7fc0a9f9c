package dev.spindle.core;

import java.util.List;

/** A session's trace as kept: the calls in order, and how many older calls were dropped to bound it. */
public record TraceSnapshot(List<TraceEntry> calls, long dropped) {}
