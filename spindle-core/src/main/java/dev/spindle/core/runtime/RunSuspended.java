package dev.spindle.core.runtime;

/**
 * Thrown through one run of a call by a store view that cannot answer yet (it lacks values it must fetch
 * first, say): the run ends there, its result and its changes are dropped, and whoever gave the view runs
 * the call again. The pipeline's crash mapping lets it through; it is never a call's answer.
 */
public class RunSuspended extends RuntimeException {
    public RunSuspended() {
        super(null, null, false, false);
    }
}
