package dev.spindle.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The spindle command line run in this JVM, with what it printed on stdout and stderr kept for assertions. */
final class InProcessCli {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** The exit code of {@code spindle ARGS}. */
    int run(String... args) {
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    /** Everything the runs so far printed on stdout. */
    String out() {
        return out.toString();
    }

    /** Everything the runs so far printed on stderr. */
    String err() {
        return err.toString();
    }
}
