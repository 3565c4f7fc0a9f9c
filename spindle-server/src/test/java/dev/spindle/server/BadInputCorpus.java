package dev.spindle.server;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.Json;
import dev.spindle.core.ToolDefinition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A generated corpus of bad requests, each as the exact bytes to send: broken and hostile JSON, wrong
 * types for every field and every tool argument, wrong methods and content types, path tricks, and
 * header- or URI-level garbage that only a raw socket can send.
 */
final class BadInputCorpus {
    /**
     * One request. Its answer must be JSON, with an {@code error_type} when it is an error, unless it is
     * one of the {@code documented} exceptions (README, "Limits"): HEAD answers have no body; a malformed
     * chunk closes the connection; an unknown HTTP version is Vert.x's bodiless 501.
     */
    record Case(String name, byte[] request, boolean documented) {}

    /** Values of every JSON type, and the awkward ones: each is the wrong type for most fields. */
    static final List<String> WRONG_VALUES = List.of("null", "true", "0", "-1", "1.5", "1e300", "-1e300",
            "123456789012345678901234567890", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"../../etc/passwd\"", "[]", "{}",
            "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "\"" + "x".repeat(5000) + "\"");

    static final List<String> INVALID_JSON = List.of("{", "}", "[", "]", "{\"a\":}", "{'a':1}", "nul", "tru", "{\"a\":1,}", "[1,]",
            "\"unterminated", "{\"a\":1}{\"b\":2}", "{\"a\":1} trailing", "NaN", "Infinity", "-", "1e", "0x10", "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}", "\uFEFF{}", "/* c */{}", "{\"a\" 1}", "{a:1}", ",", ":", "\"\\", "{\"tool\":\"read_file\",\"args\":{",
            "{\"a\":01}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":\"\t\"}", "{\"session_id\":\"s\"\"tool\":\"x\"}");

    private final List<Case> cases = new ArrayList<>();

    /** The routes that read a JSON body, each with a valid body to break. */
    static final Map<String, String> JSON_ROUTES = Map.of(
            "/execute", "{\"name\":\"read_file\",\"arguments\":{\"file_path\":\"a.txt\"},\"session_id\":\"base\"}",
            "/vfs/execute", "{\"session_id\":\"base\",\"tool\":\"read_file\",\"args\":{\"file_path\":\"a.txt\"}}",
            "/mock/execute", "{\"session_id\":\"base\",\"tool\":\"get_customer\",\"args\":{\"customer_id\":\"cus_1\"}}",
            "/sessions", "{\"session_id\":\"fresh\",\"files\":{\"a.txt\":\"x\"},\"ttl_seconds\":60}",
            "/sessions/base/fork", "{\"session_id\":\"forked\"}",
            "/sessions/base/verify", "{\"task\":\"t\",\"seed\":3}",
            "/mock/update-response", "{\"name\":\"get_customer\",\"mockResponse\":{\"id\":\"{{customer_id}}\"}}",
            "/mock/add-fixture", "{\"name\":\"get_customer\",\"match\":{\"customer_id\":\"c\"},\"response\":{\"vip\":true}}",
            "/mock/load-data", "{\"fixtures\":{\"get_customer\":[{\"match\":{\"customer_id\":\"d\"},\"response\":1}]}}",
            "/mock/load-schema", "{\"tools\":[{\"name\":\"get_customer\",\"description\":\"d\",\"inputSchema\":{\"type\":\"object\","
                    + "\"properties\":{\"customer_id\":{\"type\":\"string\",\"pattern\":\"^cus_[a-z0-9]+$\"}},\"required\":[\"customer_id\"]}}]}");

    static final List<String> ROUTES = List.of("/health", "/components", "/execute", "/sessions", "/sessions/base", "/sessions/base/files",
            "/sessions/base/trace", "/sessions/base/fork", "/sessions/base/verify", "/tasks", "/tasks/t", "/tasks/t/sessions", "/session/gone", "/vfs/session/gone", "/vfs/health", "/vfs/components",
            "/vfs/execute", "/mock/list-tools", "/mock/execute", "/mock/load-schema", "/nope", "/a/b/c/d");

