package dev.spindle.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link of the docs (README.md, CONTRIBUTING.md, docs/**.md) leads somewhere: its file or
 * folder exists, and its {@code #anchor} is a heading of that file, as GitHub makes anchors of headings.
 * Moving a section from one doc to another breaks links silently otherwise.
 */
class DocLinksTest {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,}).*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    @Test
    void everyRelativeLinkOfTheDocsPointsToAFileAndAHeadingThatExist() throws IOException {
        List<Path> docs = new ArrayList<>(DocsIT.docs());
        assertThat(docs).contains(REPOSITORY.resolve("CONTRIBUTING.md"));
        List<String> broken = new ArrayList<>();
        for (Path doc : docs) {
            broken.addAll(brokenLinks(doc, REPOSITORY));
        }
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    @Test
    void aLinkToAMissingFileOrHeadingIsFoundAndOneToAHeadingIsNot(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/api.md"), """
                # The API
                ## Error types (`error_type`)
                ## Error types (`error_type`)
                ```sh
                # not a heading
                ```
                """);
        Path readme = Files.writeString(dir.resolve("README.md"), """
                [ok](docs/api.md#error-types-error_type) [second of the name](docs/api.md#error-types-error_type-1)
                [folder](docs/) [web](https://example.com/x#y) [here](#the-front-door)
                [no file](docs/gone.md) [no heading](docs/api.md#not-a-heading) [not here](#elsewhere)
                `[in code](docs/none.md)`
                ## The front door
                """);

        assertThat(brokenLinks(readme, dir)).containsExactly("README.md:3: docs/gone.md (no such file)",
                "README.md:3: docs/api.md#not-a-heading (no such heading)", "README.md:3: #elsewhere (no such heading)");
    }

    /** The links of {@code doc} outside code that lead nowhere, as {@code README.md:12: target (why)}. */
    private static List<String> brokenLinks(Path doc, Path repository) throws IOException {
        List<String> broken = new ArrayList<>();
        List<String> lines = prose(doc);
        for (int i = 0; i < lines.size(); i++) {
            Matcher link = LINK.matcher(CODE_SPAN.matcher(lines.get(i)).replaceAll(""));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
                String where = repository.relativize(doc) + ":" + (i + 1) + ": " + target;
                if (!Files.exists(file)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && !anchors(file).contains(target.substring(hash + 1))) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        return broken;
    }

    /** The lines of a Markdown file outside fenced code blocks (blank in their place, so lines keep their numbers). */
    private static List<String> prose(Path doc) throws IOException {
        List<String> lines = new ArrayList<>();
        String fence = null;
        for (String line : Files.readAllLines(doc)) {
            Matcher opening = FENCE.matcher(line);
            if (fence == null && opening.matches()) {
                fence = opening.group(1);
                lines.add("");
            } else if (fence != null) {
                if (line.strip().startsWith(fence)) {
                    fence = null;
                }
                lines.add("");
            } else {
                lines.add(line);
            }
        }
        return lines;
    }

    /** GitHub's anchors: the heading in lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
    private static Set<String> anchors(Path doc) throws IOException {
        Set<String> anchors = new HashSet<>();
        if (!doc.toString().endsWith(".md")) {
            return anchors;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(doc)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = heading.group(1).toLowerCase().replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
                int repeats = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
            }
        }
        return anchors;
    }
}
