package dev.spindle.mock;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.text.CappedOutput;
import dev.spindle.wasm.QuickJs;
import io.roastedroot.quickjs4j.core.Builtins;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of a handler script in {@link QuickJs}. The source is the body of a function
 * {@code (args, state, context)}; it may change {@code state} in place and returns the tool's result.
 *
 * <p>Every run is the same {@link #PRELUDE}, compiled once; the source goes in with the input. The
 * prelude first takes the engine's bridge to the host for itself and removes every global that is not
 * the language's own or {@code console} (the bridge, the host functions, Javy's I/O), so nothing the
 * engine adds later is seen either; it replaces {@code Date} (also as every {@code Date} instance's
 * {@code constructor}) and {@code Math.random} by a fixed clock and a seeded generator (sfc32) whose
 * values the caller chooses, so that a run depends on its input alone; only then does it make the
 * handler with the {@code Function} constructor. QuickJS builds that function by splicing the body
 * into text, so a body that closes its function early would run code outside it: the prelude compares
 * the function's source with the body it was given and refuses one that differs, before calling it.
 */
final class HandlerScript {
    private static final String MODULE = "spindle_handler";
    private static final int CONSOLE_CAP = 4 * 1024;

    /**
     * Reads the input, hides the host, fixes the clock and the generator, makes the handler and checks
     * that it is one function of the whole body; then calls it (unless the input only asks for that
     * check) and sends back {@code {value, state}}, {@code {thrown}} or {@code {invalid}}. Running out of
     * memory is left uncaught so that the run fails as a whole. What a handler could replace (Reflect,
     * JSON, Function.prototype) is taken before it runs.
     */
    private static final String PRELUDE = """
            (() => {
              const invoke = globalThis.java_invoke, parse = JSON.parse, stringify = JSON.stringify;
              const { apply, construct, deleteProperty, defineProperty } = Reflect;
              const FunctionOf = Function, sourceOf = Function.prototype.toString, OutOfMemory = InternalError;
              const host = (name, ...args) => parse(invoke('%1$s', name, stringify(args)));
              const input = parse(host('input'));
              const visible = new Set(['Object', 'Function', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError',
                'TypeError', 'URIError', 'InternalError', 'AggregateError', 'SuppressedError', 'Iterator', 'Array', 'parseInt',
                'parseFloat', 'isNaN', 'isFinite', 'queueMicrotask', 'decodeURI', 'decodeURIComponent', 'encodeURI',
                'encodeURIComponent', 'escape', 'unescape', 'Infinity', 'NaN', 'undefined', 'eval', 'Number', 'Boolean', 'String',
                'Math', 'Reflect', 'Symbol', 'DisposableStack', 'AsyncDisposableStack', 'globalThis', 'BigInt', 'Date', 'RegExp',
                'JSON', 'Proxy', 'Map', 'Set', 'WeakMap', 'WeakSet', 'ArrayBuffer', 'SharedArrayBuffer', 'Uint8ClampedArray',
                'Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array',
                'BigUint64Array', 'Float16Array', 'Float32Array', 'Float64Array', 'DataView', 'Promise', 'TextDecoder',
                'TextEncoder', 'console']);
              for (const name of Object.getOwnPropertyNames(globalThis)) {
                if (!visible.has(name) && !deleteProperty(globalThis, name)) throw new TypeError(`cannot hide ${name}`);
              }
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
              const RealDate = Date, now = input.now;
              const FixedDate = function Date(...given) {
                if (!new.target) return apply(RealDate.prototype.toString, new RealDate(now), []);
                return construct(RealDate, given.length === 0 ? [now] : given, new.target);
              };
              FixedDate.prototype = RealDate.prototype;
              defineProperty(RealDate.prototype, 'constructor', { value: FixedDate, writable: true, configurable: true });
              FixedDate.now = () => now;
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
              const isOutOfMemory = (e) => e instanceof OutOfMemory && e.message === 'out of memory';
              const body = "'use strict';\\n" + input.source;
              let handler, reply;
              try {
                handler = new FunctionOf('args', 'state', 'context', body);
                if (typeof handler !== 'function' || apply(sourceOf, handler, []) !== 'function anonymous(args,state,context\\n) {\\n' + body + '\\n}') {
                  reply = stringify({ invalid: 'it closes its own function early (a handler is the body of one function)' });
                }
              } catch (e) {
                if (isOutOfMemory(e)) throw e;
                reply = stringify({ invalid: describe(e).error });
              }
              if (reply === undefined && input.check) {
                reply = '{}';
              }
              if (reply === undefined) {
                try {
                  const state = input.state;
                  const value = handler(input.args, state, Object.freeze(input.context));
                  if (value instanceof Promise) throw new TypeError('a handler returns its result, not a promise (no async)');
                  reply = stringify({ value: value === undefined ? null : value, state });
                } catch (e) {
                  if (isOutOfMemory(e)) throw e;
                  reply = stringify({ thrown: describe(e) });
                }
              }
              host('output', reply);
            })();
            """.formatted(MODULE);

