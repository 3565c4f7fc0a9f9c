package dev.spindle.core;

/** What a component may ask the runtime for. A component gets exactly the capabilities it declares. */
public enum Capability {
    /** The session's virtual files, under the runtime's path policy and quotas. */
    SESSION_FILES,
    /** Key-values of its own: one namespace per session (dropped with it) and one global. */
    STATE
}
