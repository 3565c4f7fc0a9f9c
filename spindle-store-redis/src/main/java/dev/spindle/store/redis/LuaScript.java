package dev.spindle.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script made of {@code lua/*.lua} resources (its helpers, then its body), read once, and run by its
 * SHA-1 digest, so Redis neither receives nor hashes its text on each call.
 */
final class LuaScript {
    final byte[] body;
    final byte[] sha;

    private LuaScript(byte[] body) {
        this.body = body;
        try {
            this.sha = Utf8.bytes(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** The script {@code name}.lua preceded by the helpers it calls, in their order. */
    static LuaScript load(String name, String... helpers) {
        StringBuilder text = new StringBuilder();
        for (String helper : helpers) {
            text.append(resource(helper)).append('\n');
        }
        return new LuaScript(Utf8.bytes(text.append(resource(name)).toString()));
    }

    private static String resource(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream("lua/" + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the Lua script lua/" + name + ".lua");
            }
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the text only when Redis does not know the script (first use, or after a restart). */
    Object run(Jedis redis, List<byte[]> keys, List<byte[]> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(body, keys, args);
        }
    }

    /** {@link #run} from an event loop, without blocking it. */
    Future<Response> send(EventLoopLinks links, List<byte[]> keys, List<byte[]> args) {
        return links.send(request(Command.EVALSHA, sha, keys, args)).recover(failure -> failure.getMessage() != null
                && failure.getMessage().startsWith("NOSCRIPT") ? links.send(request(Command.EVAL, body, keys, args)) : Future.failedFuture(failure));
    }

    private static Request request(Command command, byte[] script, List<byte[]> keys, List<byte[]> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }
}
