package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

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
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.signaling.dht.internal.DhtSignalingProvider;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * The DHT connection method for real: a rendezvous server on the test network, the desktop
 * client's part on it through the DHT provider, and a second person, bob, a real client of the
 * client layer with an identity and a provider of his own, driven by the test. Each sees the other
 * listed; bob asks and the desktop user accepts, they chat with verified identities and one safety
 * number; then the desktop user asks bob, who accepts.
 * <p>
 * Opens WebRTC connections: runs only inside the test network namespace, with no ICE servers.
 */
class DirectoryConnectionUiTest {

    private static final long SECONDS = 60;
    private static final String DHT = DhtSettings.SECTION;

    private RendezvousServer server;
    private PartHarness harness;
    private ClientPart part;
    private IdentityService desk;
    private HeadlessPeer bob;
    private URI service;

    @BeforeAll
    static void network() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @BeforeEach
    void open() throws Exception {
        server = RendezvousServer.start(new InetSocketAddress(NetworkIsolation.TEST_ADDRESS, 0), RendezvousLimits.DEFAULTS);
        service = URI.create("http://" + NetworkIsolation.TEST_ADDRESS + ":" + server.address().getPort());
        DhtSettings services = new DhtSettings(List.of(new ServiceEntry("Test rendezvous", service.toString(), true, false)));
        Path work = Files.createDirectories(Path.of(System.getProperty("p2pchat.test.output.dir", "target"), "ui-e2e"));
        harness = new PartHarness("DirectoryConnectionUiTest");
        PeerTransport transport = harness.bundleContext.getService(harness.bundleContext.getServiceReference(PeerTransport.class));

        desk = harness.registerProfile("desk-alice", work.resolve("dht-alice"));
        harness.profileSettings().section(DHT).write(services);
        harness.clientLayer(transport, new DhtSignalingProvider());
        part = harness.make(ClientPart.class, 960, 800);
        harness.chooseMethod("DHT network");

        // Bob's key lives in the build directory: the same key every run, so the desktop's contact stays KNOWN.
        bob = new HeadlessPeer("dht-bob", work.resolve("dht-bob"), transport, new DhtSignalingProvider());
        bob.settings.section(DHT).write(services);
        bob.client.goOnline(DHT);
    }

    @AfterEach
    void close() throws Exception {
        if (bob != null) {
            bob.close();
        }
        harness.close();
        server.close();
    }

