package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryListener;
import org.p2pchat.core.signaling.DirectoryMembership;
import org.p2pchat.core.signaling.DirectoryOptions;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.ServiceStatus;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.signaling.dht.internal.DhtSignalingProvider;
import org.p2pchat.signaling.dht.internal.DhtTimings;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * The DHT connection method for real: a rendezvous server on the test network, the desktop
 * client's part on it through the framework's DHT provider, and a second person, bob, with an
 * identity and a provider of his own, driven by the test. Each sees the other listed; bob asks
 * and the desktop user accepts, they chat with verified identities and one safety number; then
 * the desktop user asks bob, who accepts.
 * <p>
 * Opens WebRTC connections: runs only inside the test network namespace, with no ICE servers.
 */
class DirectoryConnectionUiTest {

    private static final long SECONDS = 60;

    private RendezvousServer server;
    private PartHarness harness;
    private ClientPart part;
    private IdentityService bobIdentity;
    private DirectoryMembership bob;
    private final Bob bobSees = new Bob();

    @BeforeAll
    static void network() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @BeforeEach
    void open() throws Exception {
        server = RendezvousServer.start(new InetSocketAddress(NetworkIsolation.TEST_ADDRESS, 0), RendezvousLimits.DEFAULTS);
        URI service = URI.create("http://" + NetworkIsolation.TEST_ADDRESS + ":" + server.address().getPort());
        Path work = Files.createDirectories(Path.of(System.getProperty("p2pchat.test.output.dir", "target"), "ui-e2e"));

        harness = new PartHarness("DirectoryConnectionUiTest");
        PartHarness.MemorySettings settings = new PartHarness.MemorySettings("desk-alice", work.resolve("dht-alice"));
        settings.section(DhtSettings.SECTION).write(new DhtSettings(List.of(new ServiceEntry("Test rendezvous",
                service.toString(), true, false))));
        harness.register(SettingsStore.class, settings);
        part = harness.make(ClientPart.class, 960, 800);
        harness.chooseMethod("DHT network");

        // Bob's key lives in the build directory: the same key every run, so the desktop's contact stays KNOWN.
        bobIdentity = new Ed25519IdentityService(work.resolve("dht-bob"));
        PeerTransport transport = harness.bundleContext.getService(harness.bundleContext.getServiceReference(PeerTransport.class));
        bob = new DhtSignalingProvider(transport, bobIdentity, DhtTimings.DEFAULTS)
                .join(new DirectoryOptions(List.of(service), "dht-bob", true, SessionConfig.of(List.of(), "dht-bob")), bobSees);
    }

    @AfterEach
    void close() {
        bob.close();
        harness.close();
        server.close();
    }

    @Test
    void bobAsksTheDesktopAcceptsTheyChatThenTheDesktopAsksBob() throws Exception {
        // The service lines are made again on every change: looked up each time.
        harness.waitUntil(() -> harness.byId(Label.class, "directory.service").getText().contains("registered as"),
                SECONDS, "the desktop is registered");
        take(bobSees.services, s -> s.state() == ServiceStatus.State.REGISTERED, "bob is registered");
        String ourFingerprint = harness.byId(Label.class, "connect.fingerprint").getText();

        Table people = harness.byId(Table.class, "directory.peers");
        Button refresh = harness.byId(Button.class, "directory.refresh");
        // A service may list a person twice (its authenticated entry and one for web app users): bob's key is the one.
        String bobShortId = bobIdentity.self().fingerprint().substring(0, 19);
        Label peersStatus = harness.byId(Label.class, "directory.peers.status");
        harness.waitUntil(() -> {
            if (row(people, "dht-bob", bobShortId) >= 0) {
                return true;
            }
            if (!peersStatus.getText().startsWith("Looking")) {
                PartHarness.click(refresh); // the last answer is in: ask again
            }
            return false;
        }, SECONDS, "bob is listed on the desktop");
        DirectoryPeer desk = harness.await(CompletableFuture.supplyAsync(() -> listed(bob, "desk-alice")), SECONDS,
                "the desktop is listed for bob");
        System.out.println("screenshot: " + harness.screenshot("dht-listed"));

        // Bob asks; the desktop shows who asks, verified, and accepts.
        CompletableFuture<DirectoryConnection> bobAsked = bob.connect(desk, bobSees);
        Label requestIdentity = harness.waitFor(() -> PartHarness.findById(harness.shell, Label.class, "request.identity"),
                SECONDS, "bob's request is shown");
        assertTrue(harness.byId(Label.class, "request.text").getText().startsWith("dht-bob asks to connect"));
        assertEquals("\u2714 Verified identity \u00b7 key " + bobIdentity.self().fingerprint(), requestIdentity.getText());
        System.out.println("screenshot: " + harness.screenshot("dht-request"));
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        DirectoryConnection bobSide = harness.await(bobAsked, SECONDS, "bob's request is accepted");
        harness.waitUntil(part::isChatShown, SECONDS, "the chat opens");
        chat(bobSide, "first");

        assertEquals(ourFingerprint, bobSide.identity().orElseThrow().fingerprint(), "bob verified the desktop's key");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().contains(bobIdentity.self().fingerprint()), SECONDS,
                "the desktop verified bob's key: " + identity.getText());
        PartHarness.click(harness.byId(Button.class, "chat.safetyNumber"));
        Label number = harness.waitFor(() -> Arrays.stream(harness.display.getShells())
                .map(s -> PartHarness.findById(s, Label.class, "safety.number")).filter(l -> l != null)
                .findFirst().orElse(null), SECONDS, "the safety number dialog");
        assertEquals(bobIdentity.safetyNumber(bobSide.identity().get(), bobSide.local().description(),
                bobSide.remote().description()), number.getText(), "both sides derive the same safety number");
        number.getShell().close();
        System.out.println("screenshot: " + harness.screenshot("dht-chat"));

