package dev.spindle.generator.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The HTTP client every LangChain4j provider model gets: JDK HTTP, and retries on 429, 5xx and
 * timeouts with exponential backoff and full jitter, honouring {@code Retry-After} (seconds or an
 * HTTP date). It lives at the HTTP layer because LangChain4j's own retry cannot see that header.
 * A refused connection is not retried: nothing listens there, and the user should hear so at once.
 * Each retry is logged at FINE ({@code -v}) with its cause.
 */
public final class RetryingHttpClient implements HttpClient {
    private static final Set<Integer> RETRIED = Set.of(408, 409, 429, 500, 502, 503, 504, 529);
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(RetryingHttpClient.class.getName());

    private final java.net.http.HttpClient http;
    private final Duration readTimeout;
    private final RetryPolicy policy;

    /** How often to retry and how long to wait at first; {@code retries} counts every retry made. */
    public record RetryPolicy(int maxRetries, Duration baseDelay, LongAdder retries) {}

    private RetryingHttpClient(Duration connectTimeout, Duration readTimeout, RetryPolicy policy) {
        this.http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        this.readTimeout = readTimeout;
        this.policy = policy;
    }

    public static HttpClientBuilder builder(RetryPolicy policy) {
        return new Builder(policy);
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(toJdk(request), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                if (attempt >= policy.maxRetries()) {
                    throw new TimeoutException(e);
                }
                pause(attempt, backoff(attempt), request, "timed out");
                continue;
            } catch (ConnectException e) {
                // nothing listens there (or the name does not resolve): waiting will not help, saying where will
                throw new LlmUnreachableException("cannot reach the LLM at " + request.url() + ": "
                        + (e.getMessage() == null ? "connection refused" : e.getMessage())
                        + "; is the server running, and are llm.base_url (or --base-url) and the provider right?", e);
            } catch (IOException e) {
                if (attempt >= policy.maxRetries()) {
                    throw new RuntimeException("LLM request to " + request.url() + " failed: " + describe(e), e);
                }
                pause(attempt, backoff(attempt), request, describe(e));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeException("interrupted", e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return SuccessfulHttpResponse.builder()
                        .statusCode(status)
                        .headers(response.headers().map())
                        .body(response.body())
                        .build();
            }
            if (!RETRIED.contains(status) || attempt >= policy.maxRetries()) {
                throw new HttpException(status, response.body());
            }
            Duration wait = retryAfter(response.headers().firstValue("retry-after").orElse(null));
            pause(attempt, wait != null ? wait : backoff(attempt), request, "HTTP " + status);
        }
    }

    /** Not used: the generator asks for whole answers, never streams. */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("streaming is not used by the generator");
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(readTimeout);
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        java.net.http.HttpRequest.BodyPublisher body = request.body() == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(request.body());
        return builder.method(request.method().name(), body).build();
    }

    private Duration backoff(int attempt) {
        long cap = Math.min(MAX_WAIT.toMillis(), policy.baseDelay().toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            Duration wait = Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000));
            return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.isNegative() ? Duration.ZERO : wait;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return wait.isNegative() ? Duration.ZERO : wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Waits before retry {@code attempt + 1}, saying why with {@code -v}. */
    private void pause(int attempt, Duration wait, HttpRequest request, String cause) {
        LOG.fine(() -> "event=llm_retry retry=" + (attempt + 1) + "/" + policy.maxRetries() + " cause=\"" + cause + "\" wait_ms="
                + wait.toMillis() + " url=" + request.url());
        policy.retries().increment();
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException("interrupted while waiting to retry", e);
        }
    }

    private static final class Builder implements HttpClientBuilder {
        private final RetryPolicy policy;
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration readTimeout = Duration.ofSeconds(120);

        Builder(RetryPolicy policy) {
            this.policy = policy;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            if (timeout != null) {
                connectTimeout = timeout;
            }
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            if (timeout != null) {
                readTimeout = timeout;
            }
            return this;
        }

        @Override
        public HttpClient build() {
            return new RetryingHttpClient(connectTimeout, readTimeout, policy);
        }
    }
}
