package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.MemoryStore;
import dev.spindle.testing.Allocation;
import dev.spindle.testing.SymlinkCorpus;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Folders the server reads over HTTP, full of links and special files: the console's datasets folder (only
 * its own regular files are listed and opened) and seed folders of {@code POST /sessions {from: {dir}}}.
 * A FIFO never blocks a worker, nothing outside a folder is served, and thousands of links are refused or
 * listed without being read.
 */
@Timeout(60)
class HostileTreesTest {
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

    @Test
    void thousandsOfLinkedDatasetsAreListedWithoutBeingRead() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        byte[] big = new byte[16 << 20];
        Arrays.fill(big, (byte) '\n'); // a record, then blank lines: 16 MiB of a dataset
        byte[] record = (ConsoleRoutesTest.READ + "\n").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(record, 0, big, 0, record.length);
        Files.write(data.resolve("big.jsonl"), big);
        for (int i = 0; i < 2_000; i++) {
            Files.createLink(data.resolve("hard-" + i + ".jsonl"), data.resolve("big.jsonl"));
            Files.createSymbolicLink(data.resolve("zero-" + i + ".jsonl"), Path.of("/dev/zero"));
        }
        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c.withDatasets(data))) {
            long allocated = Allocation.ofAllThreads();
            JsonNode listed = s.get("/datasets").json().path("datasets");
            assertThat(listed).hasSize(2_001);
            assertThat(listed.get(0).path("bytes").asLong()).isEqualTo(16 << 20);
            assertThat(Allocation.ofAllThreads() - allocated).as("bytes allocated: 2,001 names of 16 MiB were not read").isLessThan(256L << 20);
        }
    }

    @Test
    void aSeedFolderOfLinksAndSpecialFilesSeedsOnlyWhatIsInsideAndAFloodIsRefused() throws Exception {
        Path seeds = Files.createDirectories(dir.resolve("seeds"));
        Path special = Files.createDirectories(seeds.resolve("special"));
        SymlinkCorpus.create(special, dir.resolve("outside"));
        SymlinkCorpus.addSpecialFiles(special, dir.resolve("outside"));
        SymlinkCorpus.addFlood(Files.createDirectories(seeds.resolve("flood")), 2_000, 1 << 20);
        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c.withSeedRoot(seeds))) {
            TestServer.Response created = s.post("/sessions", "{\"from\":{\"dir\":\"special\"}}");
            assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
            Map<String, String> files = s.runtime.exportFiles(created.json().path("session_id").asString());
            assertThat(files).containsExactlyInAnyOrderEntriesOf(SymlinkCorpus.EXPECTED_WITH_SPECIAL_FILES);
            assertThat(String.join("", files.values())).doesNotContain(SymlinkCorpus.SECRET, "root:");

            long allocated = Allocation.ofAllThreads();
            TestServer.Response flood = s.post("/sessions", "{\"session_id\":\"flood\",\"from\":{\"dir\":\"flood\"}}");
            assertThat(flood.status()).as(flood.raw().body()).isEqualTo(422);
            assertThat(flood.json().path("error_type").asString()).isEqualTo("QuotaExceeded");
            assertThat(Allocation.ofAllThreads() - allocated).as("bytes allocated: 4,001 names of 1 MiB were not read").isLessThan(256L << 20);
            assertThat(s.get("/sessions/flood").status()).isEqualTo(404);
            assertThat(s.get("/health").status()).isEqualTo(200);
        }
    }
}
