package dev.spindle.generator;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolResult;
import dev.spindle.generator.Sample.Call;
import dev.spindle.generator.Sample.Step;
import dev.spindle.generator.Sample.LlmUsage;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.generator.llm.LlmSchemas;
import dev.spindle.generator.tools.ToolBox;
import dev.spindle.generator.tools.ToolCalls;
import dev.spindle.generator.tools.TextToolCalls;
import dev.spindle.generator.tools.ToolRunner;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One sample's ReAct loop: the user's request, then steps whose tool calls run for real in the
 * sample's session, in order, each result fed back and paired with its call by id; then the final
 * answer. Steps come from the provider's native tool calling, or (structured mode) from a JSON step
 * {@code {thought, tool_calls, is_final}} as DeepFabric asks for. Repeated calls are executed again
 * (state may have changed) and counted, never silently dropped.
 */
public final class Agent {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How providers say a model takes no tools (Ollama: "... does not support tools"). */
    private static final Pattern TOOLS_REFUSED = Pattern.compile("(?i)(does not support tools|tools? (are |is )?not supported|unsupported.{0,20}tool)");
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /**
     * What shapes the loop; {@code openAiCompatible} providers take tool schemas verbatim. A sample
     * must call a tool and give a real answer; an attempt at a task ({@code attempt}) may do neither,
     * since its verifier, not the loop, decides whether it did well.
     */
    public record Settings(String systemPrompt, String instructions, int maxSteps, int maxPerQuery, boolean strict,
                           boolean structured, boolean openAiCompatible, boolean jsonSchemaAnswers, int stepRetries, Integer maxTokens,
                           List<String> seedFiles, TextToolCalls.Format callFormat, boolean attempt) {

        static Settings of(GeneratorConfig.Generation generation, List<String> seedFiles) {
            GeneratorConfig.Tools tools = generation.tools();
            boolean agent = generation.agentMode();
            return new Settings(generation.systemPrompt(), generation.instructions(), agent ? tools.maxAgentSteps() : 1,
                    agent ? tools.maxPerQuery() : 1, !agent || tools.strict(), agent && tools.stepMode().equals("structured"),
                    generation.llm().openAiCompatible(), generation.llm().jsonSchemaAnswers(), generation.sampleRetries(), generation.llm().maxTokens(),
                    seedFiles, agent ? TextToolCalls.Format.parse(tools.toolCallFormat()) : TextToolCalls.Format.AUTO, false);
        }

        /**
         * Attempts at tasks, whose budget counts tool calls (a task's {@code max_steps}): calls past
         * {@code maxCalls} are not run, and the model gets one reply more than that to answer.
         */
        public static Settings forAttempts(String systemPrompt, int maxCalls, GeneratorConfig.Llm llm, TextToolCalls.Format callFormat) {
            return new Settings(systemPrompt, null, maxCalls + 1, maxCalls, false, false, llm.openAiCompatible(), llm.jsonSchemaAnswers(),
                    0, llm.maxTokens(), List.of(), callFormat, true);
        }
    }

    private final ChatModel model;
    private final ToolBox tools;
    private final ToolRunner runner;
    private final Settings settings;
    private final List<ToolSpecification> specifications;
    private final Consumer<String> warnings;
    private volatile boolean nativeRefused;

    public Agent(ChatModel model, ToolBox tools, ToolRunner runner, Settings settings, Consumer<String> warnings) {
        this.model = model;
        this.tools = tools;
        this.runner = runner;
        this.settings = settings;
        this.warnings = warnings;
        this.specifications = tools.all().stream().map(tool -> LlmSchemas.specification(tool.definition(), settings.openAiCompatible())).toList();
    }

    Sample run(int index, Topic topic, String sessionId) {
        Run run = new Run(sessionId);
        try {
            return run.sample(index, topic);
        } catch (SampleFailure failure) {
            throw failure.spent(run.usage);
        }
    }

