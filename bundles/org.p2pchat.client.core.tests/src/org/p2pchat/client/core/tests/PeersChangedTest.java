package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.lan.LanSettings;
import org.p2pchat.testing.NetworkIsolation;

/**
 * A method that finds peers without a server (the real local network provider) says when its
 * peers change; the client layer turns that into {@link ClientEvent.PeersChanged} with the list,
 * so views refresh without the person asking: alice sees bob come without ever listing peers.
 */
class PeersChangedTest {

    /** A group port of this run's own, so that parallel runs and other tests do not hear each other. */
    private static final AtomicInteger PORTS = new AtomicInteger(47900 + (int) (ProcessHandle.current().pid() % 90));

    @TempDir
    Path work;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void peersFoundOnTheLocalNetworkArriveAsAnEventWithTheList() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        LanSettings lan = new LanSettings(false, null, PORTS.incrementAndGet(), List.of(NetworkIsolation.TEST_ADDRESS));
        ConnectionProvider provider = lanProvider();
        Peers.Person alice = Peers.person("alice", work.resolve("alice"), null, provider);
        open.add(alice);
        alice.settings().section(LanSettings.SECTION).write(lan);
        alice.client().goOnline(LanSettings.SECTION);

        Peers.Person bob = Peers.person("bob", work.resolve("bob"), null, provider);
        open.add(bob);
        bob.settings().section(LanSettings.SECTION).write(lan);
        bob.client().goOnline(LanSettings.SECTION);

        String bobKey = bob.client().self().key();
        ClientEvent.PeersChanged seen = alice.events().await(ClientEvent.PeersChanged.class,
                e -> e.methodId().equals(LanSettings.SECTION) && e.peers().stream().anyMatch(p -> isKey(p, bobKey)));
        assertTrue(seen.peers().stream().noneMatch(p -> isKey(p, alice.client().self().key())), "never ourselves");
    }

    private static boolean isKey(PeerAddress p, String key) {
        return p.identity().filter(i -> i.key().equals(key)).isPresent();
    }

    /** The local network provider as the framework registers it. */
    private static ConnectionProvider lanProvider() throws Exception {
        for (Bundle b : FrameworkUtil.getBundle(PeersChangedTest.class).getBundleContext().getBundles()) {
            if (b.getSymbolicName().equals("org.p2pchat.lan")) {
                b.start(Bundle.START_ACTIVATION_POLICY);
            }
        }
        return Peers.provider(LanSettings.SECTION);
    }
}
