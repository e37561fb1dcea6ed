package org.p2pchat.lan.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityProof;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.lan.LanSettings;
import org.p2pchat.lan.internal.LanLink;

/**
 * The provider as the client layer meets it, through the SPI: clients on the test network's
 * interface find each other by their signed announcements and carry offers and answers over TCP.
 */
class LanProviderTest {

    static final long WAIT_SECONDS = 30;
    static final SessionDescription OFFER = new SessionDescription(SessionDescription.Type.OFFER,
            "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\na=fingerprint:sha-256 AB:CD\r\n");
    static final SessionDescription ANSWER = new SessionDescription(SessionDescription.Type.ANSWER,
            "v=0\r\no=- 3 4 IN IP4 192.0.2.1\r\na=fingerprint:sha-256 EF:01\r\n");

    private final List<ProviderLink> links = new ArrayList<>();

    @AfterEach
    void close() {
        links.forEach(ProviderLink::close);
    }

    private ProviderLink start(TestClient client) throws Exception {
        ProviderLink link = provider().start(client);
        links.add(link);
        client.online.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return link;
    }

    private static List<String> keys(ProviderLink link) throws Exception {
        return link.peers().get(WAIT_SECONDS, TimeUnit.SECONDS).stream().map(PeerAddress::id).toList();
    }

    @Test
    void registeredByDeclarativeServicesWithWhatItCanDo() throws Exception {
        ConnectionProvider provider = provider();
        assertEquals("lan", provider.id());
        assertEquals("Local network", provider.displayName());
        assertEquals(Set.of(ProviderCapability.PEER_LIST, ProviderCapability.CONNECT, ProviderCapability.INCOMING,
                ProviderCapability.SERVERLESS), provider.capabilities());
    }

    @Test
    void twoClientsFindEachOtherByNameAndFingerprintAndCarryAnOfferAndItsAnswer() throws Exception {
        LanSettings net = TestNet.settings();
        TestClient alice = new TestClient("alice", net);
        TestClient bob = new TestClient("bob", net);
        ProviderLink a = start(alice);
        ProviderLink b = start(bob);
        assertEquals(alice.self.key(), a.status().get(0).ourId());
        assertEquals(LanLink.SCOPE, a.status().get(0).scope());
        alice.awaitPeers(() -> uncheckedKeys(a).contains(bob.self.key()), "bob");
        bob.awaitPeers(() -> uncheckedKeys(b).contains(alice.self.key()), "alice");

        PeerAddress bobSeen = a.peers().get().get(0);
        assertEquals(1, a.peers().get().size(), "ourselves excluded");
        assertEquals("bob", bobSeen.name());
        assertEquals(bob.self, bobSeen.identity().orElseThrow());
        assertEquals(bobSeen, a.address(bob.self.fingerprint()).orElseThrow(), "found by its fingerprint");
        assertEquals(bobSeen.id(), a.address(" " + bob.self.key() + "\n").orElseThrow().id());
        assertTrue(a.address("192.0.2.1").isEmpty());

        SignedDescription offer = new SignedDescription(OFFER, new IdentityProof(alice.self, "n1", "s1"));
        CompletableFuture<PeerAnswer> answer = a.send(bobSeen, offer, true).answer();
        InboundOffer received = bob.offers.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(alice.self.key(), received.from().id());
        assertEquals(alice.self, received.from().identity().orElseThrow(), "the client layer checks the proof by it");
        assertEquals("alice", received.from().name());
        assertEquals(offer, received.offer());
        assertTrue(received.reconnect());

        SignedDescription reply = new SignedDescription(ANSWER, new IdentityProof(bob.self, "n2", "s2"));
        received.answer(reply).get(WAIT_SECONDS, TimeUnit.SECONDS);
        PeerAnswer got = answer.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(reply, got.answer());
        assertEquals(bob.self, got.from().identity().orElseThrow());
    }

    @Test
    void aRefusalReachesTheRequesterWithItsReasonAndAWithdrawnOfferIsWithdrawn() throws Exception {
        LanSettings net = TestNet.settings();
        TestClient alice = new TestClient("alice", net);
        TestClient bob = new TestClient("bob", net);
        ProviderLink a = start(alice);
        start(bob);
        alice.awaitPeers(() -> uncheckedKeys(a).contains(bob.self.key()), "bob");
        PeerAddress to = a.address(bob.self.key()).orElseThrow();

        CompletableFuture<PeerAnswer> refused = a.send(to, SignedDescription.unsigned(OFFER), false).answer();
        bob.offers.poll(WAIT_SECONDS, TimeUnit.SECONDS).reject("the proof did not verify");
        ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SignalingException);
        assertEquals("bob declined: the proof did not verify", e.getCause().getMessage());

