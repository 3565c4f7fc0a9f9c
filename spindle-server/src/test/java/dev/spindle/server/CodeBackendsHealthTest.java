package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.code.CodeComponent;
import dev.spindle.core.Json;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.sandbox.Limits;
import dev.spindle.sandbox.RootFilesystem;
import dev.spindle.sandbox.Sandboxes;
import dev.spindle.testing.Prerequisite;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health} says where each code language runs, and why there. */
@Timeout(60)
class CodeBackendsHealthTest {
    @Test
    void healthShowsEachLanguagesBackendAndWhyThere(@TempDir Path dir) {
        Sandboxes sandboxes = Sandboxes.open(RootFilesystem.host(), dir, 1L << 30, Limits.DEFAULTS);
        Prerequisite.require(sandboxes.sandbox().isPresent(), "SPINDLE_REQUIRE_SANDBOX", "no sandbox here: " + sandboxes.unavailable());
        CodeComponent code = CodeComponent.builder().withSandboxes(sandboxes).javaScript(CodeComponent.Backend.WASM).build();
        try (TestServer s = new TestServer(new MemoryStore(), r -> r.withOwned(sandboxes).withComponent(code), c -> c)) {
            assertThat(s.get("/health").json().path("details").path("code")).isEqualTo(Json.parse("""
                    {"python": {"backend": "native", "why": "the default: the sandbox root (host) has python3"},
                     "javascript": {"backend": "wasm", "why": "chosen by --javascript wasm"}}"""));
            assertThat(s.get("/code/health").json().path("details").properties()).extracting(e -> e.getKey()).containsExactly("code");
            assertThat(s.get("/vfs/health").json().has("details")).isFalse();
        }
        try (TestServer s = new TestServer(new MemoryStore(), r -> r.withComponent(new CodeComponent()), c -> c)) {
            assertThat(s.get("/health").json().path("details").path("code").path("python")).isEqualTo(Json.parse("""
                    {"backend": "wasm", "why": "the default without a sandbox"}"""));
        }
    }
}
