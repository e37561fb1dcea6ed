package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

import com.google.gson.JsonArray;

/** The original web app's API, route by route, with its exact JSON shapes. */
class LegacyApiTest extends ServerTestCase {

    @Test
    void healthAnswersHealthyWithTheTime() {
        Reply reply = t.get("/health");
        assertEquals(200, reply.status());
        assertEquals("{\"status\":\"healthy\",\"timestamp\":" + TestServer.T0 + "}", reply.body());
        assertEquals("application/json; charset=utf-8", reply.response().headers().firstValue("Content-Type").get());
        assertEquals("*", reply.response().headers().firstValue("Access-Control-Allow-Origin").get());
    }

    @Test
    void registerAnswers201AndListsThePeer() {
        Reply reply = t.register("user-1700000000000-alice", "alice");
        assertEquals(201, reply.status());
        assertEquals("{\"peerId\":\"user-1700000000000-alice\",\"success\":true}", reply.body());
        assertEquals("[{\"peerId\":\"user-1700000000000-alice\",\"name\":\"alice\",\"lastSeen\":" + TestServer.T0
                + "}]", t.get("/peers").body());
    }

    @Test
    void reRegisteringRefreshesLastSeenAndName() {
        t.register("p1", "alice");
        t.advance(1000);
        t.register("p1", "alice2");
        assertEquals("[{\"peerId\":\"p1\",\"name\":\"alice2\",\"lastSeen\":" + (TestServer.T0 + 1000) + "}]",
                t.get("/peers").body());
    }

    @Test
    void peersIsAnEmptyArrayAtFirst() {
        t.get("/peers").assertIs(200, "[]");
    }

