package dev.spindle.store.redis;

import static dev.spindle.store.redis.SessionKeys.SESSIONS;
import static dev.spindle.store.redis.Utf8.bytes;

import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.PendingChanges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lua scripts that change a session, each one atomic step on Redis (docs/redis.md "Scripts"), and the
 * KEYS and ARGV each expects, built here beside it. Their text is in {@code lua/*.lua}.
 */
final class Scripts {
    static final LuaScript COMMIT = LuaScript.load("commit", "changed", "apply");
    static final LuaScript APPEND = LuaScript.load("append", "changed", "log");
    static final LuaScript COMMIT_APPEND = LuaScript.load("commit-append", "changed", "apply", "log");
    static final LuaScript EXPIRE = LuaScript.load("expire", "hex");
    static final LuaScript LIVE = LuaScript.load("live", "hex");
    static final LuaScript DELETE = LuaScript.load("delete", "hex", "clear");
    static final LuaScript COPY = LuaScript.load("copy", "hex", "clear");

    /** The expected version of a write that read nothing: it depends on nothing and commits whatever the version. */
    private static final byte[] ANY_VERSION = bytes("*");
    private static final byte[] PUT_OP = bytes("p");
    private static final byte[] DELETE_OP = bytes("d");

    private Scripts() {}

    /** The KEYS of the scripts that change one session: {@code changed.lua}'s. */
    static List<byte[]> sessionKeys(SessionKeys keys) {
        return List.of(keys.index, keys.version, SESSIONS);
    }

    /** {@link #COMMIT}'s ARGV; {@code version} null when the write read nothing. */
    static List<byte[]> commitArgs(SessionKeys keys, byte[] version, PendingChanges changes) {
        List<byte[]> args = new ArrayList<>(List.of(bytes(keys.session), version == null ? ANY_VERSION : version));
        addOps(args, keys, changes);
        return args;
    }

    /** The KEYS of {@code log.lua}: {@link #APPEND}'s and {@link #COMMIT_APPEND}'s. */
    static List<byte[]> appendKeys(SessionKeys keys, BoundedLog log) {
        return List.of(keys.index, keys.version, SESSIONS, keys.namespace(log.namespace()), keys.namespace(log.countersNamespace()),
                keys.sizes(log.namespace()), keys.sizes(log.countersNamespace()));
    }

    /** The ARGV of {@code log.lua}: {@link #APPEND}'s. */
    static List<byte[]> appendArgs(SessionKeys keys, BoundedLog log, byte[] entry) {
        return List.of(bytes(keys.session), bytes(log.namespace()), bytes(log.countersNamespace()), bytes(log.countersKey()),
                bytes(Integer.toString(log.limit())), bytes(Long.toString(log.maxBytes())), entry, bytes(log.ownerKey()));
    }

    /** {@link #COMMIT_APPEND}'s ARGV; {@code version} null when the call read nothing. */
    static List<byte[]> commitAppendArgs(SessionKeys keys, BoundedLog log, byte[] entry, String version, PendingChanges changes) {
        List<byte[]> args = new ArrayList<>(appendArgs(keys, log, entry));
        args.add(version == null ? ANY_VERSION : bytes(version));
        addOps(args, keys, changes);
        return args;
    }

    /** {@link #EXPIRE}'s ARGV. */
    static List<byte[]> expireArgs(SessionKeys keys, Duration idle) {
        return List.of(keys.prefix, bytes(Long.toString(idle.toMillis())));
    }

    /** {@link #DELETE}'s ARGV. */
    static List<byte[]> deleteArgs(SessionKeys keys) {
        return List.of(bytes(keys.session), keys.prefix);
    }

    /** {@link #COPY}'s KEYS: the target's and the source's index. */
    static List<byte[]> copyKeys(SessionKeys source, SessionKeys target) {
        return List.of(target.index, target.version, SESSIONS, source.index);
    }

    /** {@link #COPY}'s ARGV. */
    static List<byte[]> copyArgs(SessionKeys source, SessionKeys target) {
        return List.of(bytes(target.session), target.prefix, source.prefix);
    }

    /** Adds {@code changes} of the session to a script's ARGV in {@code apply.lua}'s form. */
    private static void addOps(List<byte[]> args, SessionKeys keys, PendingChanges changes) {
        changes.byNamespace().forEach((ns, entries) -> {
            byte[] name = bytes(ns);
            byte[] hash = keys.namespace(ns);
            byte[] sizes = keys.sizes(ns);
            entries.forEach((key, value) -> {
                boolean delete = value == null;
                args.add(delete ? DELETE_OP : PUT_OP);
                args.add(name);
                args.add(hash);
                args.add(sizes);
                args.add(bytes(key));
                args.add(delete ? new byte[0] : value);
            });
        });
    }
}
