package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

/** Nobody can act as another peer, replay a request, or reach the other API's peers. */
class SignedApiSecurityTest extends ServerTestCase {

    private TestPeer alice;
    private TestPeer bob;
    private TestPeer mallory;

    @BeforeEach
    void registerPeers() {
        alice = new TestPeer(t);
        bob = new TestPeer(t);
        mallory = new TestPeer(t);
        alice.register("alice", false);
        bob.register("bob", false);
        mallory.register("mallory", false);
    }

    private static void assertReason(String expectedPart, String reason) {
        assertTrue(reason.contains(expectedPart), () -> "reason \"" + reason + "\" should mention " + expectedPart);
    }

    private Reply unauthorized(Reply reply, String expectedPart) {
        assertReason(expectedPart, reply.error(401));
        assertEquals("P2PChat-Ed25519", reply.response().headers().firstValue("WWW-Authenticate").orElse(null));
        return reply;
    }

    @Test
    void aPeerFetchesOnlyItsOwnSignals() {
        bob.signal(alice, "offer", "for alice only");
        mallory.fetch(0).assertIs(200, "[]");
        // Signing as mallory while claiming alice's key does not verify.
        String header = mallory.authorization("GET", "/v1/signals?wait=0", null).replace(mallory.id, alice.id);
        unauthorized(t.send(mallory.request("GET", "/v1/signals?wait=0", null, header)), "signature does not match");
        assertEquals("for alice only", alice.fetch(0).json().getAsJsonArray().get(0).getAsJsonObject()
                .get("payload").getAsString());
    }

    @Test
    void aBodyNamingAnotherSenderIs403() {
        String forged = "{\"from\":\"" + alice.id + "\",\"to\":\"" + bob.id + "\",\"type\":\"offer\",\"payload\":\"x\"}";
        assertReason("forged sender", mallory.send("POST", "/v1/signal", forged).error(403));
        assertReason("forged sender", mallory.send("POST", "/v1/register",
                "{\"from\":\"" + alice.id + "\",\"name\":\"alice\",\"listed\":true}").error(403));
        bob.fetch(0).assertIs(200, "[]");
        t.get("/v1/peers").assertIs(200, TestServer.NO_LISTED_PEERS);
        String honest = "{\"from\":\"" + mallory.id + "\",\"to\":\"" + bob.id + "\",\"type\":\"offer\",\"payload\":\"x\"}";
        assertEquals(201, mallory.send("POST", "/v1/signal", honest).status(), "naming oneself is fine");
    }

    @Test
    void aReplayedRequestIs401() {
        byte[] body = ("{\"to\":\"" + alice.id + "\",\"type\":\"offer\",\"payload\":\"once\"}")
                .getBytes(StandardCharsets.UTF_8);
        String header = bob.authorization("POST", "/v1/signal", body);
        assertEquals(201, t.send(bob.request("POST", "/v1/signal", body, header)).status());
        unauthorized(t.send(bob.request("POST", "/v1/signal", body, header)), "replayed request");
        t.advance(20_000);
        unauthorized(t.send(bob.request("POST", "/v1/signal", body, header)), "replayed request");
        t.server.sweep();
        unauthorized(t.send(bob.request("POST", "/v1/signal", body, header)), "replayed request");
        assertEquals(1, alice.fetch(0).json().getAsJsonArray().size(), "delivered once");
    }

