package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.TurnService;
import org.p2pchat.rendezvous.tests.TestServer.Reply;
import org.p2pchat.testing.Coturn;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.TurnAllocation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * {@code GET /v1/turn}: credentials a real coturn with the same secret accepts (over UDP and TCP)
 * until they expire, only for registered, authentic, fresh requests, and not in a loop.
 */
class TurnCredentialsTest {

    private static final String SECRET = "a-shared-secret-of-the-relay-and-coturn";
    private static final int TURN_PORT = 3478;
    private static final long TTL = 600;
    private static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        // coturn listens on the test namespace's address: only inside releng/scripts/testnet.sh.
        NetworkIsolation.requireIsolatedNetwork();
        coturn = Coturn.startWithSecret(Path.of("target", "coturn-rest"), NetworkIsolation.TEST_ADDRESS, TURN_PORT,
                SECRET);
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static TurnService turn() {
        String hostPort = coturn.address() + ":" + coturn.port();
        return TurnService.of(List.of("stun:" + hostPort, "turn:" + hostPort + "?transport=udp",
                "turn:" + hostPort + "?transport=tcp"), SECRET.getBytes(StandardCharsets.UTF_8), TTL);
    }

    private static TestServer server(long startMillis) throws Exception {
        return new TestServer(TestServer.limits(200_000, 256, 1_000_000, 0, 1, 0), turn(), startMillis);
    }

    @Test
    void issuedCredentialsAllocateOnCoturnOverUdpAndTcp() throws Exception {
        try (TestServer t = server(System.currentTimeMillis())) {
            JsonObject info = t.get("/v1/info").json().getAsJsonObject();
            assertTrue(info.get("turn").getAsBoolean(), info.toString());
            TestPeer peer = new TestPeer(t);
            assertEquals(200, peer.register("alice", false).status());
            Reply reply = peer.send("GET", "/v1/turn", null);
            assertEquals(200, reply.status(), reply.body());
            JsonObject answer = reply.json().getAsJsonObject();
            assertEquals(TTL, answer.get("ttl").getAsLong());
            JsonArray servers = answer.getAsJsonArray("iceServers");
            assertEquals(1, servers.size(), reply.body());
            JsonObject server = servers.get(0).getAsJsonObject();
            assertEquals(turn().urls().size(), server.getAsJsonArray("urls").size());
            String username = server.get("username").getAsString();
            String credential = server.get("credential").getAsString();
            long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
            assertEquals(t.clock.get() / 1000 + TTL, expiry, "expiry: the service's time plus the ttl");
            assertEquals(peer.id, username.substring(username.indexOf(':') + 1),
                    "the user name names the identity the credential was issued to");
            assertFalse(reply.body().contains(SECRET), "the secret is never sent");

            TurnAllocation.Result udp = TurnAllocation.allocate(coturn.address(), coturn.port(), false, username,
                    credential);
            assertTrue(udp.allocated(), "over UDP: " + udp);
            TurnAllocation.Result tcp = TurnAllocation.allocate(coturn.address(), coturn.port(), true, username,
                    credential);
            assertTrue(tcp.allocated(), "over TCP: " + tcp);
            TurnAllocation.Result forged = TurnAllocation.allocate(coturn.address(), coturn.port(), false,
                    expiry + ":someone-else", credential);
            assertEquals(401, forged.errorCode(), "the credential is bound to its user name: " + forged);
        }
    }

    @Test
    void expiredCredentialIsRefusedByCoturn() throws Exception {
        // The service's clock stands a ttl and two minutes in the past: what it issues expired two minutes ago.
        try (TestServer t = server(System.currentTimeMillis() - (TTL + 120) * 1000)) {
            TestPeer peer = new TestPeer(t);
            assertEquals(200, peer.register("alice", false).status());
            Reply reply = peer.send("GET", "/v1/turn", null);
            assertEquals(200, reply.status(), reply.body());
            JsonObject server = reply.json().getAsJsonObject().getAsJsonArray("iceServers").get(0).getAsJsonObject();
            TurnAllocation.Result expired = TurnAllocation.allocate(coturn.address(), coturn.port(), false,
                    server.get("username").getAsString(), server.get("credential").getAsString());
            assertEquals(401, expired.errorCode(), "an expired credential: " + expired);
        }
    }

