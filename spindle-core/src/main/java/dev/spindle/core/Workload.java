package dev.spindle.core;

/**
 * What a tool's call does with the machine, which decides where it runs: a call of one kind never waits
 * for threads another kind keeps busy, so code runs cannot starve file calls nor the health checks.
 */
public enum Workload {
    /**
     * Works only on its session's data in the store, briefly (the file tools): on the event loop when the
     * store can wait without blocking it, else on a worker.
     */
    SESSION_DATA,
    /**
     * Keeps a core busy for as long as it runs (code, a WebAssembly module, a handler script): on the compute
     * pool, as many threads as cores, with a bounded queue in front (past it the call answers {@code Overloaded}).
     */
    COMPUTE,
    /**
     * Waits for something outside the session's data (the network, the host's files) or may take time in ways
     * the other kinds do not say: on a worker.
     */
    OUTSIDE
}
