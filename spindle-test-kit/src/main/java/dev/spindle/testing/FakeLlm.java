package dev.spindle.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spindle.testing.ScriptedAgent.Decision;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local LLM server speaking three real protocols, OpenAI chat completions ({@code /v1/chat/completions}),
 * Anthropic messages ({@code /v1/messages}) and Gemini {@code generateContent}, scripted to act like an agent: it reads the request
 * and the tool results it is given and decides what to call next. It never sees Spindle's code; only
 * the HTTP a real provider would get. Each protocol is a {@link ProviderProtocol}; what it answers is
 * {@link ScriptedAgent}'s; this class is the server and the faults a test asks for (rate limits, refused
 * tools, slow answers).
 */
public final class FakeLlm implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpServer server;
    public final String baseUrl;
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    public final List<Long> requestTimes = new CopyOnWriteArrayList<>();
    private final AtomicInteger rateLimitsLeft = new AtomicInteger();
    private final AtomicInteger stallsLeft = new AtomicInteger();
    private volatile long stallMillis;
    private volatile int retryAfterSeconds;
    private volatile long delayMillis;
    private volatile boolean refuseTools;
    private volatile String fixedAnswer;

    private FakeLlm(HttpServer server) {
        this.server = server;
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public static FakeLlm start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        FakeLlm fake = new FakeLlm(server);
        server.createContext("/v1/chat/completions", exchange -> fake.handle(exchange, new OpenAiChat()));
        server.createContext("/v1/messages", exchange -> fake.handle(exchange, new AnthropicMessages()));
        server.createContext("/v1/models/", exchange -> fake.handle(exchange, new GeminiContent()));
        server.start();
        return fake;
    }

    /** The next {@code count} requests are answered 429 with {@code Retry-After: seconds}. */
    public FakeLlm rateLimit(int count, int seconds) {
        rateLimitsLeft.set(count);
        retryAfterSeconds = seconds;
        return this;
    }

    /** Requests that define tools are refused with 400, as Ollama refuses them for models without tool support. */
    public FakeLlm refuseTools() {
        refuseTools = true;
        return this;
    }

    /** Every answer is this text, whatever was asked (an unhelpful model). */
    public FakeLlm answerAlways(String text) {
        fixedAnswer = text;
        return this;
    }

    /** The next {@code count} requests hang for {@code millis} before they are answered (a model server that stalls). */
    public FakeLlm stall(int count, long millis) {
        stallMillis = millis;
        stallsLeft.set(count);
        return this;
    }

    /** Every answer waits this long (to make a run slow enough to kill in the middle). */
    public FakeLlm delay(long millis) {
        delayMillis = millis;
        return this;
    }

    private void handle(HttpExchange exchange, ProviderProtocol protocol) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(request);
            requestTimes.add(System.nanoTime());
            if (rateLimitsLeft.getAndDecrement() > 0) {
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
                send(exchange, 429, JSON.createObjectNode().set("error", JSON.createObjectNode().put("message", "Rate limit reached").put("type", "rate_limit")));
                return;
            }
            if (refuseTools && (request.path("tools").size() > 0)) {
                send(exchange, 400, JSON.createObjectNode().set("error", JSON.createObjectNode().put("message", "registry.ollama.ai/library/gemma2:2b does not support tools")
                        .put("type", "api_error")));
                return;
            }
            if (stallsLeft.getAndDecrement() > 0) {
                Thread.sleep(stallMillis);
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            Decision decision = fixedAnswer != null ? ScriptedAgent.text(fixedAnswer) : ScriptedAgent.decide(protocol.read(request));
            send(exchange, 200, protocol.answer(decision));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(exchange, 400, JSON.createObjectNode().set("error", JSON.createObjectNode().put("message", String.valueOf(e))));
        }
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
