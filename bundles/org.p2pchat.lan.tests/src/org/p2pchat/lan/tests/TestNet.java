package org.p2pchat.lan.tests;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.lan.LanSettings;
import org.p2pchat.lan.internal.Announcement;
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

    /**
     * The next announcement by {@code who} in the group of {@code net}, read as anyone on the network
     * can (its offer address, say). Start it before {@code who} announces, or wait a round.
     */
    static Announcement heard(LanSettings net, PublicIdentity who) throws Exception {
        InetAddress group = InetAddress.getByName(net.group());
        try (MulticastSocket listener = new MulticastSocket(null)) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(group, net.port()));
            listener.joinGroup(new InetSocketAddress(group, 0),
                    NetworkInterface.getByInetAddress(InetAddress.getByName(NetworkIsolation.TEST_ADDRESS)));
            listener.setSoTimeout(30_000);
            while (true) {
                byte[] buffer = new byte[2048];
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                listener.receive(p);
                Announcement a = Announcement.parse(buffer, p.getLength());
                if (a.identity().equals(who)) {
                    return a;
                }
            }
        }
    }
}
