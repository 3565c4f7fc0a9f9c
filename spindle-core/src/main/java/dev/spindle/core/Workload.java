package dev.spindle.core;

/**
 * What a tool's call does with the machine, which decides where it runs: a call of one kind never waits
 * for threads another kind keeps busy, so code runs cannot starve file calls nor the health checks.
 */
public enum Workload {
    /**
     * Works only on its session's data in the store, briefly, and keeps nothing of the session anywhere else
     * (the file tools): on the event loop when the store can wait without blocking it, else on a worker. Since
     * all it does is in the store, a run may be repeated on fresh data before it commits, and on a store shared
     * with other instances it is not first checked against their closes (its trace entry tells afterwards).
     */
    SESSION_DATA,
    /**
     * Keeps a core busy for as long as it runs (code, a WebAssembly module, a handler script): on the compute
     * pool, as many threads as cores, with a bounded queue in front (past it the call answers {@code Overloaded}).
     */
    COMPUTE,
    /**
     * Waits for something outside the session's data (the network, the host's files), keeps something of the
     * session outside the store (in memory, in a local workspace), or may take time in ways the other kinds do
     * not say: on a worker. What a tool is unless it says otherwise.
     */
    OUTSIDE
}
