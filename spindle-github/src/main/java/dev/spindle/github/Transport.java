package dev.spindle.github;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where a GitHub request is answered: the API over HTTP, the API with each answer saved, or saved answers only. */
interface Transport {
    Answer send(GitHubApi.Grant grant, Request request);

    static Transport of(GitHubConfig config) {
        Recording recording = config.recording();
        return switch (recording.mode()) {
            case OFF -> new LiveTransport(config.apiUrl());
            case RECORD -> new Recordings(recording.dir()).recording(new LiveTransport(config.apiUrl()));
            case REPLAY -> new Recordings(recording.dir()).replaying();
        };
    }

    /**
     * A request relative to the API root: the path and query as sent (already encoded), the JSON body of
     * a write (null for a read), and the media type asked for (null for GitHub's JSON; e.g.
     * {@code application/vnd.github.diff}). No credentials: it is what recordings are keyed by.
     */
    record Request(String method, String path, String query, String body, String accept) {
        static final String JSON = "application/vnd.github+json";

        /** {@code GET /repos/o/r/issues?state=open}: how messages and recordings name it. */
        String line() {
            return method + " " + path + (query.isEmpty() ? "" : "?" + query) + (accept == null ? "" : " (" + accept + ")");
        }

        /** What makes two requests the same: method, path, query, media type and body. */
        String key() {
            return line() + "\n" + (body == null ? "" : body);
        }
    }

    /**
     * GitHub's answer: the status, the headers that decide a result (paging, rate limits; names lowercase),
     * and the body.
     */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        static final Set<String> KEPT_HEADERS = Set.of("link", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining",
                "x-ratelimit-reset", "x-ratelimit-resource", "x-ratelimit-used");

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }

        boolean ok() {
            return status / 100 == 2;
        }

        /** A secondary limit ({@code retry-after}) or an exhausted primary one: true now, not later. */
        boolean rateLimited() {
            return (status == 403 || status == 429)
                    && (headers.containsKey("retry-after") || header("x-ratelimit-remaining").map("0"::equals).orElse(false));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
