package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.MemoryStore;
import dev.spindle.testing.SymlinkCorpus;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The console's datasets folder full of links and special files named like datasets: only its own regular
 * files are listed and opened, a FIFO never blocks a worker, and nothing outside the folder is served.
 */
@Timeout(60)
class DatasetsFolderLinksTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheFoldersOwnRegularFilesAreDatasets() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.jsonl"), "{\"messages\":[{\"role\":\"user\",\"content\":\"" + SymlinkCorpus.SECRET + "\"}]}\n");
        Files.writeString(data.resolve("run.jsonl"), ConsoleRoutesTest.READ + "\n");
        Files.createLink(data.resolve("hard-inside.jsonl"), data.resolve("run.jsonl"));
        Files.createLink(data.resolve("hard-outside.jsonl"), outside.resolve("secret.jsonl"));
        Files.createSymbolicLink(data.resolve("passwd.jsonl"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(data.resolve("linked.jsonl"), outside.resolve("secret.jsonl"));
        Files.createSymbolicLink(data.resolve("zero.jsonl"), Path.of("/dev/zero"));
        Files.createSymbolicLink(data.resolve("run.summary.json"), Path.of("/etc/passwd"));
        new ProcessBuilder("mkfifo", data.resolve("fifo.jsonl").toString()).start().waitFor();
        Files.createLink(data.resolve("hard-fifo.jsonl"), data.resolve("fifo.jsonl"));
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(data.resolve("socket.jsonl")));
        }
        Files.createDirectories(data.resolve("nested.jsonl"));
        Files.writeString(data.resolve("nested.jsonl/deep.jsonl"), ConsoleRoutesTest.READ + "\n");

        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c.withDatasets(data))) {
            JsonNode listed = s.get("/datasets").json().path("datasets");
            List<String> names = new ArrayList<>();
            listed.forEach(d -> names.add(d.path("name").asString()));
            assertThat(names).containsExactly("hard-inside.jsonl", "run.jsonl");
            assertThat(listed.get(1).path("summary").asBoolean()).as("a summary that is a link is none").isFalse();
            for (String name : List.of("hard-outside.jsonl", "passwd.jsonl", "linked.jsonl", "zero.jsonl", "fifo.jsonl", "socket.jsonl", "nested.jsonl")) {
                TestServer.Response records = s.get("/datasets/" + name + "/records");
                assertThat(records.status()).as(name).isEqualTo(404);
                assertThat(records.raw().body()).doesNotContain(SymlinkCorpus.SECRET, "root:");
            }
            assertThat(s.get("/datasets/run.jsonl/summary").json().path("summary").isNull()).isTrue();
            assertThat(s.get("/datasets/hard-inside.jsonl/records").raw().body()).contains("show a");
            assertThat(s.get("/health").status()).isEqualTo(200);
        }
    }
}