    @Test
    void bobAsksTheDesktopAcceptsTheyChatThenTheDesktopAsksBob() throws Exception {
        // The service lines are made again on every change: looked up each time.
        harness.waitUntil(() -> harness.byId(Label.class, "directory.service").getText().contains("registered as"),
                SECONDS, "the desktop is registered");
        bob.await(harness, ClientEvent.MethodChanged.class, e -> e.method().status().stream()
                .anyMatch(s -> s.state() == ProviderStatus.State.ONLINE), SECONDS, "bob is registered");
        String ourFingerprint = harness.byId(Label.class, "connect.fingerprint").getText();
        assertEquals(desk.self().fingerprint(), ourFingerprint);

        Table people = harness.byId(Table.class, "directory.peers");
        Button refresh = harness.byId(Button.class, "directory.refresh");
        // A service may list a person twice (its authenticated entry and one for web app users): bob's key is the one.
        String bobShortId = bob.identity.self().fingerprint().substring(0, 19);
        Label peersStatus = harness.byId(Label.class, "directory.peers.status");
        String[] lastSeen = { "" };
        harness.waitUntil(() -> {
            if (row(people, "dht-bob", bobShortId) >= 0) {
                return true;
            }
            String seen = rows(people) + "; " + peersStatus.getText();
            if (!seen.equals(lastSeen[0])) {
                lastSeen[0] = seen;
                System.out.println("peers on the desktop: " + seen);
            }
            if (!peersStatus.getText().startsWith("Looking")) {
                PartHarness.click(refresh); // the last answer is in: ask again
            }
            return false;
        }, SECONDS, "bob is listed on the desktop");
        PeerAddress deskForBob = harness.await(bob.client.find(DHT, desk.self().key(), Duration.ofSeconds(SECONDS)),
                SECONDS, "the desktop is listed for bob");
        System.out.println("screenshot: " + harness.screenshot("dht-listed"));

        // Bob asks; the desktop shows who asks, verified, and accepts.
        Conversation bobSide = bob.client.connect(deskForBob);
        Label requestIdentity = harness.waitFor(() -> PartHarness.findById(harness.shell, Label.class, "request.identity"),
                SECONDS, "bob's request is shown");
        assertTrue(harness.byId(Label.class, "request.text").getText().startsWith("dht-bob asks to connect"));
        assertEquals("Not verified \u00b7 key " + bob.identity.self().fingerprint(), requestIdentity.getText());
        System.out.println("screenshot: " + harness.screenshot("dht-request"));
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        harness.await(bobSide.connected(), SECONDS, "bob's request is accepted");
        harness.waitUntil(part::isChatShown, SECONDS, "the chat opens");
        chat(bobSide, "first");

        assertEquals(ourFingerprint, bobSide.peerIdentity().orElseThrow().fingerprint(), "bob verified the desktop's key");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().contains(bob.identity.self().fingerprint()), SECONDS,
                "the desktop verified bob's key: " + identity.getText());
        Button compare = harness.byId(Button.class, "chat.safetyNumber");
        harness.waitUntil(compare::isVisible, SECONDS, "the safety number can be compared");
        PartHarness.click(compare);
        Label number = harness.waitFor(() -> Arrays.stream(harness.display.getShells())
                .map(s -> PartHarness.findById(s, Label.class, "safety.number")).filter(l -> l != null)
                .findFirst().orElse(null), SECONDS, "the safety number dialog");
        assertEquals(bobSide.safetyNumber().orElseThrow(), number.getText().replaceAll("\\s+", " "), "both sides derive the same safety number");
        number.getShell().close();
        System.out.println("screenshot: " + harness.screenshot("dht-chat"));

