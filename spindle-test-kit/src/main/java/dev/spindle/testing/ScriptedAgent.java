package dev.spindle.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@link FakeLlm} answers, whatever protocol carried the question: the generator's own prompts (a user
 * request, subtopics, a next step, a final answer) and, when tools are offered, an agent's plan. The plans, by
 * the user's request: "config.json" lists files and reads it (two calls in one step), rewrites it with debug
 * off, reads it back, then answers; "missing.md" reads a file that does not exist and reports the error;
 * "weather" calls a tool nobody offered and passes broken JSON; "a github issue" reads issue 1 and README.md
 * of octo/hello on GitHub, then the local README.md; anything else lists files and reads README.md.
 */
final class ScriptedAgent {
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern HISTORY_CALL = Pattern.compile("^  - (\\w+)\\((.*)\\)\\n    Result: (.*)$", Pattern.MULTILINE);

    private ScriptedAgent() {}

    /** What the agent sees: the last prompt text, whether tools are offered, and the results so far (name, result). */
    record Turn(String prompt, String userRequest, boolean toolsOffered, List<String[]> results) {}

    /** A text answer, or tool calls (name, JSON arguments). */
    record Decision(String text, List<String[]> calls) {}

    static Decision decide(Turn turn) {
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

    static Decision text(String text) {
        return new Decision(text, List.of());
    }

    private static Decision calls(String[]... calls) {
        return new Decision(null, List.of(calls));
    }
}
