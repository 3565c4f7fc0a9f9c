package dev.spindle.github;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.RegularFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A folder of GitHub answers, one readable JSON file per distinct request ({@code request}, {@code status},
 * {@code headers}, {@code body}), named by the request's path and a hash of method, path, query and body.
 * Nothing of the credentials is in a request, so nothing of them is ever written. Rate-limit and 5xx
 * answers are passing states, not GitHub's answer to the request, so they are not saved.
 *
 * <p>Recordings ship with datasets and git keeps symbolic links, so a replayed file is read as a
 * {@link RegularFile}: never through a link (to {@code /etc/passwd}, {@code /dev/zero}), never a FIFO,
 * and never past {@value #MAX_RECORDING_BYTES} bytes; any of those answers {@code IOError}.
 */
final class Recordings {
    /** Far above any answer GitHub gives a tool (they are paged); a larger file is refused before it is read. */
    static final long MAX_RECORDING_BYTES = 16L << 20;

    private final Path dir;

    Recordings(Path dir) {
        this.dir = dir;
    }

    /** The live API, each lasting answer saved (a later answer to the same request replaces it). */
    Transport recording(Transport live) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the recording folder " + dir + ": " + e.getMessage(), e);
        }
        return (grant, request) -> {
            Transport.Answer answer = live.send(grant, request);
            if (!answer.rateLimited() && answer.status() < 500) {
                save(request, answer);
            }
            return answer;
        };
    }

    /** Saved answers only; a request never recorded fails, and nothing is ever sent. */
    Transport replaying() {
        return (grant, request) -> load(request);
    }

    /** {@code GET_repos_octo_hello_issues_<hash>.json}: the path for people, the hash for uniqueness. */
    Path file(Transport.Request request) {
        String readable = (request.method() + request.path()).replaceAll("[^A-Za-z0-9.-]+", "_");
        readable = readable.length() > 80 ? readable.substring(0, 80) : readable;
        return dir.resolve(readable + "_" + hash(request.key()) + ".json");
    }

    private void save(Transport.Request request, Transport.Answer answer) {
        ObjectNode saved = Json.object();
        saved.set("request", describe(request));
        saved.put("status", answer.status());
        ObjectNode headers = saved.putObject("headers");
        answer.headers().forEach(headers::put);
        JsonNode body = json(answer.body());
        if (body != null) {
            saved.set("body", body);
        } else {
            saved.put("body_text", answer.text());
        }
        Path file = file(request);
        try {
            Path temporary = Files.createTempFile(dir, ".recording", ".tmp");
            Files.writeString(temporary, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(saved) + "\n");
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "Cannot save the GitHub recording " + file + ": " + e.getMessage());
        }
    }

    private Transport.Answer load(Transport.Request request) {
        Path file = file(request);
        JsonNode saved;
        try {
            saved = Json.parse(RegularFile.read(file, MAX_RECORDING_BYTES));
        } catch (NoSuchFileException e) {
            // APIError: to the agent this is GitHub not answering, as when it is down, not a mistake in its arguments
            throw new SpindleException(ErrorType.APIError, "No recorded GitHub answer for " + request.line() + " in " + dir
                    + " (--github-replay answers only requests saved by --github-record)");
        } catch (IOException | SpindleException e) {
            throw new SpindleException(ErrorType.IOError, "Cannot read the GitHub recording " + file + ": " + e.getMessage());
        }
        if (!saved.path("request").equals(describe(request)) || !saved.path("status").isInt()) {
            throw new SpindleException(ErrorType.IOError, "The GitHub recording " + file + " is not the answer to " + request.line()
                    + " (its request or status was changed)");
        }
        Map<String, String> headers = new TreeMap<>();
        saved.path("headers").properties().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue().asString("")));
        byte[] body = saved.has("body") ? Json.writeBytes(saved.get("body")) : saved.path("body_text").asString("").getBytes(StandardCharsets.UTF_8);
        return new Transport.Answer(saved.get("status").asInt(), headers, body);
    }

    private static ObjectNode describe(Transport.Request request) {
        ObjectNode described = Json.object().put("method", request.method()).put("path", request.path()).put("query", request.query());
        if (request.accept() != null) {
            described.put("accept", request.accept());
        }
        if (request.body() != null) {
            described.set("body", Json.parse(request.body()));
        }
        return described;
    }

    /** The body as JSON, or null when it is not JSON (then it is kept as text). */
    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return Json.parse(body);
        } catch (SpindleException notJson) {
            return null;
        }
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
