package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.rendezvous.auth.SignedRequest;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** The authenticated API ({@code /v1}) route by route, with push delivery by long poll. */
class SignedApiTest extends ServerTestCase {

    private static final String OFFER = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"p2pchatIdentity\":{}}";

    private static JsonObject only(Reply fetched) {
        assertEquals(200, fetched.status(), fetched.body());
        JsonArray signals = fetched.json().getAsJsonArray();
        assertEquals(1, signals.size(), fetched.body());
        return signals.get(0).getAsJsonObject();
    }

    @Test
    void infoTellsThisApiFromTheLegacyOne() {
        String service = t.serviceId();
        assertTrue(service.matches("[A-Za-z0-9_-]{22}"), service);
        t.get("/v1/info").assertIs(200, "{\"api\":\"p2pchat-rendezvous\",\"version\":2,\"push\":\"long-poll\","
                + "\"service\":\"" + service + "\",\"turn\":false}");
    }

    @Test
    void registerAnswersTheIdAndTheExpiry() {
        TestPeer alice = new TestPeer(t);
        alice.register("alice", true).assertIs(200, "{\"id\":\"" + alice.id + "\",\"expiresInMs\":120000}");
    }

    @Test
    void onlyListedPeersAreListedAndEveryRegisteredPeerIsFoundById() {
        TestPeer listed = new TestPeer(t);
        TestPeer unlisted = new TestPeer(t);
        listed.register("alice", true);
        t.advance(10);
        unlisted.register("bob", false);
        t.get("/v1/peers").assertIs(200, "{\"peers\":[{\"id\":\"" + listed.id + "\",\"name\":\"alice\","
                + "\"lastSeen\":" + TestServer.T0 + "}],\"next\":null}");
        t.get("/v1/peers/" + unlisted.id).assertIs(200, "{\"id\":\"" + unlisted.id + "\",\"name\":\"bob\","
                + "\"lastSeen\":" + (TestServer.T0 + 10) + "}");
        assertEquals(200, t.get("/v1/peers/" + listed.id).status());
        assertTrue(t.get("/v1/peers/" + new TestPeer(t).id).error(404).contains("is registered"));
    }

    @Test
    void registeringAgainChangesNameAndListing() {
        TestPeer alice = new TestPeer(t);
        alice.register("alice", true);
        t.advance(1000);
        alice.register("alice2", false);
        t.get("/v1/peers").assertIs(200, TestServer.NO_LISTED_PEERS);
        t.get("/v1/peers/" + alice.id).assertIs(200, "{\"id\":\"" + alice.id + "\",\"name\":\"alice2\","
                + "\"lastSeen\":" + (TestServer.T0 + 1000) + "}");
    }

    @Test
    void listedDefaultsToFalse() {
        TestPeer alice = new TestPeer(t);
        assertEquals(200, alice.send("POST", "/v1/register", "{\"name\":\"alice\"}").status());
        t.get("/v1/peers").assertIs(200, TestServer.NO_LISTED_PEERS);
        assertEquals(200, t.get("/v1/peers/" + alice.id).status());
    }

    @Test
    void aSignalIsDeliveredOnceWithItsSenderAndName() {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        alice.register("alice", false);
        bob.register("bob", false);
        Reply sent = bob.signal(alice, "offer", OFFER);
        assertEquals(201, sent.status(), sent.body());
        String signalId = sent.json().getAsJsonObject().get("signalId").getAsString();
        assertEquals("{\"success\":true,\"signalId\":\"" + signalId + "\"}", sent.body());

        alice.fetch(0).assertIs(200, "[{\"id\":\"" + signalId + "\",\"from\":\"" + bob.id + "\",\"fromName\":\"bob\","
                + "\"type\":\"offer\",\"payload\":\"" + OFFER.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"timestamp\":" + TestServer.T0 + "}]");
        alice.fetch(0).assertIs(200, "[]");
        bob.fetch(0).assertIs(200, "[]");
    }

