package dev.spindle.core.store;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;

/**
 * The store cannot be reached right now (a Redis that is down or restarting): an {@code IOError} the
 * client can do nothing about but try again, which the HTTP server answers 503 with {@code Retry-After}.
 */
public final class StoreUnavailable extends SpindleException {
    /** What the HTTP server asks clients to wait before trying again. */
    public static final int RETRY_AFTER_SECONDS = 1;

    public StoreUnavailable(String message) {
        super(ErrorType.IOError, message);
    }
}