    /** {@link #PRELUDE} as bytecode, compiled on first use. */
    private static volatile byte[] prelude;

    /** What a run decides for one call: the handler's choices, made only from these. */
    record Input(String tool, String source, ObjectNode args, ObjectNode state, long seed, long changes, long nowMillis, int[] random) {}

    /** A successful run: the result, and the state as the handler left it. */
    record Reply(JsonNode value, ObjectNode state, int chars) {}

    private HandlerScript() {}

    /**
     * Runs the handler. A returned {@code {error_type, error}} or a thrown error fails with its type
     * ({@code ComponentFailed} when it names none or an unknown one); output past {@code maxReplyChars}
     * is {@code QuotaExceeded}; a source that is not the body of one function is {@code InvalidRequest}
     * (a snapshot can bring a handler that was never checked).
     */
    static Reply run(Input input, Duration timeout, long maxReplyChars) {
        ObjectNode json = Json.object().put("source", input.source).put("now", input.nowMillis);
        json.set("args", input.args);
        json.set("state", input.state);
        json.putObject("context").put("tool", input.tool).put("seed", input.seed).put("changes", input.changes);
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

    /** Makes the handler without calling it: {@code InvalidRequest} naming the syntax error, as a run would. */
    static void check(String tool, String source, Duration timeout) {
        ObjectNode json = Json.object().put("source", source).put("check", true).put("now", 0);
        json.putArray("random").add(0).add(0).add(0).add(0);
        exchange(json, tool, timeout, 1 << 16);
    }

    private static byte[] prelude(Duration timeout) {
        byte[] compiled = prelude;
        if (compiled == null) {
            synchronized (HandlerScript.class) {
                if (prelude == null) {
                    prelude = QuickJs.compile(PRELUDE, host(() -> "{}", reply -> { }), timeout, "The handler prelude");
                }
                compiled = prelude;
            }
        }
        return compiled;
    }

    /** The two host functions a script sees: its input, and where its reply goes. */
    private static Builtins host(Supplier<String> input, Consumer<String> output) {
        return Builtins.builder(MODULE).addVoidToString("input", input).addStringToVoid("output", output).build();
    }

    /** Runs the prelude on {@code input} and reads back the JSON it answers; {@code InvalidRequest} for a source it refused. */
    private static JsonNode exchange(ObjectNode input, String tool, Duration timeout, long maxReplyChars) {
        String in = Json.write(input);
        AtomicReference<String> out = new AtomicReference<>();
        String what = "The handler of " + tool;
        QuickJs.run(prelude(timeout), host(() -> in, out::set), new CappedOutput(CONSOLE_CAP), new CappedOutput(CONSOLE_CAP), timeout, what);
        String reply = out.get();
        if (reply == null) {
            throw new SpindleException(ErrorType.ComponentFailed, what + " ended without an answer");
        }
        if (reply.length() > maxReplyChars) {
            throw new SpindleException(ErrorType.QuotaExceeded, what + " answered " + reply.length()
                    + " characters of result and state; the limit is " + maxReplyChars);
        }
        JsonNode json;
        try {
            json = Json.parse(reply);
        } catch (SpindleException unreadable) { // nested past the parser's depth limit, say
            throw new SpindleException(ErrorType.ComponentFailed, what + " answered JSON that cannot be read back: " + unreadable.getMessage());
        }
        if (json.has("invalid")) {
            throw new SpindleException(ErrorType.InvalidRequest, what + " does not compile: " + json.path("invalid").asString(""));
        }
        return json;
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
