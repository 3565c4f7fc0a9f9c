package dev.spindle.code;

import dev.spindle.core.Json;
import dev.spindle.core.text.CappedOutput;
import tools.jackson.databind.node.ObjectNode;

/** What a run of code printed and how it ended: the tool's answer, {@code {stdout, stderr, exit_code, duration_ms}}. */
record RunOutcome(CappedOutput stdout, CappedOutput stderr, int exitCode, long durationMs) {

    ObjectNode toJson() {
        return Json.object()
                .put("stdout", stdout.text())
                .put("stderr", stderr.text())
                .put("exit_code", exitCode)
                .put("duration_ms", durationMs);
    }
}
