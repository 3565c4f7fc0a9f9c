package dev.spindle.mock;

import dev.spindle.core.ComponentHost;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolContext;
import dev.spindle.core.store.KeyValueScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Handler scripts ({@link HandlerScript}) and the state they keep. A session's state is one JSON object
 * shared by all its handler tools (one domain: orders, bookings, accounts), kept in the session's own
 * partition of the store, beside the mock's overlays: it is forked, snapshotted and deleted with the
 * session, on every store. A session with no state yet starts from the catalogue's initial state (set with
 * {@code /mock/state} or {@code load-data}'s {@code state}), else from {@code {}}.
 *
 * <p>A call reads the state, runs the handler outside any store lock, then, when the handler changed the
 * state, writes it and the count of changes in one store write, and only if the state is still the one it
 * read (else it runs again, up to {@value #ATTEMPTS} times, then {@code Conflict}). A failed call, or one
 * that changed nothing (a lookup), writes nothing: reading leaves no trace in the session's state, so a
 * verifier's state hash sees only what changed it. Handler calls of one session take turns in this
 * process, so only instances sharing a store can race that way.
 *
 * <p>Determinism: in a call that finds {@code n} changes before it, the clock reads {@link #CLOCK_START}
 * plus {@code seed mod 86,400} seconds plus {@code n} seconds, and the random numbers come from a
 * generator seeded by {@code (seed, n)}; a session without a seed has seed 0. The same changes in the same
 * order give the same state, whatever lookups were made between them.
 */
final class Scripts {
    static final Instant CLOCK_START = Instant.parse("2026-01-01T00:00:00Z");
    static final String NAMESPACE = "script";
    private static final String STATE = "state";
    private static final String CHANGES = "changes";
    private static final int ATTEMPTS = 3;

    private final Duration timeout;
    private final long maxStateBytes;
    private final long maxResponseChars;
    /** Set once by {@link #attach}, before any call. */
    private volatile ComponentHost host;
    /** One lock per session with handler calls, dropped when the session closes. */
    private final ConcurrentHashMap<String, ReentrantLock> turns = new ConcurrentHashMap<>();

    Scripts(Duration timeout, long maxStateBytes, long maxResponseChars) {
        this.timeout = timeout;
        this.maxStateBytes = maxStateBytes;
        this.maxResponseChars = maxResponseChars;
    }

    void attach(ComponentHost host) {
        this.host = host;
    }

    /** Refuses a handler that does not compile or is larger than a response may be, before it is stored. */
    void check(String tool, String source) {
        if (source.length() > maxResponseChars) {
            throw new SpindleException(ErrorType.InvalidArguments, "The handler of " + tool + " is " + source.length()
                    + " characters; the server's mock response limit is " + maxResponseChars);
        }
        HandlerScript.check(tool, source, timeout);
    }

    /** Runs {@code tool}'s handler in the call's session; its state changes only when the call succeeds. */
    JsonNode call(ToolContext context, String tool, String source, ObjectNode args) {
        ReentrantLock turn = turns.computeIfAbsent(context.sessionId(), id -> new ReentrantLock());
        turn.lock();
        try {
            return callInTurn(context, tool, source, args);
        } finally {
            turn.unlock();
        }
    }

    /** The session is gone: so is its lock (a call still holding it finishes undisturbed). */
    void forget(String session) {
        turns.remove(session);
    }

    private JsonNode callInTurn(ToolContext context, String tool, String source, ObjectNode args) {
        KeyValueScope scope = context.state().companion(NAMESPACE);
        long seed = context.seed().orElse(0);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            NavigableMap<String, byte[]> stored = scope.entries();
            byte[] before = stored.get(STATE);
            long changes = count(stored.get(CHANGES));
            ObjectNode state = before == null ? initialState() : object(before);
            byte[] unchanged = before == null ? Json.writeBytes(state) : before;
            HandlerScript.Reply reply = HandlerScript.run(new HandlerScript.Input(tool, source, args, state, seed, changes,
                    clock(seed, changes), random(seed, changes)), timeout, maxStateBytes + maxResponseChars);
            if (reply.chars() > maxResponseChars) {
                throw new SpindleException(ErrorType.QuotaExceeded, "The handler of " + tool + " answered " + reply.chars()
                        + " characters of JSON; the server's mock response limit is " + maxResponseChars);
            }
            byte[] after = bytes(reply.state(), "The state the handler of " + tool + " left");
            if (Arrays.equals(after, unchanged)) {
                return reply.value();
            }
            boolean committed = scope.write(data -> {
                if (!Arrays.equals(data.get(STATE), before) || count(data.get(CHANGES)) != changes) {
                    return false; // another call changed it meanwhile: run again on what it left
                }
                data.put(STATE, after);
                data.put(CHANGES, Long.toString(changes + 1).getBytes(StandardCharsets.US_ASCII));
                return true;
            });
            if (committed) {
                return reply.value();
            }
        }
        throw new SpindleException(ErrorType.Conflict, "The session's state changed while " + tool + " ran, "
                + ATTEMPTS + " times in a row (concurrent calls); call it again");
    }

    /** The session's state and how many handler calls changed it; without a session, the catalogue's initial state. */
    ObjectNode describe(String session) {
        if (session == null) {
            ObjectNode json = Json.object();
            json.set("state", initialState());
            return json;
        }
        NavigableMap<String, byte[]> stored = host.session(session).companion(NAMESPACE).entries();
        ObjectNode json = Json.object().put("session_id", session);
        json.set("state", stored.containsKey(STATE) ? object(stored.get(STATE)) : initialState());
        return json.put("changes", count(stored.get(CHANGES)));
    }

    /** Replaces the session's state (its count of changes stays), or without a session the catalogue's initial state. */
    void replace(String session, JsonNode state) {
        byte[] bytes = checkState(state);
        scope(session).write(data -> {
            data.put(STATE, bytes);
            return null;
        });
    }

    /** The state as stored: {@code InvalidRequest} unless an object, {@code QuotaExceeded} past the limit. */
    byte[] checkState(JsonNode state) {
        if (!(state instanceof ObjectNode object)) {
            throw new SpindleException(ErrorType.InvalidRequest, "state must be a JSON object");
        }
        return bytes(object, "The state given");
    }

    /** Drops the session's state and count of changes, or without a session the catalogue's initial state. */
    void clear(String session) {
        scope(session).write(data -> {
            data.delete(STATE);
            data.delete(CHANGES);
            return null;
        });
    }

    private KeyValueScope scope(String session) {
        return (session == null ? host.global() : host.session(session)).companion(NAMESPACE);
    }

    private ObjectNode initialState() {
        byte[] initial = host.global().companion(NAMESPACE).get(STATE);
        return initial == null ? Json.object() : object(initial);
    }

    private byte[] bytes(ObjectNode state, String subject) {
        byte[] bytes = Json.writeBytes(state);
        if (bytes.length > maxStateBytes) {
            throw new SpindleException(ErrorType.QuotaExceeded, subject + " is " + bytes.length + " bytes of JSON; a session's state may hold " + maxStateBytes + " (nothing was changed)");
        }
        return bytes;
    }

    /** A stored state can only be bad when it came from an edited snapshot archive: the call fails, nothing is lost. */
    private static ObjectNode object(byte[] stored) {
        try {
            if (Json.parse(stored) instanceof ObjectNode state) {
                return state;
            }
        } catch (SpindleException unreadable) {
            // reported below
        }
        throw new SpindleException(ErrorType.ComponentFailed, "The session's script state is not a JSON object (was it restored from an edited snapshot?)");
    }

    private static long count(byte[] stored) {
        try {
            return stored == null ? 0 : Long.parseLong(new String(stored, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new SpindleException(ErrorType.ComponentFailed, "The session's script change count is not a number (was it restored from an edited snapshot?)");
        }
    }

    static long clock(long seed, long changes) {
        return CLOCK_START.toEpochMilli() + (seed % 86_400 + changes) * 1000;
    }

    private static int[] random(long seed, long changes) {
        SplittableRandom generator = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + changes);
        return new int[] {generator.nextInt(), generator.nextInt(), generator.nextInt(), generator.nextInt()};
    }
}
