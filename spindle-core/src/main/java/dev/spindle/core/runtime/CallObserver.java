package dev.spindle.core.runtime;

import dev.spindle.core.FailureKind;

/**
 * Told of every tool call the runtime runs, e.g. to count it in metrics; keeps the runtime free of any
 * metrics library. Called on the calling thread: an observer must be quick and must not throw.
 */
@FunctionalInterface
public interface CallObserver {
    CallObserver NONE = (component, tool, errorType, nanos) -> { };

    /**
     * @param component the component that ran it, null when the tool was found nowhere
     * @param errorType null on success
     */
    void called(String component, String tool, FailureKind errorType, long nanos);
}
