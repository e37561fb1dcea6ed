package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

import com.google.gson.JsonElement;

/**
 * Many peers waiting at once, signals pushed to them by several senders while they re-poll: every
 * signal is delivered exactly once, and the waiting fetches all end.
 */
class LongPollConcurrencyTest {

    private static final int RECIPIENTS = 200;
    private static final int SENDERS = 4;
    private static final int PER_SENDER = 300;

    @Test
    void signalsPushedToManyWaitingPeersAreDeliveredExactlyOnce() throws Exception {
        // Every recipient waits from 127.0.0.1: that address's share of waiting fetches is all of them.
        try (TestServer t = new TestServer(TestServer.limits(10_000, 10_000, 100_000, 0, 1, 0).toBuilder()
                .maxWaitingFetchesPerAddress(RECIPIENTS).build());
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<TestPeer> recipients = new ArrayList<>();
            for (int i = 0; i < RECIPIENTS; i++) {
                TestPeer peer = new TestPeer(t);
                assertEquals(200, peer.register("r" + i, false).status());
                recipients.add(peer);
            }
            List<CompletableFuture<Reply>> firstWaits = new ArrayList<>();
            for (TestPeer peer : recipients) {
                firstWaits.add(peer.fetchAsync(20));
            }
            t.awaitWaitingFetches(RECIPIENTS);

            Set<String> delivered = ConcurrentHashMap.newKeySet();
            Set<String> duplicates = ConcurrentHashMap.newKeySet();
            List<Future<?>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                TestPeer peer = new TestPeer(t);
                assertEquals(200, peer.register("s" + s, false).status());
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < PER_SENDER; i++) {
                        Reply sent = peer.signal(recipients.get((i * 7 + sender) % RECIPIENTS), "ice-candidate",
                                sender + ":" + i);
                        assertEquals(201, sent.status(), sent.body());
                    }
                }));
            }
            List<Future<?>> fetchers = new ArrayList<>();
            for (int r = 0; r < RECIPIENTS; r++) {
                CompletableFuture<Reply> first = firstWaits.get(r);
                TestPeer peer = recipients.get(r);
                fetchers.add(pool.submit(() -> {
                    Reply reply = first.get(30, TimeUnit.SECONDS);
                    while (true) {
                        assertEquals(200, reply.status(), reply.body());
                        for (JsonElement signal : reply.json().getAsJsonArray()) {
                            String payload = signal.getAsJsonObject().get("payload").getAsString();
                            if (!delivered.add(payload)) {
                                duplicates.add(payload);
                            }
                        }
                        if (delivered.size() >= SENDERS * PER_SENDER) {
                            return null;
                        }
                        reply = peer.fetch(1);
                    }
                }));
            }
            for (Future<?> f : senders) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (Future<?> f : fetchers) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertTrue(duplicates.isEmpty(), "delivered twice: " + duplicates);
            assertEquals(SENDERS * PER_SENDER, delivered.size());
            assertEquals(0, t.server.statistics().queuedSignals());
            t.awaitWaitingFetches(0);
            assertEquals(200, t.get("/health").status());
        }
    }
}