    static List<Case> generate(List<ComponentInfo> components) {
        BadInputCorpus corpus = new BadInputCorpus();
        corpus.brokenBodies();
        corpus.wrongArguments(components);
        corpus.methodsAndContentTypes();
        corpus.seedsStateAndSnapshots();
        corpus.pathTricks();
        corpus.rawGarbage();
        return corpus.cases;
    }

    private void brokenBodies() {
        JSON_ROUTES.forEach((route, valid) -> {
            for (int cut = 0; cut < valid.length(); cut += 2) {
                json(route, valid.substring(0, cut));
            }
            INVALID_JSON.forEach(body -> json(route, body));
            ObjectNode sample = (ObjectNode) Json.parse(valid);
            for (String field : sample.propertyNames()) {
                for (String wrong : WRONG_VALUES) {
                    json(route, replaced(valid, field, wrong));
                    json(route, valid.replace("\"" + field + "\":", "\"" + field + "\\u0000\":"));
                }
            }
            for (String top : List.of("[]", "1", "\"text\"", "null", "true", "[" + valid + "]")) {
                json(route, top);
            }
            String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
            String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
            json(route, deepArrays);
            json(route, deepObjects);
            json(route, valid.replaceFirst(":", ":" + deepArrays + ",\"x\":"));
            json(route, "{\"args\":" + deepObjects + "}");
            for (byte[] bad : List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xe2, (byte) 0x82},
                    new byte[] {(byte) 0xc0, (byte) 0xae}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {0}, new byte[] {(byte) 0x80})) {
                byte[] body = valid.getBytes(StandardCharsets.UTF_8);
                int at = valid.indexOf("\":\"") + 3;
                add("utf8 " + route, request("POST", route, "application/json", splice(body, at, bad)), false);
                add("raw bytes " + route, request("POST", route, "application/json", splice(body, 0, bad)), false);
            }
        });
    }

    private static String replaced(String json, String field, String value) {
        ObjectNode node = (ObjectNode) Json.parse(json);
        String marker = "\"@@marker@@\"";
        node.put(field, "@@marker@@");
        return Json.write(node).replace(marker, value);
    }

    private static byte[] splice(byte[] body, int at, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(insert);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    /** Every argument of every tool, given each wrong value, in both payload shapes. */
    private void wrongArguments(List<ComponentInfo> components) {
        for (ComponentInfo component : components) {
            for (ToolDefinition tool : component.tools()) {
                JsonNode properties = tool.inputSchema().path("properties");
                ObjectNode valid = Json.object();
                properties.properties().forEach(p -> valid.set(p.getKey(), sample(p.getValue())));
                for (String property : properties.propertyNames()) {
                    for (String wrong : WRONG_VALUES) {
                        String args = replaced(Json.write(valid), property, wrong);
                        json("/" + component.name() + "/execute", "{\"session_id\":\"base\",\"tool\":\"" + tool.name() + "\",\"args\":" + args + "}");
                        json("/execute", "{\"name\":\"" + tool.name() + "\",\"arguments\":" + args + "}");
                    }
                }
                for (String args : List.of("[]", "\"x\"", "1", "null", "{\"unknown\":1}")) {
                    json("/" + component.name() + "/execute", "{\"session_id\":\"base\",\"tool\":\"" + tool.name() + "\",\"args\":" + args + "}");
                }
            }
        }
        for (String tool : List.of("nope", "", "../read_file", "read_file\\u0000", "READ_FILE", " read_file", "x".repeat(3000))) {
            json("/vfs/execute", "{\"session_id\":\"base\",\"tool\":\"" + tool + "\",\"args\":{}}");
            json("/execute", "{\"name\":\"" + tool + "\",\"arguments\":{}}");
            json("/nope/execute", "{\"name\":\"" + tool + "\",\"arguments\":{}}");
        }
        for (String session : List.of("", "\\u0000global", "a\\nb", "x".repeat(300), "\\u001b[31m", "\\ud800")) {
            json("/vfs/execute", "{\"session_id\":\"" + session + "\",\"tool\":\"list_files\",\"args\":{}}");
            json("/execute", "{\"name\":\"list_files\",\"arguments\":{},\"session_id\":\"" + session + "\"}");
            json("/sessions", "{\"session_id\":\"" + session + "\"}");
        }
        for (String ttl : List.of("1e300", "12345678901234567890123456", "-5", "0", "0.5", "\"60\"", "2592001")) {
            json("/sessions", "{\"ttl_seconds\":" + ttl + "}");
        }
        for (String from : List.of("{\"dir\":\"/etc\"}", "{\"git\":\"file:///etc\"}", "{\"archive\":\"x\"}", "\"x\"", "{}", "{\"dir\":1}")) {
            json("/sessions", "{\"from\":" + from + "}");
        }
    }

    /** Session seeds, the mock's script state and handlers, and snapshot archives, broken every way. */
    private void seedsStateAndSnapshots() {
        for (String seed : List.of("-1", "1.5", "\"7\"", "1e300", "99999999999999999999", "true", "{}", "[]")) {
            json("/sessions", "{\"seed\":" + seed + "}");
            json("/sessions/base/fork", "{\"seed\":" + seed + "}");
        }
        for (String from : List.of("{\"snapshot\":1}", "{\"snapshot\":\"nope\"}", "{\"snapshot\":\"x\",\"dir\":\"y\"}", "{\"snapshot\":\"\\u0000global\"}")) {
            json("/sessions", "{\"from\":" + from + "}");
        }
        for (String state : List.of("[]", "1", "\"x\"", "null", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}")) {
            json("/mock/state", "{\"session_id\":\"base\",\"state\":" + state + "}");
            json("/mock/load-data", "{\"state\":" + state + "}");
        }
        for (String handler : List.of("1", "\"\"", "\"return {;\"", "\"})();host.output(1);(function(){\"", "[]")) {
            json("/mock/update-response", "{\"name\":\"get_customer\",\"handler\":" + handler + "}");
            json("/mock/load-schema", "{\"tools\":[{\"name\":\"h\",\"handler\":" + handler + "}]}");
        }
        for (String archive : List.of("{}", "[]", "{\"format\":\"spindle-snapshot\",\"version\":\"1\"}",
                "{\"format\":\"spindle-snapshot\",\"version\":1,\"created_at\":\"x\",\"session\":{\"ttl_seconds\":60},\"trace\":[],"
                        + "\"data\":{\"files\":{\"../x\":\"eA==\"}}}",
                "{\"format\":\"spindle-snapshot\",\"version\":1,\"created_at\":\"x\",\"session\":{\"ttl_seconds\":60},\"trace\":[{}],\"data\":{}}",
                "{\"format\":\"spindle-snapshot\",\"version\":1,\"created_at\":\"x\",\"session\":{\"ttl_seconds\":60},\"trace\":[],\"data\":{\"session\":{}}}")) {
            json("/snapshots", archive);
        }
        for (String route : List.of("/sessions/base/snapshot", "/sessions/nope/snapshot", "/snapshots", "/snapshots/nope", "/snapshots/%00global")) {
            for (String method : List.of("GET", "POST", "DELETE", "PUT")) {
                add(method + " " + route, request(method, route, "application/json", "{}".getBytes(StandardCharsets.UTF_8)), false);
            }
        }
    }

    private static JsonNode sample(JsonNode schema) {
        return switch (schema.path("type").asString("string")) {
            case "integer", "number" -> Json.MAPPER.getNodeFactory().numberNode(1);
            case "boolean" -> Json.MAPPER.getNodeFactory().booleanNode(true);
            case "array" -> Json.array();
            case "object" -> Json.object();
            default -> Json.MAPPER.getNodeFactory().stringNode("a.txt");
        };
    }

    private void methodsAndContentTypes() {
        for (String route : ROUTES) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "HEAD")) {
                add(method + " " + route, request(method, route, "application/json", "{}".getBytes(StandardCharsets.UTF_8)), method.equals("HEAD"));
            }
        }
        JSON_ROUTES.forEach((route, valid) -> {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "",
                    "application/jsonx", "json", "text/html", "*/*", "application/json; charset=utf-16", "application/json\u0001")) {
                add(type + " " + route, request("POST", route, type, valid.getBytes(StandardCharsets.UTF_8)), false);
            }
            add("no content type " + route, request("POST", route, null, valid.getBytes(StandardCharsets.UTF_8)), false);
            add("evil origin " + route, request("POST", route, "application/json", valid.getBytes(StandardCharsets.UTF_8), "origin: http://evil.example"), false);
            add("null origin " + route, request("POST", route, "text/plain", valid.getBytes(StandardCharsets.UTF_8), "origin: null"), false);
        });
    }

    private void pathTricks() {
        List<String> targets = List.of("/vfs%2fexecute", "/%2e%2e/vfs/execute", "/vfs/./execute", "/vfs/../vfs/execute", "//vfs//execute",
                "/vfs/execute%00", "/vfs/execute/", "/sessions/%2e%2e/files", "/session/%2f", "/session/%252e", "/session/%c0%ae%c0%ae",
                "/session/%ff", "/sessions/%ed%a0%80", "/vfs/session/%00global", "/session/%00global", "/sessions/%00global",
                "/sessions/%00global/files", "/mock/%00", "/%", "/%2", "/%zz", "/a%", "/" + "a/".repeat(1000), "/vfs/execute?session_id=%00global",
                "/mock/list-tools?session_id=%00global", "/mock/clear?session_id=%0a", "/vfs/execute?x=%zz", "/mock/execute?x=%zz",
                "/execute?%", "/mock/load-schema?a=%zz&b", "/mock/update-response?session_id=%ff", "/session/" + "x".repeat(300),
                "/sessions/a%0d%0aset-cookie:%20x=1", "/vfs/execute;jsessionid=1", "/vfs/execute%3fx=1", "/\\vfs\\execute", "/vfs/%65xecute",
                // escapes that are half hex, and escaped bytes that are not UTF-8, in any parameter and in the path
                "/vfs/execute?y=%z1", "/execute?y=%1z", "/mock/execute?session_id=%z1", "/execute?session_id=%C3", "/vfs/execute?a=1&y=%ff",
                "/sessions?prefix=%ed%a0%80", "/session/%fe", "/sessions/%c0%ae/files", "/vfs/execute?y=%e2%82");
        for (String target : targets) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                add(method + " " + target, request(method, target, "application/json", JSON_ROUTES.get("/vfs/execute").getBytes(StandardCharsets.UTF_8)), false);
            }
        }
        add("x-session-id control", request("POST", "/mock/clear", "application/json", new byte[0], "x-session-id: \u0001global"), false);
        add("x-session-id too long", request("POST", "/mock/clear", "application/json", new byte[0], "x-session-id: " + "y".repeat(400)), false);
    }

    /** Garbage that only a raw socket sends: request lines, headers, lengths and chunks. */
    private void rawGarbage() {
        String health = "GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n";
        String post = "POST /vfs/execute HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\n";
        raw("long uri", "GET /health?" + "a".repeat(5000) + " HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        raw("very long uri", "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        raw("long header", health + "x-big: " + "b".repeat(9000) + "\r\n\r\n");
        raw("very long header", health + "x-big: " + "b".repeat(100_000) + "\r\n\r\n");
        raw("many headers", health + "x-h: 1\r\n".repeat(2000) + "\r\n");
        for (String length : List.of("abc", "-1", "1 2", "99999999999999999999", "0x10", "", "+5")) {
            raw("content-length " + length, post + "content-length: " + length + "\r\n\r\n{}");
        }
        raw("two content-lengths", post + "content-length: 2\r\ncontent-length: 3\r\n\r\n{}x");
        raw("length and chunked", post + "content-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        for (String chunk : List.of("zz\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n", "ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
                "2\r\n{}XX0\r\n\r\n", "2;ext=\u0000\r\n{}\r\n0\r\n\r\n", "\r\n\r\n")) {
            add("chunk " + chunk.strip(), (post + "transfer-encoding: chunked\r\n\r\n" + chunk).getBytes(StandardCharsets.ISO_8859_1), true);
        }
        for (String te : List.of("gzip", "chunked, gzip", "gzip, chunked", "xchunked", "identity")) {
            raw("transfer-encoding " + te, post + "transfer-encoding: " + te + "\r\ncontent-length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        }
        raw("header without colon", health + "no colon here\r\n\r\n");
        raw("header name with space", health + "bad name: 1\r\n\r\n");
        raw("folded header", health + "x-a: 1\r\n folded\r\n\r\n");
        raw("bare CR in header", health + "x-a: 1\r2\r\n\r\n");
        raw("NUL in header", health + "x-a: 1\u00002\r\n\r\n");
        raw("CRLF injection in session header", post.replace("content-type", "x-session-id: a\r\nset-cookie: x=1\r\ncontent-type")
                + "content-length: 2\r\n\r\n{}");
        raw("8-bit header", health + "x-a: \u00ff\u00fe\r\n\r\n");
        raw("empty header name", health + ": v\r\n\r\n");
        add("unknown version", "GET /health HTTP/9.9\r\nhost: x\r\nconnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), true);
        raw("http 1.0", "GET /health HTTP/1.0\r\n\r\n");
        raw("double space", "GET  /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        raw("leading empty lines", "\r\n\r\n" + health + "\r\n");
        raw("bare LF", health.replace("\r\n", "\n") + "\n");
        raw("lowercase method", "get /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        raw("absolute form", "GET http://evil.example/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        raw("asterisk", "OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        raw("binary", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n");
        raw("space in uri", "GET /he alth HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        raw("control in uri", "GET /health\u0001 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        raw("expect 100", post + "expect: 100-continue\r\ncontent-length: 2\r\n\r\n{}");
        raw("bad expect", post + "expect: 999-nope\r\ncontent-length: 2\r\n\r\n{}");
        raw("upgrade", health + "upgrade: websocket\r\nconnection: upgrade\r\n\r\n");
        raw("ws upgrade without key", "GET /ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n");
        raw("ws upgrade, bad version", "GET /ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                + "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 99\r\n\r\n");
        raw("ws without upgrade", "GET /ws HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
        raw("ws upgrade, headers over the limit", "GET /ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                + "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\nx-pad: " + "p".repeat(9000) + "\r\n\r\n");
        raw("ws upgrade, request line over the limit", "GET /ws?" + "q".repeat(5000) + " HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\n"
                + "connection: upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n");
    }

    private void json(String route, String body) {
        add("POST " + route + " " + (body.length() > 60 ? body.substring(0, 60) + "..." : body),
                request("POST", route, "application/json", body.getBytes(StandardCharsets.UTF_8)), false);
    }

    private void raw(String name, String request) {
        add(name, request.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    private void add(String name, byte[] request, boolean documented) {
        cases.add(new Case(name, request, documented));
    }

    /** A well-framed HTTP/1.1 request that closes the connection after the answer. */
    static byte[] request(String method, String target, String contentType, byte[] body, String... headerLines) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n");
        if (contentType != null) {
            head.append("content-type: ").append(contentType).append("\r\n");
        }
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        head.append("content-length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
