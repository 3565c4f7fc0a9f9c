package dev.spindle.wasm;

import dev.spindle.core.Capability;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.testing.Allocation;
import dev.spindle.testing.TestModules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a module can name through WASI inside its {@code /workspace}: escapes, host paths, deny-listed
 * roots, links, odd names. Whatever it does, only clean session paths come back, and the host is untouched.
 */
@Timeout(120)
class WorkspaceHostilePathsTest {
    private static final Set<String> DENIED_ROOTS = Set.of("etc", "proc", "sys", "dev", "root", "home", "~");
    private static final String HOST_MARKER = "/tmp/spindle-hostile-" + UUID.randomUUID() + "/pwned";

    static List<String> corpus() {
        List<String> targets = List.of("x", "etc/passwd", "proc/self/environ", "root/.ssh/id_rsa", "home/u/.bashrc", ".git/config",
                "~/x", HOST_MARKER.substring(1));
        List<String> prefixes = List.of("", "/", "./", "../", "../../", "../../../../../../../../", "a/../", "a/../../", "a/b/../../../",
                "//", "/./", "./../", ".../", "%2e%2e/", "..\\\\", " ../", "..;/", "workspace/../../");
        List<String> paths = new ArrayList<>();
        for (String prefix : prefixes) {
            for (String target : targets) {
                paths.add(prefix + target);
            }
        }
        paths.addAll(List.of("", ".", "..", "/", "a/", "a//b", "a/./b", "x/", "x" .repeat(300), "a/".repeat(200) + "x",
                "\uFF45\uFF54\uFF43/passwd", "\u202Etxt.exe", "con", "nul", "..\u2024/x", "a\\u0000b", "-rf", "*", "?"));
        return paths;
    }

    @Test
    void noPathAModuleNamesEscapesTheSessionOrLandsOnADeniedRoot() throws Exception {
        WasmComponent hostile = new WasmComponent("hostile", WasmProgram.load(TestModules.module("hostile")),
                WasmComponent.Limits.DEFAULTS, Set.of(Capability.SESSION_FILES));
        List<String> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(100);
        SoftAssertions soft = new SoftAssertions();
        int created = 0;
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(hostile).build()) {
            for (int i = 0; i < corpus.size(); i++) {
                String path = corpus.get(i);
                String session = "h" + i;
                runtime.openSession(new SessionSpec(session, Map.of("keep.txt", "kept"), null));
                ToolResult result = runtime.execute(new ToolCall(session, "hostile", "create", Json.object().put("path", path)));
                if (result.success()) {
                    soft.assertThat(result.result()).as(path).isIn("created", "refused");
                    created += result.result().equals("created") ? 1 : 0;
                } else {
                    soft.assertThat(result.errorType()).as(path + ": " + result.result())
                            .isIn(ErrorType.PermissionDenied, ErrorType.InvalidArguments, ErrorType.QuotaExceeded);
                }
                Map<String, String> files = runtime.exportFiles(session);
                soft.assertThat(files).as(path).containsEntry("keep.txt", "kept");
                for (String file : files.keySet()) {
                    soft.assertThat(clean(file)).as(path + " left " + file).isTrue();
                }
            }
        }
        soft.assertThat(Files.exists(Path.of(HOST_MARKER).getParent())).as("the host is never written").isFalse();
        soft.assertThat(created).as("plain names inside the workspace do work").isPositive();
        soft.assertAll();
    }

    @Test
    void aModuleThatWritesWithoutEndIsStoppedAtTheSessionsQuota() throws Exception {
        WasmComponent fill = new WasmComponent("fill", WasmProgram.load(TestModules.module("fill")),
                new WasmComponent.Limits(java.time.Duration.ofSeconds(30), 64L << 20, 1 << 20), Set.of(Capability.SESSION_FILES));
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(fill).withQuotas(new Quotas(1 << 20, 100, 2 << 20)).build()) {
            runtime.openSession(new SessionSpec("f", Map.of("keep.txt", "kept"), null));
            ToolResult result = runtime.execute(new ToolCall("f", "fill", "fill", Json.object()));
            assertThat(result.errorType()).as(result.result()).isEqualTo(ErrorType.QuotaExceeded);
            assertThat(runtime.exportFiles("f")).containsExactly(Map.entry("keep.txt", "kept"));
        }
    }

    @Test
    void aModuleThatLinksABigFileThousandsOfTimesIsRefusedBeforeTheLinksAreRead() throws Exception {
        WasmComponent linker = new WasmComponent("linker", WasmProgram.load(TestModules.module("linker")),
                WasmComponent.Limits.DEFAULTS, Set.of(Capability.SESSION_FILES));
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(linker).build()) {
            runtime.openSession(new SessionSpec("l", Map.of("keep.txt", "kept"), null));
            long allocated = Allocation.ofAllThreads();
            ToolResult result = runtime.execute(new ToolCall("l", "linker", "link", Json.object()));
            assertThat(result.errorType()).as(result.result()).isEqualTo(ErrorType.QuotaExceeded);
            assertThat(result.result()).contains("would take more than 67108864 bytes").contains("copy of its own").contains("nothing the run changed was kept");
            assertThat(Allocation.ofAllThreads() - allocated).as("bytes allocated: 4,001 names of 4 MiB were not read").isLessThan(256L << 20);
            assertThat(runtime.exportFiles("l")).containsExactly(Map.entry("keep.txt", "kept"));
        }
    }

    /** A session path as the VFS would make it: relative, no empty, '.' or '..' segment, no control character, no denied root. */
    private static boolean clean(String file) {
        if (file.isEmpty() || file.startsWith("/") || file.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return false;
        }
        String[] segments = file.split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return !DENIED_ROOTS.contains(segments[0]);
    }
}
