package org.p2pchat.lan.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.lan.LanSettings;
import org.p2pchat.lan.internal.Announcement;
import org.p2pchat.lan.internal.LanLink;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Mallory connects to alice's announced offer port: lines that are no offers and lines too long
 * are refused with a reason, connections beyond the pending-offer slots are closed at once, and
 * once mallory lets go an honest peer's offer arrives as ever.
 */
class HostileOffersTest {

    private static final int SLOTS = 2;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private Socket connect(Announcement a) throws Exception {
        Socket s = new Socket();
        open.add(s);
        s.bind(new InetSocketAddress(NetworkIsolation.TEST_PEER_ADDRESS, 0));
        s.connect(new InetSocketAddress(a.address(), a.port()), 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    /** Sends {@code line} and returns alice's reply once she has closed the connection (and freed its slot). */
    private static String reply(Socket s, String line) throws Exception {
        s.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        String reply = in.readLine();
        try {
            assertEquals(null, in.readLine(), "closed after the reply");
        } catch (java.net.SocketException e) { // reset: closed with part of a too long line unread
        }
        return reply;
    }

    @Test
    void garbageAndFloodsOnTheOfferPortAreRefusedAndHonestOffersStillArrive() throws Exception {
        LanSettings net = TestNet.settings();
        TestClient alice = new TestClient("alice", net);
        LanLink.Timings timings = new LanLink.Timings(Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMinutes(1), 16, SLOTS, Duration.ofSeconds(10));
        CompletableFuture<Announcement> announced = CompletableFuture.supplyAsync(() -> {
            try {
                return TestNet.heard(net, alice.self);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200); // the listener joins before alice announces every second: at worst one round later
        LanLink a = new LanLink(alice, net, timings);
        open.add(a);
        Announcement at = announced.get(30, TimeUnit.SECONDS);

        String refused = reply(connect(at), "not json\n");
        assertTrue(refused.contains("\"type\":\"reject\"") && refused.contains("malformed offer"), refused);
        String deep = reply(connect(at), "[".repeat(60_000) + "\n");
        assertTrue(deep.contains("\"type\":\"reject\"") && deep.contains("malformed offer"), deep);
        String tooLong = reply(connect(at), "{\"type\":\"offer\",\"x\":\"" + "A".repeat(70_000) + "\"}\n");
        assertTrue(tooLong.contains("\"type\":\"reject\"") && tooLong.contains("more than 65536 bytes"), tooLong);

        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            silent.add(connect(at)); // each holds a slot until it sends a line or times out
        }
        Thread.sleep(500); // let alice take them
        Socket extra = connect(at);
        assertEquals(-1, extra.getInputStream().read(), "closed at once: every slot is taken");

        for (Socket s : silent) {
            s.close();
        }
        TestClient bob = new TestClient("bob", net);
        LanLink b = new LanLink(bob, net, timings);
        open.add(b);
        bob.awaitPeers(() -> b.address(alice.self.key()).isPresent(), "alice");
        CompletableFuture<PeerAnswer> answer = b.send(b.address(alice.self.key()).orElseThrow(),
                SignedDescription.unsigned(LanProviderTest.OFFER), false).answer();
        alice.offers.poll(30, TimeUnit.SECONDS).answer(SignedDescription.unsigned(LanProviderTest.ANSWER));
        assertEquals(LanProviderTest.ANSWER, answer.get(30, TimeUnit.SECONDS).answer().description());
    }
}
