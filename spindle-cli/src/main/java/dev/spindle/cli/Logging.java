package dev.spindle.cli;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Quiet, one-line, key=value logs on stderr: warnings only by default (libraries included), Spindle's
 * own events too with {@code --verbose}.
 */
final class Logging {
    private Logging() {}

    static void configure(boolean verbose) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new OneLine());
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        Logger.getLogger("dev.spindle").setLevel(verbose ? Level.FINE : Level.WARNING);
    }

    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder()
                    .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
                    .append(record.getLevel().getName()).append(' ')
                    .append(record.getLoggerName()).append(' ')
                    .append(formatMessage(record));
            if (record.getThrown() != null) {
                line.append(" error=\"").append(record.getThrown()).append('"');
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    for (StackTraceElement frame : record.getThrown().getStackTrace()) {
                        line.append("\n    at ").append(frame);
                    }
                }
            }
            return line.append('\n').toString();
        }
    }
}
