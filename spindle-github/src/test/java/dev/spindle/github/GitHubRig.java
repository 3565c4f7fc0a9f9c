package dev.spindle.github;

import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.testing.FakeGitHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/** A fake GitHub and a runtime serving the github component against it, configured from the fake's address. */
final class GitHubRig implements AutoCloseable {
    final FakeGitHub github;
    private final ToolRuntime runtime;

    GitHubRig(Function<String, GitHubConfig> config) {
        try {
            github = new FakeGitHub();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new GitHubComponent(config.apply(github.url()))).build();
    }

    ToolResult call(String tool, String args) {
        return runtime.execute(new ToolCall("s", "github", tool, Json.parse(args)));
    }

    @Override
    public void close() {
        runtime.close();
        github.close();
    }
}
