package dev.spindle.generator;

import dev.spindle.generator.tools.AgentTool;
import java.util.List;
import java.util.stream.Collectors;

/** Every prompt the generator sends, in one place, so their wording can be read and changed together. */
final class Prompts {
    private Prompts() {}

    static String question(String topic, String instructions, List<AgentTool> tools, List<String> seedFiles) {
        StringBuilder prompt = new StringBuilder()
                .append("Write one short, natural request a user would send to an assistant, about this scenario:\n")
                .append(topic).append("\n\n");
        if (!instructions.isBlank()) {
            prompt.append("Guidance:\n").append(instructions.strip()).append("\n\n");
        }
        if (!tools.isEmpty()) {
            prompt.append("The assistant has these tools, and the request must need at least one of them:\n")
                    .append(toolList(tools)).append("\n\n");
        }
        if (!seedFiles.isEmpty()) { // a cloned repository can hold thousands: name a few
            prompt.append("The workspace holds these files: ").append(String.join(", ", seedFiles.subList(0, Math.min(50, seedFiles.size()))))
                    .append(seedFiles.size() > 50 ? " and " + (seedFiles.size() - 50) + " more" : "").append("\n\n");
        }
        return prompt.append("Answer with the request only: one or two sentences, no quotes, no preamble.").toString();
    }

    static String agentSystem(String systemPrompt) {
        return (systemPrompt.isBlank() ? "" : systemPrompt.strip() + "\n\n")
                + "You are an agent that solves the user's request with the tools you are given. Work step by step: "
                + "call tools to look before you change anything, use the real results you get back, and never invent "
                + "a tool result. When you have what you need, answer the user directly without calling tools.";
    }

    static String structuredStep(String question, List<AgentTool> tools, List<Sample.Step> history, String feedback) {
        StringBuilder prompt = new StringBuilder("## User request\n").append(question).append("\n\n## Tools\n").append(toolList(tools))
                .append("\n\n## Previous steps and results\n");
        if (history.isEmpty()) {
            prompt.append("None yet: this is your first step.\n");
        }
        for (Sample.Step step : history) {
            prompt.append("### Step ").append(step.number()).append("\nThought: ").append(step.thought()).append('\n');
            for (Sample.Call call : step.calls()) {
                prompt.append("  - ").append(call.name()).append('(').append(call.arguments()).append(")\n    Result: ").append(call.content()).append('\n');
            }
        }
        prompt.append("""

                ## Instructions
                Decide your next step. Answer with JSON only: {"thought": "...", "tool_calls": [{"function_name": "...", "arguments": {...}}], "is_final": false}.
                - To gather information or act, list the tool calls for THIS step.
                - When you have enough to answer, set is_final to true and leave tool_calls empty.
                - Read before you write; use concrete argument values, never placeholders.
                """);
        if (feedback != null) {
            prompt.append("\n## Your previous answer was rejected\n").append(feedback).append("\nFix this.\n");
        }
        return prompt.toString();
    }

    static String finalAnswer(String question, List<Sample.Call> calls) {
        String results = calls.stream().map(call -> "Tool: " + call.name() + "(" + call.arguments() + ")\nResult: " + call.content())
                .collect(Collectors.joining("\n\n"));
        return "## User request\n" + question + "\n\n## What the tools returned\n" + (results.isEmpty() ? "(no tool calls)" : results)
                + "\n\nWrite the assistant's final answer to the user, based only on these results. Answer with the message text only.";
    }

    static String subtopics(List<String> path, int degree) {
        return "Topic path: " + String.join(" -> ", path) + "\n\nList " + degree + " distinct, specific subtopics of the last topic in this path. "
                + "Answer with a JSON array of " + degree + " short strings and nothing else.";
    }

    private static String toolList(List<AgentTool> tools) {
        return tools.stream().map(tool -> "- " + tool.name() + ": " + tool.definition().description()
                + "\n  arguments (JSON Schema): " + dev.spindle.core.Json.write(tool.definition().inputSchema()))
                .collect(Collectors.joining("\n"));
    }
}
