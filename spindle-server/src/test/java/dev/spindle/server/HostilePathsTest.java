package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.files.NastyPaths;
import dev.spindle.core.files.PathPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hostile-path corpus through every argument of every VFS tool that takes a path, over HTTP on a
 * real server: each call answers a JSON envelope refusing the path, no file appears anywhere, and the
 * server still serves afterwards.
 */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "sqlite"})
@Timeout(120)
class HostilePathsTest {
    private static final Map<String, String> SEED = Map.of("ok.txt", "ok\n", "dir/inside.txt", "inside\n");
    private static final Set<String> REFUSALS = Set.of("PermissionDenied", "InvalidArguments");

    /** One call per path argument of each of the thirteen tools; the other arguments are valid. */
    private static final List<Function<String, String[]>> CALLS = List.of(
            p -> call("read_file", "file_path", p),
            p -> call("write_file", "file_path", p, "content", "escaped"),
            p -> call("list_files", "directory", p),
            p -> call("delete_file", "file_path", p),
            p -> call("list_directory", "directory", p),
            p -> call("make_directory", "directory", p),
            p -> call("move_file", "source", p, "destination", "moved.txt"),
            p -> call("move_file", "source", "ok.txt", "destination", p),
            p -> call("copy_file", "source", p, "destination", "copied.txt"),
            p -> call("copy_file", "source", "ok.txt", "destination", p),
            p -> call("append_file", "file_path", p, "content", "escaped"),
            p -> call("edit_file", "file_path", p, "old_string", "ok", "new_string", "escaped"),
            p -> call("search_files", "directory", p, "pattern", "ok"),
            p -> call("file_info", "file_path", p));

    @Parameter
    String store;

    @TempDir
    Path dir;

    TestServer s;

    @BeforeEach
    void start() {
        s = TestServer.start(store, dir);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void everyToolRefusesEveryHostilePathAndNothingIsCreated() throws Exception {
        assertThat(NastyPaths.CORPUS).hasSizeGreaterThanOrEqualTo(100);
        seed("target");
        seed("neighbour");
        List<Path> hostFilesBefore = hostFiles();
        SoftAssertions soft = new SoftAssertions();
        int calls = 0;
        for (String path : NastyPaths.CORPUS) {
            for (var call : CALLS) {
                String[] toolAndArgs = call.apply(path);
                var response = s.vfs("target", toolAndArgs[0], toolAndArgs[1]);
                calls++;
                String what = toolAndArgs[0] + " " + abbreviate(toolAndArgs[1]);
                soft.assertThat(response.status()).as(what).isEqualTo(200);
                soft.assertThat(response.json()).as(what).isNotNull();
                if (response.json() != null) {
                    soft.assertThat(response.json().path("success").asBoolean(true)).as(what).isFalse();
                    soft.assertThat(response.json().path("error_type").asString()).as(what + ": " + response.json()).isIn(REFUSALS);
                    soft.assertThat(response.json().path("result").asString()).as(what).isNotBlank().doesNotContain("Exception", "\tat ");
                }
            }
            var found = s.vfs("target", "find_files", "{\"glob\":" + asciiJson(path) + "}");
            calls++;
            soft.assertThat(found.status()).as("find_files " + abbreviate(asciiJson(path))).isEqualTo(200);
            if (found.json() != null && found.json().path("success").asBoolean()) {
                soft.assertThat(Json.parse(found.json().path("result").asString()).valueStream().map(v -> v.asString()).toList())
                        .as("find_files " + abbreviate(asciiJson(path))).isSubsetOf(SEED.keySet());
            } else {
                soft.assertThat(found.json().path("error_type").asString()).as("find_files " + abbreviate(asciiJson(path))).isEqualTo("InvalidArguments");
            }
        }
        soft.assertAll();
        assertThat(calls).isGreaterThanOrEqualTo(1500);
        assertThat(s.runtime.exportFiles("target")).as("nothing written, moved or deleted").isEqualTo(SEED);
        assertThat(s.runtime.exportFiles("neighbour")).isEqualTo(SEED);
        assertThat(s.vfs("target", "list_directory", "{}").json().path("result").asString()).isEqualTo("[DIR] dir/\n[FILE] ok.txt (3 bytes)");
        assertThat(hostFiles()).as("no file appeared on the host").isEqualTo(hostFilesBefore);
        servesAfterwards();
    }

    @Test
    void lookalikesStayInsideTheSession() {
        seed("neighbour");
        SoftAssertions soft = new SoftAssertions();
        for (String path : NastyPaths.LOOKALIKES) {
            var response = s.vfs("look", "write_file", "{\"file_path\":" + asciiJson(path) + ",\"content\":\"x\"}");
            soft.assertThat(response.status()).as(path).isEqualTo(200);
            if (!response.json().path("success").asBoolean()) {
                soft.assertThat(response.json().path("error_type").asString()).as(path).isIn("PermissionDenied", "InvalidArguments", "NotADirectory", "IsADirectory", "AlreadyExists");
            }
        }
        soft.assertAll();
        assertThat(s.runtime.exportFiles("look").keySet()).isNotEmpty().allSatisfy(key -> {
            assertThat(key).doesNotStartWith("/").doesNotContain("\\").doesNotEndWith("/");
            assertThat(key.split("/")).doesNotContain("..", ".", "");
            assertThat(PathPolicy.DEFAULT_DENY.stream().map(deny -> deny.substring(deny.startsWith("/") ? 1 : 0)))
                    .noneMatch(deny -> key.equals(deny) || key.startsWith(deny + "/"));
        });
        assertThat(s.runtime.exportFiles("neighbour")).isEqualTo(SEED);
        servesAfterwards();
    }

    private void seed(String session) {
        var created = s.post("/sessions", Json.write(Json.object().put("session_id", session).set("files", Json.MAPPER.valueToTree(SEED))));
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
    }

    private void servesAfterwards() {
        assertThat(s.get("/health").status()).isEqualTo(200);
        var read = s.vfs("neighbour", "read_file", "{\"file_path\":\"dir/inside.txt\"}");
        assertThat(read.json().path("result").asString()).isEqualTo("inside\n");
    }

    /** Every file under the test's folder (the SQLite store lives there) and the working directory's top level. */
    private List<Path> hostFiles() throws Exception {
        try (Stream<Path> under = Files.walk(dir); Stream<Path> here = Files.list(Path.of(""))) {
            return Stream.concat(under, here).filter(p -> !p.getFileName().toString().startsWith("state.db")).sorted().toList();
        }
    }

    private static String[] call(String tool, String... keyValues) {
        var args = Json.object();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put(keyValues[i], keyValues[i + 1]);
        }
        return new String[] {tool, asciiJson(args)};
    }

    /** JSON with every non-ASCII character escaped, so that lone surrogates reach the server as written. */
    private static String asciiJson(Object value) {
        StringBuilder json = new StringBuilder();
        Json.write(value).chars().forEach(c -> json.append(c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return json.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
