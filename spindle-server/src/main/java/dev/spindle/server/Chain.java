package dev.spindle.server;

import java.util.List;

/**
 * The ordered steps every request passes, linked once at start-up: each step either answers (by
 * answering or throwing) and stops, or hands the request to the rest of the chain, now or later (once
 * the body is in, on a worker). What a step throws is answered by {@link Exchange#fail(Throwable)}, the one
 * mapping of failures to HTTP answers.
 */
final class Chain {
    /** One cross-cutting step: origin, token, body... or, last, the route's handler. */
    @FunctionalInterface
    interface Step {
        void handle(Exchange ex, Chain next);
    }

    private final Step step;
    private final Chain next;

    private Chain(Step step, Chain next) {
        this.step = step;
        this.next = next;
    }

    static Chain of(List<Step> steps) {
        Chain chain = null;
        for (Step step : steps.reversed()) {
            chain = new Chain(step, chain);
        }
        return chain;
    }

    /** Runs this step (which may run the rest); whatever it throws is answered, an {@link Error} too (a bug all the same). */
    void proceed(Exchange ex) {
        try {
            step.handle(ex, next);
        } catch (Throwable e) {
            ex.fail(e);
        }
    }
}
