package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.core.signaling.ConnectionProvider;

/**
 * The client's methods follow the providers registered (by service ranking) and its events reach
 * every subscriber in order on the subscriber's executor, whatever another subscriber does.
 */
class ClientEventsTest {

    @TempDir
    Path work;
    Peers.Person alice;
    ConnectionProvider manual;
    ExecutorService pool = Executors.newFixedThreadPool(4);

    @BeforeEach
    void start() throws Exception {
        manual = Peers.manual();
        alice = Peers.person("alice", work.resolve("alice"), null, manual);
    }

    @AfterEach
    void stop() {
        alice.close();
        pool.shutdownNow();
    }

    @Test
    void methodsFollowTheRegisteredProvidersByRanking() throws Exception {
        assertEquals(List.of("manual"), alice.client().methods().stream().map(ConnectionMethod::id).toList());
        InTheMiddle folder = Peers.folderProvider();
        Peers.meetIn(alice, work.resolve("mailbox"));
        alice.factory().register(folder, 100);
        ClientEvent.MethodsChanged added = alice.events().await(ClientEvent.MethodsChanged.class,
                m -> m.methods().size() == 2);
        assertEquals(List.of(folder.id(), "manual"), added.methods().stream().map(ConnectionMethod::id).toList(),
                "highest ranking first");
        alice.client().goOnline(folder.id());
        assertTrue(alice.client().methods().get(0).online());

        alice.factory().unregister(folder);
        alice.events().await(ClientEvent.MethodsChanged.class, m -> m.methods().size() == 1);
        assertEquals(List.of("manual"), alice.client().methods().stream().map(ConnectionMethod::id).toList());
        assertFalse(alice.client().methods().get(0).online(), "the manual exchange was never taken online");
    }

    @Test
    void aSubscriberThatThrowsStopsNobodyAndEachGetsEveryEventInOrder() throws Exception {
        alice.client().subscribe(Runnable::run, e -> {
            throw new IllegalStateException("a careless view");
        });
        Events pooled = new Events("alice, on a pool");
        alice.client().subscribe(pool, pooled);
        Events afterTheCareless = new Events("alice, after the careless one");
        alice.client().subscribe(Runnable::run, afterTheCareless);

        InTheMiddle folder = Peers.folderProvider();
        for (int i = 0; i < 20; i++) {
            alice.factory().register(folder, i);
            alice.factory().unregister(folder);
        }
        List<Integer> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(2);
            expected.add(1);
        }
        assertEquals(expected, sizes(afterTheCareless, 40), "every event, in order, after a subscriber that threw");
        assertEquals(expected, sizes(pooled, 40), "every event, in order, on an executor of several threads");
    }

    /** The number of methods in each MethodsChanged, once {@code count} of them came. */
    static List<Integer> sizes(Events events, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Events.TIMEOUT_SECONDS);
        while (events.of(ClientEvent.MethodsChanged.class).size() < count) {
            assertTrue(System.nanoTime() < deadline, "only " + events.of(ClientEvent.MethodsChanged.class).size()
                    + " of " + count + " events came");
            Thread.sleep(20);
        }
        return events.of(ClientEvent.MethodsChanged.class).stream().map(m -> m.methods().size()).toList();
    }
}
