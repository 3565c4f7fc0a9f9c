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
import java.util.concurrent.atomic.LongAdder;
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
}
