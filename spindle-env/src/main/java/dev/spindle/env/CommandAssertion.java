package dev.spindle.env;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * {@code command: CMD}: runs {@code CMD} with bash over a throwaway copy of the final state (see
 * {@link Evidence.Commands}) and grades how it ended: by its exit code ({@code score: exit}, the code
 * {@code exit_code}), by the share of tests pytest's summary line says passed ({@code score: pytest}), or by
 * the share of test cases that passed in a JUnit XML report the command wrote ({@code score: junit},
 * {@code report: PATH}).
 */
record CommandAssertion(String command, Scoring scoring, int exitCode, String report, Duration timeout) implements Assertion {
    enum Scoring { exit, pytest, junit }

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_TIMEOUT_MS = 600_000;
    /** How much of the output a failed check shows: the end, where test runners print their summary. */
    private static final int OUTPUT_TAIL = 1_500;
    /** pytest's {@code N passed, M failed ... in 0.12s}, with or without its {@code ===} frame. */
    private static final Pattern PYTEST_SUMMARY = Pattern.compile("^=*\\s*((?:\\d+ [a-z]+(?:, )?)+)\\s+in [\\d.]+s\\b.*$", Pattern.MULTILINE);
    private static final Pattern PYTEST_COUNT = Pattern.compile("(\\d+) ([a-z]+)");
    /** Timings a replay could not reproduce, kept out of what the check shows. */
    private static final Pattern TIMINGS = Pattern.compile("\\bin \\d+(?:\\.\\d+)?s\\b");

    public String kind() {
        return "command";
    }

    public String target() {
        return command;
    }

    public Finding check(Evidence evidence) {
        Evidence.CommandRun run = evidence.commands().run(command, timeout, scoring == Scoring.junit ? report : null);
        if (run.failure() != null) {
            return Finding.of(false, expectation(), null, "the command did not run to its end: " + run.failure());
        }
        return switch (scoring) {
            case exit -> {
                boolean passed = run.exitCode() == exitCode;
                yield Finding.of(passed, expectation(), "exit code " + run.exitCode(),
                        passed ? null : "the command exited with " + run.exitCode() + tail(run));
            }
            case pytest -> pytest(run);
            case junit -> junit(run);
        };
    }

    private String expectation() {
        return switch (scoring) {
            case exit -> "exit code " + exitCode;
            case pytest -> "every test passes (pytest's summary)";
            case junit -> "every test case passes (" + report + ")";
        };
    }

    private Finding pytest(Evidence.CommandRun run) {
        Matcher summary = PYTEST_SUMMARY.matcher(run.stdout());
        String last = null;
        while (summary.find()) {
            last = summary.group(1);
        }
        if (last == null) {
            return Finding.of(false, expectation(), "exit code " + run.exitCode(), "no pytest summary line in the output" + tail(run));
        }
        Map<String, Integer> counts = new TreeMap<>();
        Matcher count = PYTEST_COUNT.matcher(last);
        while (count.find()) {
            counts.merge(count.group(2).equals("error") ? "errors" : count.group(2), Integer.parseInt(count.group(1)), Integer::sum);
        }
        int passed = counts.getOrDefault("passed", 0);
        int ran = passed + counts.getOrDefault("failed", 0) + counts.getOrDefault("errors", 0);
        return fraction(passed, ran, String.join(", ", counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList()), run);
    }

    private Finding junit(Evidence.CommandRun run) {
        if (run.report() == null) {
            return Finding.of(false, expectation(), "exit code " + run.exitCode(), "the command wrote no " + report + tail(run));
        }
        NodeList cases;
        try {
            cases = parser().parse(new InputSource(new StringReader(run.report()))).getElementsByTagName("testcase");
        } catch (SAXException | IOException e) {
            return Finding.of(false, expectation(), null, report + " is not a JUnit XML report: " + e.getMessage());
        }
        int passed = 0;
        int ran = 0;
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            if (testCase.getElementsByTagName("skipped").getLength() > 0) {
                continue;
            }
            ran++;
            boolean failed = testCase.getElementsByTagName("failure").getLength() > 0 || testCase.getElementsByTagName("error").getLength() > 0;
            passed += failed ? 0 : 1;
        }
        return fraction(passed, ran, passed + " of " + ran + " test cases passed", run);
    }

    private Finding fraction(int passed, int ran, String actual, Evidence.CommandRun run) {
        if (ran == 0) {
            return Finding.of(false, expectation(), actual, "no test ran" + tail(run));
        }
        double score = (double) passed / ran;
        return new Finding(score, Finding.text(expectation()), Finding.text(actual),
                score >= 1 ? null : (ran - passed) + " of " + ran + " tests did not pass" + tail(run));
    }

    /** A parser that reads no DTD and no external entity: the report is the agent's to write. */
    private static DocumentBuilder parser() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }

    /** The end of what the command printed, without timings, to say why it failed. */
    private static String tail(Evidence.CommandRun run) {
        String output = (run.stdout() + (run.stderr().isEmpty() ? "" : "\n" + run.stderr())).strip();
        if (output.isEmpty()) {
            return "";
        }
        String end = output.length() > OUTPUT_TAIL ? "..." + output.substring(output.length() - OUTPUT_TAIL) : output;
        return "; it printed: " + TIMINGS.matcher(end).replaceAll("in Ns");
    }

    /** The operands a {@code command} entry takes, beside the command. */
    static final List<String> OPERANDS = List.of("score", "exit_code", "report", "timeout_ms");
}
