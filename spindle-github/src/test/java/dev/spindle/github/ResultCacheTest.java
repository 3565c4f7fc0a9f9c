package dev.spindle.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import dev.spindle.core.SpindleException;
import dev.spindle.testing.FakeGitHub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** One run does not ask GitHub the same thing twice; writes are never cached and clear their repository. */
class ResultCacheTest {
    @AutoClose
    private final GitHubRig rig = new GitHubRig(url -> GitHubConfig.of("t", null, "true", url));
    private final FakeGitHub github = rig.github;

    @Test
    void aSecondIdenticalReadIsAnsweredWithoutGitHubAndAWriteClearsItsRepository() {
        github.answer("GET /repos/octo/hello/issues/1", "{\"number\":1,\"title\":\"First\"}")
                .answer("GET /repos/octo/other/issues/1", "{\"number\":1,\"title\":\"Other\"}")
                .answer("POST /repos/octo/hello/issues/1/comments", 201, "{\"id\":1}");
        ToolResult first = rig.call("gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1}");
        ToolResult again = rig.call("gh_get_issue", "{\"issue_number\":1,\"repo\":\"hello\",\"owner\":\"octo\"}");
        assertThat(again).isEqualTo(first);
        assertThat(github.requests).hasSize(1);

        rig.call("gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"other\",\"issue_number\":1}");
        rig.call("gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":2}");
        assertThat(github.requests).as("other arguments are other calls").hasSize(3);

        github.answer("GET /repos/octo/hello/issues/1", "{\"number\":1,\"title\":\"Renamed\"}");
        rig.call("gh_add_issue_comment", "{\"owner\":\"Octo\",\"repo\":\"Hello\",\"issue_number\":1,\"body\":\"x\"}");
        rig.call("gh_add_issue_comment", "{\"owner\":\"Octo\",\"repo\":\"Hello\",\"issue_number\":1,\"body\":\"x\"}");
        assertThat(github.requests).as("writes are never cached").hasSize(5);
        ToolResult after = rig.call("gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1}");
        assertThat(Json.parse(after.value().asString()).path("title").asString()).isEqualTo("Renamed");
        rig.call("gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"other\",\"issue_number\":1}");
        assertThat(github.requests).as("the other repository's entry stays").hasSize(6);
    }

    @Test
    void failuresAreNotKept() {
        github.answer("GET /repos/octo/hello/branches", 429, "{\"message\":\"slow down\"}", "retry-after", "1");
        assertThat(rig.call("gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"hello\"}").errorType()).isEqualTo(ErrorType.RateLimited);
        github.answer("GET /repos/octo/hello/branches", "[{\"name\":\"main\",\"commit\":{\"sha\":\"abc\"}}]");
        assertThat(rig.call("gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"hello\"}").success()).isTrue();
        assertThat(github.requests).hasSize(2);
    }

    /** A read tool counting its calls. */
    private static Tool counting(AtomicInteger calls) {
        return new Tool() {
            @Override
            public ToolDefinition definition() {
                return new ToolDefinition("t", "", Schema.object().build(), Schema.hints(true, false, true));
            }

            @Override
            public JsonNode call(ToolContext context, ObjectNode arguments) {
                return StringNode.valueOf("answer " + calls.incrementAndGet());
            }
        };
    }

    /** A read tool that answers (or fails) only when released, counting how often it was asked. */
    private static final class HeldTool implements Tool {
        final CountDownLatch asked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        private final RuntimeException failure;

        HeldTool(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public ToolDefinition definition() {
            return new ToolDefinition("t", "", Schema.object().build(), Schema.hints(true, false, true));
        }

        @Override
        public JsonNode call(ToolContext context, ObjectNode arguments) {
            calls.incrementAndGet();
            asked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failure != null) {
                throw failure;
            }
            return StringNode.valueOf("answer");
        }
    }

    /** Three callers ask at once while the first request is held; answers what each got, or its failure. */
    private static List<Object> askTogether(HeldTool held) throws Exception {
        Tool tool = new ResultCache().wrap(held);
        ObjectNode args = Json.object().put("owner", "octo").put("repo", "hello");
        List<Object> outcomes = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(3)) {
            List<Future<JsonNode>> calls = new ArrayList<>(List.of(callers.submit(() -> tool.call(null, args))));
            assertThat(held.asked.await(10, TimeUnit.SECONDS)).isTrue();
            calls.add(callers.submit(() -> tool.call(null, args)));
            calls.add(callers.submit(() -> tool.call(null, args)));
            Thread.sleep(200);   // time for the two others to ask: they must wait on the held request, not ask again
            held.release.countDown();
            for (Future<JsonNode> call : calls) {
                try {
                    outcomes.add(call.get(10, TimeUnit.SECONDS).asString());
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
        }
        return outcomes;
    }

    @Test
    void callsAskingTheSameThingAtOnceShareOneRequest() throws Exception {
        HeldTool held = new HeldTool(null);
        assertThat(askTogether(held)).containsExactly("answer", "answer", "answer");
        assertThat(held.calls).hasValue(1);
    }

    @Test
    void callsSharingARequestShareItsFailureAsItsType() throws Exception {
        SpindleException limited = new SpindleException(ErrorType.RateLimited, "slow down");
        HeldTool held = new HeldTool(limited);
        assertThat(askTogether(held)).containsExactly(limited, limited, limited);
        assertThat(held.calls).hasValue(1);
    }

    @Test
    void entriesExpireAfterTheTtlAndTheOldestGoFirstPastTheBound() {
        AtomicLong now = new AtomicLong();
        AtomicInteger calls = new AtomicInteger();
        ResultCache cache = new ResultCache(now::get, 2);
        Tool tool = cache.wrap(counting(calls));
        ObjectNode a = Json.object().put("n", 1);
        assertThat(tool.call(null, a).asString()).isEqualTo("answer 1");
        now.addAndGet(ResultCache.TTL.toNanos() - 1);
        assertThat(tool.call(null, a).asString()).isEqualTo("answer 1");
        now.addAndGet(1);
        assertThat(tool.call(null, a).asString()).as("expired").isEqualTo("answer 2");

        tool.call(null, Json.object().put("n", 2));
        tool.call(null, Json.object().put("n", 3));
        assertThat(cache.size()).isEqualTo(2);
        assertThat(tool.call(null, a).asString()).as("the least recently used was dropped").isEqualTo("answer 5");
    }

    @Test
    void argumentsAreComparedWhateverTheirKeyOrder() {
        assertThat(ResultCache.canonical(Json.parse("{\"b\":[{\"y\":1,\"x\":2}],\"a\":\"q\"}")))
                .isEqualTo(ResultCache.canonical(Json.parse("{\"a\":\"q\",\"b\":[{\"x\":2,\"y\":1}]}"))).isEqualTo("{\"a\":\"q\",\"b\":[{\"x\":2,\"y\":1}]}");
    }
}
