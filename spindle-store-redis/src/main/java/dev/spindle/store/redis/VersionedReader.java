package dev.spindle.store.redis;

import dev.spindle.core.store.PendingChanges;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * The reads of one try of an optimistic write (docs/redis.md "Writes"): they note the session's version with
 * the first of them, in the same round trip; {@link #commit} applies the write's changes in one script only if
 * the version is unchanged then. The write sees its own changes over these reads ({@code OverlaidData}).
 */
final class VersionedReader extends SessionReader {
    /** The version the reads saw ({@code ""} when the session has none), null before the first read. */
    private byte[] version;

    VersionedReader(Jedis redis, SessionKeys keys) {
        super(redis, keys);
    }

    @Override
    <T> T query(Function<Pipeline, Supplier<T>> commands) {
        if (version != null) {
            return super.query(commands);
        }
        return super.query(p -> {
            Response<byte[]> seen = p.get(keys.version);
            Supplier<T> reply = commands.apply(p);
            return () -> {
                version = seen.get() == null ? new byte[0] : seen.get();
                return reply.get();
            };
        });
    }

    /** Applies {@code changes} if nobody wrote the session since the version was read; false if somebody did. */
    boolean commit(PendingChanges changes) {
        return (Long) Scripts.COMMIT.run(redis, Scripts.sessionKeys(keys), Scripts.commitArgs(keys, version, changes)) == 1L;
    }
}
