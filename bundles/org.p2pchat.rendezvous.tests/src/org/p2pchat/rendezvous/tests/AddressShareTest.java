package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

import com.google.gson.JsonObject;

/**
 * One client address cannot take a service-wide pool from everyone else: an attacker on
 * 127.0.0.2 floods the legacy API, or holds long-polls with throwaway keys, or signs requests with
 * keys it never registers; honest peers on 127.0.0.1 still register, signal and receive a signal
 * within 2 s, while the attack holds what it got.
 */
class AddressShareTest {

    private static final String ATTACKER = "127.0.0.2";

    /** Alice and Bob register, Bob signals Alice, Alice's waiting fetch has it: within 2 s. */
    private static void honestPeersStillMeet(TestServer t) throws Exception {
        long start = System.nanoTime();
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        assertEquals(200, alice.register("alice", false).status());
        assertEquals(200, bob.register("bob", false).status());
        int waitingBefore = t.server.statistics().waitingFetches();
        CompletableFuture<Reply> waiting = alice.fetchAsync(25);
        t.awaitWaitingFetches(waitingBefore + 1);
        Reply sent = bob.signal(alice, "offer", "hello alice");
        assertEquals(201, sent.status(), sent.body());
        Reply fetched = waiting.get(2, TimeUnit.SECONDS);
        assertEquals(200, fetched.status(), fetched.body());
        assertTrue(fetched.body().contains("hello alice"), fetched.body());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 2_000, "registered, signalled and received in " + millis + " ms");
    }

    @Test
    void aLegacyFloodFromOneAddressLeavesV1SignallingAndOtherLegacyUsersAlone() throws Exception {
        // Default limits, rate limit off: the attack of the issue sent 2,045 legacy signals of 64 KiB,
        // which filled the budget both APIs shared, and POST /v1/signal answered 503.
        try (TestServer t = new TestServer(); HttpClient attacker = TestServer.clientFrom(ATTACKER)) {
            String payload = "x".repeat(64 * 1024 - 100);
            Reply refused = null;
            int accepted = 0;
            for (int i = 0; i < 2_100 && refused == null; i++) {
                Reply reply = t.send(attacker, t.request("/signal").header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(legacySignal("victim-" + i, payload))));
                if (reply.status() == 201) {
                    accepted++;
                } else {
                    refused = reply;
                }
            }
            assertTrue(refused != null, "the flood was never refused (" + accepted + " signals queued)");
            String reason = refused.error(429);
            assertTrue(reason.contains("from this address") && reason.contains("legacy"), reason);
            assertTrue(t.server.statistics().queuedSignalBytes() <= RendezvousLimits.DEFAULTS
                    .maxQueuedSignalBytesPerAddress(), "the attacker holds its share only");

            assertEquals(201, t.signal("web-user", "other-web-user", "offer", payload).status(),
                    "another address's legacy signal, as large");
            honestPeersStillMeet(t);
        }
    }

    @Test
    void throwawayKeysHoldingLongPollsFromOneAddressDoNotLockOthersOut() throws Exception {
        RendezvousLimits limits = RendezvousLimits.builder().requestsPerSecond(0).requestsPerKeyPerSecond(0)
                .maxWaitingFetches(100).maxWaitingFetchesPerAddress(40).build();
        try (TestServer t = new TestServer(limits); HttpClient attacker = TestServer.clientFrom(ATTACKER)) {
            List<CompletableFuture<Reply>> held = new ArrayList<>();
            int refused = 0;
            String lastRefusal = "";
            for (int i = 0; i < 150; i++) {
                TestPeer throwaway = new TestPeer(t, attacker);
                assertEquals(200, throwaway.register("throwaway " + i, false).status());
                CompletableFuture<Reply> fetch = throwaway.fetchAsync(30);
                if (i < 40) {
                    held.add(fetch);
                    t.awaitWaitingFetches(i + 1);
                } else {
                    Reply reply = fetch.get(10, TimeUnit.SECONDS);
                    assertEquals(429, reply.status(), reply.body());
                    lastRefusal = reply.error(429);
                    refused++;
                }
            }
            assertEquals(110, refused);
            assertTrue(lastRefusal.contains("from this address") && lastRefusal.contains("wait=0"), lastRefusal);
            assertEquals(40, t.server.statistics().waitingFetches(), "the attacker holds its share");

            honestPeersStillMeet(t);
            assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "the attacker's fetches still wait");
        }
    }

    @Test
    void unregisteredKeysCannotFillTheNonceMemory() throws IOException {
        try (TestServer t = new TestServer(); HttpClient attacker = TestServer.clientFrom(ATTACKER)) {
            int before = t.server.statistics().rememberedNonces();
            for (int i = 0; i < 200; i++) {
                TestPeer stranger = new TestPeer(t, attacker);
                Reply reply = i % 2 == 0 ? stranger.fetch(0) : stranger.signal(stranger, "offer", "x");
                assertTrue(reply.error(409).contains("POST /v1/register first"), reply.body());
            }
            assertEquals(before, t.server.statistics().rememberedNonces(), "no nonce of an unregistered key kept");

            // A registration is the one request an unregistered key may make; it is remembered as before.
            TestPeer newcomer = new TestPeer(t, attacker);
            String body = TestPeer.registration("newcomer", false, null);
            String header = newcomer.authorization("POST", "/v1/register",
                    body.getBytes(StandardCharsets.UTF_8));
            assertEquals(200, newcomer.send(newcomer.request("POST", "/v1/register",
                    body.getBytes(StandardCharsets.UTF_8), header)).status());
            assertEquals(before + 1, t.server.statistics().rememberedNonces());
            assertTrue(newcomer.send(newcomer.request("POST", "/v1/register", body.getBytes(StandardCharsets.UTF_8),
                    header)).error(401).contains("replayed"));
        }
    }

    private static String legacySignal(String to, String payload) {
        JsonObject body = new JsonObject();
        body.addProperty("from", "flooder");
        body.addProperty("to", to);
        body.addProperty("type", "offer");
        body.addProperty("payload", payload);
        return body.toString();
    }
}
