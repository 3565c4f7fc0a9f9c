package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** examples/tasks/orders: the order system's handlers, driven over HTTP as an agent would. */
@Timeout(120)
class OrdersExampleTest {
    static final Path EXAMPLE = Path.of("../examples/tasks/orders");

    @TempDir
    Path dir;

    TestServer s;

    @BeforeEach
    void start() throws IOException {
        s = TestServer.start("sqlite", dir);
        var loaded = s.send("POST", "/mock/load-schema", Files.readString(EXAMPLE.resolve("orders.tools.yaml")), "content-type", "application/yaml");
        assertThat(loaded.status()).as(loaded.raw().body()).isEqualTo(200);
        assertThat(loaded.json().path("loaded").asInt()).isEqualTo(6);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    void open(String session, long seed) throws IOException {
        assertThat(s.post("/sessions", "{\"session_id\":\"" + session + "\",\"seed\":" + seed + "}").status()).isEqualTo(201);
        var data = s.send("POST", "/mock/load-data?session_id=" + session, Files.readString(EXAMPLE.resolve("orders.mock-data.yaml")),
                "content-type", "application/yaml");
        assertThat(data.status()).as(data.raw().body()).isEqualTo(200);
    }

    /** The Spin envelope of one call. */
    JsonNode call(String session, String tool, String args) {
        var answer = s.post("/execute", "{\"session_id\":\"" + session + "\",\"tool\":\"" + tool + "\",\"args\":" + args + "}");
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    JsonNode ok(String session, String tool, String args) {
        JsonNode envelope = call(session, tool, args);
        assertThat(envelope.path("success").asBoolean()).as(envelope.toString()).isTrue();
        return Json.parse(envelope.path("result").asString());
    }

    void refused(String session, String tool, String args, String type, String message) {
        JsonNode envelope = call(session, tool, args);
        assertThat(envelope.path("success").asBoolean()).as(envelope.toString()).isFalse();
        assertThat(envelope.path("error_type").asString()).isEqualTo(type);
        assertThat(envelope.path("result").asString()).contains(message);
    }

    /** One support conversation: what each call answers depends on the calls before it. */
    List<String> episode(String session) {
        List<String> answers = new ArrayList<>();
        JsonNode orders = ok(session, "list_orders", "{\"customer_id\":\"cus_ada\"}");
        assertThat(orders.findValuesAsString("order_id")).containsExactly("O-1002", "O-1001", "O-0999");
        answers.add(orders.toString());
        answers.add(ok(session, "modify_shipping_address", "{\"order_id\":\"O-1002\",\"address\":{\"street\":\"1 Main St\",\"city\":\"Leeds\",\"zip\":\"LS1\"}}").toString());
        JsonNode cancelled = ok(session, "cancel_order", "{\"order_id\":\"O-1002\",\"reason\":\"ordered by mistake\"}");
        assertThat(cancelled.path("refund").path("amount").asDouble()).isEqualTo(37.5);
        assertThat(cancelled.path("refund").path("refund_id").asString()).isEqualTo("re_1");
        answers.add(cancelled.toString());
        refused(session, "cancel_order", "{\"order_id\":\"O-1002\",\"reason\":\"ordered by mistake\"}", "Conflict", "is cancelled; only a pending order");
        refused(session, "modify_shipping_address", "{\"order_id\":\"O-1002\",\"address\":{\"street\":\"x\",\"city\":\"y\",\"zip\":\"z\"}}", "Conflict", "is cancelled");
        refused(session, "cancel_order", "{\"order_id\":\"O-2001\",\"reason\":\"no longer needed\"}", "Conflict", "is shipped");
        JsonNode order = ok(session, "get_order", "{\"order_id\":\"O-1002\"}");
        assertThat(order.path("status").asString()).isEqualTo("cancelled");
        assertThat(order.path("address").path("city").asString()).isEqualTo("Leeds");
        answers.add(order.toString());
        JsonNode returned = ok(session, "return_items", "{\"order_id\":\"O-1001\",\"skus\":[\"sku_mug\"],\"refund_to\":\"gift_ada\"}");
        assertThat(returned.path("refund").path("amount").asDouble()).isEqualTo(36);
        assertThat(returned.path("status").asString()).isEqualTo("delivered");
        assertThat(returned.path("return_label").asString()).matches("RMA-\\d{6}");
        answers.add(returned.toString());
        refused(session, "return_items", "{\"order_id\":\"O-1001\",\"skus\":[\"sku_mug\"],\"refund_to\":\"gift_ada\"}", "InvalidArguments", "returned already: sku_mug");
        refused(session, "return_items", "{\"order_id\":\"O-1001\",\"skus\":[\"sku_kettle\"],\"refund_to\":\"paypal_bob\"}", "InvalidArguments", "original payment method");
        refused(session, "return_items", "{\"order_id\":\"O-0999\",\"skus\":[\"sku_tea\"],\"refund_to\":\"card_ada\"}", "Conflict", "returns close after 30");
        refused(session, "get_order", "{\"order_id\":\"O-7\"}", "FileNotFound", "No order O-7");
        refused(session, "cancel_order", "{\"order_id\":\"O-1001\",\"reason\":\"because\"}", "InvalidArguments", "reason");
        JsonNode all = ok(session, "return_items", "{\"order_id\":\"O-1001\",\"skus\":[\"sku_kettle\"],\"refund_to\":\"card_ada\"}");
        assertThat(all.path("status").asString()).isEqualTo("return_requested");
        answers.add(all.toString());
        answers.add(ok(session, "get_user_details", "{\"customer_id\":\"cus_ada\"}").toString());
        return answers;
    }

    @Test
    void anEpisodeFollowsTheRulesAndTheSameSeedReplaysItExactly() throws IOException {
        open("first", 3);
        List<String> first = episode("first");
        assertThat(Json.parse(first.get(2)).path("refund").path("at").asString()).isEqualTo("2026-01-01T00:00:04.000Z");
        open("again", 3);
        assertThat(episode("again")).isEqualTo(first);
        open("other", 4);
        assertThat(episode("other")).isNotEqualTo(first);
        var state = s.get("/mock/state?session_id=first").json();
        assertThat(state.path("state").path("refunds").size()).isEqualTo(3);
        assertThat(state.path("state").path("products").path("sku_tea").path("stock").asInt()).isEqualTo(43);
    }

    @Test
    void aForkTakesTheStateAsItIsAndThenGoesItsOwnWay() throws IOException {
        open("base", 1);
        ok("base", "cancel_order", "{\"order_id\":\"O-1002\",\"reason\":\"no longer needed\"}");
        assertThat(s.post("/sessions/base/fork", "{\"session_id\":\"branch\"}").status()).isEqualTo(201);
        refused("branch", "cancel_order", "{\"order_id\":\"O-1002\",\"reason\":\"no longer needed\"}", "Conflict", "is cancelled");
        ok("branch", "return_items", "{\"order_id\":\"O-1001\",\"skus\":[\"sku_mug\"],\"refund_to\":\"card_ada\"}");
        assertThat(ok("base", "get_order", "{\"order_id\":\"O-1001\"}").path("refunds").size()).isZero();
        assertThat(ok("branch", "get_order", "{\"order_id\":\"O-1001\"}").path("refunds").size()).isEqualTo(1);
    }
}
