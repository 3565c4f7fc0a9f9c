package dev.spindle.mock;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.text.CappedOutput;
import dev.spindle.wasm.QuickJs;
import io.roastedroot.quickjs4j.core.Builtins;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of a handler script in {@link QuickJs}. The source is the body of a function
 * {@code (args, state, context)}; it may change {@code state} in place and returns the tool's result. Before
 * it runs, {@code Date} and {@code Math.random} are replaced by a fixed clock and a seeded generator
 * (sfc32) whose values the caller chooses, so that a run depends on its input alone.
 *
 * <p>The input goes in through one host function and the reply comes out through another, as JSON: the
 * handler cannot reach either (they are hidden in a closure before it runs).
 */
final class HandlerScript {
    private static final String MODULE = "spindle_handler";
    private static final int CONSOLE_CAP = 4 * 1024;

    /**
     * The handler, declared first as a function of the script's top level (it sees globals only), then the
     * run: reads the input, fixes the clock and the generator, calls the handler and sends back
     * {@code {value, state}} or {@code {thrown}}; running out of memory is left uncaught so that the run
     * fails as a whole. Compiled once per handler source ({@link #compiled}).
     */
    private static final String HEAD = "const handler = function (args, state, context) {\n";
    private static final String TAIL = """

            };
            (() => {
              const host = globalThis.%1$s;
              delete globalThis.%1$s;
              const input = JSON.parse(host.input());
              const stringify = JSON.stringify;
              let [a, b, c, d] = input.random;
              Math.random = () => {
                a |= 0; b |= 0; c |= 0; d |= 0;
                const t = (((a + b) | 0) + d) | 0;
                d = (d + 1) | 0;
                a = b ^ (b >>> 9);
                b = (c + (c << 3)) | 0;
                c = (c << 21) | (c >>> 11);
                c = (c + t) | 0;
                return (t >>> 0) / 4294967296;
              };
              const RealDate = Date;
              function FixedDate(...given) {
                if (!new.target) return new RealDate(input.now).toString();
                return given.length === 0 ? new RealDate(input.now) : new RealDate(...given);
              }
              FixedDate.prototype = RealDate.prototype;
              FixedDate.now = () => input.now;
              FixedDate.UTC = RealDate.UTC;
              FixedDate.parse = RealDate.parse;
              globalThis.Date = FixedDate;
              const describe = (e) => {
                try {
                  if (e !== null && typeof e === 'object' && typeof e.error_type === 'string') {
                    return { error_type: e.error_type, error: String(e.error ?? e.message ?? '') };
                  }
                  return { error: e instanceof Error ? `${e.name}: ${e.message}` : `threw ${String(e)}` };
                } catch (_) {
                  return { error: 'threw a value that cannot be printed' };
                }
              };
              let reply;
              try {
                const state = input.state;
                const value = handler(input.args, state, Object.freeze(input.context));
                if (value instanceof Promise) throw new TypeError('a handler returns its result, not a promise (no async)');
                reply = stringify({ value: value === undefined ? null : value, state });
              } catch (e) {
                if (e instanceof InternalError && e.message === 'out of memory') throw e;
                reply = stringify({ thrown: describe(e) });
              }
              host.output(reply);
            })();
            """.formatted(MODULE);

    /**
     * Compiles a source as the body of a function, parsed apart from everything around it (as the
     * {@code Function} constructor does), so that no source can reach past its own body.
     */
    private static final String CHECK = """
            (() => {
              const host = globalThis.%1$s;
              try {
                new Function('args', 'state', 'context', JSON.parse(host.input()).source);
                host.output('{}');
              } catch (e) {
                host.output(JSON.stringify({ thrown: { error: `${e.name}: ${e.message}` } }));
              }
            })();
            """.formatted(MODULE);

    /** Bytecode by handler source digest, least recently used dropped past {@value #CACHED_BYTES} bytes. */
    private static final long CACHED_BYTES = 32L << 20;
    private static final Map<String, byte[]> COMPILED = new LinkedHashMap<>(16, 0.75f, true);
    private static long compiledBytes;

    /** What a run decides for one call: the handler's choices, made only from these. */
    record Input(String tool, String source, ObjectNode args, ObjectNode state, long seed, long changes, long nowMillis, int[] random) {}

    /** A successful run: the result, and the state as the handler left it. */
    record Reply(JsonNode value, ObjectNode state, int chars) {}

    private HandlerScript() {}

