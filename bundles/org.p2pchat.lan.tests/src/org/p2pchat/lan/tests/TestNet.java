package org.p2pchat.lan.tests;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.p2pchat.lan.LanSettings;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Where the tests' clients meet: the test namespace's veth address 192.0.2.1 only (every client of
 * a test on it, so each hears the others' announcements looped back there), never the machine's own
 * interfaces, and a group port of each test's own so that tests do not hear each other.
 */
final class TestNet {

    private static final AtomicInteger PORTS = new AtomicInteger(47400 + (int) (ProcessHandle.current().pid() % 500));

    private TestNet() {
    }

    /** Checks that we run inside testnet.sh's namespace and returns settings for a fresh group port. */
    static LanSettings settings() {
        NetworkIsolation.requireIsolatedNetwork();
        return new LanSettings(false, null, PORTS.incrementAndGet(), List.of(NetworkIsolation.TEST_ADDRESS));
    }
}
