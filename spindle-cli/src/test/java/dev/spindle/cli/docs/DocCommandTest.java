package dev.spindle.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a doc block splits into commands and the answers shown after them. */
class DocCommandTest {
    @Test
    void commandsSpanContinuedLinesAndOpenQuotesAndCommentsAreNotCommands() {
        List<DocCommand> commands = DocCommand.in("""
                # a comment
                curl -s localhost:3000/a \\
                  -d '{"x":
                  1}'

                ./spindle serve --store memory &   # in the background
                """, 10);

        assertThat(commands).extracting(DocCommand::line).containsExactly(11, 15);
        assertThat(commands.get(0).text()).isEqualTo("curl -s localhost:3000/a \\\n  -d '{\"x\":\n  1}'");
        assertThat(commands.get(1).text()).isEqualTo("./spindle serve --store memory &");
        assertThat(commands.get(1).service()).isTrue();
        assertThat(commands.get(0).service()).isFalse();
    }

    @Test
    void anAnswerIsAJsonCommentOnTheLineOrAfterItOverSeveralLines() {
        List<DocCommand> commands = DocCommand.in("""
                curl -s localhost:3000/health
                # {"status":"healthy",
                #  "sessions":0}
                curl -s localhost:3000/x    # {"error":"no","error_type":"NotFound"}   (HTTP 404)
                curl -s localhost:3000/y    # prose, not an answer
                # prose going on with
                # {braces} is no answer either
                STATUS_URL=http://x ./spindle serve
                # → a frame, not an answer
                """, 1);

        assertThat(commands).hasSize(4);
        assertThat(commands.get(0).answer().mismatch(Json.parse("{\"status\":\"healthy\",\"sessions\":0}"))).isEmpty();
        assertThat(commands.get(1).status()).isEqualTo(404);
        assertThat(commands.get(1).text()).isEqualTo("curl -s localhost:3000/x");
        assertThat(commands.get(2).answer()).isNull();
        assertThat(commands.get(3).service()).isTrue();
        assertThat(commands.get(3).words()).isEqualTo("./spindle serve");
    }

    @Test
    void aHashInsideQuotesIsNoComment() {
        List<DocCommand> commands = DocCommand.in("curl -d '{\"c\":\"# not a comment\"}' localhost:3000/a\n", 1);
        assertThat(commands.getFirst().text()).isEqualTo("curl -d '{\"c\":\"# not a comment\"}' localhost:3000/a");
    }

    @Test
    void aMalformedAnswerOrAnOpenQuoteIsReportedWithItsLine() {
        assertThatThrownBy(() -> DocCommand.in("curl -s x   # {\"tools\":[{name}]}\n", 7)).hasMessageStartingWith("line 7: the answer shown is not JSON");
        assertThatThrownBy(() -> DocCommand.in("curl -s x   # {\"a\":1}, in order\n", 7)).hasMessageContaining("only (HTTP NNN) may follow");
        assertThatThrownBy(() -> DocCommand.in("curl -d '{\n", 3)).hasMessageStartingWith("line 3: the command never ends");
    }
}