        // The desktop hangs up, goes back and asks bob, who accepts.
        PartHarness.click(harness.byId(Button.class, "chat.disconnect"));
        take(bobSees.states(bobSide.session()), s -> s == ConnectionState.CLOSED, "bob sees the end");
        PartHarness.click(harness.byId(Button.class, "chat.newConnection"));
        harness.waitUntil(() -> row(people, "dht-bob", bobShortId) >= 0, SECONDS, "the list is back");
        people.setSelection(row(people, "dht-bob", bobShortId));
        PartHarness.click(harness.byId(Button.class, "directory.connect"));
        IncomingRequest request = take(bobSees.requests, r -> true, "the desktop's request reaches bob");
        assertEquals(ourFingerprint, request.identity().orElseThrow().fingerprint(), "signed by the desktop");
        DirectoryConnection bobAccepted = harness.await(request.accept(bobSees), SECONDS, "bob accepts");
        harness.waitUntil(part::isChatShown, SECONDS, "the chat opens again");
        chat(bobAccepted, "second");
    }

    /** A message each way over {@code bobSide}, the connection as bob has it. */
    private void chat(DirectoryConnection bobSide, String round) throws Exception {
        take(bobSees.states(bobSide.session()), s -> s == ConnectionState.CONNECTED, "bob is connected");
        Text input = harness.byId(Text.class, "chat.input");
        Button send = harness.byId(Button.class, "chat.send");
        harness.waitUntil(send::isEnabled, SECONDS, "the desktop can send");
        input.setText("Hello bob, " + round + " time");
        PartHarness.key(input, SWT.CR, '\r', 0);
        ChatMessage received = take(bobSees.messages, m -> !m.isSystemNotice(), "bob receives the message");
        assertEquals("Hello bob, " + round + " time", received.content());
        assertEquals("desk-alice", received.sender());

        harness.await(bobSide.session().send(ChatMessage.create("dht-bob", "Hi desk, " + round + " time")), SECONDS, "bob sends");
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("Hi desk, " + round + " time"), SECONDS,
                "the desktop lists bob's message");
    }

    /** The index of the row showing {@code name} and {@code shortId}; -1 if none does. */
    private static int row(Table people, String name, String shortId) {
        for (int i = 0; i < people.getItemCount(); i++) {
            if (people.getItem(i).getText(0).equals(name) && people.getItem(i).getText(1).equals(shortId)) {
                return i;
            }
        }
        return -1;
    }

    /** The peer called {@code name} on the authenticated API once {@code membership} lists it. */
    private static DirectoryPeer listed(DirectoryMembership membership, String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (System.nanoTime() < deadline) {
            List<DirectoryPeer> peers = membership.peers().exceptionally(e -> List.of()).join();
            for (DirectoryPeer p : peers) {
                if (p.name().equals(name) && p.authenticated()) {
                    return p;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(name + " was not listed within " + SECONDS + " s");
    }

    /** The next item of {@code queue} matching {@code wanted}, waited for while the UI keeps running. */
    private <T> T take(BlockingQueue<T> queue, Predicate<T> wanted, String what) throws Exception {
        return harness.await(CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            try {
                while (System.nanoTime() < deadline) {
                    T item = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (item != null && wanted.test(item)) {
                        return item;
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            throw new AssertionError("not within " + SECONDS + " s: " + what);
        }), SECONDS + 5, what);
    }

    /** What bob's client hears: his services, requests to him, and his sessions' states and messages. */
    private static final class Bob implements DirectoryListener, PeerSessionListener {

        final BlockingQueue<ServiceStatus> services = new LinkedBlockingQueue<>();
        final BlockingQueue<IncomingRequest> requests = new LinkedBlockingQueue<>();
        final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
        private final Map<PeerSession, BlockingQueue<ConnectionState>> states = new ConcurrentHashMap<>();

        BlockingQueue<ConnectionState> states(PeerSession session) {
            return states.computeIfAbsent(session, s -> {
                BlockingQueue<ConnectionState> q = new LinkedBlockingQueue<>();
                q.add(s.state()); // what it reached before anyone asked
                return q;
            });
        }

        @Override
        public void serviceChanged(ServiceStatus status) {
            services.add(status);
        }

        @Override
        public void incoming(IncomingRequest request) {
            requests.add(request);
        }

        @Override
        public void stateChanged(PeerSession session, ConnectionState state) {
            states(session).add(state);
        }

        @Override
        public void messageReceived(PeerSession session, ChatMessage message) {
            messages.add(message);
        }
    }
}
