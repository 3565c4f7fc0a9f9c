package dev.spindle.cli;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SnapshotInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/** {@code spindle snapshot export|import}: a session's portable archive, to and from a running server. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Export a session of a running spindle serve as one archive, or import one.",
                "Format: docs/snapshots.md."},
        subcommands = {SnapshotCommand.Export.class, SnapshotCommand.Import.class})
final class SnapshotCommand {

    /** Which server, and its token. */
    static final class Server {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:3000",
                description = "The server (default: ${DEFAULT-VALUE}).")
        String url;

        @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SPINDLE_TOKEN}",
                description = "Bearer token (default: $SPINDLE_TOKEN).")
        String token;

        SpindleClient client() {
            SpindleClient client = SpindleClient.connect(url);
            return token == null || token.isBlank() ? client : client.withToken(token);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Snapshot SESSION on the server and save its archive.",
                    "Prints {snapshot_id, digest, bytes, file}."})
    static final class Export implements Callable<Integer> {
        @Mixin
        Server server;

        @Parameters(index = "0", paramLabel = "SESSION", description = "The session to export.")
        String session;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "The archive's file (default: SESSION.snapshot.json).")
        Path output;

        @Override
        public Integer call() {
            try (SpindleClient client = server.client()) {
                SnapshotInfo info = client.snapshot(session);
                Path file = output != null ? output : Path.of(session.replaceAll("[^A-Za-z0-9._-]", "_") + ".snapshot.json");
                write(file, client.snapshotArchive(info.snapshotId()));
                System.out.println(Json.write(json(info).put("file", file.toString())));
                return 0;
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Upload an archive as a new snapshot; with --restore, open a session from it.",
                    "Prints {snapshot_id, digest, bytes, session_id?}."})
    static final class Import implements Callable<Integer> {
        @Mixin
        Server server;

        @Parameters(index = "0", paramLabel = "FILE", description = "An archive made by snapshot export.")
        Path file;

        @Option(names = "--restore", description = "Also open a session from it.")
        boolean restore;

        @Option(names = "--session-id", paramLabel = "ID", description = "The restored session's id (implies --restore).")
        String sessionId;

        @Option(names = "--seed", paramLabel = "N", description = "The restored session's seed (default: the snapshot's).")
        Long seed;

        @Override
        public Integer call() {
            try (SpindleClient client = server.client()) {
                SnapshotInfo info = client.importSnapshot(read(file));
                ObjectNode answer = json(info);
                if (restore || sessionId != null) {
                    SessionInfo session = client.restoreSnapshot(info.snapshotId(), sessionId, seed);
                    answer.put("session_id", session.sessionId());
                }
                System.out.println(Json.write(answer));
                return 0;
            }
        }
    }

    private static ObjectNode json(SnapshotInfo info) {
        return Json.object().put("snapshot_id", info.snapshotId()).put("digest", info.digest()).put("bytes", info.bytes());
    }

    private static void write(Path file, byte[] archive) {
        try {
            Files.write(file, archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
