package dev.spindle.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.spindle.core.Json;
import dev.spindle.testing.EverythingServer;
import dev.spindle.testing.Prerequisite;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * The docs run: every shell block of README.md, CONTRIBUTING.md and docs/**.md marked {@code <!-- runnable -->} is run, in
 * order, in one shell per file against the packaged jar (see {@link DocShell}), and each command must
 * exit 0, get no HTTP error it does not show ({@code (HTTP 404)} after the answer), and answer what the
 * doc shows after it ({@link JsonPattern}: {@code ...} for what varies). A block marked {@code <!-- runnable
 * where: CONDITION -->} runs where the host has what {@link DocCondition} names, and is skipped elsewhere,
 * saying why (a failure where CI says it provides it). Blocks that need what a test cannot have are marked
 * {@code <!-- not runnable: REASON -->}, listed and counted as skipped; a shell block with neither marking,
 * or with a condition nobody knows, fails {@link #everyShellBlockIsMarkedRunnableOrNotRunnableWithAReason}.
 */
class DocsIT {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> RAN = new ArrayList<>();
    private static final List<String> SKIPPED = new ArrayList<>();
    private static DocShell shell;
    private static Path shellDoc;

    /** README.md, CONTRIBUTING.md and every Markdown file under docs/, whatever their names and however deep. */
    static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(REPOSITORY.resolve("README.md"), REPOSITORY.resolve("CONTRIBUTING.md")));
        try (Stream<Path> files = Files.walk(REPOSITORY.resolve("docs"))) {
            files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void everyShellBlockIsMarkedRunnableOrNotRunnableWithAReason() throws IOException {
        List<String> unmarked = new ArrayList<>();
        List<String> unknownConditions = new ArrayList<>();
        for (Path doc : docs()) {
            for (DocBlock block : DocBlock.in(doc)) {
                if (block.marking() == DocBlock.Marking.UNMARKED) {
                    unmarked.add(block.where());
                } else if (block.condition() != null && DocCondition.named(block.condition()).isEmpty()) {
                    unknownConditions.add(block.where() + ": " + block.condition());
                }
            }
        }
        assertThat(unmarked).as("put <!-- runnable --> or <!-- not runnable: REASON --> on the line before each of these blocks").isEmpty();
        assertThat(unknownConditions).as("runnable where: takes one of " + Stream.of(DocCondition.values()).map(c -> c.name).toList()).isEmpty();
    }

    @TestFactory
    Stream<DynamicNode> everyRunnableBlockRunsAndAnswersWhatTheDocShows() throws IOException {
        List<DynamicNode> files = new ArrayList<>();
        for (Path doc : docs()) {
            // blocks that are not runnable are only counted: a skipped test would be a build warning each time
            DocBlock.in(doc).stream().filter(block -> block.marking() == DocBlock.Marking.NOT_RUNNABLE)
                    .forEach(block -> SKIPPED.add(block.where() + ": " + block.reason()));
            List<DynamicTest> blocks = DocBlock.in(doc).stream().filter(block -> block.marking() == DocBlock.Marking.RUNNABLE)
                    .map(block -> DynamicTest.dynamicTest(block.where() + " " + firstLine(block), () -> run(block))).toList();
            files.add(DynamicContainer.dynamicContainer(REPOSITORY.relativize(doc).toString(), blocks));
        }
        return files.stream();
    }

    private static String firstLine(DocBlock block) {
        return block.body().strip().lines().findFirst().orElse("");
    }

    private static void run(DocBlock block) throws IOException, InterruptedException {
        List<DocCommand> commands = DocCommand.in(block.body(), block.line() + 1);
        requirePrerequisites(block);
        DocShell terminal = shellFor(block.file());
        for (DocCommand command : commands) {
            check(block, command, terminal.run(command));
        }
        RAN.add(block.where());
    }

    /** What some commands need beyond Java: skipped without it, a failure where CI says it installed it. */
    private static void requirePrerequisites(DocBlock block) {
        if (block.condition() != null) {
            DocCondition condition = DocCondition.named(block.condition())
                    .orElseThrow(() -> new AssertionError(block.where() + ": no such condition: " + block.condition()));
            Optional<String> missing = condition.missing();
            Prerequisite.require(missing.isEmpty(), condition.ciVariable, missing.orElse(""));
        }
        if (block.body().contains(".ci/mcp-peers")) {
            EverythingServer.script();
        }
        if (block.body().contains("redis-server")) {
            Prerequisite.require(onPath("redis-server"), "SPINDLE_REQUIRE_REDIS", "redis-server not installed: apt-get install redis-server");
        }
        if (block.body().contains("jq ")) {
            Assumptions.assumeTrue(onPath("jq"), "jq not installed: apt-get install jq");
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).anyMatch(dir -> new File(dir, program).canExecute());
    }

    /** One shell per doc, kept from block to block as a reader's terminal; the previous doc's is closed first. */
    private static DocShell shellFor(Path doc) throws IOException {
        if (!doc.equals(shellDoc)) {
            closeShell();
            shell = new DocShell(REPOSITORY);
            shellDoc = doc;
        }
        return shell;
    }

    private static void check(DocBlock block, DocCommand command, DocShell.Result result) {
        String where = block.file().getFileName() + ":" + command.line() + " `" + command.text() + "`";
        if (result.exit() != 0) {
            fail(where + " exited " + result.exit() + "\nstdout: " + result.out() + "\nstderr: " + result.err());
        }
        for (int status : result.statuses()) {
            if (command.status() == null ? status >= 400 : status != command.status()) {
                fail(where + " answered HTTP " + status + (command.status() == null ? "" : " (the doc shows HTTP " + command.status() + ")")
                        + ": " + result.out());
            }
        }
        if (command.answer() != null) {
            JsonNode actual;
            try {
                actual = Json.MAPPER.readTree(result.out());
            } catch (RuntimeException e) {
                throw new AssertionError(where + " printed no JSON answer but: " + result.out(), e);
            }
            Optional<String> mismatch = command.answer().mismatch(actual);
            if (mismatch.isPresent()) {
                fail(where + ": " + mismatch.get());
            }
        }
    }

    private static void closeShell() throws IOException {
        if (shell != null) {
            shell.close();
            shell = null;
            shellDoc = null;
        }
    }

    @AfterAll
    static void stopAndCount() throws IOException {
        closeShell();
        System.out.println("docs: " + RAN.size() + " blocks ran, " + SKIPPED.size() + " skipped");
        SKIPPED.forEach(skip -> System.out.println("  skipped " + skip));
    }
}
