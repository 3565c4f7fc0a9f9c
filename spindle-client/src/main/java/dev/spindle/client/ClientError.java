package dev.spindle.client;

import dev.spindle.core.FailureKind;

/** Failures only the client reports, under the names DeepFabric's client gives them. */
public enum ClientError implements FailureKind {
    /** A tool server answered non-2xx without an {@code error_type}. */
    HTTPError(502);

    private final int httpStatus;

    ClientError(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    @Override
    public int httpStatus() {
        return httpStatus;
    }
}
