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
