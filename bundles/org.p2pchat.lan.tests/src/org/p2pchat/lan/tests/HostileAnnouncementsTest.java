package org.p2pchat.lan.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.lan.LanSettings;
import org.p2pchat.lan.internal.Announcement;
import org.p2pchat.lan.internal.LanLink;
import org.p2pchat.lan.internal.Refusal;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Someone on the network (mallory, at 192.0.2.2) sends what a client must survive: datagrams that
 * are no announcements, too big, signed by another key than the one they name, changed on the way,
 * sent from another address than they announce, recorded and played back. Each is ignored, counted
 * and logged; the link goes on listing the honest peers.
 */
class HostileAnnouncementsTest {

    private static final long WAIT_SECONDS = 30;
    private final List<AutoCloseable> open = new ArrayList<>();
    private LanSettings net;
    private MulticastSocket mallory;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private LanLink link(TestClient client, LanLink.Timings timings) throws Exception {
        LanLink link = new LanLink(client, client.settings, timings);
        open.add(link);
        client.online.get(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        return link;
    }

    /** Mallory's socket: from 192.0.2.2, sent on the test interface the clients listen on. */
    private void mallory() throws IOException {
        net = TestNet.settings();
        mallory = new MulticastSocket(new InetSocketAddress(NetworkIsolation.TEST_PEER_ADDRESS, 0));
        open.add(mallory);
        mallory.setNetworkInterface(NetworkInterface.getByInetAddress(InetAddress.getByName(NetworkIsolation.TEST_ADDRESS)));
        mallory.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
    }

    private void send(byte[] data) throws IOException {
        mallory.send(new DatagramPacket(data, data.length, InetAddress.getByName(net.group()), net.port()));
    }

    private void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** An announcement by {@code client} at mallory's address, signed {@code agoMillis} ago. */
    private static Announcement announcement(TestClient client, long agoMillis) throws IOException {
        return Announcement.sign(client.self, client.name, InetAddress.getByName(NetworkIsolation.TEST_PEER_ADDRESS),
                40000, System.currentTimeMillis() - agoMillis, (c, m) -> TestClient.sign(client.keys, c, m));
    }

    private static void await(Supplier<Boolean> condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what.get());
            }
            Thread.sleep(20);
        }
    }

    private static List<String> names(LanLink link) {
        return link.peers().join().stream().map(PeerAddress::name).sorted().toList();
    }

    @Test
    void hostileAnnouncementsAreIgnoredAndCountedAndHonestPeersStillListed() throws Exception {
        mallory();
        TestClient alice = new TestClient("alice", net);
        LanLink a = link(alice, LanLink.Timings.DEFAULT);
        TestClient victim = new TestClient("victim", net);
        TestClient eve = new TestClient("eve", net);
        TestClient dave = new TestClient("dave", net);

        send("not an announcement");
        send("{\"v\":1}");
        send("[".repeat(1000)); // nested deeper than any parser should follow
        send(new String(announcement(eve, 0).toDatagram(), StandardCharsets.UTF_8).replace("\"eve\"",
                "\"e\\u0000ve\\u202e\"")); // a name with invisible characters
        byte[] big = Arrays.copyOf(announcement(eve, 0).toDatagram(), 4000);
        Arrays.fill(big, 600, big.length, (byte) ' ');
        send(big);
        // Spoofed: names the victim's key, signed by eve's.
        Announcement v = announcement(victim, 0);
        send(Announcement.sign(victim.self, "victim", v.address(), v.port(), (c, m) -> TestClient.sign(eve.keys, c, m))
                .toDatagram());
        // Changed on the way: eve's own announcement with another port.
        send(new String(announcement(eve, 0).toDatagram(), StandardCharsets.UTF_8).replace(":40000", ":40001"));
        // Sent from 192.0.2.2 but announcing 192.0.2.1.
        send(Announcement.sign(eve.self, "eve", InetAddress.getByName(NetworkIsolation.TEST_ADDRESS), 40000,
                (c, m) -> TestClient.sign(eve.keys, c, m)).toDatagram());
        // Recorded ten minutes ago.
        send(announcement(eve, 600_000).toDatagram());
        // Dave's honest announcements, then the older one played back.
        Announcement older = announcement(dave, 2000);
        send(older.toDatagram());
        send(announcement(dave, 1000).toDatagram());
        send(older.toDatagram());

        Map<Refusal, Long> expected = new EnumMap<>(Map.of(Refusal.MALFORMED, 4L, Refusal.OVERSIZED, 1L,
                Refusal.BAD_SIGNATURE, 2L, Refusal.WRONG_SOURCE, 1L, Refusal.REPLAYED, 2L, Refusal.TABLE_FULL, 0L, Refusal.RATE_LIMITED, 0L));
        await(() -> a.refusals().equals(expected), () -> "refusals " + a.refusals() + ", expected " + expected);
        assertEquals(List.of("dave"), names(a), "only the honest peer is listed");
        assertEquals(ProviderStatus.State.ONLINE, a.status().get(0).state());

        TestClient bob = new TestClient("bob", net); // a real client, heard after all that
        link(bob, LanLink.Timings.DEFAULT);
        alice.awaitPeers(() -> names(a).contains("bob"), "bob");
        assertEquals(List.of("bob", "dave"), names(a));
    }

    /** A flood of forged announcements costs a bounded number of signature checks; honest peers still get through. */
    @Test
    void aFloodFromOneAddressIsCutToAFewDatagramsASecond() throws Exception {
        mallory();
        TestClient alice = new TestClient("alice", net);
        LanLink a = link(alice, LanLink.Timings.DEFAULT);
        TestClient victim = new TestClient("victim", net);
        TestClient eve = new TestClient("eve", net);
        byte[] forged = Announcement.sign(victim.self, "victim", InetAddress.getByName(NetworkIsolation.TEST_PEER_ADDRESS),
                40000, (c, m) -> TestClient.sign(eve.keys, c, m)).toDatagram();
        long start = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            send(forged);
        }
        TestClient bob = new TestClient("bob", net); // from 192.0.2.1: counted apart
        link(bob, LanLink.Timings.DEFAULT);
        // Bob's announcement came after the flood on the same socket: once he is listed, all that
        // arrived of the flood (the kernel drops much of such a burst) has been looked at.
        alice.awaitPeers(() -> names(a).equals(List.of("bob")), "bob");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L + 1;
        Map<Refusal, Long> refusals = a.refusals();
        assertTrue(refusals.get(Refusal.RATE_LIMITED) > 0, refusals.toString());
        assertTrue(refusals.get(Refusal.BAD_SIGNATURE) <= 20 * seconds, refusals + " in " + seconds + " s");
    }

    @Test
    void thePeerTableIsBoundedAndForgetsPeersNotHeardFrom() throws Exception {
        mallory();
        TestClient alice = new TestClient("alice", net);
        LanLink a = link(alice, new LanLink.Timings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofMinutes(1), 3, 4, Duration.ofSeconds(10)));
        for (int i = 0; i < 5; i++) {
            send(announcement(new TestClient("p" + i, net), 0).toDatagram());
        }
        await(() -> a.refusals().get(Refusal.TABLE_FULL) == 2, () -> "refusals " + a.refusals());
        assertEquals(List.of("p0", "p1", "p2"), names(a), "the first three; the rest refused while it is full");

        alice.awaitPeers(() -> names(a).isEmpty(), "the silent peers forgotten");
        send(announcement(new TestClient("p5", net), 0).toDatagram());
        alice.awaitPeers(() -> names(a).equals(List.of("p5")), "room for a new peer");
        assertTrue(a.refusals().get(Refusal.TABLE_FULL) == 2);
    }
}
