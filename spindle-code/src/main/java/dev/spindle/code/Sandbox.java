package dev.spindle.code;

import dev.spindle.core.files.SessionFiles;
import java.time.Duration;

/**
 * A language runtime in WebAssembly that runs one piece of untrusted code against a session's files.
 * The code's own failures (an exception, a syntax error) are a normal {@link RunOutcome}; a run past
 * {@code timeout} is a {@code Timeout} and a run the sandbox itself gives up on is {@code ComponentFailed}.
 */
interface Sandbox {
    /** {@code incarnation}: which session of that id this is (see {@code ToolContext.incarnation}). */
    RunOutcome run(String sessionId, String incarnation, SessionFiles files, String code, Duration timeout);
}
