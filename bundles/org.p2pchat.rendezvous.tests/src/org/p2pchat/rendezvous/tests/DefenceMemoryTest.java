package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;

import org.junit.jupiter.api.Test;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

/**
 * The memory the service's own defences take is bounded, as the relay README's Operations table
 * says: a full replay memory ({@code max-remembered-nonces}) refuses signed requests with 503 and
 * recovers when its oldest second leaves the time window; beyond {@code max-tracked-addresses}
 * client addresses and {@code max-tracked-keys} identity keys the rate limiters put every further
 * one into one shared bucket, while the tracked ones keep their own.
 */
class DefenceMemoryTest {

    private static final RendezvousLimits OPEN = TestServer.limits(200_000, 256, 1_000_000, 0, 1, 0);

    @Test
    void aFullNonceMemoryAnswers503UntilItsRequestsLeaveTheTimeWindow() throws IOException {
        RendezvousLimits limits = OPEN.toBuilder().maxRememberedNonces(3).build();
        try (TestServer t = new TestServer(limits)) {
            TestPeer alice = new TestPeer(t);
            assertEquals(200, alice.register("alice", false).status());
            assertEquals(200, alice.fetch(0).status());
            assertEquals(200, alice.fetch(0).status());
            assertEquals(3, t.server.statistics().rememberedNonces());

            Reply full = alice.fetch(0);
            assertTrue(full.error(503).contains("maximum of nonces"), full.body());
            assertEquals("1", full.response().headers().firstValue("Retry-After").orElse(null));
            Reply newcomer = new TestPeer(t).register("bob", true);
            assertTrue(newcomer.error(503).contains("maximum of nonces"), newcomer.body());
            assertEquals(3, t.server.statistics().rememberedNonces(), "nothing remembered beyond the maximum");
            assertEquals(200, t.get("/health").status(), "still serving");

            t.advance(limits.maxClockSkewMillis() + 2_000);
            t.server.sweep();
            assertEquals(0, t.server.statistics().rememberedNonces(), "the old requests' second was forgotten");
            assertEquals(200, alice.fetch(0).status(), "room again");
        }
    }

    @Test
    void addressesBeyondTheTrackedMaximumShareOneBucket() throws IOException {
        // Burst 2, and the clock stands still: no bucket refills during the test.
        RendezvousLimits limits = TestServer.limits(200_000, 256, 1_000_000, 1, 2, 0).toBuilder()
                .maxTrackedAddresses(1).build();
        try (TestServer t = new TestServer(limits);
                HttpClient second = TestServer.clientFrom("127.0.0.2");
                HttpClient third = TestServer.clientFrom("127.0.0.3")) {
            assertEquals(200, health(t, t.client), "127.0.0.1 is tracked: the maximum of one");

            assertEquals(200, health(t, second));
            assertEquals(200, health(t, second));
            assertEquals(429, health(t, second), "an untracked address has the shared bucket's burst");
            assertEquals(429, health(t, third), "another untracked address shares that (empty) bucket");

            assertEquals(200, health(t, t.client), "the tracked address still has its own second request");
            assertEquals(429, health(t, t.client));
        }
    }

    @Test
    void keysBeyondTheTrackedMaximumShareOneBucket() throws IOException {
        RendezvousLimits limits = OPEN.toBuilder().requestsPerKeyPerSecond(1).requestBurstPerKey(3)
                .maxTrackedKeys(1).build();
        try (TestServer t = new TestServer(limits)) {
            TestPeer alice = new TestPeer(t);
            TestPeer bob = new TestPeer(t);
            TestPeer carol = new TestPeer(t);
            assertEquals(200, alice.register("alice", false).status(), "alice's key is tracked: the maximum of one");

            assertEquals(200, bob.register("bob", false).status());
            assertEquals(200, bob.fetch(0).status());
            assertEquals(200, carol.register("carol", false).status(), "the third request of the shared bucket");
            assertTrue(carol.fetch(0).error(429).contains("identity key"));
            assertEquals(429, bob.fetch(0).status(), "bob shares carol's (empty) bucket");

            assertEquals(200, alice.fetch(0).status(), "the tracked key keeps its own bucket");
            assertEquals(200, alice.fetch(0).status());
            assertEquals(429, alice.fetch(0).status(), "and its own burst of 3");
        }
    }

    private static int health(TestServer t, HttpClient from) {
        return t.send(from, t.request("/health").GET()).status();
    }
}