    /**
     * One attempt at a given request (a task's instruction): the steps until the model answers or the
     * step budget ends, with no question or closing answer asked of the LLM. The answer is empty when
     * the budget ended first. Throws {@link SampleFailure} when the LLM or the tool service fails.
     */
    public Sample attempt(int index, Topic topic, String question, String sessionId) {
        Run run = new Run(sessionId);
        try {
            String answer = settings.structured() ? run.structuredLoop(question) : run.nativeOrStructured(question);
            return new Sample(index, topic, question, run.steps, answer == null ? "" : answer, run.usage, run.duplicates, run.parseFailures);
        } catch (SampleFailure failure) {
            throw failure.spent(run.usage);
        }
    }

    private ChatRequest.Builder request(List<ChatMessage> messages) {
        ChatRequest.Builder builder = ChatRequest.builder().messages(messages);
        return settings.maxTokens() == null ? builder : builder.maxOutputTokens(settings.maxTokens());
    }

    private static List<ChatMessage> withSystem(String system, ChatMessage message) {
        return system == null || system.isBlank() ? List.of(message) : List.of(SystemMessage.from(system), message);
    }

    /** The state of one attempt: steps so far, calls made, tokens used. */
    private final class Run {
        final String sessionId;
        final List<Step> steps = new ArrayList<>();
        final List<Call> calls = new ArrayList<>();
        final Set<String> signatures = new HashSet<>();
        LlmUsage usage = LlmUsage.NONE;
        int duplicates;
        int parseFailures;

        Run(String sessionId) {
            this.sessionId = sessionId;
        }

        Sample sample(int index, Topic topic) {
            String question = text(ask(Prompts.question(topic.text(), settings.instructions(), tools.all(), settings.seedFiles())), "user request");
            if (tools.all().isEmpty()) {
                String answer = text(chat(request(withSystem(settings.systemPrompt(), UserMessage.from(question)))), "answer");
                return new Sample(index, topic, question, List.of(), answer, usage, 0, 0);
            }
            String answer = settings.structured() || nativeRefused ? structuredLoop(question) : nativeOrStructured(question);
            if (calls.isEmpty()) {
                throw new SampleFailure(SampleFailure.Cause.no_tool_calls, "the agent answered without calling a tool");
            }
            if (answer == null) {
                answer = text(ask(Prompts.finalAnswer(question, calls)), "final answer");
            }
            return new Sample(index, topic, question, steps, answer, usage, duplicates, parseFailures);
        }

        /**
         * Native mode where the model supports it: a model that refuses tool definitions on the first
         * step (many local models do) switches this run to structured steps, once, with a warning.
         */
        String nativeOrStructured(String question) {
            try {
                return nativeLoop(question);
            } catch (SampleFailure failure) {
                if (failure.kind() != SampleFailure.Cause.llm || !steps.isEmpty() || !TOOLS_REFUSED.matcher(failure.getMessage()).find()) {
                    throw failure;
                }
                if (!nativeRefused) {
                    nativeRefused = true;
                    warnings.accept("warning: the model refuses tool definitions (" + failure.getMessage() + "); using structured steps instead");
                }
                return structuredLoop(question);
            }
        }

