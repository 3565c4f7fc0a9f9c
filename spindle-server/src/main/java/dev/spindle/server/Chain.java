package dev.spindle.server;

import dev.spindle.core.HttpError;
import dev.spindle.core.SpindleException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ordered steps every request passes, linked once at start-up: each step either answers (by
 * answering or throwing) and stops, or hands the request to the rest of the chain, now or later (once
 * the body is in, on a worker). Errors are mapped to JSON here, in one place: a {@link SpindleException}
 * becomes its type's status with {@code {error, error_type}}; anything else (an {@link Error} too) is a bug,
 * logged with its stack, and answered 500 {@code Internal} without internals.
 */
final class Chain {
    private static final Logger LOG = Logger.getLogger(Chain.class.getName());

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
            fail(ex, e);
        }
    }

    /** Answers what went wrong, the one mapping for errors thrown here and for those a handler meets later. */
    static void fail(Exchange ex, Throwable e) {
        if (e instanceof SpindleException known) {
            ex.fail(known);
        } else {
            LOG.log(Level.WARNING, "event=internal_error method=" + ex.request.method() + " path=" + ex.request.path(), e);
            ex.fail(new SpindleException(HttpError.Internal, "Internal server error; the request was not completed"));
        }
    }
}
