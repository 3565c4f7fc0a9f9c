package dev.spindle.code;

import dev.spindle.core.Json;
import dev.spindle.core.text.CappedOutput;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a run of code printed and how it ended: the tool's answer, {@code {stdout, stderr, exit_code}}.
 * Only what the code and the session's state determine, so that a replay reproduces it: how long the run
 * took is in the trace ({@code duration_us}) and the metrics.
 */
record RunOutcome(CappedOutput stdout, CappedOutput stderr, int exitCode) {

    ObjectNode toJson() {
        return Json.object()
                .put("stdout", stdout.text())
                .put("stderr", stderr.text())
                .put("exit_code", exitCode);
    }
}
