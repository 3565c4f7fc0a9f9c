package dev.spindle.generator.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.spindle.testing.FakeLlm;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RetryingHttpClientTest {
    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndCapped() {
        assertThat(RetryingHttpClient.retryAfter("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryingHttpClient.retryAfter("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryingHttpClient.retryAfter("86400")).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryingHttpClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        String soon = ZonedDateTime.now().plusSeconds(30).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(RetryingHttpClient.retryAfter(soon)).isBetween(Duration.ofSeconds(28), Duration.ofSeconds(30));
        assertThat(RetryingHttpClient.retryAfter("soon")).isNull();
        assertThat(RetryingHttpClient.retryAfter(null)).isNull();
    }

    @Test
    void aServerThatKeepsRefusingIsGivenUpOnAfterTheRetries() throws Exception {
        try (FakeLlm llm = FakeLlm.start().rateLimit(100, 0)) {
            LongAdder retries = new LongAdder();
            var client = RetryingHttpClient.builder(new RetryingHttpClient.RetryPolicy(2, Duration.ofMillis(5), retries)).build();
            HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).url(llm.baseUrl + "/chat/completions")
                    .addHeader("Content-Type", "application/json").body("{\"messages\":[]}").build();

            assertThatThrownBy(() -> client.execute(request)).isInstanceOf(HttpException.class)
                    .satisfies(e -> assertThat(((HttpException) e).statusCode()).isEqualTo(429));
            assertThat(llm.requests).hasSize(3);
            assertThat(retries.sum()).isEqualTo(2);
        }
    }

    @Test
    void eachRetryIsLoggedWithItsCause() throws Exception {
        Logger logger = Logger.getLogger(RetryingHttpClient.class.getName());
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(capture);
        try (FakeLlm llm = FakeLlm.start().rateLimit(2, 0)) {
            var client = RetryingHttpClient.builder(new RetryingHttpClient.RetryPolicy(3, Duration.ofMillis(5), new LongAdder())).build();
            client.execute(HttpRequest.builder().method(HttpMethod.POST).url(llm.baseUrl + "/chat/completions")
                    .addHeader("Content-Type", "application/json").body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").build());

            assertThat(logged).hasSize(2);
            assertThat(logged.getFirst()).startsWith("FINE event=llm_retry retry=1/3 cause=\"HTTP 429\" wait_ms=0 url=" + llm.baseUrl + "/chat/completions");
            assertThat(logged.get(1)).startsWith("FINE event=llm_retry retry=2/3 cause=\"HTTP 429\"");
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(before);
        }
    }
}
