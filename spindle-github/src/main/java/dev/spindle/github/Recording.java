package dev.spindle.github;

import java.nio.file.Path;

/**
 * Whether GitHub answers are saved or served from a folder: {@code --github-record DIR} saves each distinct
 * request's answer, {@code --github-replay DIR} answers only from those files and sends nothing.
 */
public record Recording(Mode mode, Path dir) {
    public enum Mode { OFF, RECORD, REPLAY }

    public static final Recording OFF = new Recording(Mode.OFF, null);

    public Recording {
        if ((mode == Mode.OFF) != (dir == null)) {
            throw new IllegalArgumentException("a recording folder goes with RECORD or REPLAY, and only with them");
        }
    }

    public static Recording recordTo(Path dir) {
        return new Recording(Mode.RECORD, dir);
    }

    public static Recording replayFrom(Path dir) {
        return new Recording(Mode.REPLAY, dir);
    }
}