        /** Native tool calling: the conversation itself carries calls and results (by id). */
        String nativeLoop(String question) {
            // an attempt is measured with the deployer's system prompt alone; a sample gets the generator's guidance
            List<ChatMessage> conversation = new ArrayList<>(settings.attempt() ? withSystem(settings.systemPrompt(), UserMessage.from(question))
                    : List.of(SystemMessage.from(Prompts.agentSystem(settings.systemPrompt())), UserMessage.from(question)));
            for (int number = 1; number <= settings.maxSteps(); number++) {
                AiMessage reply = chat(request(conversation).toolSpecifications(specifications)).aiMessage();
                String thought = reply.text() == null ? "" : reply.text().strip();
                List<ToolExecutionRequest> asked = reply.toolExecutionRequests();
                String said = reply.text();
                if (!reply.hasToolExecutionRequests()) {
                    switch (TextToolCalls.read(thought, settings.callFormat())) {
                        case TextToolCalls.Answer ignored -> {
                            steps.add(new Step(number, "", List.of())); // its text is the answer, not a thought about it
                            return settings.attempt() ? thought : text(thought, "final answer");
                        }
                        case TextToolCalls.Malformed malformed -> {
                            // as a harness answers a call it cannot parse: the model is told and may try again
                            parseFailures++;
                            conversation.add(AiMessage.from(thought));
                            conversation.add(UserMessage.from("Error (ParseError): the tool call could not be read: " + malformed.reason()));
                            continue;
                        }
                        case TextToolCalls.Calls written -> {
                            thought = written.thought();
                            said = thought.isEmpty() ? null : thought;
                            asked = written.calls().stream().map(call -> ToolExecutionRequest.builder().id(newId())
                                    .name(call.name()).arguments(call.arguments()).build()).toList();
                        }
                    }
                }
                List<ToolExecutionRequest> requests = withinBudget(asked);
                List<Call> made = new ArrayList<>();
                for (ToolExecutionRequest request : requests) {
                    made.add(execute(request.name(), request.arguments()));
                }
                conversation.add(AiMessage.from(said, made.stream()
                        .map(call -> ToolExecutionRequest.builder().id(call.id()).name(call.name()).arguments(call.arguments()).build()).toList()));
                made.forEach(call -> conversation.add(ToolExecutionResultMessage.from(call.id(), call.name(), call.content())));
                steps.add(new Step(number, thought, made));
                if (calls.size() >= settings.maxPerQuery()) {
                    break;
                }
            }
            return null;
        }

        /** DeepFabric's way: each step is a JSON answer to a prompt that shows the history. */
        String structuredLoop(String question) {
            for (int number = 1; number <= settings.maxSteps(); number++) {
                JsonNode step = structuredStep(question);
                String thought = step.path("thought").asString("");
                JsonNode asked = step.path("tool_calls");
                if (step.path("is_final").asBoolean(false) || asked.isEmpty()) {
                    steps.add(new Step(number, thought, List.of()));
                    return null;
                }
                List<JsonNode> requests = new ArrayList<>();
                asked.forEach(requests::add);
                List<Call> made = new ArrayList<>();
                for (JsonNode call : withinBudget(requests)) {
                    JsonNode arguments = call.path("arguments");
                    made.add(execute(call.path("function_name").asString(call.path("name").asString("")),
                            arguments.isString() ? arguments.stringValue() : Json.write(arguments)));
                }
                steps.add(new Step(number, thought, made));
                if (calls.size() >= settings.maxPerQuery()) {
                    break;
                }
            }
            return null;
        }

        private JsonNode structuredStep(String question) {
            String feedback = null;
            for (int attempt = 0; attempt <= settings.stepRetries(); attempt++) {
                ChatRequest.Builder builder = request(withSystem(settings.systemPrompt(), UserMessage.from(Prompts.structuredStep(question, tools.all(), steps, feedback))));
                if (settings.jsonSchemaAnswers()) {
                    builder.responseFormat(STEP_FORMAT);
                }
                String text = Optional.ofNullable(chat(builder).aiMessage().text()).orElse("");
                try {
                    return parseStep(text);
                } catch (IllegalArgumentException invalid) {
                    feedback = invalid.getMessage();
                }
            }
            throw new SampleFailure(SampleFailure.Cause.invalid_answer, "no valid step after " + (settings.stepRetries() + 1) + " attempts: " + feedback);
        }

        private <T> List<T> withinBudget(List<T> requests) {
            int remaining = settings.maxPerQuery() - calls.size();
            if (requests.size() <= remaining) {
                return requests;
            }
            if (settings.strict()) {
                throw new SampleFailure(SampleFailure.Cause.over_limit, "the agent asked for " + (calls.size() + requests.size())
                        + " tool calls; max_per_query is " + settings.maxPerQuery());
            }
            return requests.subList(0, remaining);
        }

