package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;

/**
 * Many senders and fetchers at once: every signal is delivered exactly once; registrations racing
 * with their own unregistration leave the directory listing exactly the registered peers.
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
            for (int p = 0; p < 6; p++) {
                TestPeer peer = new TestPeer(t);
                peers.add(peer);
                racers.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        assertEquals(200, peer.register("racer", true).status());
                    }
                }));
                racers.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        // 409 when the racing registration has not (re)registered it yet.
                        int status = peer.unregister().status();
                        assertTrue(status == 200 || status == 409, "DELETE answered " + status);
                    }
                }));
            }
            for (Future<?> racer : racers) {
                racer.get();
            }
            Set<String> registered = new TreeSet<>();
            for (TestPeer peer : peers) {
                if (t.get("/v1/peers/" + peer.id).status() == 200) {
                    registered.add(peer.id);
                }
            }
            Set<String> listed = new TreeSet<>();
            t.listedPeers().forEach(e -> listed.add(e.getAsJsonObject().get("id").getAsString()));
            assertEquals(registered, listed, "every registered peer is listed (all register listed), no other");
        }
    }
}