        CompletableFuture<PeerAnswer> cancelled = a.send(to, SignedDescription.unsigned(OFFER), false).answer();
        InboundOffer pending = bob.offers.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        cancelled.cancel(true);
        assertSame(pending, bob.withdrawn.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aListenOnlyClientIsNotListedButFindsAndAsksOthers() throws Exception {
        LanSettings net = TestNet.settings();
        TestClient alice = new TestClient("alice", net);
        TestClient carol = new TestClient("carol", net.withListenOnly(true));
        TestClient bob = new TestClient("bob", net);
        ProviderLink a = start(alice);
        ProviderLink c = start(carol);
        start(bob);
        assertEquals("", c.status().get(0).ourId(), "reachable nowhere");
        assertTrue(c.status().get(0).detail().startsWith("Listening only"), c.status().get(0).detail());
        carol.awaitPeers(() -> uncheckedKeys(c).containsAll(List.of(alice.self.key(), bob.self.key())), "alice and bob");
        // A client is online once it announced, so had carol announced, that came before bob's first on
        // the same interface, and alice, listing bob, would list her too.
        alice.awaitPeers(() -> uncheckedKeys(a).contains(bob.self.key()), "bob");
        assertEquals(List.of(bob.self.key()), keys(a), "carol is not listed");

        CompletableFuture<PeerAnswer> answer = c.send(c.address(alice.self.key()).orElseThrow(),
                SignedDescription.unsigned(OFFER), false).answer();
        InboundOffer asked = alice.offers.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("carol", asked.from().name());
        assertEquals(carol.self, asked.from().identity().orElseThrow());
        asked.answer(SignedDescription.unsigned(ANSWER));
        assertEquals(ANSWER, answer.get(WAIT_SECONDS, TimeUnit.SECONDS).answer().description());

        ExecutionException e = assertThrows(ExecutionException.class, () -> a.send(asked.from(),
                SignedDescription.unsigned(OFFER), false).answer().get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("carol is not announcing"), e.getCause().getMessage());
    }

    /** With rounds an hour apart, a client that starts later lists the others only because they greet it. */
    @Test
    void aClientThatStartsLaterIsGreetedAtOnceNotAtTheNextRound() throws Exception {
        LanSettings net = TestNet.settings();
        LanLink.Timings hourly = new LanLink.Timings(java.time.Duration.ofHours(1), java.time.Duration.ofHours(2),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(1), 16, 4, java.time.Duration.ofSeconds(10));
        TestClient alice = new TestClient("alice", net);
        TestClient bob = new TestClient("bob", net);
        ProviderLink a = new LanLink(alice, net, hourly);
        links.add(a);
        alice.online.get(WAIT_SECONDS, TimeUnit.SECONDS); // announced, to nobody yet
        ProviderLink b = new LanLink(bob, net, hourly);
        links.add(b);
        bob.awaitPeers(() -> uncheckedKeys(b).contains(alice.self.key()), "alice, greeting him");
        alice.awaitPeers(() -> uncheckedKeys(a).contains(bob.self.key()), "bob");
    }

    /**
     * What {@code p2pchat cli --method lan peers} does: a list asked the moment a client comes online
     * already has the clients that were there (their greetings answer its first announcement), even
     * when two newcomers arrive within the second a client greets at most once. With rounds an hour
     * apart, nothing else could have told them.
     */
    @Test
    void aListAskedAsSoonAsAClientIsOnlineHasThoseAlreadyThere() throws Exception {
        LanSettings net = TestNet.settings();
        LanLink.Timings hourly = new LanLink.Timings(java.time.Duration.ofHours(1), java.time.Duration.ofHours(2),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(1), 16, 4, java.time.Duration.ofSeconds(10));
        TestClient alice = new TestClient("alice", net);
        TestClient bob = new TestClient("bob", net);
        TestClient carol = new TestClient("carol", net);
        links.add(new LanLink(alice, net, hourly));
        alice.online.get(WAIT_SECONDS, TimeUnit.SECONDS);
        ProviderLink b = new LanLink(bob, net, hourly);
        links.add(b);
        bob.online.get(WAIT_SECONDS, TimeUnit.SECONDS);
        ProviderLink c = new LanLink(carol, net, hourly);
        links.add(c);
        carol.online.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(Set.of(alice.self.key(), bob.self.key()), Set.copyOf(keys(c)), "carol's first list");
        assertTrue(keys(b).contains(alice.self.key()), "bob's first list");
    }

    /** A listening-only client is greeted by nobody: its first list waits for everyone's round. */
    @Test
    void aListeningOnlyClientsFirstListHasThoseAlreadyThere() throws Exception {
        LanSettings net = TestNet.settings();
        TestClient alice = new TestClient("alice", net);
        TestClient carol = new TestClient("carol", net.withListenOnly(true));
        start(alice);
        ProviderLink c = start(carol);
        assertEquals(List.of(alice.self.key()), keys(c));
    }

    /** Where the network cannot be used, asking for the peers says why instead of listing nobody. */
    @Test
    void aListFailsSayingWhyWhileTheNetworkCannotBeUsed() throws Exception {
        LanSettings net = TestNet.settings();
        LanSettings nowhere = new LanSettings(false, net.group(), net.port(), List.of("192.0.2.78"));
        TestClient alice = new TestClient("alice", nowhere);
        ProviderLink a = new LanLink(alice, nowhere, new LanLink.Timings(java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(1), 16, 4,
                java.time.Duration.ofSeconds(10)));
        links.add(a);
        alice.unreachable.get(WAIT_SECONDS, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> a.peers().get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SignalingException, e.getCause().toString());
        assertTrue(e.getCause().getMessage().contains("No network interface has the address 192.0.2.78"),
                e.getCause().getMessage());
    }

    /**
     * A client whose interface is not there says so, keeps trying, and comes online once it is (the
     * test adds the address to the test namespace's interface, and takes it away again).
     */
    @Test
    void aMissingInterfaceIsReportedAndTheClientComesOnlineWhenItAppears() throws Exception {
        LanSettings net = TestNet.settings();
        String address = "192.0.2.77";
        LanSettings there = new LanSettings(false, net.group(), net.port(), List.of(address));
        TestClient alice = new TestClient("alice", there);
        ProviderLink a = new LanLink(alice, there, new LanLink.Timings(java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(1), 16, 4,
                java.time.Duration.ofMillis(200)));
        links.add(a);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (a.status().get(0).state() != ProviderStatus.State.UNREACHABLE && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ProviderStatus unreachable = a.status().get(0);
        assertEquals(ProviderStatus.State.UNREACHABLE, unreachable.state());
        assertTrue(unreachable.detail().contains("No network interface has the address 192.0.2.77")
                && unreachable.detail().contains("Trying again"), unreachable.detail());

        ip("add", address);
        try {
            assertEquals(ProviderStatus.State.ONLINE, alice.online.get(WAIT_SECONDS, TimeUnit.SECONDS).state());
            TestClient bob = new TestClient("bob", net);
            start(bob);
            bob.awaitPeers(() -> uncheckedKeys(links.get(links.size() - 1)).contains(alice.self.key()), "alice");
        } finally {
            ip("del", address);
        }
    }

    /** Adds or removes an address of the test namespace's interface (testnet.sh makes us its root). */
    private static void ip(String verb, String address) throws Exception {
        org.p2pchat.testing.NetworkIsolation.requireIsolatedNetwork();
        Process p = new ProcessBuilder("ip", "addr", verb, address + "/24", "dev", "p2ptest0").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "ip addr " + verb + ": " + out);
    }

    static List<String> uncheckedKeys(ProviderLink link) {
        try {
            return keys(link);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ConnectionProvider provider() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(LanProviderTest.class).getBundleContext();
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals("org.p2pchat.lan")) {
                b.start(); // lazy: DS registers the provider once the bundle starts
            }
        }
        ServiceTracker<ConnectionProvider, ConnectionProvider> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + ConnectionProvider.class.getName()
                        + ")(component.name=org.p2pchat.lan.internal.LanProvider))"), null);
        tracker.open();
        try {
            ConnectionProvider provider = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            if (provider == null) {
                throw new AssertionError("the local network provider was not registered");
            }
            return provider;
        } finally {
            tracker.close();
        }
    }
}