        // The desktop hangs up, goes back and asks bob, who accepts.
        PartHarness.click(harness.byId(Button.class, "chat.disconnect"));
        bob.await(harness, ClientEvent.Ended.class, e -> e.conversation().id().equals(bobSide.id()), SECONDS,
                "bob sees the end");
        PartHarness.click(harness.byId(Button.class, "chat.newConnection"));
        harness.waitUntil(() -> row(people, "dht-bob", bobShortId) >= 0, SECONDS, "the list is back");
        people.setSelection(row(people, "dht-bob", bobShortId));
        PartHarness.click(harness.byId(Button.class, "directory.connect"));
        ClientEvent.RequestReceived request = bob.await(harness, ClientEvent.RequestReceived.class, e -> true, SECONDS,
                "the desktop's request reaches bob");
        assertEquals(ourFingerprint, request.request().identity().orElseThrow().fingerprint(), "signed by the desktop");
        Conversation bobAccepted = bob.client.accept(request.request());
        harness.await(bobAccepted.connected(), SECONDS, "bob accepts");
        harness.waitUntil(part::isChatShown, SECONDS, "the chat opens again");
        chat(bobAccepted, "second");
    }

    /** A message each way over {@code bobSide}, the conversation as bob has it. */
    private void chat(Conversation bobSide, String round) throws Exception {
        harness.waitUntil(() -> bobSide.connectionState() == ConnectionState.CONNECTED, SECONDS, "bob is connected");
        Text input = harness.byId(Text.class, "chat.input");
        Button send = harness.byId(Button.class, "chat.send");
        harness.waitUntil(send::isEnabled, SECONDS, "the desktop can send");
        String hello = "Hello bob, " + round + " time";
        input.setText(hello);
        PartHarness.key(input, SWT.CR, '\r', 0);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        ClientEvent.MessageReceived received = bob.await(harness, ClientEvent.MessageReceived.class,
                e -> e.message().content().equals(hello), SECONDS, "bob receives the message");
        assertEquals("desk-alice", received.message().sender());
        // bob's client stored it and said so: the desktop shows it delivered.
        harness.waitUntil(() -> messages.getText().contains("\u2713\u2713\n" + hello), SECONDS,
                "delivered: two ticks\n" + messages.getText());

        harness.await(bobSide.send("Hi desk, " + round + " time"), SECONDS, "bob sends");
        harness.waitUntil(() -> messages.getText().contains("Hi desk, " + round + " time"), SECONDS,
                "the desktop lists bob's message");
    }

    /**
     * A user of the original web app asks the desktop, which accepts: the chat says once, above the
     * messages, that delivery is best effort, and our messages never show as delivered.
     */
    @Test
    void aWebAppUsersConversationSaysDeliveryIsBestEffort() throws Exception {
        harness.waitUntil(() -> harness.byId(Label.class, "directory.service").getText().contains("registered as"),
                SECONDS, "the desktop is registered");
        try (org.p2pchat.testing.WebAppPeer web = new org.p2pchat.testing.WebAppPeer(service, "webby")) {
            String deskThere = harness.waitFor(() -> web.listedAs("desk-alice"), SECONDS,
                    "the desktop in the web app's list");
            web.connect(deskThere);
            Button accept = harness.waitFor(() -> PartHarness.findById(harness.shell, Button.class, "request.accept"),
                    SECONDS, "webby's request is shown");
            PartHarness.click(accept);
            harness.await(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    web.awaitOpen();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }), SECONDS, "the web app's channel opens");
            harness.waitUntil(part::isChatShown, SECONDS, "the chat opens");
            web.say("hi from the browser");
            StyledText messages = harness.byId(StyledText.class, "chat.messages");
            harness.waitUntil(() -> messages.getText().contains("hi from the browser"), SECONDS, messages.getText());

            Label note = harness.byId(Label.class, "chat.bestEffort");
            harness.waitUntil(note::isVisible, SECONDS, "the chat says delivery is best effort");
            assertTrue(note.getText().contains("webby uses the web app: delivery is best effort"), note.getText());
            Text input = harness.byId(Text.class, "chat.input");
            input.setText("hello webby");
            PartHarness.key(input, SWT.CR, '\r', 0);
            harness.await(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return web.awaitMessage(m -> m.has("content") && m.get("content").getAsString().equals("hello webby"),
                            "our message");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }), SECONDS, "webby receives our message");
            harness.waitUntil(() -> messages.getText().contains("\u2713\nhello webby"), SECONDS,
                    "sent: one tick\n" + messages.getText());
            harness.settle(1000);
            assertFalse(messages.getText().contains("\u2713\u2713"), "never delivered ticks: " + messages.getText());
            assertEquals(1, messages.getText().split("best effort", -1).length - 1 + note.getText().split("best effort",
                    -1).length - 1, "said once: " + messages.getText());
            System.out.println("screenshot: " + harness.screenshot("chat-web-app-best-effort"));
        }
    }

    /** The index of the row showing {@code name} and {@code shortId}; -1 if none does. */
    private static String rows(Table people) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < people.getItemCount(); i++) {
            all.append('[').append(people.getItem(i).getText(0)).append(' ').append(people.getItem(i).getText(1)).append(']');
        }
        return all.toString();
    }

    private static int row(Table people, String name, String shortId) {
        for (int i = 0; i < people.getItemCount(); i++) {
            // A contact met before (a kept profile of an earlier run) is starred.
            String shown = people.getItem(i).getText(0).replaceFirst("^\u2605 ", "");
            if (shown.equals(name) && people.getItem(i).getText(1).equals(shortId)) {
                return i;
            }
        }
        return -1;
    }
}
