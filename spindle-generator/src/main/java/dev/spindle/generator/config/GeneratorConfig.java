package dev.spindle.generator.config;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.config.ConfigNode;
import dev.spindle.core.config.ConfigText;
import dev.spindle.core.config.Problems;
import dev.spindle.core.files.SeedSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * DeepFabric's generation YAML, read strictly (spindle-core's config kit): wrong types and ranges are
 * errors naming their line and key path; keys DeepFabric knows but Spindle does not use, and unknown keys, are warnings (so DeepFabric's
 * own example configs load unchanged, and a misplaced key is pointed at its home instead of silently
 * dropped). Output paths ({@code save_as}) are relative to the working directory, as in DeepFabric;
 * inputs Spindle adds ({@code topics.file}, {@code scenario_seed.dir}) to the config's folder.
 */
public record GeneratorConfig(Topics topics, Generation generation, Output output, Path baseDir, List<String> warnings) {

    public static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "gemini", "ollama", "openrouter");

    /** An LLM endpoint; {@code provider} and {@code model} are always set after inheritance. */
    public record Llm(String provider, String model, Double temperature, Integer maxTokens, String baseUrl) {
        /** Spoken to through the OpenAI API, which takes tools' JSON Schemas verbatim. */
        public boolean openAiCompatible() {
            return !provider.equals("anthropic") && !provider.equals("gemini");
        }

        /** Can be told to answer in a JSON Schema (structured steps); Anthropic's adapter cannot. */
        public boolean jsonSchemaAnswers() {
            return !provider.equals("anthropic");
        }
    }

    /** Where topics come from: an LLM-expanded tree from {@code prompt}, or a given list or file. */
    public record Topics(String prompt, String systemPrompt, int depth, int degree, Path saveAs, List<String> list, Path file, Llm llm) {}

    public record Generation(
            String systemPrompt,
            String instructions,
            String conversationType,
            String reasoningStyle,
            Tools tools,
            int maxRetries,
            int sampleRetries,
            Llm llm) {

        /** DeepFabric's rule: agent (tool) mode only with listed components or custom tools. */
        public boolean agentMode() {
            return tools != null && (!tools.components().isEmpty() || !tools.custom().isEmpty());
        }
    }

    /**
     * {@code generation.tools}. Beyond DeepFabric: {@code step_mode} (native tool calling or the
     * reference's structured JSON step), {@code tool_call_format} (how calls written in a reply's text are
     * read, as {@code eval --tool-call-format}), {@code tool_inclusion_strategy}, a seed from a folder or
     * a git repository ({@link SeedSpec}'s rule; a {@code dir} resolved against the config's folder),
     * mock tool and data files loaded into the mock component before the run, and
     * {@code code_timeout_ms}, the code tools' default timeout for tools run in process.
     */
    public record Tools(
            List<String> spinEndpoints,
            Map<String, List<String>> components,
            String toolsEndpoint,
            String toolExecutePath,
            List<ObjectNode> custom,
            int maxPerQuery,
            boolean strict,
            SeedSpec seed,
            int maxAgentSteps,
            String stepMode,
            String toolCallFormat,
            String toolInclusion,
            List<Path> mockTools,
            List<Path> mockData,
            Integer codeTimeoutMs) {}

    public record Output(String systemPrompt, boolean includeSystemMessage, String numSamples, int batchSize, Path saveAs) {

        /** {@code num_samples} as a count: a number, {@code auto} (one per topic) or a percentage of the topics. */
        public int samples(int topicCount) {
            if (numSamples.equals("auto")) {
                return topicCount;
            }
            if (numSamples.endsWith("%")) {
                return Math.max(1, (int) Math.round(topicCount * Double.parseDouble(numSamples.substring(0, numSamples.length() - 1)) / 100));
            }
            return Integer.parseInt(numSamples);
        }
    }

    /** Where each key of DeepFabric's schema belongs, to point a misplaced key at its home. */
    private static final Map<String, String> HOMES = Map.ofEntries(
            Map.entry("scenario_seed", "generation.tools.scenario_seed"),
            Map.entry("spin_endpoint", "generation.tools.spin_endpoint"),
            Map.entry("components", "generation.tools.components"),
            Map.entry("tools_endpoint", "generation.tools.tools_endpoint"),
            Map.entry("tool_execute_path", "generation.tools.tool_execute_path"),
            Map.entry("max_per_query", "generation.tools.max_per_query"),
            Map.entry("max_agent_steps", "generation.tools.max_agent_steps"),
            Map.entry("custom", "generation.tools.custom"),
            Map.entry("num_samples", "output.num_samples"),
            Map.entry("batch_size", "output.batch_size"),
            Map.entry("include_system_message", "output.include_system_message"),
            Map.entry("sample_retries", "generation.sample_retries"),
            Map.entry("instructions", "generation.instructions"),
            Map.entry("conversation", "generation.conversation"),
            Map.entry("reasoning_style", "generation.conversation.reasoning_style"),
            Map.entry("provider", "llm.provider"),
            Map.entry("model", "llm.model"),
            Map.entry("temperature", "llm.temperature"),
            Map.entry("base_url", "llm.base_url"),
            Map.entry("depth", "topics.depth"),
            Map.entry("degree", "topics.degree"));

    private static final List<String> OLD_FORMAT_KEYS = List.of("topic_tree", "topic_graph", "data_engine", "dataset_system_prompt", "dataset");

    private static final Map<String, String> DEEPFABRIC_ONLY = Map.of(
            "evaluation", "DeepFabric's evaluation settings; Spindle does not evaluate",
            "huggingface", "uploads are not part of Spindle; push the JSONL yourself",
            "kaggle", "uploads are not part of Spindle; push the JSONL yourself",
            "deepfabric_cloud", "uploads are not part of Spindle");

    /** A command-line option that sets a config key; a problem with its value is reported under the option's name. */
    public record OptionOverride(String option, String path, String value) {}

    public static GeneratorConfig load(Path file) {
        return load(file, List.of());
    }

    /**
     * The config with command-line overrides applied to the YAML before it is read, so they are
     * checked like the file's own keys: {@code output.num_samples}, {@code output.save_as}, and
     * {@code llm.provider} / {@code llm.model} / {@code llm.base_url}, which apply to every section.
     */
    public static GeneratorConfig load(Path file, List<OptionOverride> overrides) {
        ConfigText text = ConfigText.read(file);
        Map<String, String> options = new LinkedHashMap<>();
        if (text.tree() instanceof ObjectNode object) {
            overrides.forEach(given -> override(object, given, options));
        }
        return parse(text, file.toAbsolutePath().getParent(), file.toString(), options);
    }

    public static GeneratorConfig parse(JsonNode root, Path baseDir, String source) {
        return parse(ConfigText.of(root), baseDir, source, Map.of());
    }

    private static GeneratorConfig parse(ConfigText text, Path baseDir, String source, Map<String, String> options) {
        JsonNode root = text.tree();
        if (!root.isObject()) {
            throw new ConfigException(source, List.of("must be a YAML mapping with topics, generation and output"));
        }
        Problems problems = new Problems(text, options, HOMES);
        ConfigNode top = problems.root();
        for (String old : OLD_FORMAT_KEYS) {
            if (root.has(old)) {
                top.error(old, "is DeepFabric's old config format; use topics, generation and output");
            }
        }
        // read once for its own problems; each section then inherits the raw values it does not set
        ConfigNode llmNode = top.section("llm");
        ObjectNode sharedLlm = llmNode.object();
        readLlm(llmNode, null, 0.2);

        ConfigNode topicsNode = top.section("topics");
        ConfigNode generationNode = top.section("generation");
        ConfigNode outputNode = top.section("output");
        if (!root.has("generation")) {
            top.error("generation", "is required");
        }
        if (!root.has("output")) {
            top.error("output", "is required");
        }
        Topics topics = readTopics(topicsNode, sharedLlm, baseDir);
        Generation generation = readGeneration(generationNode, sharedLlm, baseDir);
        Output output = readOutput(outputNode);
        OLD_FORMAT_KEYS.forEach(top::raw);
        top.reportUnknown(DEEPFABRIC_ONLY);
        problems.throwIfAny(source);
        return new GeneratorConfig(topics, generation, output, baseDir, problems.warnings());
    }

    /** Sets the key (an {@code llm} key in every section); {@code options} learns which option each key path came from. */
    private static void override(ObjectNode root, OptionOverride given, Map<String, String> options) {
        String value = given.value();
        JsonNode scalar = value.matches("\\d{1,18}") ? Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(value)) : Json.MAPPER.getNodeFactory().stringNode(value);
        String[] parts = given.path().split("\\.");
        List<String[]> targets = parts[0].equals("llm")
                ? List.of(parts, new String[] {"topics", "llm", parts[1]}, new String[] {"generation", "llm", parts[1]})
                : List.<String[]>of(parts);
        for (String[] target : targets) {
            ObjectNode node = root;
            for (int i = 0; i < target.length - 1; i++) {
                node = node.get(target[i]) instanceof ObjectNode child ? child : node.putObject(target[i]);
            }
            node.set(target[target.length - 1], scalar);
            options.put(String.join(".", target), given.option());
        }
    }

    private static Llm readLlm(ConfigNode node, ObjectNode shared, double defaultTemperature) {
        String provider = node.string("provider", null);
        if (provider != null && !PROVIDERS.contains(provider)) {
            node.choice("provider", null, PROVIDERS);
            provider = null;
        }
        String model = node.string("model", null);
        Double temperature = node.number("temperature", 0, 2);
        Integer maxTokens = node.has("max_tokens") ? Integer.valueOf(node.integer("max_tokens", 0, 1, 1_000_000)) : null;
        String baseUrl = node.string("base_url", null);
        node.reportUnknown(Map.of());
        if (shared != null) {
            provider = provider != null ? provider : text(shared, "provider");
            model = model != null ? model : text(shared, "model");
            temperature = temperature != null ? temperature : shared.path("temperature").isNumber() ? shared.get("temperature").asDouble() : null;
            baseUrl = baseUrl != null ? baseUrl : text(shared, "base_url");
            maxTokens = maxTokens != null ? maxTokens : shared.path("max_tokens").isIntegralNumber() ? Integer.valueOf(shared.get("max_tokens").asInt()) : null;
        }
        return new Llm(provider == null ? "openai" : provider, model == null ? "gpt-4o" : model,
                temperature == null ? defaultTemperature : temperature, maxTokens, baseUrl);
    }

    private static String text(ObjectNode node, String key) {
        return node.path(key).isString() ? node.get(key).stringValue() : null;
    }

    private static Topics readTopics(ConfigNode node, ObjectNode sharedLlm, Path baseDir) {
        String prompt = node.string("prompt", null);
        List<String> list = node.strings("list");
        String file = node.string("file", null);
        if ((prompt == null || prompt.isBlank()) && list.isEmpty() && file == null) {
            node.error("prompt", "is required (or give topics.list or topics.file)");
        }
        String mode = node.choice("mode", "graph", Set.of("tree", "graph"));
        if (mode.equals("graph") && node.has("mode")) {
            node.warn("mode", "graph is expanded as a tree (Spindle does not build cross-links)");
        }
        String systemPrompt = node.string("system_prompt", "");
        int depth = node.integer("depth", 3, 1, 10);
        int degree = node.integer("degree", 10, 1, 50);
        String saveAs = node.string("save_as", null);
        Llm llm = readLlm(node.section("llm"), sharedLlm, 0.2);
        Integer maxTokens = node.has("max_tokens") ? Integer.valueOf(node.integer("max_tokens", 1000, 1, 1_000_000)) : llm.maxTokens();
        node.reportUnknown(Map.of(
                "prompt_style", "Spindle expands every topic with its path as context",
                "max_concurrent", "topic expansion runs at --concurrency",
                "rate_limit", "retries follow generation.max_retries and Retry-After"));
        return new Topics(prompt, systemPrompt, depth, degree, saveAs == null ? null : Path.of(saveAs), list, resolve(baseDir, file),
                new Llm(llm.provider(), llm.model(), llm.temperature(), maxTokens, llm.baseUrl()));
    }

    private static Generation readGeneration(ConfigNode node, ObjectNode sharedLlm, Path baseDir) {
        String systemPrompt = node.string("system_prompt", "");
        String instructions = node.string("instructions", "");
        ConfigNode conversation = node.section("conversation");
        String type = conversation.choice("type", "basic", Set.of("basic", "cot"));
        String style = conversation.choice("reasoning_style", null, Set.of("freetext", "agent", "structured", "hybrid"));
        if (style != null && !style.equals("freetext")) {
            style = "agent";
        }
        if (style != null && type.equals("basic")) {
            conversation.error("reasoning_style", "can only be set when type is cot");
        }
        if (type.equals("cot") && style == null) {
            conversation.error("reasoning_style", "is required when type is cot (freetext or agent)");
        }
        conversation.reportUnknown(Map.of("agent_mode", "agent mode follows from generation.tools"));
        Tools tools = node.has("tools") ? readTools(node.section("tools"), baseDir) : null;
        if (!node.has("tools")) {
            node.raw("tools");
        }
        int maxRetries = node.integer("max_retries", 3, 0, 20);
        int sampleRetries = node.integer("sample_retries", 2, 0, 5);
        Integer maxTokens = node.has("max_tokens") ? Integer.valueOf(node.integer("max_tokens", 2000, 1, 1_000_000)) : null;
        Llm llm = readLlm(node.section("llm"), sharedLlm, 0.2);
        node.reportUnknown(Map.of(
                "save_as", "Spindle writes samples straight to output.save_as",
                "rate_limit", "retries follow generation.max_retries and Retry-After"));
        Generation generation = new Generation(systemPrompt, instructions, type, style, tools, maxRetries, sampleRetries,
                new Llm(llm.provider(), llm.model(), llm.temperature(), maxTokens != null ? maxTokens : llm.maxTokens() != null ? llm.maxTokens() : 2000, llm.baseUrl()));
        if (generation.agentMode() && "freetext".equals(style)) {
            conversation.error("reasoning_style", "freetext cannot be combined with tools; use agent");
        }
        return generation;
    }

    private static Tools readTools(ConfigNode node, Path baseDir) {
        List<String> spin = node.raw("spin_endpoint").isArray() ? node.strings("spin_endpoint")
                : Optional.ofNullable(node.string("spin_endpoint", null)).map(List::of).orElse(List.of());
        Map<String, List<String>> components = new LinkedHashMap<>();
        ConfigNode componentsNode = node.section("components");
        ObjectNode componentsObject = componentsNode.object();
        if (componentsObject != null) {
            for (String name : componentsObject.propertyNames()) {
                if (componentsObject.get(name).isNull()) {
                    componentsNode.error(name, "needs a list of tool names (an empty list selects none)");
                    componentsNode.raw(name);
                    continue;
                }
                components.put(name, componentsNode.strings(name));
            }
        }
        String toolsEndpoint = node.string("tools_endpoint", null);
        String executePath = node.string("tool_execute_path", null);
        if (executePath != null && spin.isEmpty()) {
            node.error("tool_execute_path", "needs generation.tools.spin_endpoint (it is appended to it)");
        }
        List<ObjectNode> custom = new ArrayList<>();
        JsonNode customNode = node.raw("custom");
        if (!customNode.isMissingNode() && !customNode.isNull()) {
            if (!customNode.isArray()) {
                node.error("custom", "must be a list of tool definitions, not " + ConfigNode.kind(customNode));
            } else {
                for (int i = 0; i < customNode.size(); i++) {
                    JsonNode tool = customNode.get(i);
                    if (!(tool instanceof ObjectNode o) || !tool.path("name").isString()) {
                        node.error("custom", i, "must be a tool definition with a name");
                    } else {
                        custom.add(o);
                    }
                }
            }
        }
        int maxPerQuery = node.integer("max_per_query", 3, 1, 100);
        boolean strict = node.bool("strict", true);
        ConfigNode seedNode = node.section("scenario_seed");
        SeedSpec seed = SeedSpec.read(seedNode, null).resolvedAgainst(baseDir);
        if (seed.source() instanceof SeedSpec.Snapshot) { // samples may run on several endpoints, and the prompt names the seed's files
            seedNode.error("snapshot", "a generation run seeds from files it reads itself; give dir, git or files");
        }
        seedNode.reportUnknown(Map.of());
        int maxSteps = node.integer("max_agent_steps", 5, 1, 50);
        String stepMode = node.choice("step_mode", "native", Set.of("native", "structured"));
        // how calls are read from replies: the same names as eval's --tool-call-format, so data is made and graded alike
        String callFormat = node.choice("tool_call_format", "auto", Set.of("auto", "native", "hermes", "llama", "mistral", "json"));
        String inclusion = node.choice("tool_inclusion_strategy", "used_only", Set.of("used_only", "all"));
        List<Path> mockTools = node.strings("mock_tools").stream().map(path -> resolve(baseDir, path)).toList();
        List<Path> mockData = node.strings("mock_data").stream().map(path -> resolve(baseDir, path)).toList();
        // the code tools' timeout_ms when a call gives none; their longest is 30 s
        Integer codeTimeout = node.raw("code_timeout_ms").isMissingNode() ? null : node.integer("code_timeout_ms", 5_000, 1, 30_000);
        node.reportUnknown(Map.of("available", "DeepFabric never read it either; list tools under components"));
        return new Tools(spin, components, toolsEndpoint, executePath, custom, maxPerQuery, strict,
                seed, maxSteps, stepMode, callFormat, inclusion, mockTools, mockData, codeTimeout);
    }

    private static Output readOutput(ConfigNode node) {
        String systemPrompt = node.string("system_prompt", null);
        boolean include = node.bool("include_system_message", true);
        JsonNode samples = node.raw("num_samples");
        String numSamples = "3";
        if (samples.isIntegralNumber() && samples.asInt() >= 1) {
            numSamples = samples.asString();
        } else if (samples.isString() && samples.stringValue().matches("auto|\\d+(\\.\\d+)?%")) {
            numSamples = samples.stringValue();
        } else if (!samples.isMissingNode()) {
            node.error("num_samples", "must be a positive number, auto, or a percentage like 50%");
        }
        int batch = node.integer("batch_size", 5, 1, 1000);
        String saveAs = node.requiredString("save_as");
        node.reportUnknown(Map.of(
                "formatters", "DeepFabric removed formatters in v4; the JSONL is in its Conversation shape",
                "checkpoint", "use spindle generate --resume; every record is written as it completes"));
        return new Output(systemPrompt, include, numSamples, batch, saveAs == null ? null : Path.of(saveAs));
    }

    private static Path resolve(Path baseDir, String path) {
        return path == null ? null : baseDir.resolve(path).normalize();
    }
}