    @Test
    void unauthenticatedUnregisteredAndReplayedRequestsAreRefused() throws Exception {
        try (TestServer t = server(System.currentTimeMillis())) {
            assertTrue(t.get("/v1/turn").error(401).contains("Authorization"), "no Authorization header");
            TestPeer stranger = new TestPeer(t);
            assertTrue(stranger.send("GET", "/v1/turn", null).error(409).contains("not registered"));
            TestPeer peer = new TestPeer(t);
            assertEquals(200, peer.register("alice", false).status());
            var request = peer.signed("GET", "/v1/turn", null);
            assertEquals(200, peer.send(request).status());
            assertTrue(peer.send(request).error(401).contains("replayed"), "the same signed request again");
            // Signed for another route: the signature covers the path.
            String otherRoute = peer.authorization("GET", "/v1/signals", null);
            assertEquals(401, peer.send(peer.request("GET", "/v1/turn", null, otherRoute)).status());
            assertEquals(405, t.method("POST", "/v1/turn", "{}").status());
        }
    }

    @Test
    void serviceWithoutTurnSaysSo() throws Exception {
        try (TestServer t = new TestServer()) {
            assertFalse(t.get("/v1/info").json().getAsJsonObject().get("turn").getAsBoolean());
            TestPeer peer = new TestPeer(t);
            assertEquals(200, peer.register("alice", false).status());
            assertTrue(peer.send("GET", "/v1/turn", null).error(404).contains("no TURN"));
        }
    }

    @Test
    void floodsFromOneIdentityAndFromThrowawayIdentitiesAreLimited() throws Exception {
        // The service's clock stands still in this test: no bucket refills while it runs.
        try (TestServer t = server(System.currentTimeMillis())) {
            TestPeer flooder = new TestPeer(t);
            assertEquals(200, flooder.register("flooder", false).status());
            for (int i = 0; i < TurnService.KEY_BURST; i++) {
                assertEquals(200, flooder.send("GET", "/v1/turn", null).status(), "request " + i);
            }
            assertTrue(flooder.send("GET", "/v1/turn", null).error(429).contains("identity key"));

            // Throwaway identities from one address share its budget (the flooder took KEY_BURST of it)...
            int issued = 0;
            int refused = 0;
            for (int i = 0; i < TurnService.ADDRESS_BURST; i++) {
                TestPeer throwaway = new TestPeer(t);
                assertEquals(200, throwaway.register("throwaway" + i, false).status());
                Reply reply = throwaway.send("GET", "/v1/turn", null);
                if (reply.status() == 200) {
                    issued++;
                } else {
                    assertTrue(reply.error(429).contains("address"), reply.body());
                    refused++;
                }
            }
            assertEquals(TurnService.ADDRESS_BURST - TurnService.KEY_BURST, issued);
            assertEquals(TurnService.KEY_BURST, refused);
            // ...while another address still gets its credentials, and the flood's 429s did not break the service.
            TestPeer other = new TestPeer(t, TestServer.clientFrom("127.0.0.2"));
            assertEquals(200, other.register("bob", false).status());
            assertEquals(200, other.send("GET", "/v1/turn", null).status());
            t.advance(TurnService.KEY_INTERVAL_SECONDS * 1000);
            assertEquals(200, flooder.send("GET", "/v1/turn", null).status(), "one more after the interval");
        }
    }

    @Test
    void secretIsNeverShown() {
        TurnService turn = turn();
        assertFalse(turn.toString().contains(SECRET), turn.toString());
    }
}
