package dev.spindle.bench;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.spindle.core.Json;
import java.util.List;

/** The agent of the tests' fake LLM, in process: list and read, rewrite with debug off, read back, answer. */
final class ScriptedAgent implements ChatModel {
    private final long latency;

    ScriptedAgent(long latency) {
        this.latency = latency;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ChatMessage> messages = request.messages();
        List<ToolExecutionResultMessage> results = messages.stream().filter(m -> m instanceof ToolExecutionResultMessage)
                .map(m -> (ToolExecutionResultMessage) m).toList();
        AiMessage answer;
        if (request.toolSpecifications() == null || request.toolSpecifications().isEmpty()) {
            answer = AiMessage.from("Please turn off debug mode in config.json and check that it worked.");
        } else {
            answer = switch (results.size()) {
                case 0 -> AiMessage.from(call("list_files", "{}"), call("read_file", "{\"file_path\":\"config.json\"}"));
                case 2 -> AiMessage.from(call("write_file", Json.write(Json.object().put("file_path", "config.json")
                        .put("content", results.get(1).text().replace("true", "false")))));
                case 3 -> AiMessage.from(call("read_file", "{\"file_path\":\"config.json\"}"));
                default -> AiMessage.from("config.json now has debug set to false; I read it back to confirm.");
            };
        }
        return ChatResponse.builder().aiMessage(answer).tokenUsage(new TokenUsage(100, 20)).build();
    }

    private static ToolExecutionRequest call(String name, String arguments) {
        return ToolExecutionRequest.builder().id("call_" + name).name(name).arguments(arguments).build();
    }
}
