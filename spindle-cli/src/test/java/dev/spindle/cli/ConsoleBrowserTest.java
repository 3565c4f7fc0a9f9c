package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.server.Offerings;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.node.ObjectNode;

/** The web console in a real headless Chromium, against a real server on each store; one browser for the class. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "sqlite"})
@Timeout(120)
class ConsoleBrowserTest {
    static Browser browser;

    @Parameter
    String store;

    @TempDir
    Path dir;

    ToolRuntime runtime;
    SpindleServer server;
    String base;

    @BeforeAll
    static void openBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    void serve(UnaryOperator<ServerConfig> options) {
        runtime = Spindle.runtime(Spindle.store(store.equals("memory") ? "memory" : "sqlite:" + dir.resolve("state.db"))).build();
        server = SpindleServer.start(runtime, options.apply(ServerConfig.DEFAULTS.withPort(0).withEventLoops(1).withWorkers(4)),
                Offerings.NONE.withVerifier(ServeCommand.consoleVerifier(runtime, null)));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            runtime.close();
        }
        browser.driver.executeScript("sessionStorage.clear()");
    }

    private String call(String session, String tool, String args) {
        var result = runtime.execute(new ToolCall(session, "vfs", tool, Json.parse(args)));
        assertThat(result.success()).as(result.result()).isTrue();
        return result.result();
    }

    @Test
    void showsTheSessionsAndOneSessionsFilesAndTrace() {
        serve(c -> c);
        runtime.openSession(new SessionSpec("alpha", Map.of("src/main.py", "def hello():\n    return 'hi'\n", "README.md", "# Alpha\n"), null));
        runtime.openSession(new SessionSpec("beta", Map.of(), null));
        call("alpha", "read_file", "{\"file_path\":\"src/main.py\"}");

        browser.driver.get(base + "/ui/#/sessions");
        browser.visible("tr[data-session='beta']");
        WebElement alpha = browser.visible("tr[data-session='alpha']");
        assertThat(alpha.getText()).contains("2").contains("1");
        alpha.findElement(By.linkText("alpha")).click();

        browser.visible("#file-tree a[data-path='src/main.py']").click();
        WebElement content = browser.withText("#file-content", "def hello");
        assertThat(content.findElement(By.cssSelector(".tok-kw")).getText()).isEqualTo("def");
        WebElement entry = browser.visible("#trace li[data-seq]");
        assertThat(entry.getText()).contains("vfs / read_file").contains("ok").contains("return 'hi'");
    }

    @Test
    void findsADatasetRecordByToolAndVerifiesIt() throws Exception {
        Path data = Files.createDirectories(dir.resolve("datasets"));
        serve(c -> c.withDatasets(data));
        // the recorded results are what the tools really answer (taken in a scratch session), but for one invented listing
        String written = call("scratch", "write_file", "{\"file_path\":\"notes.txt\",\"content\":\"hello\"}");
        String read = call("scratch", "read_file", "{\"file_path\":\"notes.txt\"}");
        Files.writeString(data.resolve("run.jsonl"), record("notes", written, read) + "\n" + listing() + "\n");

        browser.driver.get(base + "/ui/#/datasets");
        browser.visible("#dataset-list a").click();
        browser.visible("article.record[data-line='2']");
        browser.visible("figure.chart[data-title='Steps per sample']");
        new Select(browser.visible("#filter-tool")).selectByValue("read_file");
        browser.until(d -> d.findElements(By.cssSelector("article.record")).size() == 1
                && d.findElements(By.cssSelector("article.record[data-line='1']")).size() == 1);
        WebElement record = browser.visible("article.record[data-line='1']");
        assertThat(record.getText()).contains("write_file").contains("It says hello.");

        record.findElement(By.cssSelector("button.verify")).click();
        browser.withText("article.record[data-line='1'] [data-call-id='c2']", "matches a real execution");
        assertThat(browser.visible("article.record[data-line='1'] .badge.status").getText()).isEqualTo("ok");

        new Select(browser.visible("#filter-tool")).selectByValue("list_files");
        browser.visible("article.record[data-line='2'] button.verify").click();
        browser.withText("article.record[data-line='2'] [data-call-id='c1']", "differs at character 0");
    }

    /** `serve --datasets` on a real eval's output folder: the per-task table, attempts filtered by outcome, checks beside the trajectory. */
    @Test
    void showsAnEvalRunPerTaskAndEachAttemptsChecksBesideItsTrajectory() throws Exception {
        Path out = dir.resolve("eval-out");
        try (dev.spindle.testing.FakeLlm llm = dev.spindle.testing.FakeLlm.start()) {
            Path task = Files.writeString(dir.resolve("debug-off.task.yaml"), EvalCommandTest.DEBUG_OFF);
            InProcessCli cli = new InProcessCli();
            assertThat(cli.run("eval", task.toString(), "../examples/tasks/fix-median.task.yaml", "--model", "fake", "--base-url", llm.baseUrl,
                    "--output", out.toString(), "--no-progress")).as(cli.err()).isZero();
        }
        serve(c -> c.withDatasets(out));

        browser.driver.get(base + "/ui/#/datasets/results.jsonl");
        assertThat(browser.visible("#eval-tasks tr[data-task='debug-off']").getText()).contains("debug-off 1 1 1.00 1.00 0");
        assertThat(browser.visible("#eval-tasks tr[data-task='fix-median']").getText()).contains("fix-median 1 0 0.00 0.00 0");
        new Select(browser.visible("#filter-status")).selectByValue("failed");
        browser.until(d -> d.findElements(By.cssSelector("article.attempt")).size() == 1
                && d.findElements(By.cssSelector("article.attempt[data-task='fix-median']")).size() == 1);
        WebElement failed = browser.visible("article.attempt[data-task='fix-median']");
        assertThat(failed.findElement(By.cssSelector(".badge.status")).getText()).isEqualTo("failed");
        assertThat(failed.findElements(By.cssSelector(".checks tr.failed"))).isNotEmpty();
        assertThat(failed.findElement(By.cssSelector(".conversation")).getText()).contains("median");
        new Select(browser.visible("#filter-status")).selectByValue("");
        new Select(browser.visible("#filter-task")).selectByValue("debug-off");
        WebElement passed = browser.withText("article.attempt[data-task='debug-off']", "reward 1.00");
        assertThat(passed.findElement(By.cssSelector(".checks")).getText()).contains("passed");
        assertThat(passed.findElement(By.cssSelector(".conversation")).getText()).contains("Please turn off debug mode", "write_file");
    }

    @Test
    void showsAMockToolAndCallsItFromTheFormOfItsSchema() {
        serve(c -> c);
        runtime.operate("mock", "load-schema", """
                {"tools":[{"name":"get_weather","description":"Forecast for a city","inputSchema":{"type":"object",
                  "properties":{"city":{"type":"string"},"days":{"type":"integer"},"units":{"type":"string","enum":["metric","imperial"]}},
                  "required":["city"]},"mockResponse":{"city":"{{city}}","days":"{{days}}"},
                  "fixtures":[{"match":{"city":"Oslo"},"response":{"forecast":"snow"}}]}]}""", Map.of());

        browser.driver.get(base + "/ui/#/mocks");
        browser.visible("#mock-tools a").click();
        browser.visible("#mock-tools a.open"); // the page for that tool, not the catalogue's first view
        assertThat(browser.withText("#mock-detail", "Fixtures (1)").getText()).contains("Forecast for a city").contains("snow");
        browser.visible("#arg-city").sendKeys("Paris");
        browser.visible("#arg-days").sendKeys("3");
        new Select(browser.visible("#arg-units")).selectByVisibleText("metric");
        browser.visible("#mock-form button[type='submit']").click();
        browser.withText("#mock-answer", "\"city\": \"Paris\"");
        browser.withText("#mock-answer", "\"days\": 3");

        WebElement city = browser.visible("#arg-city");
        city.clear();
        city.sendKeys("Oslo");
        browser.visible("#mock-form button[type='submit']").click();
        browser.withText("#mock-answer", "snow");
    }

    @Test
    void asksForTheTokenAndTheApiRefusesCallsWithoutIt() {
        serve(c -> c.withToken("s3cret"));
        runtime.openSession(new SessionSpec("guarded", Map.of(), null));
        browser.driver.get(base + "/ui/#/sessions");
        browser.visible("#login-token").sendKeys("wrong");
        browser.visible("#login-submit").click();
        browser.withText("#login-error", "refused");
        Object status = browser.driver.executeAsyncScript("const done = arguments[0]; fetch('/sessions').then(r => done(r.status))");
        assertThat(status).isEqualTo(401L);

        WebElement token = browser.visible("#login-token");
        token.clear();
        token.sendKeys("s3cret");
        browser.visible("#login-submit").click();
        browser.visible("tr[data-session='guarded']");
    }

    @Test
    void anAddressThatIsNoPageShowsNotFoundNeverAnEndlessLoading() {
        serve(c -> c);
        // names every object inherits (#/constructor hung on "Loading..."), an unknown page, malformed escapes
        for (String hash : List.of("#/constructor", "#/__proto__", "#/toString", "#/hasOwnProperty", "#/nope", "#/sessions/%", "#/datasets/%E0%A4%A")) {
            browser.driver.get(base + "/ui/" + hash);
            assertThat(browser.visible("#not-found").getText()).as(hash).contains("There is no page at");
            browser.driver.get(base + "/ui/#/mocks"); // a new hash alone would not load the page again
            browser.withText("#main h1", "Mock catalogue");
        }
        browser.driver.get(base + "/ui/#/");
        browser.withText("#main h1", "Sessions");
    }

    @Test
    void namesThatObjectsInheritAreShownAsData() throws Exception {
        Path data = Files.createDirectories(dir.resolve("datasets"));
        serve(c -> c.withDatasets(data));
        runtime.openSession(new SessionSpec("protos", Map.of("__proto__", "a file called __proto__", "constructor/x.txt", "x"), null));
        browser.driver.get(base + "/ui/#/sessions/protos");
        browser.visible("#file-tree a[data-path='__proto__']").click();
        browser.withText("#file-content", "a file called __proto__");
        browser.visible("#file-tree a[data-path='constructor/x.txt']");

        Files.writeString(data.resolve("ids.jsonl"), """
                {"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"","tool_calls":[{"id":"constructor","type":"function",\
                "function":{"name":"list_files","arguments":"{}"}}]},{"role":"tool","tool_call_id":"constructor","content":"[]"},\
                {"role":"tool","tool_call_id":"toString","content":"stray"},{"role":"assistant","content":"done"}]}
                """);
        browser.driver.get(base + "/ui/#/datasets/ids.jsonl");
        browser.visible("article.record[data-line='1']");
        List<String> names = browser.driver.findElements(By.cssSelector("article.record .message.tool .tool-name")).stream().map(WebElement::getText).toList();
        assertThat(names).containsExactly("list_files", "toString");

        runtime.operate("mock", "load-schema", """
                {"tools":[{"name":"echo","description":"Echoes","inputSchema":{"type":"object","properties":{"__proto__":{"type":"string"}}},
                  "mockResponse":{"got":"{{__proto__}}"}}]}""", Map.of());
        browser.driver.get(base + "/ui/#/mocks/echo");
        browser.visible("#arg-__proto__").sendKeys("kept");
        browser.visible("#mock-form button[type='submit']").click();
        browser.withText("#mock-answer", "\"got\": \"kept\"");
    }

    private static String record(String topic, String written, String read) {
        ObjectNode record = Json.object();
        var messages = record.putArray("messages");
        messages.addObject().put("role", "user").put("content", "Save 'hello' in notes.txt and read it back");
        var calls = messages.addObject().put("role", "assistant").put("content", "").putArray("tool_calls");
        calls.addObject().put("id", "c1").put("type", "function").putObject("function").put("name", "write_file")
                .put("arguments", "{\"file_path\":\"notes.txt\",\"content\":\"hello\"}");
        calls.addObject().put("id", "c2").put("type", "function").putObject("function").put("name", "read_file")
                .put("arguments", "{\"file_path\":\"notes.txt\"}");
        messages.addObject().put("role", "tool").put("tool_call_id", "c1").put("content", written);
        messages.addObject().put("role", "tool").put("tool_call_id", "c2").put("content", read);
        messages.addObject().put("role", "assistant").put("content", "It says hello.");
        record.putObject("reasoning").putArray("content").addObject().put("step_number", 1).put("thought", "Write, then read " + topic);
        return Json.write(record);
    }

    private static String listing() {
        return """
                {"messages":[{"role":"user","content":"What files are there?"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"list_files","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"invented.txt"},{"role":"assistant","content":"Just invented.txt."}]}""";
    }
}
