package dev.spindle.server;

import dev.spindle.core.HttpError;
import dev.spindle.core.SpindleException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The web console's files, bundled in the jar and read once: served at {@code /ui/} with their type, an
 * ETag (a reload revalidates and gets 304) and a content security policy that allows nothing from
 * elsewhere. They are public; the data routes they call are behind the token.
 */
final class ConsoleAssets {
    private static final String ROOT = "/dev/spindle/server/console/";
    private static final List<String> FILES = List.of("index.html", "style.css", "app.js", "ui.js", "sessions.js", "mocks.js", "datasets.js");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8");
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /** Bytes, copied into each answer: a buffer is not shared between event loops. */
    private record Asset(byte[] bytes, String type, String etag) {}

    private final Map<String, Asset> assets = FILES.stream().collect(Collectors.toMap(Function.identity(), ConsoleAssets::load));

    private static Asset load(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("console file " + name + " is missing from the jar");
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
            return new Asset(bytes, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /ui/} (the page) or {@code GET /ui/{file}}, and {@code HEAD}. */
    void serve(Exchange ex, String name) {
        Asset asset = assets.get(name == null ? "index.html" : name);
        if (asset == null) {
            throw new SpindleException(HttpError.NotFound, "No console file " + name);
        }
        HttpServerResponse response = ex.request.response()
                .putHeader("content-type", asset.type)
                .putHeader("etag", asset.etag)
                .putHeader("cache-control", "no-cache")
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("content-security-policy", POLICY);
        if (asset.etag.equals(ex.request.getHeader("if-none-match"))) {
            response.setStatusCode(304).end();
        } else {
            // said here, since Vert.x says it only where it sends the body: a HEAD gets it too
            response.setStatusCode(200).putHeader("content-length", String.valueOf(asset.bytes.length)).end(Buffer.buffer(asset.bytes));
        }
    }
}
