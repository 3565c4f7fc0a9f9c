package dev.spindle.generator.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.spindle.core.ConfigException;
import dev.spindle.generator.config.GeneratorConfig.Llm;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j chat models for {@code llm.provider}. Keys come from each provider's usual environment
 * variable; OpenAI-compatible servers (vLLM, LM Studio, Ollama's {@code /v1}, OpenRouter) go through
 * the OpenAI model with their {@code base_url}. Retries are the HTTP client's, so LangChain4j's own are off.
 */
public final class Providers {
    /** How long one request may take before it counts as failed (and is retried): a model that hangs must not stall a run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private Providers() {}

    public static ChatModel create(Llm llm, RetryingHttpClient.RetryPolicy retry, Map<String, String> env, String configPath) {
        return create(llm, retry, DEFAULT_TIMEOUT, env, configPath);
    }

    public static ChatModel create(Llm llm, RetryingHttpClient.RetryPolicy retry, Duration timeout, Map<String, String> env, String configPath) {
        var http = RetryingHttpClient.builder(retry);
        return switch (llm.provider()) {
            case "anthropic" -> AnthropicChatModel.builder()
                    .httpClientBuilder(http).baseUrl(llm.baseUrl() == null ? "https://api.anthropic.com/v1/" : llm.baseUrl())
                    .apiKey(key(env, llm, configPath, "ANTHROPIC_API_KEY"))
                    .modelName(llm.model()).temperature(llm.temperature()).maxTokens(llm.maxTokens() == null ? 2000 : llm.maxTokens())
                    .timeout(timeout).maxRetries(0).build();
            case "gemini" -> GoogleAiGeminiChatModel.builder()
                    .httpClientBuilder(http).baseUrl(llm.baseUrl())
                    .apiKey(key(env, llm, configPath, "GEMINI_API_KEY", "GOOGLE_API_KEY"))
                    .modelName(llm.model()).temperature(llm.temperature()).maxOutputTokens(llm.maxTokens())
                    .timeout(timeout).maxRetries(0).build();
            case "ollama" -> openAiCompatible(http, llm, ollamaBase(llm.baseUrl()), "ollama", timeout);
            case "openrouter" -> openAiCompatible(http, llm, llm.baseUrl() == null ? "https://openrouter.ai/api/v1" : llm.baseUrl(),
                    key(env, llm, configPath, "OPENROUTER_API_KEY"), timeout);
            default -> openAiCompatible(http, llm, llm.baseUrl() == null ? "https://api.openai.com/v1" : llm.baseUrl(),
                    llm.baseUrl() == null ? key(env, llm, configPath, "OPENAI_API_KEY") : env.getOrDefault("OPENAI_API_KEY", "none"), timeout);
        };
    }

    private static ChatModel openAiCompatible(dev.langchain4j.http.client.HttpClientBuilder http, Llm llm, String baseUrl, String key, Duration timeout) {
        return OpenAiChatModel.builder()
                .httpClientBuilder(http).baseUrl(baseUrl).apiKey(key)
                .modelName(llm.model()).temperature(llm.temperature()).maxTokens(llm.maxTokens())
                .timeout(timeout).maxRetries(0).build();
    }

    /** Ollama's OpenAI-compatible API lives under {@code /v1} of its address. */
    private static String ollamaBase(String baseUrl) {
        String base = baseUrl == null ? "http://localhost:11434" : baseUrl.replaceAll("/+$", "");
        return base.endsWith("/v1") ? base : base + "/v1";
    }

    private static String key(Map<String, String> env, Llm llm, String configPath, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        throw new ConfigException(configPath, List.of("llm.provider " + llm.provider() + " needs " + String.join(" or ", names)
                + " in the environment"));
    }
}