    @Test
    void signalIsQueuedDeliveredOnceAndCleared() {
        Reply sent = t.signal("p1", "p2", "offer", "{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        assertEquals(201, sent.status());
        assertEquals("{\"success\":true,\"signalId\":\"p1-p2-" + TestServer.T0 + "\"}", sent.body());
        t.advance(5);
        t.signal("p1", "p2", "ice-candidate", "{\"candidate\":\"c\"}");

        Reply fetched = t.get("/signal/p2");
        assertEquals(200, fetched.status());
        assertEquals("[{\"from\":\"p1\",\"to\":\"p2\",\"type\":\"offer\",\"payload\":"
                + "\"{\\\"type\\\":\\\"offer\\\",\\\"sdp\\\":\\\"v=0\\\"}\",\"timestamp\":" + TestServer.T0 + "},"
                + "{\"from\":\"p1\",\"to\":\"p2\",\"type\":\"ice-candidate\",\"payload\":"
                + "\"{\\\"candidate\\\":\\\"c\\\"}\",\"timestamp\":" + (TestServer.T0 + 5) + "}]", fetched.body());
        assertEquals("[]", t.get("/signal/p2").body());
    }

    @Test
    void everySignalTypeOfTheWebClientIsAccepted() {
        for (String type : new String[] {"offer", "answer", "ice-candidate", "reconnect-offer", "reconnect-answer"}) {
            assertEquals(201, t.signal("a", "b", type, "x").status(), type);
        }
        assertEquals(5, t.get("/signal/b").json().getAsJsonArray().size());
    }

    @Test
    void objectPayloadIsPassedThroughVerbatim() {
        t.postJson("/signal", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"answer\",\"payload\":{\"sdp\":\"v=0\",\"n\":[1,null]}}");
        assertEquals("[{\"from\":\"a\",\"to\":\"b\",\"type\":\"answer\",\"payload\":{\"sdp\":\"v=0\",\"n\":[1,null]},"
                + "\"timestamp\":" + TestServer.T0 + "}]", t.get("/signal/b").body());
    }

    @Test
    void signalsGoOnlyToTheirRecipient() {
        t.signal("a", "b", "offer", "x");
        assertEquals(405, t.send(t.request("/signal/b").method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .status(), "HEAD must not clear the queue");
        assertEquals("[]", t.get("/signal/a").body());
        assertEquals("[]", t.get("/signal/c").body());
        assertEquals(1, t.get("/signal/b").json().getAsJsonArray().size());
    }

    @Test
    void anUnregisteredPeerGetsAnEmptyList() {
        t.get("/signal/nobody-ever-registered").assertIs(200, "[]");
    }

    @Test
    void peerIdInThePathIsPercentDecoded() {
        t.signal("a", "user 1/ü+x", "offer", "x");
        assertEquals(1, t.get("/signal/user%201%2F%C3%BC+x").json().getAsJsonArray().size());
    }

    @Test
    void peersExpireAfter120SecondsWithoutReRegistering() {
        t.register("old", "o");
        t.advance(60_000);
        t.register("young", "y");
        t.advance(60_000);
        assertEquals(2, t.get("/peers").json().getAsJsonArray().size(), "exactly 120 s is still alive");
        t.advance(1);
        assertEquals("[{\"peerId\":\"young\",\"name\":\"y\",\"lastSeen\":" + (TestServer.T0 + 60_000) + "}]",
                t.get("/peers").body());
        t.server.sweep();
        t.advance(60_000);
        assertEquals("[]", t.get("/peers").body());
    }

    @Test
    void signalsExpireAfterFiveMinutes() {
        t.signal("a", "b", "offer", "old");
        t.advance(200_000);
        t.signal("a", "b", "answer", "new");
        t.advance(100_001);
        assertEquals("answer", t.get("/signal/b").json().getAsJsonArray().get(0).getAsJsonObject()
                .get("type").getAsString());
        t.signal("a", "c", "offer", "x");
        t.advance(300_001);
        t.server.sweep();
        assertEquals("[]", t.get("/signal/c").body());
    }

    @Test
    void peerListIsCachedAtMostTheConfiguredAge() throws IOException {
        try (TestServer cached = new TestServer(TestServer.limits(1000, 256, 10_000, 0, 1, 500))) {
            cached.register("a", "a");
            assertEquals(1, cached.get("/peers").json().getAsJsonArray().size());
            cached.advance(100);
            cached.register("b", "b");
            assertEquals(1, cached.get("/peers").json().getAsJsonArray().size(), "cached answer");
            cached.advance(399);
            assertEquals(1, cached.get("/peers").json().getAsJsonArray().size(), "still within 500 ms");
            cached.advance(1);
            assertEquals(2, cached.get("/peers").json().getAsJsonArray().size(), "rebuilt after 500 ms");
        }
    }

    private static RendezvousLimits legacyListOf(int max) {
        return RendezvousLimits.builder().requestsPerSecond(0).peerListMaxAgeMillis(0).legacyPeerListMax(max).build();
    }

    private static String entry(String peerId, long lastSeen) {
        return "{\"peerId\":\"" + peerId + "\",\"name\":\"name of " + peerId + "\",\"lastSeen\":"
                + (TestServer.T0 + lastSeen) + "}";
    }

    @Test
    void theCappedListHoldsTheMostRecentlySeenFirst() throws IOException {
        try (TestServer capped = new TestServer(legacyListOf(3))) {
            for (String peerId : new String[] {"c", "a", "e", "b", "d"}) {
                capped.register(peerId, "name of " + peerId);
                capped.advance(10);
            }
            capped.get("/peers").assertIs(200, "[" + entry("d", 40) + "," + entry("b", 30) + "," + entry("e", 20) + "]");
            capped.register("c", "name of c");
            capped.get("/peers").assertIs(200, "[" + entry("c", 50) + "," + entry("d", 40) + "," + entry("b", 30) + "]");
            capped.register("a", "name of a"); // seen at the same time as c: ties go by id
            capped.get("/peers").assertIs(200, "[" + entry("a", 50) + "," + entry("c", 50) + "," + entry("d", 40) + "]");
            capped.advance(120_000 - 9); // d (and b, e) expired, a and c not yet
            capped.get("/peers").assertIs(200, "[" + entry("a", 50) + "," + entry("c", 50) + "]");
            capped.advance(10);
            capped.get("/peers").assertIs(200, "[]");
        }
    }

    @Test
    void theDefaultCapIs1000AndZeroListsEveryPeer() throws IOException {
        for (int i = 0; i < 1005; i++) {
            t.register("p" + i, "n");
            t.advance(1);
        }
        JsonArray listed = t.get("/peers").json().getAsJsonArray();
        assertEquals(1000, listed.size());
        assertEquals("p1004", listed.get(0).getAsJsonObject().get("peerId").getAsString());
        assertEquals("p5", listed.get(999).getAsJsonObject().get("peerId").getAsString());
        try (TestServer uncapped = new TestServer(legacyListOf(0))) {
            for (int i = 0; i < 1005; i++) {
                uncapped.register("p" + i, "n");
            }
            assertEquals(1005, uncapped.get("/peers").json().getAsJsonArray().size());
        }
    }

    @Test
    void headAndTrailingSlashAndCorsPreflightBehaveLikeExpress() {
        assertEquals(200, t.send(t.request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody())).status());
        assertEquals(200, t.get("/peers/").status());
        Reply preflight = t.send(t.request("/signal").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:3010").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type"));
        assertEquals(204, preflight.status());
        assertEquals("content-type",
                preflight.response().headers().firstValue("Access-Control-Allow-Headers").orElse(null));
        assertTrue(preflight.response().headers().firstValue("Access-Control-Allow-Methods").get().contains("POST"));
    }
}
