package dev.spindle.generator.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.generator.tools.TextToolCalls.Answer;
import dev.spindle.generator.tools.TextToolCalls.Call;
import dev.spindle.generator.tools.TextToolCalls.Calls;
import dev.spindle.generator.tools.TextToolCalls.Format;
import dev.spindle.generator.tools.TextToolCalls.Malformed;
import dev.spindle.generator.tools.TextToolCalls.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TextToolCallsTest {
    private static final Call READ = new Call("read_file", "{\"file_path\":\"a.txt\"}");

    private static Calls calls(String text, Format format) {
        Reading reading = TextToolCalls.read(text, format);
        assertThat(reading).isInstanceOf(Calls.class);
        return (Calls) reading;
    }

    @Test
    void hermesAndQwenCallsInTagsWithTheTextBeforeThemAsTheThought() {
        Calls read = calls("Let me look.\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"file_path\": \"a.txt\"}}\n</tool_call>\n"
                + "<tool_call>{\"name\": \"list_files\", \"arguments\": {}}</tool_call>", Format.AUTO);
        assertThat(read.thought()).isEqualTo("Let me look.");
        assertThat(read.calls()).containsExactly(READ, new Call("list_files", "{}"));
        assertThat(calls("<tool_call>{\"name\": \"read_file\", \"arguments\": {\"file_path\": \"a.txt\"}}", Format.HERMES).calls())
                .as("Qwen may leave the last tag open").containsExactly(READ);
    }

    @Test
    void llamaPythonTagAndBareParameterObjects() {
        assertThat(calls("<|python_tag|>{\"name\": \"read_file\", \"parameters\": {\"file_path\": \"a.txt\"}}; "
                + "{\"name\": \"echo\", \"parameters\": {\"text\": \"a;b\"}}<|eom_id|>", Format.LLAMA).calls())
                .containsExactly(READ, new Call("echo", "{\"text\":\"a;b\"}"));
        assertThat(calls("{\"type\": \"function\", \"name\": \"read_file\", \"parameters\": {\"file_path\": \"a.txt\"}}", Format.AUTO).calls())
                .containsExactly(READ);
    }

    @Test
    void mistralListAndNameArgsForms() {
        assertThat(calls("[TOOL_CALLS] [{\"name\": \"read_file\", \"arguments\": {\"file_path\": \"a.txt\"}}]", Format.AUTO).calls()).containsExactly(READ);
        assertThat(calls("[TOOL_CALLS]read_file[ARGS]{\"file_path\": \"a.txt\"}", Format.MISTRAL).calls()).containsExactly(READ);
    }

    @Test
    void argumentsWrittenAsAStringStayTheModelsOwnTextAndOpenAiFunctionObjectsAreRead() {
        assertThat(calls("```json\n{\"function\": {\"name\": \"read_file\", \"arguments\": \"{\\\"file_path\\\": \\\"a.txt\\\"\"}}\n```", Format.JSON).calls())
                .containsExactly(new Call("read_file", "{\"file_path\": \"a.txt\""));
    }

    @Test
    void plainAnswersAndJsonThatIsNoCallAreAnswersInAutoMode() {
        assertThat(TextToolCalls.read("The file says hello.", Format.AUTO)).isInstanceOf(Answer.class);
        assertThat(TextToolCalls.read("{\"result\": 42}", Format.AUTO)).isInstanceOf(Answer.class);
        assertThat(TextToolCalls.read("{not json", Format.AUTO)).isInstanceOf(Answer.class);
        assertThat(TextToolCalls.read("<tool_call>{\"name\": \"x\", \"arguments\": {}}</tool_call>", Format.NATIVE)).isInstanceOf(Answer.class);
    }

    @Test
    void aMarkedCallThatCannotBeReadIsMalformedWithTheReason() {
        assertThat(TextToolCalls.read("<tool_call>{\"name\": \"read_file\", \"arguments\": {</tool_call>", Format.AUTO))
                .isInstanceOfSatisfying(Malformed.class, m -> assertThat(m.reason()).startsWith("the tool call is not valid JSON"));
        assertThat(TextToolCalls.read("<tool_call>{\"arguments\": {}}</tool_call>", Format.AUTO))
                .isInstanceOfSatisfying(Malformed.class, m -> assertThat(m.reason()).isEqualTo("a tool call needs a \"name\""));
        assertThat(TextToolCalls.read("[TOOL_CALLS] []", Format.AUTO)).isInstanceOf(Malformed.class);
        assertThat(TextToolCalls.read("<|python_tag|>", Format.AUTO)).isInstanceOf(Malformed.class);
        assertThat(TextToolCalls.read("Sure, here it is.", Format.JSON)).isInstanceOf(Malformed.class);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void hostileTextIsReadQuicklyWhateverTheFormat(Format format) {
        String flood = "<tool_call>".repeat(20_000) + "[TOOL_CALLS]".repeat(20_000) + "{".repeat(100_000);
        assertThat(TextToolCalls.read(flood, format)).isNotNull();
    }
}