    /**
     * Runs the handler. A returned {@code {error_type, error}} or a thrown error fails with its type
     * ({@code ComponentFailed} when it names none or an unknown one); output past {@code maxReplyChars}
     * is {@code QuotaExceeded}.
     */
    static Reply run(Input input, Duration timeout, long maxReplyChars) {
        byte[] script = compiled(input.tool, input.source, timeout);
        ObjectNode json = Json.object().put("now", input.nowMillis);
        json.set("args", input.args);
        json.set("state", input.state);
        json.putObject("context").put("tool", input.tool).put("seed", input.seed).put("changes", input.changes);
        Arrays.stream(input.random).forEach(json.putArray("random")::add);
        String what = "The handler of " + input.tool;
        JsonNode reply = exchange((host, console) -> QuickJs.run(script, host, console, new CappedOutput(CONSOLE_CAP), timeout, what),
                json, input.tool, maxReplyChars);
        if (reply.has("thrown")) {
            throw failure(input.tool, reply.get("thrown"), "threw");
        }
        JsonNode value = reply.path("value");
        if (Responses.isErrorFixture(value)) {
            throw failure(input.tool, value, "returned");
        }
        if (!(reply.path("state") instanceof ObjectNode state)) {
            throw new SpindleException(ErrorType.ComponentFailed, "The handler of " + input.tool + " left state as something other than an object");
        }
        return new Reply(value, state, Json.write(value).length());
    }

    /** Compiles the handler without running it: {@code InvalidRequest} naming the syntax error. */
    static void check(String tool, String source, Duration timeout) {
        JsonNode reply = exchange((host, console) -> QuickJs.run(CHECK, host, console, new CappedOutput(CONSOLE_CAP), timeout, "The handler of " + tool),
                Json.object().put("source", source), tool, 1 << 16);
        if (reply.has("thrown")) {
            throw new SpindleException(ErrorType.InvalidRequest, "The handler of " + tool + " does not compile: "
                    + reply.path("thrown").path("error").asString(""));
        }
    }

    /**
     * The handler's script as bytecode: compiled on first use (after {@link #check}, since a snapshot can
     * bring a handler that was never loaded), then reused, so a call does not parse the script again.
     */
    private static byte[] compiled(String tool, String source, Duration timeout) {
        String key = digest(source);
        synchronized (COMPILED) {
            byte[] cached = COMPILED.get(key);
            if (cached != null) {
                return cached;
            }
        }
        check(tool, source, timeout);
        byte[] bytecode = QuickJs.compile(HEAD + source + TAIL, host(() -> "{}", reply -> { }), timeout, "The handler of " + tool);
        synchronized (COMPILED) {
            if (COMPILED.put(key, bytecode) == null) {
                compiledBytes += bytecode.length;
            }
            var eldest = COMPILED.entrySet().iterator();
            while (compiledBytes > CACHED_BYTES && COMPILED.size() > 1) {
                compiledBytes -= eldest.next().getValue().length;
                eldest.remove();
            }
        }
        return bytecode;
    }

    private static String digest(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The two host functions a script sees: its input, and where its reply goes. */
    private static Builtins host(Supplier<String> input, Consumer<String> output) {
        return Builtins.builder(MODULE).addVoidToString("input", input).addStringToVoid("output", output).build();
    }

    /** One run of QuickJS with the host functions given and a console whose output is dropped past its cap. */
    private interface Run {
        void with(Builtins host, CappedOutput console);
    }

    /** Hands {@code input} to the script and reads back the JSON it answers. */
    private static JsonNode exchange(Run run, ObjectNode input, String tool, long maxReplyChars) {
        String in = Json.write(input);
        AtomicReference<String> out = new AtomicReference<>();
        run.with(host(() -> in, out::set), new CappedOutput(CONSOLE_CAP));
        String reply = out.get();
        if (reply == null) {
            throw new SpindleException(ErrorType.ComponentFailed, "The handler of " + tool + " ended without an answer");
        }
        if (reply.length() > maxReplyChars) {
            throw new SpindleException(ErrorType.QuotaExceeded, "The handler of " + tool + " answered " + reply.length()
                    + " characters of result and state; the limit is " + maxReplyChars);
        }
        try {
            return Json.parse(reply);
        } catch (SpindleException unreadable) { // nested past the parser's depth limit, say
            throw new SpindleException(ErrorType.ComponentFailed, "The handler of " + tool + " answered JSON that cannot be read back: " + unreadable.getMessage());
        }
    }

    /** The type the handler named; a bug in the handler (an error without a known type) is {@code ComponentFailed}. */
    private static SpindleException failure(String tool, JsonNode error, String how) {
        String message = error.path("error").isContainer() ? Json.write(error.get("error")) : error.path("error").asString("");
        if (!error.path("error_type").isString()) {
            return new SpindleException(ErrorType.ComponentFailed, "The handler of " + tool + " failed: " + message);
        }
        String name = error.get("error_type").stringValue();
        return ErrorType.parse(name).map(type -> new SpindleException(type, message.isEmpty() ? "Mock error" : message))
                .orElseGet(() -> new SpindleException(ErrorType.ComponentFailed, "The handler of " + tool + " " + how
                        + " the unknown error_type '" + name + "' (" + message + "); use one of " + Arrays.toString(ErrorType.values())));
    }
}
