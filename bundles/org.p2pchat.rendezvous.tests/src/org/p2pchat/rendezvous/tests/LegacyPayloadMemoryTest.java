package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;

/**
 * Legacy payloads cost what they are charged. The attack of the issue: 300 legacy signals, each a
 * 64 KiB array of zeros, were charged 19.7 MB and held 826 MB of heap (parsed trees). The server
 * runs in this JVM, so its live heap is measured here, after full collections, before and after.
 */
class LegacyPayloadMemoryTest {

    private static final int MIB = 1024 * 1024;

    /** {@code {"from","to","type","payload":[0,0,...]}} of about {@code bytes}. */
    private static String arraySignal(String to, int bytes) {
        StringBuilder body = new StringBuilder(bytes + 100);
        body.append("{\"from\":\"flooder\",\"to\":\"").append(to).append("\",\"type\":\"offer\",\"payload\":[0");
        while (body.length() < bytes - 4) {
            body.append(",0");
        }
        return body.append("]}").toString();
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void arrayPayloadsHoldNoMoreHeapThanTheyAreCharged() throws Exception {
        // A budget large enough for the 300 signals (about 20 MB), from one address.
        RendezvousLimits limits = RendezvousLimits.builder().requestsPerSecond(0).requestsPerKeyPerSecond(0)
                .maxQueuedSignalBytes(24L * MIB).maxQueuedSignalBytesPerAddress(32L * MIB).build();
        try (TestServer t = new TestServer(limits); HttpClient attacker = TestServer.clientFrom("127.0.0.2")) {
            long before = liveHeap();
            int accepted = 0;
            Reply refused = null;
            for (int i = 0; i < 450; i++) {
                Reply reply = t.send(attacker, t.request("/signal").header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(arraySignal("victim-" + i, 64 * 1024))));
                if (reply.status() == 201) {
                    accepted++;
                } else if (refused == null) {
                    refused = reply;
                }
            }
            long charged = t.server.statistics().queuedSignalBytes();
            long held = liveHeap() - before;
            assertTrue(accepted >= 300, accepted + " accepted");
            assertTrue(held <= charged + charged / 4 + 2L * MIB,
                    "the queued signals hold " + held + " bytes of heap, charged " + charged);
            assertTrue(refused != null, "the budget was never full");
            assertTrue(refused.error(503).contains("bytes of queued legacy signals"), refused.body());
            assertTrue(charged <= 24L * MIB);

            // Still serving, and the payload comes back as the compact JSON it was.
            Reply mailbox = t.get("/signal/victim-0");
            assertEquals(200, mailbox.status());
            String body = mailbox.body();
            assertTrue(body.startsWith("[{\"from\":\"flooder\",\"to\":\"victim-0\",\"type\":\"offer\",\"payload\":[0,0,"),
                    body.substring(0, 80));
            assertTrue(body.endsWith(",0],\"timestamp\":" + TestServer.T0 + "}]"), body.substring(body.length() - 40));
        }
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfQueuedLegacyBytes() throws Exception {
        try (TestServer t = new TestServer(); HttpClient attacker = TestServer.clientFrom("127.0.0.2")) {
            Reply refused = null;
            for (int i = 0; i < 100 && refused == null; i++) {
                Reply reply = t.send(attacker, t.request("/signal").header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(arraySignal("victim-" + i, 60_000))));
                refused = reply.status() == 201 ? null : reply;
            }
            assertTrue(refused != null, "one address queued 6 MB");
            assertTrue(refused.error(429).contains("from this address"), refused.body());
            assertEquals("1", refused.response().headers().firstValue("Retry-After").orElse(null));
            long limit = RendezvousLimits.DEFAULTS.maxQueuedSignalBytesPerAddress();
            assertTrue(t.server.statistics().queuedSignalBytes() <= limit);
            assertEquals(201, t.postJson("/signal", arraySignal("someone", 60_000)).status(), "another address");
            // Its room comes back as its signals are fetched.
            assertEquals(200, t.get("/signal/victim-0").status());
            assertEquals(201, t.send(attacker, t.request("/signal").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(arraySignal("victim-x", 60_000))))
                    .status());
        }
    }

    @Test
    void aSignalIsChargedItsTextAsTheJvmKeepsIt() throws Exception {
        try (TestServer t = new TestServer()) {
            // Kept as the JSON string literal "ééé...": 1,002 characters of Latin-1, one byte each.
            assertEquals(201, t.signal("a", "b", "offer", "\u00e9".repeat(1000)).status());
            long latin1 = t.server.statistics().queuedSignalBytes();
            assertEquals(200, t.get("/signal/b").status());
            assertEquals(0, t.server.statistics().queuedSignalBytes(), "given back when fetched");
            // "€€€...": beyond Latin-1, so the JVM keeps two bytes per character.
            assertEquals(201, t.signal("a", "b", "offer", "\u20ac".repeat(1000)).status());
            assertEquals(1002, t.server.statistics().queuedSignalBytes() - latin1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ \"sdp\" : \"v=0\\r\\n\", \"n\" : [ 1.50 , -0, 1e3, null, true, \"\u00e9\\u2028<>=&\" ] , \"o\":{ } }",
        "[ [ ], {\"a\" : [ {\"b\":null} ] }, \"\\\"quoted\\\"\", 0 ]",
        "\"a string, as the web app sends it: {\\\"type\\\":\\\"offer\\\"}\""})
    void aPayloadIsAnsweredInTheCompactJsonAParsedTreeWrites(String payload) throws Exception {
        try (TestServer t = new TestServer()) {
            assertEquals(201, t.postJson("/signal", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"offer\",\"payload\":"
                    + payload + "}").status());
            // What a parsed tree writes: the service kept trees until it kept text, and answers as before.
            String compact = new GsonBuilder().disableHtmlEscaping().serializeNulls().create()
                    .toJson(JsonParser.parseString(payload));
            t.get("/signal/b").assertIs(200, "[{\"from\":\"a\",\"to\":\"b\",\"type\":\"offer\",\"payload\":"
                    + compact + ",\"timestamp\":" + TestServer.T0 + "}]");
        }
    }

    @Test
    void theLastPayloadOfABodyCounts() throws Exception {
        try (TestServer t = new TestServer()) {
            assertEquals(201, t.postJson("/signal", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"offer\","
                    + "\"payload\":[1,2],\"payload\":\"x\"}").status());
            assertEquals(201, t.postJson("/signal", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"offer\","
                    + "\"payload\":\"x\",\"payload\":{\"k\":[1]}}").status());
            String answer = t.get("/signal/b").body();
            assertTrue(answer.contains("\"payload\":\"x\",") && answer.contains("\"payload\":{\"k\":[1]},"), answer);
            assertTrue(t.postJson("/signal", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"offer\",\"payload\":[1],"
                    + "\"payload\":7}").error(400).contains("payload must be a JSON string (or object), was a number"));
            assertTrue(t.postJson("/signal", "{\"from\":[\"a\"],\"to\":\"b\",\"type\":\"offer\",\"payload\":[1]}")
                    .error(400).contains("from must be a JSON string, was an array"));
            assertTrue(t.postJson("/signal", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"offer\",\"payload\":[1,}")
                    .error(400).startsWith("malformed JSON"));
        }
    }
}
