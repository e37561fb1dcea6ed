package org.p2pchat.lan.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.Request;
import org.p2pchat.client.core.internal.ChatClientService;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.history.HistoryService;
import org.p2pchat.lan.LanSettings;

/**
 * Two real clients (the client layer, WebRTC, each with a profile of its own) on the test network
 * find each other through the local network provider and chat, with no server and no copy and
 * paste; the client layer checks the proofs of the offer and the answer as with every provider.
 */
class LanChatTest {

    static final long T = Events.TIMEOUT_SECONDS;

    @TempDir
    Path work;
    private final List<ChatClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(ChatClient::close);
    }

    private record Person(String name, ChatClient client, Events events) {
    }

    /** A client with a fresh profile whose local network settings are {@code lan}, online with it. */
    private Person person(String name, LanSettings lan) throws Exception {
        Path profile = Files.createDirectories(work.resolve(name));
        SettingsStore settings = new JsonSettingsStore(profile);
        settings.save(Settings.defaults().withUsername(name).withIceServers(List.of())); // host candidates only
        settings.section(LanSettings.SECTION).write(lan);
        ChatClientService factory = new ChatClientService(service(PeerTransport.class), new Ed25519IdentityService(profile),
                settings, null, service(HistoryService.class).openInMemory());
        factory.register(LanProviderTest.provider(), 1);
        ChatClient client = factory.open(ClientOptions.fromProfile());
        clients.add(client);
        Events events = new Events(name);
        client.subscribe(Runnable::run, events);
        assertEquals(List.of(LanSettings.SECTION), client.goOnlineAtStart(), "online when the client starts, as a"
                + " method that takes requests and reports where it is");
        return new Person(name, client, events);
    }

    /** {@code from} finds {@code to} by name, asks, {@code to} accepts; both say a line. */
    private static void connectAndChat(Person from, Person to) throws Exception {
        PeerAddress peer = from.client().find(LanSettings.SECTION, to.name(), Duration.ofSeconds(60)).get(T,
                TimeUnit.SECONDS);
        assertEquals(Optional.of(to.client().self()), peer.identity(), "listed by its key");
        Conversation asking = from.client().connect(peer);
        Request request = to.events().await(ClientEvent.RequestReceived.class,
                r -> r.request().from().id().equals(from.client().self().key())).request();
        assertEquals(Optional.of(from.client().self()), request.identity(), "the request's proof was checked");
        Conversation accepted = to.client().accept(request);
        asking.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        assertEquals(Optional.of(to.client().self()), asking.peerIdentity(), "the answer's proof was checked");

        accepted.send("hello from " + to.name()).get(T, TimeUnit.SECONDS);
        from.events().await(ClientEvent.MessageReceived.class,
                m -> m.message().content().equals("hello from " + to.name()));
        asking.send("hello from " + from.name()).get(T, TimeUnit.SECONDS);
        to.events().await(ClientEvent.MessageReceived.class,
                m -> m.message().content().equals("hello from " + from.name()));
    }

    @Test
    void twoClientsFindEachOtherOnTheLocalNetworkAndChat() throws Exception {
        LanSettings lan = TestNet.settings();
        Person alice = person("alice", lan);
        Person bob = person("bob", lan);
        connectAndChat(alice, bob);
    }

    @Test
    void aListenOnlyClientIsNotListedButConnectsToOthers() throws Exception {
        LanSettings lan = TestNet.settings();
        Person carol = person("carol", lan.withListenOnly(true));
        Person bob = person("bob", lan);
        connectAndChat(carol, bob);
        // Carol went online (and would have announced) before bob did; bob lists only what he heard.
        assertTrue(bob.client().peers(LanSettings.SECTION).get(T, TimeUnit.SECONDS).isEmpty(), "carol is not listed");
    }

    /**
     * Mallory connects to bob's offer port and sends offers in alice's name: one without a proof, one
     * with a proof by mallory's own key. Bob's client layer refuses both and tells mallory why; bob is
     * never asked.
     */
    @Test
    void offersInAnotherPersonsNameAreRefusedByTheClientLayer() throws Exception {
        LanSettings lan = TestNet.settings();
        Person alice = person("alice", lan);
        Person bob = person("bob", lan);
        org.p2pchat.lan.internal.Announcement at = TestNet.heard(lan, bob.client().self()); // his next round

        org.p2pchat.core.SessionDescription offer = new org.p2pchat.core.SessionDescription(
                org.p2pchat.core.SessionDescription.Type.OFFER,
                "v=0\r\no=- 1 2 IN IP4 192.0.2.2\r\na=fingerprint:sha-256 AB:CD\r\n");
        org.p2pchat.core.identity.IdentityService mallory = new Ed25519IdentityService(
                Files.createDirectories(work.resolve("mallory")));
        String unsigned = mallory(at, alice, org.p2pchat.core.signaling.SignedDescription.unsigned(offer));
        assertTrue(unsigned.contains("\"type\":\"reject\"") && unsigned.contains("without an identity proof"), unsigned);
        String foreign = mallory(at, alice, new org.p2pchat.core.signaling.SignedDescription(offer, mallory.prove(offer)));
        assertTrue(foreign.contains("signed by another identity than the sender"), foreign);

        bob.events().await(ClientEvent.RequestRefused.class, r -> r.text().contains("without an identity proof"));
        bob.events().await(ClientEvent.RequestRefused.class, r -> r.text().contains("another identity"));
        assertTrue(bob.events().all().stream().noneMatch(ClientEvent.RequestReceived.class::isInstance),
                "bob was never asked");
    }

    /** Mallory's offer in alice's name, sent from 192.0.2.2 to the offer port {@code at}; returns the reply line. */
    private static String mallory(org.p2pchat.lan.internal.Announcement at, Person alice,
            org.p2pchat.core.signaling.SignedDescription offer) throws Exception {
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new java.net.InetSocketAddress(org.p2pchat.testing.NetworkIsolation.TEST_PEER_ADDRESS, 0));
            s.connect(new java.net.InetSocketAddress(at.address(), at.port()), 5000);
            s.setSoTimeout(60_000);
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("type", "offer");
            o.addProperty("from", alice.client().self().key());
            o.addProperty("name", "alice");
            o.addProperty("description", org.p2pchat.core.signaling.DescriptionJson.encode(offer));
            s.getOutputStream().write((o + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
        }
    }

    static <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(FrameworkUtil.getBundle(LanChatTest.class).getBundleContext(),
                type, null);
        tracker.open();
        try {
            T s = tracker.waitForService(TimeUnit.SECONDS.toMillis(60));
            if (s == null) {
                throw new AssertionError("no " + type.getSimpleName() + " service");
            }
            return s;
        } finally {
            tracker.close();
        }
    }
}
