package dev.spindle.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the comment before a shell block marks it, a condition included. */
class DocBlockTest {
    @Test
    void aBlockIsRunnableAlwaysWhereAConditionHoldsOrNotWithItsReason(@TempDir Path dir) throws IOException {
        Path doc = Files.writeString(dir.resolve("doc.md"), """
                <!-- runnable -->
                ```sh
                curl -s localhost:3000/health
                ```

                <!-- runnable where: sandbox -->
                ```bash
                curl -s localhost:3000/shell/execute
                ```

                <!-- not runnable: needs an LLM -->
                ```sh
                ./spindle generate x.yaml
                ```

                <!-- runnable where: -->
                ```sh
                echo a condition without a name is no marking
                ```
                """);

        List<DocBlock> blocks = DocBlock.in(doc);

        assertThat(blocks).extracting(DocBlock::marking).containsExactly(DocBlock.Marking.RUNNABLE, DocBlock.Marking.RUNNABLE,
                DocBlock.Marking.NOT_RUNNABLE, DocBlock.Marking.UNMARKED);
        assertThat(blocks).extracting(DocBlock::condition).containsExactly(null, "sandbox", null, null);
        assertThat(blocks.get(1).body()).isEqualTo("curl -s localhost:3000/shell/execute");
        assertThat(blocks.get(2).reason()).isEqualTo("needs an LLM");
        assertThat(blocks).extracting(DocBlock::line).containsExactly(2, 7, 12, 17);
    }

    @Test
    void theConditionsAreKnownByName() {
        assertThat(DocCondition.named("sandbox")).contains(DocCondition.SANDBOX);
        assertThat(DocCondition.SANDBOX.ciVariable).isEqualTo("SPINDLE_REQUIRE_SANDBOX");
        assertThat(DocCondition.named("sandbx")).isEmpty();
    }

    @Test
    void theSandboxProbeAgreesWithWhatCiSays() {
        // CI installs bubblewrap and sets the variable; a developer's host may have no sandbox, and says why
        if (System.getenv("SPINDLE_REQUIRE_SANDBOX") != null) {
            assertThat(DocCondition.SANDBOX.missing()).isEmpty();
        } else {
            DocCondition.SANDBOX.missing().ifPresent(why -> assertThat(why).startsWith("no sandbox here: "));
        }
    }
}
