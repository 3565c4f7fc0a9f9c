package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandSplitterTest {
    @Test
    void splitsLikeAShell() {
        assertThat(CommandSplitter.split("npx -y @scope/server  --dir '/tmp/my files' \"a \\\"b\\\"\" c\\ d"))
                .containsExactly("npx", "-y", "@scope/server", "--dir", "/tmp/my files", "a \"b\"", "c d");
        assertThat(CommandSplitter.split("  ")).isEmpty();
        assertThat(CommandSplitter.split("x ''")).containsExactly("x", "");
        assertThatThrownBy(() -> CommandSplitter.split("echo 'oops")).hasMessageContaining("unclosed");
    }
}