    @Test
    void signalsArriveInOrderAndEveryTypeIsAccepted() {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        alice.register("alice", false);
        bob.register("bob", false);
        String[] types = {"offer", "answer", "ice-candidate", "reconnect-offer", "reconnect-answer", "reject", "cancel"};
        for (String type : types) {
            assertEquals(201, bob.signal(alice, type, type + "-payload").status(), type);
        }
        JsonArray signals = alice.fetch(0).json().getAsJsonArray();
        assertEquals(types.length, signals.size());
        for (int i = 0; i < types.length; i++) {
            assertEquals(types[i], signals.get(i).getAsJsonObject().get("type").getAsString());
            assertEquals(types[i] + "-payload", signals.get(i).getAsJsonObject().get("payload").getAsString());
        }
    }

    @Test
    void aSignalToAnUnregisteredPeerIs404AndFromAnUnregisteredSender409() {
        TestPeer alice = new TestPeer(t);
        TestPeer stranger = new TestPeer(t);
        alice.register("alice", false);
        assertTrue(alice.signal(stranger, "offer", "x").error(404).contains("is registered"));
        assertTrue(stranger.signal(alice, "offer", "x").error(409).contains("POST /v1/register first"));
        assertTrue(stranger.fetch(0).error(409).contains("not registered"));
        alice.fetch(0).assertIs(200, "[]");
    }

    @Test
    void unregisteringRemovesThePeerAndItsSignals() {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        alice.register("alice", true);
        bob.register("bob", false);
        bob.signal(alice, "offer", "x");
        alice.unregister().assertIs(200, "{\"success\":true}");
        t.get("/v1/peers").assertIs(200, TestServer.NO_LISTED_PEERS);
        assertEquals(404, t.get("/v1/peers/" + alice.id).status());
        assertEquals(404, bob.signal(alice, "offer", "y").status());
        assertTrue(alice.unregister().error(409).contains("not registered"), "nothing left to remove");
        alice.register("alice", false);
        alice.fetch(0).assertIs(200, "[]");
    }

    @Test
    void aFullQueueRefusesTheNewestWith429() throws IOException {
        try (TestServer small = new TestServer(TestServer.limits(1000, 2, 10_000, 0, 1, 0))) {
            TestPeer alice = new TestPeer(small);
            TestPeer bob = new TestPeer(small);
            alice.register("alice", false);
            bob.register("bob", false);
            assertEquals(201, bob.signal(alice, "offer", "1").status());
            assertEquals(201, bob.signal(alice, "ice-candidate", "2").status());
            assertTrue(bob.signal(alice, "ice-candidate", "3").error(429).contains("already has 2 queued signals"));
            assertEquals(2, alice.fetch(0).json().getAsJsonArray().size());
            assertEquals(201, bob.signal(alice, "ice-candidate", "3").status(), "room again after a fetch");
        }
    }

    @Test
    void queuedSignalsAreBoundedInBytesInEachApiSeparately() throws IOException {
        try (TestServer small = new TestServer(RendezvousLimits.builder().requestsPerSecond(0)
                .requestsPerKeyPerSecond(0).maxQueuedSignalBytes(3000).build())) {
            TestPeer alice = new TestPeer(small);
            TestPeer bob = new TestPeer(small);
            alice.register("alice", false);
            bob.register("bob", false);
            // Each charged about 1,140 bytes: its payload's 1,000 characters, the string and the signal around them.
            String kilobyte = "x".repeat(1000);
            assertEquals(201, bob.signal(alice, "offer", kilobyte).status());
            assertEquals(201, bob.signal(alice, "ice-candidate", kilobyte).status());
            assertTrue(bob.signal(alice, "ice-candidate", kilobyte).error(503).contains("bytes of queued /v1 signals"));
            assertEquals(201, small.signal("a", "b", "offer", kilobyte).status(), "the legacy API has its own budget");
            assertEquals(201, small.signal("a", "b", "offer", kilobyte).status());
            assertTrue(small.signal("a", "b", "offer", kilobyte).error(503).contains("bytes of queued legacy signals"));
            assertEquals(201, bob.signal(alice, "ice-candidate", "small").status(), "a small one still fits");
            assertEquals(3, alice.fetch(0).json().getAsJsonArray().size());
            assertEquals(201, bob.signal(alice, "ice-candidate", kilobyte).status(), "room again after a fetch");
        }
    }

