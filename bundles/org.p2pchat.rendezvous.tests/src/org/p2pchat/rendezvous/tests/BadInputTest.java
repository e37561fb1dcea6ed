package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

/** Every kind of bad input gets its 4xx and a reason, and the service keeps serving. */
class BadInputTest extends ServerTestCase {

    private static void assertReason(String expectedPart, String reason) {
        assertTrue(reason.contains(expectedPart), () -> "reason \"" + reason + "\" should mention " + expectedPart);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "/register | {\"peerId\":\"a\",                          | malformed JSON",
        "/register | ``                                          | request body is empty",
        "/register | {'peerId':'a','name':'b'}                   | malformed JSON",
        "/register | {\"peerId\":\"a\",\"name\":\"b\"} x         | malformed JSON",
        "/register | {\"peerId\":\"a\",\"name\":\"b\",}          | malformed JSON",
        "/register | [\"a\",\"b\"]                              | must be a JSON object",
        "/register | \"a\"                                       | must be a JSON object",
        "/register | {\"peerId\":\"a\"}                          | Peer ID and name are required",
        "/register | {\"peerId\":\"\",\"name\":\"b\"}            | Peer ID and name are required",
        "/register | {\"peerId\":null,\"name\":\"b\"}            | Peer ID and name are required",
        "/register | {\"peerId\":5,\"name\":\"b\"}               | peerId must be a JSON string, was a number",
        "/register | {\"peerId\":\"a\",\"name\":{}}              | name must be a JSON string, was an object",
        "/register | {\"peerId\":[\"a\"],\"name\":\"b\"}         | peerId must be a JSON string, was an array",
        "/register | {\"peerId\":1e999999999,\"name\":\"b\"}     | peerId must be a JSON string, was a number",
        "/signal   | {\"from\":\"a\",\"to\":\"b\",\"type\":\"offer\"}                     | Missing required fields: from, to, type, payload",
        "/signal   | {\"from\":\"a\",\"to\":\"b\",\"type\":\"hello\",\"payload\":\"x\"}   | type must be one of offer, answer",
        "/signal   | {\"from\":\"a\",\"to\":\"b\",\"type\":\"offer\",\"payload\":12}      | payload must be a JSON string",
        "/signal   | {\"from\":\"a\",\"to\":true,\"type\":\"offer\",\"payload\":\"x\"}    | to must be a JSON string, was a boolean",
    })
    void badJsonGets400WithAReason(String path, String body, String reason) {
        assertReason(reason, t.postJson(path, body).error(400));
    }

    @Test
    void tooLongIdsAre400() {
        assertReason("peerId is longer than 256 characters", t.register("x".repeat(257), "n").error(400));
    }

    @Test
    void deepNestingIs400() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertReason("malformed JSON", t.postJson("/signal",
                "{\"from\":\"a\",\"to\":\"b\",\"type\":\"offer\",\"payload\":" + deep + "}").error(400));
    }

    @Test
    void invalidUtf8Is400() {
        byte[] body = "{\"peerId\":\"a\u00ff\",\"name\":\"b\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertReason("not valid UTF-8", t.post("/register", "application/json", body).error(400));
    }

    @Test
    void badPercentEncodingInThePathIs400() {
        assertReason("not percent-encoded UTF-8", t.get("/signal/%C3%28").error(400));
        // A malformed escape ("%4", "%zz") cannot be sent by HttpClient; FuzzTest sends it raw.
    }

    @ParameterizedTest
    @CsvSource({"GET, /", "GET, /nope", "GET, /signal/a/b", "POST, /peer", "GET, /register/x"})
    void unknownRoutesAre404(String method, String path) {
        Reply reply = t.method(method, path, method.equals("POST") ? "{}" : null);
        assertReason("the routes are POST /register", reply.error(404));
    }

    @ParameterizedTest
    @CsvSource({"GET, /register, POST", "PUT, /register, POST", "DELETE, /peers, GET", "POST, /health, GET",
        "PATCH, /signal/a, GET", "HEAD, /signal/a, GET", "GET, /signal, POST", "POST, /peers, GET"})
    void wrongMethodsAre405WithAllow(String method, String path, String allowed) {
        boolean noBody = method.equals("GET") || method.equals("HEAD");
        Reply reply = t.method(method, path, noBody ? null : "{}");
        assertEquals(405, reply.status());
        if (!noBody || method.equals("GET")) {
            assertReason("is not allowed", reply.error(405));
        }
        assertTrue(reply.response().headers().firstValue("Allow").orElse("").startsWith(allowed));
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"peerId\":\"a\",\"name\":\"" + "n".repeat(70_000) + "\"}";
        assertReason("exceeds 65536 bytes", t.postJson("/register", big).error(413));
        // Without a Content-Length (chunked), the limit applies while reading.
        Reply chunked = t.send(t.request("/register").header("Content-Type", "application/json").POST(
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))));
        assertReason("exceeds 65536 bytes", chunked.error(413));
    }

    @ParameterizedTest
    @CsvSource(value = {"application/x-www-form-urlencoded", "text/plain", "NONE",
        "application/json; charset=iso-8859-1"}, nullValues = "NONE")
    void nonJsonBodiesAre415(String contentType) {
        byte[] body = "peerId=a&name=b".getBytes(StandardCharsets.US_ASCII);
        assertReason("Content-Type", t.post("/register", contentType, body).error(415));
    }

    @Test
    void jsonWithCharsetUtf8IsFine() {
        assertEquals(201, t.post("/register", "application/json; charset=UTF-8",
                "{\"peerId\":\"a\",\"name\":\"b\"}".getBytes(StandardCharsets.UTF_8)).status());
    }

    @Test
    void rateLimitAnswers429AndRecovers() throws IOException {
        try (TestServer limited = new TestServer(TestServer.limits(1000, 256, 10_000, 10, 5, 0))) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, limited.get("/health").status(), "burst request " + i);
            }
            Reply refused = limited.get("/health");
            assertReason("too many requests", refused.error(429));
            assertEquals("1", refused.response().headers().firstValue("Retry-After").orElse(null));
            limited.advance(100); // 10 per second: one new token
            assertEquals(200, limited.get("/health").status());
            assertEquals(429, limited.get("/peers").status());
            limited.advance(1000);
            for (int i = 0; i < 5; i++) {
                assertEquals(200, limited.get("/health").status(), "recovered " + i);
            }
        }
    }

    @Test
    void fullQueueRefusesTheNewestWith429AndKeepsTheOldest() throws IOException {
        try (TestServer small = new TestServer(TestServer.limits(1000, 3, 10_000, 0, 1, 0))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(201, small.signal("a", "b", "ice-candidate", "c" + i).status());
            }
            Reply refused = small.signal("a", "b", "ice-candidate", "c3");
            assertReason("already has 3 queued signals", refused.error(429));
            var delivered = small.get("/signal/b").json().getAsJsonArray();
            assertEquals(3, delivered.size());
            for (int i = 0; i < 3; i++) {
                assertEquals("c" + i, delivered.get(i).getAsJsonObject().get("payload").getAsString());
            }
            assertEquals(201, small.signal("a", "b", "ice-candidate", "c3").status(), "room again after a fetch");
        }
    }

    @Test
    void serverWideCapacityAnswers503() throws IOException {
        try (TestServer small = new TestServer(TestServer.limits(2, 256, 2, 0, 1, 0))) {
            small.register("p1", "a");
            small.register("p2", "b");
            assertReason("directory is full", small.register("p3", "c").error(503));
            assertEquals(201, small.register("p1", "a").status(), "re-registering still works");
            small.advance(120_001);
            assertEquals(201, small.register("p3", "c").status(), "room after expiry");

            small.signal("a", "x", "offer", "1");
            small.signal("a", "y", "offer", "2");
            assertReason("maximum of 2 queued legacy signals", small.signal("a", "z", "offer", "3").error(503));
            small.get("/signal/x");
            assertEquals(201, small.signal("a", "z", "offer", "3").status());
        }
    }
}
