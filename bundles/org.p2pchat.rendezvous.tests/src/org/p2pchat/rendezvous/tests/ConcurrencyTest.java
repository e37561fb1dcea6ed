package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;

/**
 * Many senders and fetchers at once: every signal is delivered exactly once; registrations racing
 * with their own unregistration, interleaved for real, leave the directory listing exactly the
 * registered peers.
 */
class ConcurrencyTest {

    private static final int SENDERS = 8;
    private static final int PER_SENDER = 150;
    private static final int RECIPIENTS = 4;

    @Test
    void concurrentSignalsAreDeliveredExactlyOnce() throws Exception {
        try (TestServer t = new TestServer(TestServer.limits(1000, 10_000, 100_000, 0, 1, 0));
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Set<String> delivered = ConcurrentHashMap.newKeySet();
            List<String> duplicates = new ArrayList<>();
            AtomicBoolean sending = new AtomicBoolean(true);
            List<Future<?>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < PER_SENDER; i++) {
                        assertEquals(201, t.signal("s" + sender, "r" + i % RECIPIENTS, "ice-candidate",
                                sender + ":" + i).status());
                        t.register("s" + sender, "sender");
                    }
                }));
            }
            List<Future<?>> fetchers = new ArrayList<>();
            for (int r = 0; r < RECIPIENTS; r++) {
                String recipient = "r" + r;
                fetchers.add(pool.submit(() -> {
                    boolean last = false;
                    while (!last) {
                        last = !sending.get();
                        for (JsonElement signal : t.get("/signal/" + recipient).json().getAsJsonArray()) {
                            String payload = signal.getAsJsonObject().get("payload").getAsString();
                            if (!delivered.add(payload)) {
                                synchronized (duplicates) {
                                    duplicates.add(payload);
                                }
                            }
                        }
                        t.get("/peers");
                    }
                }));
            }
            for (Future<?> f : senders) {
                f.get();
            }
            sending.set(false);
            for (Future<?> f : fetchers) {
                f.get();
            }
            assertTrue(duplicates.isEmpty(), "delivered twice: " + duplicates);
            assertEquals(SENDERS * PER_SENDER, delivered.size());
            assertEquals(SENDERS, t.get("/peers").json().getAsJsonArray().size());
        }
    }

    @Test
    void theListingMatchesTheRegisteredPeersAfterRegisteringAndLeavingRace() throws Exception {
        try (TestServer t = new TestServer(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<TestPeer> peers = new ArrayList<>();
            List<Future<?>> racers = new ArrayList<>();
            AtomicInteger removals = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            for (int p = 0; p < 6; p++) {
                TestPeer peer = new TestPeer(t);
                peers.add(peer);
                racers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 60; i++) {
                        assertEquals(200, peer.register("racer", true).status());
                    }
                    return null;
                }));
                racers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 60; i++) {
                        // 409 when the racing registration has not (re)registered it yet.
                        int status = peer.unregister().status();
                        assertTrue(status == 200 || status == 409, "DELETE answered " + status);
                        if (status == 200) {
                            removals.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> racer : racers) {
                racer.get();
            }
            // Each peer's registrations and removals ran one after the other: at most one removal
            // each. More than one for a peer means a registration came between two of its removals.
            assertTrue(removals.get() > peers.size(), "registering and leaving did not interleave ("
                    + removals.get() + " removals of " + peers.size() + " peers): no race was tested");

            // After the race each peer's state is set once more, so the outcome is known: the even
            // peers registered, the odd ones gone. The directory must agree entry by entry.
            Set<String> expected = new TreeSet<>();
            for (int p = 0; p < peers.size(); p++) {
                TestPeer peer = peers.get(p);
                if (p % 2 == 0) {
                    assertEquals(200, peer.register("racer", true).status());
                    expected.add(peer.id);
                } else {
                    int status = peer.unregister().status();
                    assertTrue(status == 200 || status == 409, "DELETE answered " + status);
                }
            }
            Set<String> registered = new TreeSet<>();
            for (TestPeer peer : peers) {
                if (t.get("/v1/peers/" + peer.id).status() == 200) {
                    registered.add(peer.id);
                }
            }
            assertEquals(expected, registered, "the peers registered last are registered, the others not");
            Set<String> listed = new TreeSet<>();
            t.listedPeers().forEach(e -> listed.add(e.getAsJsonObject().get("id").getAsString()));
            assertEquals(expected, listed, "every registered peer is listed (all register listed), no other");
            assertEquals(expected.size(), t.server.statistics().v1Peers(), t.server.statistics().toString());
        }
    }
}
