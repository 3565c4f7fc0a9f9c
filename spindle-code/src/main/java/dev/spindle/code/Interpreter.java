package dev.spindle.code;

import dev.spindle.core.files.SessionFiles;
import java.time.Duration;

/**
 * A language runtime that runs one piece of untrusted code against a session's files: in WebAssembly
 * ({@link WasmPython}, {@link WasmJavaScript}) or natively in the shell's sandbox ({@link NativePython},
 * {@link NativeJavaScript}).
 * The code's own failures (an exception, a syntax error) are a normal {@link RunOutcome}; a run past
 * {@code timeout} is a {@code Timeout} and a run the runtime itself gives up on is {@code ComponentFailed}.
 */
interface Interpreter {
    /** {@code incarnation}: which session of that id this is (see {@code ToolContext.incarnation}). */
    RunOutcome run(String sessionId, String incarnation, SessionFiles files, String code, Duration timeout);
}