    @Test
    void aReplayUnderAnotherSpellingOfTheKeyIs401() {
        String header = alice.authorization("GET", "/v1/signals?wait=0", null);
        assertEquals(200, t.send(alice.request("GET", "/v1/signals?wait=0", null, header)).status());
        // 44 key bytes leave 2 unused bits in the last base64 character: set them.
        char last = alice.id.charAt(alice.id.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String respelled = alice.id.substring(0, alice.id.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
        assertEquals(Base64.getUrlEncoder().encodeToString(Base64.getUrlDecoder().decode(alice.id)),
                Base64.getUrlEncoder().encodeToString(Base64.getUrlDecoder().decode(respelled)), "the same key");
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header.replace(alice.id, respelled))),
                "canonical form");
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header.replace(alice.id, alice.id + "="))),
                "canonical form");
    }

    @ParameterizedTest
    @ValueSource(longs = {-30_001, 30_001, -86_400_000, Long.MIN_VALUE / 2})
    void aTimestampOutsideThirtySecondsIs401(long offset) {
        String header = alice.authorization("GET", "/v1/signals?wait=0", null, t.clock.get() + offset,
                TestPeer.freshNonce());
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header)), "from the service's clock");
    }

    @ParameterizedTest
    @ValueSource(longs = {-30_000, -1, 1, 30_000})
    void aTimestampWithinThirtySecondsIsAccepted(long offset) {
        String header = alice.authorization("GET", "/v1/signals?wait=0", null, t.clock.get() + offset,
                TestPeer.freshNonce());
        assertEquals(200, t.send(alice.request("GET", "/v1/signals?wait=0", null, header)).status());
    }

    @Test
    void aClockSteppingBackDoesNotReadmitForgottenRequests() {
        String header = alice.authorization("GET", "/v1/signals?wait=0", null);
        assertEquals(200, t.send(alice.request("GET", "/v1/signals?wait=0", null, header)).status());
        t.advance(40_000);
        t.server.sweep(); // forgets the nonce: its timestamp is out of the window
        t.advance(-20_000); // the system clock is stepped back
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header)), "older than");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // signed method | signed path           | signed body | sent method | sent path             | sent body
        "POST | /v1/signal             | {\"to\":\"x\"} | POST   | /v1/signal             | {\"to\":\"y\"}",
        "POST | /v1/register           | {\"name\":\"a\"} | POST | /v1/signal           | {\"name\":\"a\"}",
        "GET  | /v1/signals?wait=0     |                | GET    | /v1/signals?wait=5     | ",
        "GET  | /v1/signals            |                | GET    | /v1/signals?wait=0     | ",
        "GET  | /v1/signals?wait=0     |                | DELETE | /v1/register           | ",
        "DELETE | /v1/register         |                | DELETE | /v1/register           | {}",
    })
    void aSignatureOverAnotherRequestIs401(String signedMethod, String signedPath, String signedBody,
            String sentMethod, String sentPath, String sentBody) {
        byte[] signed = signedBody == null ? null : signedBody.getBytes(StandardCharsets.UTF_8);
        byte[] sent = sentBody == null ? null : sentBody.getBytes(StandardCharsets.UTF_8);
        String header = alice.authorization(signedMethod, signedPath, signed);
        unauthorized(t.send(alice.request(sentMethod, sentPath, sent, header)), "signature does not match");
    }

    @Test
    void aBadOrForeignSignatureIs401() {
        String header = alice.authorization("GET", "/v1/signals?wait=0", null);
        String signature = header.substring(header.indexOf("sig=") + 4);
        String flipped = (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header.replace(signature, flipped))),
                "signature does not match");
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header.replace(signature, "!!"))),
                "signature does not match");
        String bobs = bob.authorization("GET", "/v1/signals?wait=0", null);
        String bobsSignature = bobs.substring(bobs.indexOf("sig=") + 4);
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header.replace(signature, bobsSignature))),
                "signature does not match");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "NONE                                                        | missing Authorization header",
        "``                                                          | missing Authorization header",
        "Bearer abc                                                  | scheme must be P2PChat-Ed25519",
        "P2PChat-Ed25519 key=K, svc=V, ts=T, nonce=N                 | has no sig=",
        "P2PChat-Ed25519 key=K, svc=V, ts=T, sig=S                   | has no nonce=",
        "P2PChat-Ed25519 key=, svc=V, ts=T, nonce=N, sig=S           | has no key=",
        "P2PChat-Ed25519 key=K, svc=V ts=T, nonce=N, sig=S           | has no ts=",
        "P2PChat-Ed25519 key=AAAA, svc=V, ts=T, nonce=N, sig=S       | key= is not an Ed25519 identity key",
        "P2PChat-Ed25519 key=K, svc=V, ts=soon, nonce=N, sig=S       | ts= is not a number",
        "P2PChat-Ed25519 key=K, svc=V, ts=T, nonce=a+b/c, sig=S      | nonce= must be base64url",
        "P2PChat-Ed25519 key=K, svc=V, ts=T, nonce=N, sig=S, extra   | field without '='",
    }, nullValues = "NONE")
    void aMalformedAuthorizationHeaderIs401WithTheReason(String template, String reason) {
        String header = template == null ? null : template.replace("key=K", "key=" + alice.id)
                .replace("svc=V", "svc=" + t.serviceId()).replace("ts=T", "ts=" + t.clock.get())
                .replace("nonce=N", "nonce=" + TestPeer.freshNonce())
                .replace("sig=S", "sig=" + "A".repeat(86));
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header)), reason);
    }

    @Test
    void anOverlongAuthorizationHeaderIs401() {
        String header = alice.authorization("GET", "/v1/signals?wait=0", null) + ", pad=" + "x".repeat(600);
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header)), "longer than");
    }

    @Test
    void twoAuthorizationHeadersAre401() {
        String header = alice.authorization("GET", "/v1/signals?wait=0", null);
        unauthorized(t.send(alice.request("GET", "/v1/signals?wait=0", null, header)
                .header("Authorization", bob.authorization("GET", "/v1/signals?wait=0", null))), "more than one");
    }

    @Test
    void legacyAndV1PeersLiveInSeparateNamespaces() {
        // A legacy peer, even one using a v1 peer's id, is not reachable through /v1, and back.
        TestPeer carol = new TestPeer(t);
        assertEquals(201, t.register(carol.id, "legacy carol").status());
        assertEquals(404, t.get("/v1/peers/" + carol.id).status());
        assertEquals(404, alice.signal(carol, "offer", "x").status());
        assertEquals(409, carol.fetch(0).status(), "carol is not registered in /v1");
        assertEquals(201, t.register("legacy-dave", "dave").status());
        assertEquals(404, t.get("/v1/peers/legacy-dave").status());
        assertEquals(404, alice.signal("legacy-dave", "offer", "x").status());

        alice.register("alice", true);
        assertEquals(2, t.get("/peers").json().getAsJsonArray().size(), "only the two legacy peers");
        assertEquals(1, t.listedPeers().size(), "only alice");
        assertEquals(201, t.signal("someone", alice.id, "offer", "legacy signal").status());
        alice.fetch(0).assertIs(200, "[]");
        assertEquals(1, t.get("/signal/" + alice.id).json().getAsJsonArray().size(), "it stays in the legacy mailbox");
    }

    @Test
    void requestsPerKeyAreRateLimited() throws IOException {
        try (TestServer limited = new TestServer(RendezvousLimits.builder().requestsPerSecond(0)
                .requestsPerKeyPerSecond(2).requestBurstPerKey(3).build())) {
            TestPeer eve = new TestPeer(limited);
            TestPeer frank = new TestPeer(limited);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, eve.register("eve", false).status(), "burst request " + i);
            }
            Reply refused = eve.fetch(0);
            assertReason("too many requests from this identity key", refused.error(429));
            assertEquals("1", refused.response().headers().firstValue("Retry-After").orElse(null));
            assertEquals(200, frank.register("frank", false).status(), "other keys are not affected");
            limited.advance(500);
            assertEquals(200, eve.fetch(0).status(), "one token back after half a second");
        }
    }

    @Test
    void unsignedRequestsCannotFillTheNonceMemory() {
        String header = alice.authorization("GET", "/v1/signals?wait=0", null);
        int before = t.server.statistics().rememberedNonces();
        for (int i = 0; i < 20; i++) {
            String bad = header.replace("sig=", "sig=A");
            assertEquals(401, t.send(alice.request("GET", "/v1/signals?wait=0", null, bad)).status());
        }
        assertEquals(before, t.server.statistics().rememberedNonces());
        assertEquals(200, t.send(alice.request("GET", "/v1/signals?wait=0", null, header)).status(),
                "the nonce of a refused forgery is still fresh for the real request");
    }
}
