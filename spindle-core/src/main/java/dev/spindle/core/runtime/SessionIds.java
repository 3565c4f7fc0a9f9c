package dev.spindle.core.runtime;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;

/** Which session ids can be stored, routed and logged safely; checked wherever a client names one. */
final class SessionIds {
    static final int MAX_CHARS = 256;

    private SessionIds() {}

    /** False for a component's global partition, which the store lists beside the sessions. */
    static boolean isSession(String id) {
        return !id.startsWith("\u0000");
    }

    /** The id, or {@code InvalidRequest} saying what is wrong with it. */
    static String check(String id) {
        if (id == null || id.isEmpty()) {
            throw new SpindleException(ErrorType.InvalidRequest, "session_id is required and must be a non-empty string");
        }
        if (id.length() > MAX_CHARS) {
            throw new SpindleException(ErrorType.InvalidRequest, "session_id is " + id.length() + " characters long; the limit is " + MAX_CHARS);
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new SpindleException(ErrorType.InvalidRequest, "session_id contains a control character");
            }
        }
        return id;
    }
}
