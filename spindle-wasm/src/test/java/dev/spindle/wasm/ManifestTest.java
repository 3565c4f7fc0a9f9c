package dev.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.Capability;
import dev.spindle.testing.TestModules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @TempDir
    Path dir;

    @BeforeEach
    void module() throws Exception {
        Path modules = Files.createDirectories(dir.resolve("modules"));
        Files.copy(TestModules.module("hello"), modules.resolve("hello.wasm"));
    }

    Path manifest(String toml) throws Exception {
        return Files.writeString(dir.resolve("spindle.toml"), toml);
    }

    static final String HELLO = """
            spin_manifest_version = 2

            [application]
            name = "tools"

            [[trigger.http]]
            route = "/hello/..."
            component = "hello"

            [component.hello]
            source = "modules/hello.wasm"
            timeout_ms = 1500
            max_memory_mb = 16

            [component.hello.variables]
            greeting = "Hi ${USER_NAME}"
            token = "default"
            """;

    @Test
    void loadsComponentsWithLimitsAndVariables() throws Exception {
        var components = Manifest.load(manifest(HELLO), Map.of("USER_NAME", "Ada", "SPIN_VARIABLE_TOKEN", "from-env"));
        assertThat(components).hasSize(1);
        WasmComponent hello = components.getFirst();
        assertThat(hello.name()).isEqualTo("hello");
        assertThat(hello.limits()).isEqualTo(new WasmComponent.Limits(Duration.ofMillis(1500), 16L << 20, 1 << 20));
        assertThat(hello.environment()).containsExactlyInAnyOrderEntriesOf(Map.of("GREETING", "Hi Ada", "TOKEN", "from-env"));
        assertThat(hello.capabilities()).containsExactly(Capability.variables(Map.of("greeting", "Hi Ada", "token", "from-env")));
        var withFiles = Manifest.load(manifest(HELLO.replace("timeout_ms = 1500", "timeout_ms = 1500\nfiles = \"session\"")), Map.of("USER_NAME", "x"));
        assertThat(withFiles.getFirst().capabilities()).contains(Capability.SESSION_FILES);
        var withHosts = Manifest.load(manifest(HELLO.replace("timeout_ms = 1500",
                "timeout_ms = 1500\nallowed_outbound_hosts = [\"https://*.example.com\", \"http://127.0.0.1:*\"]")), Map.of("USER_NAME", "x"));
        assertThat(withHosts).hasSize(1);
        assertThat(withHosts.getFirst().capabilities()).contains(Capability.outbound(
                AllowedHosts.of(List.of("https://*.example.com", "http://127.0.0.1:*"), "ignored: grants compare by patterns")));
    }

    @Test
    void mistakesNameTheFileTheKeyAndWhatIsAllowed() throws Exception {
        String[][] cases = {
                {HELLO.replace("timeout_ms = 1500", "timeout = 1500"), "unknown key 'component.hello.timeout'; allowed:"},
                {HELLO.replace("timeout_ms = 1500", "timeout_ms = -1"), "component.hello.timeout_ms must be a positive whole number"},
                {HELLO.replace("route = \"/hello/...\"", "route = \"/other/...\""), "route must be \"/hello/...\""},
                {HELLO.replace("component = \"hello\"", "component = \"nope\""), "component = \"nope\" is not declared"},
                {HELLO.replace("modules/hello.wasm", "modules/missing.wasm"), "component.hello.source: no such file"},
                {HELLO.replace("[application]", "[app]"), "unknown key 'app'"},
                {HELLO.replace("${USER_NAME}", "${NOT_SET}"), "environment variable NOT_SET is not set"},
                {HELLO.replace("timeout_ms = 1500", "timeout_ms = 1500\nallowed_outbound_hosts = [\"api.example.com\"]"), "is not scheme://host:port"},
                {HELLO.replace("timeout_ms = 1500", "timeout_ms = 1500\nallowed_outbound_hosts = \"https://x\""), "must be a list"},
                {HELLO + "extra = 1\n", "component.hello.variables.extra must be a string"},
                {HELLO.replace("timeout_ms = 1500", "timeout_ms = 1500\nfiles = \"host\""), "files must be \"session\""},
                {"[[trigger.http]\n", "not valid TOML"},
        };
        for (String[] bad : cases) {
            Path file = manifest(bad[0]);
            assertThatThrownBy(() -> Manifest.load(file, Map.of("USER_NAME", "x"))).as(bad[1])
                    .isInstanceOf(Manifest.ManifestException.class).hasMessageStartingWith(file.toString()).hasMessageContaining(bad[1]);
        }
        Files.writeString(dir.resolve("modules/hello.wasm"), "garbage");
        assertThatThrownBy(() -> Manifest.load(manifest(HELLO), Map.of("USER_NAME", "x"))).hasMessageContaining("not a WebAssembly module");
    }
}
