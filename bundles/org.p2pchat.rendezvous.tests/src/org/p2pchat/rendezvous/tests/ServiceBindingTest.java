package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.security.Signature;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.rendezvous.auth.SignedRequest;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

/**
 * A request signed (or MAC'd) for one service is valid there only: two real servers, the same
 * peer registered on both, and requests moved from one to the other. Both servers run on the
 * same clock, inside each other's time window, as two relays on the internet would.
 */
class ServiceBindingTest {

    private TestServer a;
    private TestServer b;

    @BeforeEach
    void startTwoServers() throws IOException {
        a = new TestServer();
        b = new TestServer();
    }

    @AfterEach
    void stopThem() {
        a.close();
        b.close();
    }

    @Test
    void eachServiceHasItsOwnId() {
        assertNotEquals(a.serviceId(), b.serviceId());
    }

    @Test
    void aRequestSignedForServiceAIsRefusedByServiceBAndWorksOnA() {
        TestPeer aliceOnA = new TestPeer(a);
        TestPeer bobOnA = new TestPeer(a);
        aliceOnA.register("alice", false);
        bobOnA.register("bob", false);
        assertEquals(201, bobOnA.signal(aliceOnA, "offer", "for alice on A").status());
        // Alice is registered on B too, with the same key; someone who saw her request to A sends it to B.
        TestPeer aliceOnB = new TestPeer(b, b.client, aliceOnA.keys);
        aliceOnB.register("alice", false);
        TestPeer bobOnB = new TestPeer(b, b.client, bobOnA.keys);
        bobOnB.register("bob", false);
        assertEquals(201, bobOnB.signal(aliceOnB, "offer", "for alice on B").status());

        String header = aliceOnA.authorization("GET", "/v1/signals?wait=0", null);
        Reply onB = b.send(aliceOnB.request("GET", "/v1/signals?wait=0", null, header));
        String reason = onB.error(401);
        assertTrue(reason.contains("signed for another service") && reason.contains(b.serviceId()), reason);
        assertEquals("P2PChat-Ed25519", onB.response().headers().firstValue("WWW-Authenticate").orElse(null));

        Reply onA = a.send(aliceOnA.request("GET", "/v1/signals?wait=0", null, header));
        assertEquals(200, onA.status(), onA.body());
        assertTrue(onA.body().contains("for alice on A"), onA.body());
        assertTrue(aliceOnB.fetch(0).body().contains("for alice on B"), "B kept its own signal for alice");
    }

    @Test
    void aRequestSignedWithTheIdOfServiceBButSentToAIsRefusedByItsSignature() {
        TestPeer alice = new TestPeer(a);
        alice.register("alice", false);
        // Claiming A's id over bytes signed for B: the signature does not cover A's id.
        String forB = new TestPeer(b, b.client, alice.keys).authorization("GET", "/v1/signals?wait=0", null);
        String relabelled = forB.replace("svc=" + b.serviceId(), "svc=" + a.serviceId());
        String reason = a.send(alice.request("GET", "/v1/signals?wait=0", null, relabelled)).error(401);
        assertTrue(reason.contains("signature does not match"), reason);
    }

    @Test
    void aSessionRequestForServiceAIsRefusedByServiceB() {
        TestPeer aliceOnA = new TestPeer(a);
        aliceOnA.registerWithSession("alice", false);
        TestPeer aliceOnB = new TestPeer(b, b.client, aliceOnA.keys);
        aliceOnB.registerWithSession("alice", false);
        String header = aliceOnA.sessionAuthorization("GET", "/v1/signals?wait=0", null);
        assertTrue(b.send(aliceOnB.request("GET", "/v1/signals?wait=0", null, header)).error(401)
                .contains("unknown or expired session"));
        // Even under B's own session id, a MAC made over A's id does not match.
        String underBsId = header.replace("id=" + aliceOnA.sessionId, "id=" + aliceOnB.sessionId);
        String macForA = aliceOnA.sessionAuthorization("GET", "/v1/signals?wait=0", null);
        assertTrue(b.send(aliceOnB.request("GET", "/v1/signals?wait=0", null, underBsId)).error(401)
                .contains("MAC does not match"));
        assertEquals(200, a.send(aliceOnA.request("GET", "/v1/signals?wait=0", null, macForA)).status());
    }

    @Test
    void anOldClientsUnboundSignatureGetsAClear401() throws Exception {
        TestPeer alice = new TestPeer(a);
        alice.register("alice", false);
        // What a client from before the binding sends: v1's bytes and header, no svc=.
        long ts = a.clock.get();
        String nonce = TestPeer.freshNonce();
        String bodyHash = Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(new byte[0]));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(alice.keys.getPrivate());
        signer.update(("p2pchat-rendezvous-v1\nGET\n/v1/signals?wait=0\n" + ts + "\n" + nonce + "\n" + bodyHash)
                .getBytes(StandardCharsets.UTF_8));
        String old = SignedRequest.SCHEME + " key=" + alice.id + ", ts=" + ts + ", nonce=" + nonce + ", sig="
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        Reply refused = a.send(alice.request("GET", "/v1/signals?wait=0", null, old));
        String reason = refused.error(401);
        assertTrue(reason.contains("has no svc=") && reason.contains("GET /v1/info") && reason.contains("updated"),
                reason);
        assertEquals("P2PChat-Ed25519", refused.response().headers().firstValue("WWW-Authenticate").orElse(null));
    }
}
