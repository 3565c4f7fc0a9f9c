package dev.spindle.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local LLM server speaking three real protocols, OpenAI chat completions ({@code /v1/chat/completions}),
 * Anthropic messages ({@code /v1/messages}) and Gemini {@code generateContent}, scripted to act like an agent: it reads the request
 * and the tool results it is given and decides what to call next. It never sees Spindle's code; only
 * the HTTP a real provider would get.
 *
 * <p>The script, by the user's request: "config.json" lists files and reads it (two calls in one step),
 * rewrites it with debug off, reads it back, then answers; "missing.md" reads a file that does not
 * exist and reports the error; "weather" calls a tool nobody offered and passes broken JSON; "a github issue"
 * reads issue 1 and README.md of octo/hello on GitHub, then the local README.md; anything else lists
 * files and reads README.md.
 */
public final class FakeLlm implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern HISTORY_CALL = Pattern.compile("^  - (\\w+)\\((.*)\\)\\n    Result: (.*)$", Pattern.MULTILINE);

    private final HttpServer server;
    public final String baseUrl;
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    public final List<Long> requestTimes = new CopyOnWriteArrayList<>();
    private final AtomicInteger rateLimitsLeft = new AtomicInteger();
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
        server.createContext("/v1/chat/completions", exchange -> fake.handle(exchange, Protocol.OPENAI));
        server.createContext("/v1/messages", exchange -> fake.handle(exchange, Protocol.ANTHROPIC));
        server.createContext("/v1/models/", exchange -> fake.handle(exchange, Protocol.GEMINI));
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

    /** Every answer waits this long (to make a run slow enough to kill in the middle). */
    public FakeLlm delay(long millis) {
        delayMillis = millis;
        return this;
    }

    private enum Protocol { OPENAI, ANTHROPIC, GEMINI }

    private void handle(HttpExchange exchange, Protocol protocol) throws IOException {
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
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            Decision decision = fixedAnswer != null ? text(fixedAnswer) : decide(switch (protocol) {
                case OPENAI -> fromOpenAi(request);
                case ANTHROPIC -> fromAnthropic(request);
                case GEMINI -> fromGemini(request);
            });
            send(exchange, 200, switch (protocol) {
                case OPENAI -> toOpenAi(decision);
                case ANTHROPIC -> toAnthropic(decision);
                case GEMINI -> toGemini(decision);
            });
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

    /** What the agent sees: the last prompt text, whether tools are offered, and the results so far. */
    record Turn(String prompt, String userRequest, boolean toolsOffered, List<String[]> results) {}

    /** A text answer, or tool calls (name, JSON arguments). */
    record Decision(String text, List<String[]> calls) {}

    private static Turn fromOpenAi(JsonNode request) {
        List<String[]> results = new ArrayList<>();
        String firstUser = null;
        String last = "";
        List<String> callNames = new ArrayList<>();
        for (JsonNode message : request.path("messages")) {
            String role = message.path("role").asString();
            if (role.equals("user")) {
                last = message.path("content").asString("");
                firstUser = firstUser == null ? last : firstUser;
            }
            message.path("tool_calls").forEach(call -> callNames.add(call.path("function").path("name").asString()));
            if (role.equals("tool")) {
                results.add(new String[] {callNames.get(results.size()), message.path("content").asString("")});
            }
        }
        return new Turn(last, firstUser, request.path("tools").isArray() && !request.get("tools").isEmpty(), results);
    }

    private static Turn fromAnthropic(JsonNode request) {
        List<String[]> results = new ArrayList<>();
        List<String> callNames = new ArrayList<>();
        String firstUser = null;
        String last = "";
        for (JsonNode message : request.path("messages")) {
            JsonNode content = message.path("content");
            List<JsonNode> blocks = new ArrayList<>();
            if (content.isString()) {
                blocks.add(JSON.createObjectNode().put("type", "text").put("text", content.stringValue()));
            } else {
                content.forEach(blocks::add);
            }
            for (JsonNode block : blocks) {
                switch (block.path("type").asString()) {
                    case "text" -> {
                        if (message.path("role").asString().equals("user")) {
                            last = block.path("text").asString();
                            firstUser = firstUser == null ? last : firstUser;
                        }
                    }
                    case "tool_use" -> callNames.add(block.path("name").asString());
                    case "tool_result" -> results.add(new String[] {callNames.get(results.size()), text(block.path("content"))});
                    default -> { }
                }
            }
        }
        return new Turn(last, firstUser, request.path("tools").isArray() && !request.get("tools").isEmpty(), results);
    }

    private static Turn fromGemini(JsonNode request) {
        List<String[]> results = new ArrayList<>();
        String firstUser = null;
        String last = "";
        for (JsonNode content : request.path("contents")) {
            for (JsonNode part : content.path("parts")) {
                if (part.has("text") && content.path("role").asString().equals("user")) {
                    last = part.get("text").asString();
                    firstUser = firstUser == null ? last : firstUser;
                }
                if (part.has("functionResponse")) {
                    JsonNode response = part.get("functionResponse").path("response");
                    results.add(new String[] {part.get("functionResponse").path("name").asString(),
                            response.path("response").isString() ? response.get("response").stringValue() : JSON.writeValueAsString(response)});
                }
            }
        }
        boolean tools = false;
        for (JsonNode tool : request.path("tools")) {
            tools |= !tool.path("functionDeclarations").isEmpty();
        }
        return new Turn(last, firstUser, tools, results);
    }

    private static String text(JsonNode content) {
        if (content.isString()) {
            return content.stringValue();
        }
        StringBuilder out = new StringBuilder();
        content.forEach(block -> out.append(block.path("text").asString("")));
        return out.toString();
    }

    private static Decision decide(Turn turn) {
        String prompt = turn.prompt();
        if (prompt.contains("Write one short, natural request")) {
            String scenario = prompt.substring(prompt.indexOf("scenario:\n") + 10, prompt.indexOf("\n\n"));
            if (scenario.contains("missing")) {
                return text("Show me what is in notes/missing.md please.");
            }
            if (scenario.contains("weather")) {
                return text("What is the weather in Paris, and what does the forecast file say?");
            }
            if (scenario.contains("a github issue")) {
                return text("What does issue 1 of octo/hello say, and does our local README match theirs?");
            }
            return text(scenario.contains("config.json") ? "Please turn off debug mode in config.json and check that it worked."
                    : "Which files are there, and what does README.md say?");
        }
        Matcher subtopics = Pattern.compile("List (\\d+) distinct").matcher(prompt);
        if (subtopics.find()) {
            String path = prompt.substring(prompt.indexOf(": ") + 2, prompt.indexOf('\n')).strip();
            String leaf = path.substring(path.lastIndexOf("-> ") < 0 ? 0 : path.lastIndexOf("-> ") + 3);
            ArrayNode list = JSON.createArrayNode();
            for (int i = 1; i <= Integer.parseInt(subtopics.group(1)); i++) {
                list.add(leaf + " part " + i);
            }
            list.add(leaf + " part 1"); // a duplicate the generator must drop
            return text(JSON.writeValueAsString(list));
        }
        if (prompt.contains("Write the assistant's final answer")) {
            return text("Done. " + summarize(prompt));
        }
        if (prompt.contains("Decide your next step")) {
            List<String[]> results = new ArrayList<>();
            Matcher history = HISTORY_CALL.matcher(prompt);
            while (history.find()) {
                results.add(new String[] {history.group(1), history.group(3)});
            }
            String request = prompt.substring(prompt.indexOf("## User request\n") + 16, prompt.indexOf("\n\n## Tools"));
            Decision next = plan(request, results);
            ObjectNode step = JSON.createObjectNode().put("thought", "Step after " + results.size() + " results.");
            ArrayNode calls = step.putArray("tool_calls");
            for (String[] call : next.calls()) {
                calls.addObject().put("function_name", call[0]).put("arguments", call[1]);
            }
            return text(JSON.writeValueAsString(step.put("is_final", next.calls().isEmpty())));
        }
        if (turn.toolsOffered()) {
            return plan(turn.userRequest(), turn.results());
        }
        return text("A plain answer to: " + prompt);
    }

    /** The agent's plan: what to call next given the results so far, or the final answer. */
    private static Decision plan(String request, List<String[]> results) {
        if (request.contains("config.json")) {
            return switch (results.size()) {
                case 0 -> calls(new String[] {"list_files", "{}"}, new String[] {"read_file", "{\"file_path\":\"config.json\"}"});
                case 2 -> calls(new String[] {"write_file", JSON.writeValueAsString(JSON.createObjectNode().put("file_path", "config.json")
                        .put("content", results.get(1)[1].replace("\"debug\": true", "\"debug\": false")))});
                case 3 -> calls(new String[] {"read_file", "{\"file_path\":\"config.json\"}"});
                default -> text("config.json now has debug set to false; I read it back to confirm.");
            };
        }
        if (request.contains("weather")) { // a tool that does not exist, and arguments that are not JSON
            return results.isEmpty() ? calls(new String[] {"get_weather", "{\"city\":\"Paris\"}"}, new String[] {"read_file", "{\"file_path\": "})
                    : text("I could not check the weather: " + results.getFirst()[1]);
        }
        if (request.contains("issue 1 of octo/hello")) {
            return switch (results.size()) {
                case 0 -> calls(new String[] {"gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1}"},
                        new String[] {"gh_get_file_contents", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"README.md\"}"});
                case 2 -> calls(new String[] {"read_file", "{\"file_path\":\"README.md\"}"});
                default -> text("Issue 1: " + results.getFirst()[1]);
            };
        }
        if (request.contains("missing.md")) {
            return results.isEmpty() ? calls(new String[] {"read_file", "{\"file_path\":\"notes/missing.md\"}"})
                    : text("That file does not exist: " + results.getFirst()[1]);
        }
        return switch (results.size()) {
            case 0 -> calls(new String[] {"list_files", "{}"});
            case 1 -> calls(new String[] {"read_file", "{\"file_path\":\"README.md\",\"encoding\":null}"});
            default -> text("The files are listed above and README.md says: " + results.get(1)[1]);
        };
    }

    private static String summarize(String prompt) {
        int at = prompt.lastIndexOf("Result: ");
        return at < 0 ? "Nothing was found." : "The last result was " + prompt.substring(at + 8, Math.min(prompt.length(), at + 60)).split("\n")[0];
    }

    private static Decision text(String text) {
        return new Decision(text, List.of());
    }

    private static Decision calls(String[]... calls) {
        return new Decision(null, List.of(calls));
    }

    private static final AtomicInteger IDS = new AtomicInteger();

    private static JsonNode toOpenAi(Decision decision) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        if (decision.calls().isEmpty()) {
            message.put("content", decision.text());
        } else {
            message.put("content", "I will look at the workspace.");
            ArrayNode calls = message.putArray("tool_calls");
            for (String[] call : decision.calls()) {
                calls.addObject().put("id", "call_" + IDS.incrementAndGet()).put("type", "function")
                        .set("function", JSON.createObjectNode().put("name", call[0]).put("arguments", call[1]));
            }
        }
        ObjectNode response = JSON.createObjectNode().put("id", "chatcmpl-" + IDS.incrementAndGet()).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", "fake");
        response.putArray("choices").addObject().put("index", 0).put("finish_reason", decision.calls().isEmpty() ? "stop" : "tool_calls")
                .set("message", message);
        response.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
        return response;
    }

    private static JsonNode toAnthropic(Decision decision) {
        ObjectNode response = JSON.createObjectNode().put("id", "msg_" + IDS.incrementAndGet()).put("type", "message").put("role", "assistant").put("model", "fake");
        ArrayNode content = response.putArray("content");
        if (decision.calls().isEmpty()) {
            content.addObject().put("type", "text").put("text", decision.text());
        } else {
            content.addObject().put("type", "text").put("text", "I will look at the workspace.");
            for (String[] call : decision.calls()) {
                content.addObject().put("type", "tool_use").put("id", "toolu_" + IDS.incrementAndGet()).put("name", call[0])
                        .set("input", JSON.readTree(call[1]));
            }
        }
        response.put("stop_reason", decision.calls().isEmpty() ? "end_turn" : "tool_use").putNull("stop_sequence");
        response.putObject("usage").put("input_tokens", 100).put("output_tokens", 20);
        return response;
    }

    private static JsonNode toGemini(Decision decision) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ArrayNode parts = candidate.putObject("content").put("role", "model").putArray("parts");
        if (decision.calls().isEmpty()) {
            parts.addObject().put("text", decision.text());
        } else {
            for (String[] call : decision.calls()) {
                parts.addObject().putObject("functionCall").put("name", call[0]).set("args", JSON.readTree(call[1]));
            }
        }
        candidate.put("finishReason", "STOP").put("index", 0);
        response.putObject("usageMetadata").put("promptTokenCount", 100).put("candidatesTokenCount", 20).put("totalTokenCount", 120);
        return response;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
