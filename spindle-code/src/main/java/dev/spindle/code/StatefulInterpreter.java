package dev.spindle.code;

import dev.spindle.core.files.SessionFiles;
import java.time.Duration;

/** An {@link Interpreter} that can also keep one instance per session, so that the code's globals persist between runs. */
interface StatefulInterpreter extends Interpreter {
    /**
     * Runs in the session's kept instance (made on its first run, or after one was dropped); an instance
     * kept for another {@code incarnation} of the id (a session since closed, here or elsewhere) is dropped.
     */
    RunOutcome runKept(String sessionId, String incarnation, SessionFiles files, String code, Duration timeout);

    /** Drops the session's kept instance, if any: the session is gone. */
    void forget(String sessionId);
}
