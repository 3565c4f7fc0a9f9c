package dev.spindle.mock;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.wasm.CappedOutput;
import dev.spindle.wasm.QuickJs;
import io.roastedroot.quickjs4j.core.Builtins;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
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
     * Reads the input, fixes the clock and the generator, runs the handler (or, with {@code check}, only
     * compiles it) and sends back {@code {value, state}} or {@code {thrown}}; running out of memory is left
     * uncaught so that the run fails as a whole.
     */
    private static final String PRELUDE = """
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
                const handler = new Function('args', 'state', 'context', input.source);
                if (input.check) {
                  reply = stringify({ value: null, state: {} });
                } else {
                  const state = input.state;
                  const value = handler(input.args, state, Object.freeze(input.context));
                  if (value instanceof Promise) throw new TypeError('a handler returns its result, not a promise (no async)');
                  reply = stringify({ value: value === undefined ? null : value, state });
                }
              } catch (e) {
                if (e instanceof InternalError && e.message === 'out of memory') throw e;
                reply = stringify({ thrown: describe(e) });
              }
              host.output(reply);
            })();
            """.formatted(MODULE);

    /** What a run decides for one call: the handler's choices, made only from these. */
    record Input(String tool, String source, ObjectNode args, ObjectNode state, long seed, long call, long nowMillis, int[] random) {}

    /** A successful run: the result, and the state as the handler left it. */
    record Reply(JsonNode value, ObjectNode state, int chars) {}

    private HandlerScript() {}

    /**
     * Runs the handler. A returned {@code {error_type, error}} or a thrown error fails with its type
     * ({@code ComponentFailed} when it names none or an unknown one); output past {@code maxReplyChars}
     * is {@code QuotaExceeded}.
     */
    static Reply run(Input input, Duration timeout, long maxReplyChars) {
        ObjectNode json = Json.object().put("source", input.source).put("now", input.nowMillis);
        json.set("args", input.args);
        json.set("state", input.state);
        json.putObject("context").put("tool", input.tool).put("seed", input.seed).put("call", input.call);
        Arrays.stream(input.random).forEach(json.putArray("random")::add);
        JsonNode reply = exchange(json, input.tool, timeout, maxReplyChars);
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
        ObjectNode json = Json.object().put("source", source).put("check", true).put("now", 0);
        json.putArray("random").add(0).add(0).add(0).add(0);
        JsonNode reply = exchange(json, tool, timeout, 1 << 16);
        if (reply.has("thrown")) {
            throw new SpindleException(ErrorType.InvalidRequest, "The handler of " + tool + " does not compile: "
                    + reply.path("thrown").path("error").asString(""));
        }
    }

    private static JsonNode exchange(ObjectNode input, String tool, Duration timeout, long maxReplyChars) {
        String in = Json.write(input);
        AtomicReference<String> out = new AtomicReference<>();
        Builtins builtins = Builtins.builder(MODULE)
                .addVoidToString("input", () -> in)
                .addStringToVoid("output", out::set)
                .build();
        CappedOutput console = new CappedOutput(CONSOLE_CAP);
        QuickJs.run(PRELUDE, builtins, console, new CappedOutput(CONSOLE_CAP), timeout, "The handler of " + tool);
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
