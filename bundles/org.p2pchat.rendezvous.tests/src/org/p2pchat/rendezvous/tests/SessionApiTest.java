package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Sessions: a signed registration with a {@code sessionKey} opens one, and the requests after it
 * are authenticated with its MAC (no signature), with the same time window, replay memory and rate
 * limit as signed requests; a session ends with its registration and nobody else can use it.
 */
class SessionApiTest extends ServerTestCase {

    private TestPeer alice;
    private TestPeer bob;

    @BeforeEach
    void registerPeers() {
        alice = new TestPeer(t);
        bob = new TestPeer(t);
        alice.registerWithSession("alice", false);
        bob.registerWithSession("bob", false);
    }

    private static void assertReason(String expectedPart, String reason) {
        assertTrue(reason.contains(expectedPart), () -> "reason \"" + reason + "\" should mention " + expectedPart);
    }

    private static void unauthorized(Reply reply, String expectedPart) {
        assertReason(expectedPart, reply.error(401));
        assertEquals("P2PChat-Ed25519", reply.response().headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void aSignedRegistrationWithASessionKeyOpensASession() {
        TestPeer carol = new TestPeer(t);
        Reply reply = carol.registerWithSession("carol", true);
        JsonObject answer = reply.json().getAsJsonObject();
        assertEquals(carol.id, answer.get("id").getAsString());
        assertEquals(120_000, answer.get("expiresInMs").getAsLong());
        JsonObject session = answer.getAsJsonObject("session");
        assertEquals(2, session.size(), reply.body());
        assertTrue(session.get("id").getAsString().matches("[A-Za-z0-9_-]{22}"), reply.body());
        assertTrue(session.get("serverKey").getAsString().matches("[A-Za-z0-9_-]{43}"), reply.body());
        assertEquals(alice.sessionId.length(), carol.sessionId.length());
        assertNotEquals(alice.sessionId, carol.sessionId);
        assertEquals(3, t.server.statistics().sessions());
        assertEquals(1, t.listedPeers().size(), "registered as a signed registration is");
    }

    @Test
    void signalFetchRenewAndUnregisterWorkUnderTheSessionWithoutSignatures() {
        long signaturesBefore = t.server.statistics().signatureChecks();
        assertEquals(201, bob.signalUnderSession(alice, "offer", "hello").status());
        JsonArray signals = alice.fetchUnderSession(0).json().getAsJsonArray();
        assertEquals(1, signals.size());
        JsonObject signal = signals.get(0).getAsJsonObject();
        assertEquals(bob.id, signal.get("from").getAsString());
        assertEquals("bob", signal.get("fromName").getAsString());
        assertEquals("hello", signal.get("payload").getAsString());

        Reply renewal = alice.sendUnderSession("POST", "/v1/register", TestPeer.registration("Alice", true, null));
        renewal.assertIs(200, "{\"id\":\"" + alice.id + "\",\"expiresInMs\":120000}");
        assertEquals("Alice", t.listedPeers().get(0).getAsJsonObject().get("name").getAsString(),
                "renewals may rename");
        t.advance(100_000);
        assertEquals(200, alice.sendUnderSession("POST", "/v1/register", TestPeer.registration("Alice", true, null))
                .status());
        t.advance(100_000);
        assertEquals(200, alice.fetchUnderSession(0).status(), "the renewal kept alice registered");

        alice.sendUnderSession("DELETE", "/v1/register", null).assertIs(200, "{\"success\":true}");
        assertEquals(404, t.get("/v1/peers/" + alice.id).status());
        unauthorized(alice.fetchUnderSession(0), "unknown or expired session: register again with a signed request");
        assertEquals(signaturesBefore, t.server.statistics().signatureChecks(), "no signature checked");
        t.server.sweep();
        assertEquals(0, t.server.statistics().sessions(), "bob expired meanwhile, alice left");
    }

    @Test
    void aWaitingFetchUnderTheSessionIsPushedTo() throws Exception {
        int wait = TestServer.LONG_WAIT_SECONDS;
        var waiting = t.client.sendAsync(alice.underSession("GET", "/v1/signals?wait=" + wait, null)
                .timeout(java.time.Duration.ofSeconds(wait + 10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        t.awaitWaitingFetches(1);
        long posted = System.nanoTime();
        assertEquals(201, bob.signalUnderSession(alice, "offer", "pushed").status());
        String body = TestServer.pushedAnswer(waiting, posted, wait).body();
        assertTrue(body.contains("\"pushed\""), body);
    }

    @Test
    void aWrongMacOrAnUnknownSessionIs401() {
        String header = alice.sessionAuthorization("GET", "/v1/signals?wait=0", null);
        String mac = header.substring(header.indexOf("mac=") + 4);
        String flipped = (mac.charAt(0) == 'A' ? 'B' : 'A') + mac.substring(1);
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header.replace(mac, flipped))),
                "MAC does not match");
        String unknown = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header.replace(alice.sessionId, unknown))),
                "unknown or expired session");
        Reply answer = t.send(alice.request("GET", "/v1/signals?wait=0", null, header));
        assertEquals(200, answer.status(), () -> "refused requests do not use up the nonce: " + answer.body());
    }

    /**
     * Base64url is case-sensitive: a header read on a connection right after one that differs from it
     * only in the case of a letter is read as sent (Jetty's header cache matched values ignoring
     * case, and served the earlier header: 1 in 64 of the runs of the test above failed).
     */
    @Test
    void anAuthorizationDifferingOnlyInCaseFromThePreviousIsReadAsSent() {
        String header = alice.sessionAuthorization("GET", "/v1/signals?wait=0", null);
        int macStart = header.indexOf("mac=") + 4;
        int letter = macStart;
        while (!Character.isLetter(header.charAt(letter))) {
            letter++;
        }
        char c = header.charAt(letter);
        char swapped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        String otherCase = header.substring(0, letter) + swapped + header.substring(letter + 1);
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, otherCase)), "MAC does not match");
        Reply answer = t.send(alice.request("GET", "/v1/signals?wait=0", null, header));
        assertEquals(200, answer.status(), answer.body());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST | /v1/signal         | {\"to\":\"x\"} | POST   | /v1/signal         | {\"to\":\"y\"}",
        "GET  | /v1/signals?wait=0 |                | GET    | /v1/signals?wait=5 | ",
        "GET  | /v1/signals?wait=0 |                | DELETE | /v1/register       | ",
        "POST | /v1/register       | {\"name\":\"a\"} | POST | /v1/signal         | {\"name\":\"a\"}",
    })
    void aMacOverAnotherRequestIs401(String macMethod, String macPath, String macBody, String sentMethod,
            String sentPath, String sentBody) {
        byte[] macd = macBody == null ? null : macBody.getBytes(StandardCharsets.UTF_8);
        byte[] sent = sentBody == null ? null : sentBody.getBytes(StandardCharsets.UTF_8);
        String header = alice.sessionAuthorization(macMethod, macPath, macd);
        unauthorized(t.send(alice.request(sentMethod, sentPath, sent, header)), "MAC does not match");
    }

    @Test
    void aNewSignedRegistrationReplacesTheSession() {
        String old = alice.sessionId;
        alice.registerWithSession("alice", false);
        assertNotEquals(old, alice.sessionId);
        String header = alice.sessionAuthorization("GET", "/v1/signals?wait=0", null).replace(alice.sessionId, old);
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header)), "unknown or expired session");
        assertEquals(200, alice.fetchUnderSession(0).status());
        assertEquals(2, t.server.statistics().sessions(), "one per peer");

        // A signed renewal without a sessionKey keeps the session.
        assertEquals(200, alice.register("alice", true).status());
        assertFalse(alice.register("alice", true).json().getAsJsonObject().has("session"));
        assertEquals(200, alice.fetchUnderSession(0).status());
    }

    @Test
    void anExpiredRegistrationEndsItsSessionAtOnce() {
        t.advance(120_001);
        // No sweep yet: the registration is gone all the same, and so is the session.
        unauthorized(alice.fetchUnderSession(0), "unknown or expired session");
        unauthorized(alice.sendUnderSession("POST", "/v1/register", TestPeer.registration("alice", false, null)),
                "unknown or expired session");
        t.server.sweep();
        assertEquals(0, t.server.statistics().sessions());
        alice.registerWithSession("alice", false);
        assertEquals(200, alice.fetchUnderSession(0).status(), "a signed registration opens a new one");
    }

    @Test
    void aWaitingFetchKeepsTheSessionAlive() throws Exception {
        var waiting = t.client.sendAsync(alice.underSession("GET", "/v1/signals?wait=5", null).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        t.awaitWaitingFetches(1);
        t.advance(200_000);
        assertEquals(201, alice.signalUnderSession(alice, "offer", "to myself").status(), "present while listening");
        assertEquals(200, waiting.get().statusCode());
    }

    @Test
    void aReplayedSessionRequestIs401AndTheNonceMemoryIsSharedWithSignatures() {
        byte[] body = ("{\"to\":\"" + alice.id + "\",\"type\":\"offer\",\"payload\":\"once\"}")
                .getBytes(StandardCharsets.UTF_8);
        String header = bob.sessionAuthorization("POST", "/v1/signal", body);
        assertEquals(201, t.send(bob.request("POST", "/v1/signal", body, header)).status());
        unauthorized(t.send(bob.request("POST", "/v1/signal", body, header)), "replayed request");
        t.advance(20_000);
        t.server.sweep();
        unauthorized(t.send(bob.request("POST", "/v1/signal", body, header)), "replayed request");
        assertEquals(1, alice.fetchUnderSession(0).json().getAsJsonArray().size(), "delivered once");

        String nonce = TestPeer.freshNonce();
        long ts = t.clock.get();
        assertEquals(200, t.send(bob.request("GET", "/v1/signals?wait=0", null,
                bob.authorization("GET", "/v1/signals?wait=0", null, ts, nonce))).status());
        unauthorized(t.send(bob.request("GET", "/v1/signals?wait=0", null,
                bob.sessionAuthorization("GET", "/v1/signals?wait=0", null, ts, nonce))), "replayed request");
    }

    @ParameterizedTest
    @ValueSource(longs = {-30_001, 30_001, -86_400_000})
    void aTimestampOutsideThirtySecondsIs401(long offset) {
        String header = alice.sessionAuthorization("GET", "/v1/signals?wait=0", null, t.clock.get() + offset,
                TestPeer.freshNonce());
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header)), "from the service's clock");
    }

    @Test
    void aRegistrationWithASessionKeyUnderASessionIs401() {
        String body = TestPeer.registration("alice", false, TestPeer.rawKey(TestPeer.x25519().getPublic()));
        unauthorized(alice.sendUnderSession("POST", "/v1/register", body), "must be signed with the identity key");
        assertEquals(200, alice.fetchUnderSession(0).status(), "the session stays");
        assertEquals(2, t.server.statistics().sessions());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`\"AAAA\"`                                          | 43 characters",
        "`\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"`  | 43 characters",
        "`\"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\"`   | 43 characters",
        "`\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"`   | 43 characters",
        "`\"\"`                                              | 43 characters",
        "1                                                   | must be a JSON string",
        "`{}`                                                | must be a JSON string",
    })
    void aMalformedSessionKeyIs400(String sessionKey, String reason) {
        TestPeer carol = new TestPeer(t);
        String body = "{\"name\":\"carol\",\"listed\":true,\"sessionKey\":" + sessionKey + "}";
        assertReason(reason, carol.send("POST", "/v1/register", body).error(400));
        assertEquals(404, t.get("/v1/peers/" + carol.id).status(), "not registered");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0000000000000000000000000000000000000000000000000000000000000000", // 0
        "0100000000000000000000000000000000000000000000000000000000000000", // 1
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // a point of order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p - 1
    })
    void aLowOrderSessionKeyIs400(String hex) {
        TestPeer carol = new TestPeer(t);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(hex));
        assertReason("low-order", carol.send("POST", "/v1/register", TestPeer.registration("carol", true, key))
                .error(400));
        assertEquals(404, t.get("/v1/peers/" + carol.id).status(), "not registered");
    }

    @Test
    void anotherPeersSessionCannotActAsThatPeer() {
        TestPeer mallory = new TestPeer(t);
        mallory.registerWithSession("mallory", false);
        assertEquals(201, bob.signalUnderSession(alice, "offer", "for alice only").status());
        // Alice's session id with mallory's key: the MAC does not match.
        String header = mallory.sessionAuthorization("GET", "/v1/signals?wait=0", null)
                .replace(mallory.sessionId, alice.sessionId);
        unauthorized(t.send(mallory.request("GET", "/v1/signals?wait=0", null, header)), "MAC does not match");
        mallory.fetchUnderSession(0).assertIs(200, "[]");
        String forged = "{\"from\":\"" + alice.id + "\",\"to\":\"" + bob.id
                + "\",\"type\":\"offer\",\"payload\":\"x\"}";
        assertReason("forged sender", mallory.sendUnderSession("POST", "/v1/signal", forged).error(403));
        assertEquals(1, alice.fetchUnderSession(0).json().getAsJsonArray().size());
        bob.fetchUnderSession(0).assertIs(200, "[]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "P2PChat-Session id=I, ts=T, nonce=N                        | has no mac=",
        "P2PChat-Session ts=T, nonce=N, mac=M                       | has no id=",
        "P2PChat-Session id=abc, ts=T, nonce=N, mac=M               | id= must be a session id",
        "P2PChat-Session id=I, ts=soon, nonce=N, mac=M              | ts= is not a number",
        "P2PChat-Session id=I, ts=T, nonce=a+b, mac=M               | nonce= must be base64url",
        "P2PChat-Session id=I, ts=T, nonce=N, mac=AAAA              | mac= must be an HMAC-SHA256",
        "P2PChat-Session id=I, ts=T, nonce=N, mac=M, key=K          | exactly id=, ts=, nonce= and mac=",
        "P2PChat-Session id=I, ts=T, ts=T, nonce=N, mac=M           | given twice",
        "p2pchat-session id=I, ts=T, nonce=N, mac=M                 | or P2PChat-Session",
    })
    void aMalformedSessionHeaderIs401WithTheReason(String template, String reason) {
        String header = template.replace("id=I", "id=" + alice.sessionId).replace("ts=T", "ts=" + t.clock.get())
                .replace("nonce=N", "nonce=" + TestPeer.freshNonce()).replace("mac=M", "mac=" + "A".repeat(43))
                .replace("key=K", "key=" + alice.id);
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header)), reason);
    }

    @Test
    void sessionRequestsCountAgainstTheKeysRateLimit() throws IOException {
        try (TestServer limited = new TestServer(RendezvousLimits.builder().requestsPerSecond(0)
                .requestsPerKeyPerSecond(2).requestBurstPerKey(3).build())) {
            TestPeer eve = new TestPeer(limited);
            eve.registerWithSession("eve", false);
            assertEquals(200, eve.fetchUnderSession(0).status());
            assertEquals(200, eve.fetch(0).status(), "signed");
            Reply refused = eve.fetchUnderSession(0);
            assertReason("too many requests from this identity key", refused.error(429));
            limited.advance(500);
            assertEquals(200, eve.fetchUnderSession(0).status(), "one token back after half a second");
        }
    }

    @Test
    void aClientWithoutSessionsKeepsWorking() {
        TestPeer carol = new TestPeer(t);
        Reply reply = carol.register("carol", false);
        assertFalse(reply.json().getAsJsonObject().has("session"), reply.body());
        assertEquals(201, carol.signal(alice, "offer", "signed").status());
        assertEquals(201, bob.signal(carol, "answer", "signed too").status(), "a session peer may still sign");
        assertEquals("signed too", carol.fetch(0).json().getAsJsonArray().get(0).getAsJsonObject()
                .get("payload").getAsString());
        assertEquals("signed", alice.fetchUnderSession(0).json().getAsJsonArray().get(0).getAsJsonObject()
                .get("payload").getAsString());
        assertEquals(2, t.server.statistics().sessions());
    }

    @Test
    void aSessionIsOnlyValidOnTheServerThatOpenedIt() throws IOException {
        try (TestServer other = new TestServer()) {
            TestPeer there = new TestPeer(other);
            there.registerWithSession("there", false);
            String header = there.sessionAuthorization("GET", "/v1/signals?wait=0", null);
            unauthorized(t.send(t.request("/v1/signals?wait=0").header("Authorization", header).GET()),
                    "unknown or expired session");
        }
    }
}
