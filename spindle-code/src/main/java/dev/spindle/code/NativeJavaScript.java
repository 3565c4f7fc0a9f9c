package dev.spindle.code;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.sandbox.Sandbox;
import dev.spindle.sandbox.Sandboxes;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * {@code run_javascript} on the sandbox's own {@code node}, with the same {@code fs} helpers as the
 * WebAssembly backend (paths from the session's root, an {@code Error} value instead of a throw), over the
 * session's workspace. Node's own modules are there too ({@code require}); the network is not.
 */
final class NativeJavaScript implements Interpreter {
    private static final int OUTPUT_CAP = 64 * 1024;

    /**
     * Defines {@code fs} as the WebAssembly backend does, runs the code as a script named {@code code.js}, and
     * prints an uncaught error with the code's own stack lines only, ending with exit code 1, as that backend does.
     */
    private static final String RUNNER = """
            'use strict';
            const nodeFs = require('fs'), path = require('path'), vm = require('vm');
            const root = '/workspace';
            const inside = (p) => {
              const full = path.resolve(root, String(p).replace(/^\\/+/, ''));
              if (full !== root && !full.startsWith(root + '/')) throw new Error("Access denied: '" + p + "' leads outside the session root /");
              return full;
            };
            const answer = (f) => { try { return f(); } catch (e) { return e instanceof Error ? new Error(e.message) : new Error(String(e)); } };
            globalThis.fs = Object.freeze({
              readFile: (p) => answer(() => nodeFs.readFileSync(inside(p), 'utf8')),
              writeFile: (p, content) => answer(() => { const data = Buffer.from(String(content), 'utf8');
                const target = inside(p); nodeFs.mkdirSync(path.dirname(target), {recursive: true}); nodeFs.writeFileSync(target, data); return data.length; }),
              listDir: (p) => answer(() => nodeFs.readdirSync(inside(p === undefined ? '/' : p), {withFileTypes: true})
                .map((d) => d.isDirectory() ? d.name + '/' : d.name).sort()),
              exists: (p) => answer(() => nodeFs.existsSync(inside(p))),
            });
            const code = nodeFs.readFileSync('/run/spindle/code.js', 'utf8');
            try {
              vm.runInThisContext(code, {filename: 'code.js'});
            } catch (e) {
              const own = String(e && e.stack || '').split('\\n').filter((l) => /^\\s+at /.test(l) && l.includes('code.js'));
              console.error(e instanceof Error ? `${e.name}: ${e.message}` + (own.length ? '\\n' + own.join('\\n') : '') : `Uncaught ${String(e)}`);
              process.exitCode = 1;
            }
            """;

    private final Sandboxes sandboxes;

    NativeJavaScript(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    @Override
    public RunOutcome run(String sessionId, String incarnation, SessionFiles files, String code, Duration timeout) {
        Sandbox sandbox = sandboxes.require("run_javascript");
        if (sandbox.root().find("node").isEmpty()) {
            throw new SpindleException(ErrorType.ComponentFailed, "run_javascript cannot run: the sandbox root (" + sandbox.root().describe() + ") has no node");
        }
        return sandboxes.inSession(sessionId, incarnation, files, session -> {
            try {
                Files.writeString(session.control().resolve("code.js"), code);
            } catch (IOException e) {
                throw new SpindleException(ErrorType.IOError, "cannot hand the code to the sandbox: " + e.getMessage());
            }
            Sandbox.Run run = session.run(List.of("/usr/bin/env", "node", "-e", RUNNER), timeout, OUTPUT_CAP);
            if (run.timedOut()) {
                throw new SpindleException(ErrorType.Timeout, "The JavaScript run took longer than " + timeout.toMillis() + " ms and was stopped");
            }
            return new RunOutcome(run.stdout(), run.stderr(), run.exitCode());
        }).value();
    }
}