    @Test
    void aWaitingFetchReturnsTheSignalAsSoonAsItIsPosted() throws Exception {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        alice.register("alice", false);
        bob.register("bob", false);
        int wait = TestServer.LONG_WAIT_SECONDS;
        CompletableFuture<Reply> waiting = alice.fetchAsync(wait);
        t.awaitWaitingFetches(1);
        assertFalse(waiting.isDone(), "nothing queued: the fetch waits");
        long posted = System.nanoTime();
        assertEquals(201, bob.signal(alice, "offer", "pushed").status());
        JsonObject signal = only(TestServer.pushedAnswer(waiting, posted, wait));
        assertEquals("pushed", signal.get("payload").getAsString());
        assertEquals(0, t.server.statistics().waitingFetches());
        alice.fetch(0).assertIs(200, "[]");
    }

    @Test
    void aFetchWithSignalsQueuedReturnsAtOnce() {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        alice.register("alice", false);
        bob.register("bob", false);
        bob.signal(alice, "offer", "queued");
        long started = System.nanoTime();
        assertEquals("queued", only(alice.fetch(30)).get("payload").getAsString());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "did not wait");
    }

    @Test
    void aWaitWithoutSignalsEndsWithAnEmptyList() {
        TestPeer alice = new TestPeer(t);
        alice.register("alice", false);
        alice.fetch(1).assertIs(200, "[]");
        assertEquals(0, t.server.statistics().waitingFetches());
    }

    @Test
    void aNewerFetchEndsTheOlderWithAnEmptyList() throws Exception {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        alice.register("alice", false);
        bob.register("bob", false);
        CompletableFuture<Reply> older = alice.fetchAsync(20);
        t.awaitWaitingFetches(1);
        CompletableFuture<Reply> newer = alice.fetchAsync(20);
        older.get(20, TimeUnit.SECONDS).assertIs(200, "[]");
        t.awaitWaitingFetches(1);
        assertFalse(newer.isDone());
        bob.signal(alice, "answer", "to the newer");
        assertEquals("to the newer", only(newer.get(20, TimeUnit.SECONDS)).get("payload").getAsString());
    }

    @Test
    void waitingFetchesOfDifferentPeersAreIndependent() throws Exception {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        TestPeer carol = new TestPeer(t);
        alice.register("alice", false);
        bob.register("bob", false);
        carol.register("carol", false);
        CompletableFuture<Reply> aliceWaits = alice.fetchAsync(20);
        CompletableFuture<Reply> bobWaits = bob.fetchAsync(20);
        t.awaitWaitingFetches(2);
        carol.signal(bob, "offer", "for bob");
        assertEquals("for bob", only(bobWaits.get(20, TimeUnit.SECONDS)).get("payload").getAsString());
        assertFalse(aliceWaits.isDone(), "alice has nothing and still waits");
        carol.signal(alice, "offer", "for alice");
        assertEquals("for alice", only(aliceWaits.get(20, TimeUnit.SECONDS)).get("payload").getAsString());
    }

    @Test
    void aWaitingFetchKeepsItsPeerPresent() throws Exception {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        alice.register("alice", true);
        CompletableFuture<Reply> waiting = alice.fetchAsync(20);
        t.awaitWaitingFetches(1);
        t.advance(200_000);
        t.server.sweep();
        assertEquals(200, t.get("/v1/peers/" + alice.id).status(), "waiting for 200 s (by the clock) and present");
        assertEquals(1, t.listedPeers().size());
        bob.register("bob", false);
        bob.signal(alice, "offer", "late");
        assertEquals("late", only(waiting.get(20, TimeUnit.SECONDS)).get("payload").getAsString());
        t.advance(120_000);
        t.server.sweep();
        assertEquals(200, t.get("/v1/peers/" + alice.id).status(), "the end of the wait counts as seen");
        t.advance(1);
        assertEquals(404, t.get("/v1/peers/" + alice.id).status());
    }

    @Test
    void peersExpire120SecondsAfterTheirLastRegisterOrFetch() {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        alice.register("alice", true);
        bob.register("bob", true);
        t.advance(100_000);
        alice.fetch(0);
        t.advance(20_000);
        assertEquals(2, t.listedPeers().size(), "exactly 120 s is still alive");
        t.advance(1);
        assertEquals(1, t.listedPeers().size(), "bob expired");
        assertEquals(404, t.get("/v1/peers/" + bob.id).status());
        assertEquals(409, bob.fetch(0).status(), "bob must register again");
        t.server.sweep();
        assertEquals(1, t.server.statistics().v1Peers());
        t.advance(100_000);
        t.server.sweep();
        t.get("/v1/peers").assertIs(200, TestServer.NO_LISTED_PEERS);
        assertEquals(0, t.server.statistics().v1Peers());
        assertEquals(200, bob.register("bob", true).status(), "registering again works");
    }

    @Test
    void signalsExpireAfter60Seconds() {
        TestPeer alice = new TestPeer(t);
        TestPeer bob = new TestPeer(t);
        alice.register("alice", false);
        bob.register("bob", false);
        bob.signal(alice, "offer", "old");
        t.advance(30_000);
        bob.signal(alice, "answer", "new");
        t.advance(30_001);
        assertEquals("new", only(alice.fetch(0)).get("payload").getAsString());
        bob.signal(alice, "offer", "unread");
        t.advance(60_001);
        t.server.sweep();
        assertEquals(0, t.server.statistics().queuedSignals());
        alice.fetch(0).assertIs(200, "[]");
    }

    @Test
    void theClosingServerEndsWaitingFetchesAtOnce() throws Exception {
        TestServer closing = new TestServer(TestServer.limits(1000, 256, 10_000, 0, 1, 0));
        TestPeer alice = new TestPeer(closing);
        alice.register("alice", false);
        long started = System.nanoTime();
        CompletableFuture<Reply> waiting = alice.fetchAsync(30);
        closing.awaitWaitingFetches(1);
        closing.server.close();
        try {
            Reply reply = waiting.get(30, TimeUnit.SECONDS);
            assertTrue(reply.error(503).contains("shutting down"));
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof IOException, "the connection may close instead: " + e.getCause());
        } finally {
            closing.client.close();
        }
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "ended before its wait");
    }

    @Test
    void tooManyWaitingFetchesAre503() throws Exception {
        try (TestServer small = new TestServer(RendezvousLimits.builder().requestsPerSecond(0)
                .requestsPerKeyPerSecond(0).maxWaitingFetches(1).build())) {
            TestPeer alice = new TestPeer(small);
            TestPeer bob = new TestPeer(small);
            alice.register("alice", false);
            bob.register("bob", false);
            CompletableFuture<Reply> waiting = alice.fetchAsync(20);
            small.awaitWaitingFetches(1);
            assertTrue(bob.fetch(5).error(503).contains("waiting fetches"));
            bob.fetch(0).assertIs(200, "[]");
            assertEquals(201, bob.signal(alice, "offer", "x").status());
            assertEquals(1, waiting.get(20, TimeUnit.SECONDS).json().getAsJsonArray().size());
        }
    }

    @Test
    void theProfilesIdentityServiceSignsRequestsTheServiceAccepts(@TempDir Path profile) throws IOException {
        Ed25519IdentityService identity = new Ed25519IdentityService(profile);
        t.clock.set(System.currentTimeMillis()); // the service signs with the real time
        byte[] body = "{\"name\":\"alice\",\"listed\":true}".getBytes(StandardCharsets.UTF_8);
        SignedRequest signed = SignedRequest.sign(identity.self(), identity::sign, t.serviceId(), "POST", "/v1/register", body);
        Reply reply = t.send(t.request("/v1/register").header("Content-Type", "application/json")
                .header("Authorization", signed.toHeader()).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(200, reply.status(), reply.body());
        assertEquals(identity.self().key(), reply.json().getAsJsonObject().get("id").getAsString());
        assertEquals(200, t.get("/v1/peers/" + identity.self().key()).status());
    }
}