        private Call execute(String name, String rawArguments) {
            ToolCalls.Execution execution;
            long start = System.nanoTime();
            try {
                execution = ToolCalls.run(runner, tools, sessionId, name, rawArguments);
            } catch (SpindleException e) {
                throw new SampleFailure(SampleFailure.Cause.tool_service, "tool service failed on " + name + ": " + e.getMessage());
            }
            if (!signatures.add(name + execution.arguments())) {
                duplicates++;
            }
            ToolResult result = execution.result();
            Call call = new Call(newId(), name, execution.arguments(), result.success(), result.errorType(), execution.content(),
                    (System.nanoTime() - start) / 1_000);
            calls.add(call);
            return call;
        }

        ChatResponse chat(ChatRequest.Builder builder) {
            ChatResponse response;
            try {
                response = model.chat(builder.build());
            } catch (RuntimeException e) {
                throw new SampleFailure(SampleFailure.Cause.llm, "LLM request failed: " + e.getMessage());
            }
            TokenUsage tokens = response.tokenUsage();
            usage = usage.plus(new LlmUsage(tokens == null || tokens.inputTokenCount() == null ? 0 : tokens.inputTokenCount(),
                    tokens == null || tokens.outputTokenCount() == null ? 0 : tokens.outputTokenCount(), 1));
            return response;
        }

        ChatResponse ask(String prompt) {
            return chat(request(withSystem(settings.systemPrompt(), UserMessage.from(prompt))));
        }

        String text(ChatResponse response, String what) {
            return text(response.aiMessage().text(), what);
        }

        String text(String text, String what) {
            String cleaned = text == null ? "" : text.strip();
            if (cleaned.length() >= 2 && cleaned.startsWith("\"") && cleaned.endsWith("\"")) {
                cleaned = cleaned.substring(1, cleaned.length() - 1).strip();
            }
            if (cleaned.length() < 10) {
                throw new SampleFailure(SampleFailure.Cause.invalid_answer, "the " + what + " is too short: '" + cleaned + "'");
            }
            return cleaned;
        }
    }

    static JsonNode parseStep(String text) {
        JsonNode step;
        try {
            step = Json.parse(unfenced(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the answer is not JSON: " + e.getMessage());
        }
        if (!step.isObject() || !step.path("thought").isString()) {
            throw new IllegalArgumentException("the answer must be an object with a thought");
        }
        if (step.has("tool_calls") && !step.get("tool_calls").isArray()) {
            throw new IllegalArgumentException("tool_calls must be a list");
        }
        for (JsonNode call : step.path("tool_calls")) {
            if (!call.path("function_name").isString() && !call.path("name").isString()) {
                throw new IllegalArgumentException("every tool call needs a function_name");
            }
        }
        return step;
    }

    /** The text without the Markdown code fence models like to wrap JSON in. */
    static String unfenced(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("```")) {
            trimmed = trimmed.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        return trimmed;
    }

    /** Nine characters of [A-Za-z0-9] from a CSPRNG: the id shape DeepFabric's schema requires. */
    static String newId() {
        char[] id = new char[9];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length()));
        }
        return new String(id);
    }

    private static final ResponseFormat STEP_FORMAT = ResponseFormat.builder().type(ResponseFormatType.JSON)
            .jsonSchema(JsonSchema.builder().name("agent_step").rootElement(JsonObjectSchema.builder()
                    .addProperty("thought", JsonStringSchema.builder().build())
                    .addProperty("tool_calls", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                            .addProperty("function_name", JsonStringSchema.builder().build())
                            .addProperty("arguments", JsonStringSchema.builder().description("the arguments as a JSON object, encoded as a string").build())
                            .required("function_name", "arguments").additionalProperties(false).build()).build())
                    .addProperty("is_final", JsonBooleanSchema.builder().build())
                    .required("thought", "tool_calls", "is_final").additionalProperties(false).build()).build())
            .build();
}
