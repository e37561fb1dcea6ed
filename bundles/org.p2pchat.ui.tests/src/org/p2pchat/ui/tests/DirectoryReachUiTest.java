package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.signaling.dht.internal.DhtSignalingProvider;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.ui.internal.parts.ClientPart;
import org.p2pchat.ui.internal.parts.PeerListPanel;

/**
 * Being reachable through a directory, and reaching people there, as a person meets it: a real
 * rendezvous server on the test network, the desktop on it through the DHT provider, and other
 * people as real clients of the client layer. The desktop registers when it starts, whatever page
 * it shows; its list shows live people only, never the desktop itself, contacts first and marked,
 * rows kept in place; an attempt says whom it waits for, can be cancelled, and ends by itself with
 * "… is offline" or "… did not answer"; with no reachable service (a first start with the default,
 * which nothing serves here) the page says so once, without alarm.
 * <p>
 * Opens WebRTC connections: runs only inside the test network namespace, with no ICE servers.
 */
class DirectoryReachUiTest {

    private static final long SECONDS = 60;
    private static final String DHT = DhtSettings.SECTION;
    private static final String ANSWER_WAIT = "p2pchat.client.answerWaitSeconds";
    /** Ui.ERROR, the colour of what went wrong. */
    private static final RGB ALARM = new RGB(0xc0, 0x1c, 0x28);

    private RendezvousServer server;
    private PartHarness harness;
    private ClientPart part;
    private IdentityService desk;
    private PeerTransport transport;
    private DhtSettings services;
    private final List<HeadlessPeer> people = new ArrayList<>();
    private Path work;

    @BeforeAll
    static void network() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    /** A server on the test network and the desktop on it, {@code before} done to its profile first. */
    private void start(Path dir, boolean withService, java.util.function.Consumer<IdentityService> before) throws Exception {
        work = dir;
        harness = new PartHarness("DirectoryReachUiTest");
        transport = harness.bundleContext.getService(harness.bundleContext.getServiceReference(PeerTransport.class));
        desk = harness.registerProfile("desk-alice", dir.resolve("desk"));
        if (withService) {
            server = RendezvousServer.start(new InetSocketAddress(NetworkIsolation.TEST_ADDRESS, 0), RendezvousLimits.DEFAULTS);
            URI service = URI.create("http://" + NetworkIsolation.TEST_ADDRESS + ":" + server.address().getPort());
            services = new DhtSettings(List.of(new ServiceEntry("Test rendezvous", service.toString(), true, false)));
            harness.profileSettings().section(DHT).write(services);
        }
        before.accept(desk);
        harness.clientLayer(transport, new org.p2pchat.signaling.manual.internal.ManualSignalingProvider(),
                new DhtSignalingProvider());
        part = harness.make(ClientPart.class, 1180, 1000);
    }

    /** Someone else on the service, online (registered, listed) once this returns. */
    private HeadlessPeer person(String name, Path dir) throws Exception {
        HeadlessPeer p = new HeadlessPeer(name, dir, transport, new DhtSignalingProvider());
        people.add(p);
        p.settings.section(DHT).write(services);
        p.client.goOnline(DHT);
        p.await(harness, ClientEvent.MethodChanged.class, e -> e.method().status().stream()
                .anyMatch(s -> s.state() == ProviderStatus.State.ONLINE && s.detail().contains("also listed for web app")),
                SECONDS, name + " is registered, for web app users too");
        return p;
    }

    @AfterEach
    void close() throws Exception {
        System.clearProperty(ANSWER_WAIT);
        for (HeadlessPeer p : people) {
            p.close();
        }
        if (harness != null) {
            harness.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * The desktop stays on "Manual exchange" and never opens the directory page: bob finds it by its
     * key and asks, right after it started, and the request is shown.
     */
    @Test
    void theDesktopIsReachableFromItsStartWithoutOpeningTheDirectory(@TempDir Path dir) throws Exception {
        start(dir, true, d -> {
        });
        HeadlessPeer bob = person("dht-bob", dir.resolve("bob"));
        PeerAddress deskForBob = harness.await(bob.client.find(DHT, desk.self().key(), Duration.ofSeconds(SECONDS)),
                SECONDS, "the desktop is registered although its directory page was never shown");
        assertEquals(null, PartHarness.findById(harness.shell, Table.class, "directory.peers"),
                "the directory page was never opened");
        Label home = harness.byId(Label.class, "connect.status");
        harness.waitUntil(() -> home.getText().endsWith("People can reach you through DHT network."), SECONDS,
                "the start page says so: " + home.getText());
        Conversation bobSide = bob.client.connect(deskForBob);
        harness.waitFor(() -> PartHarness.findById(harness.shell, Button.class, "request.accept"), SECONDS,
                "bob's request is shown on the manual exchange page");
        assertTrue(harness.byId(Label.class, "request.text").getText().startsWith("dht-bob asks to connect"));
        System.out.println("screenshot: " + harness.screenshot("directory-reachable-at-start"));
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        harness.await(bobSide.connected(), SECONDS, "bob's request is accepted");
        harness.waitUntil(part::isChatShown, SECONDS, "the chat opens");
    }

    /**
     * Carol started her client three times and quit (her entries for web app users stay on the
     * service for two minutes), and the desktop ticked "Listed" off and on (it registers anew): the
     * list shows neither carol nor the desktop, bob (a contact) first and marked, then amy; a
     * refresh with a newcomer keeps the rows and the selection where they were.
     */
    @Test
    void theListShowsLivePeopleOnlyNeverUsContactsFirstAndMarkedAndKeepsItsRows(@TempDir Path dir) throws Exception {
        IdentityService bobKey = new org.p2pchat.core.internal.identity.Ed25519IdentityService(
                dir.resolve("bob").resolve("identity"));
        start(dir, true, d -> d.meet("zed-bob", bobKey.self()));
        for (int i = 0; i < 3; i++) {
            HeadlessPeer carol = person("carol", dir.resolve("carol"));
            people.remove(carol);
            carol.close();
        }
        person("zed-bob", dir.resolve("bob"));
        person("amy", dir.resolve("amy"));

        harness.chooseMethod("DHT network");
        harness.waitUntil(() -> harness.byId(Label.class, "directory.service").getText().contains("registered as"),
                SECONDS, "the desktop is registered");
        Button listed = harness.byId(Button.class, "directory.listed");
        listed.setSelection(false);
        PartHarness.click(listed);
        listed.setSelection(true);
        PartHarness.click(harness.byId(Button.class, "directory.listed"));
        harness.waitUntil(() -> harness.byId(Label.class, "directory.service").getText().contains("registered as")
                && harness.byId(Label.class, "directory.service").getText().contains("also listed for web app users"),
                SECONDS, "the desktop is registered again, listed");

        Table table = harness.byId(Table.class, "directory.peers");
        refreshUntil(table, List.of("\u2605 zed-bob", "amy")); // contacts first and marked; no carol, no us
        assertTrue(harness.byId(Label.class, "directory.peers.status").getText()
                .contains("\u2605 marks people you chatted with before"));
        System.out.println("screenshot: " + harness.screenshot("directory-live-people-contacts-first"));

        table.setSelection(1);
        table.notifyListeners(SWT.Selection, new Event());
        person("bea", dir.resolve("bea"));
        // The rows stay where they were; the newcomer comes below, though 'bea' sorts before 'zed-bob'.
        refreshUntil(table, List.of("\u2605 zed-bob", "amy", "bea"));
        assertEquals(1, table.getSelectionIndex(), "amy is still the one selected");
        harness.settle(3000);
        refreshUntil(table, List.of("\u2605 zed-bob", "amy", "bea")); // no ghost came back
    }

    /**
     * The desktop asks bob, who does not answer yet: the page says it waits for bob to accept and
     * offers Cancel, which withdraws the request from bob's client.
     */
    @Test
    void aPendingConnectionSaysWhoItWaitsForAndCanBeCancelled(@TempDir Path dir) throws Exception {
        start(dir, true, d -> {
        });
        HeadlessPeer bob = person("dht-bob", dir.resolve("bob"));
        harness.chooseMethod("DHT network");
        Table table = harness.byId(Table.class, "directory.peers");
        refreshUntil(table, List.of("dht-bob"));
        table.setSelection(0);
        table.notifyListeners(SWT.Selection, new Event());
        PartHarness.click(harness.byId(Button.class, "directory.connect"));

        Label status = harness.byId(Label.class, "directory.status");
        waitText(status, t -> t.equals("Waiting for dht-bob to accept\u2026"), "the page says whom it waits for");
        Button cancel = harness.shownById(Button.class, "directory.cancel");
        ClientEvent.RequestReceived request = bob.await(harness, ClientEvent.RequestReceived.class, e -> true, SECONDS,
                "the request reaches bob");
        System.out.println("screenshot: " + harness.screenshot("directory-waiting-for-accept"));

        PartHarness.click(cancel);
        bob.await(harness, ClientEvent.RequestWithdrawn.class, e -> e.request().id().equals(request.request().id()),
                SECONDS, "bob's client stops showing the request");
        assertEquals("Cancelled: you stopped asking dht-bob.", status.getText());
        harness.settle(500);
        assertFalse(cancel.isVisible(), "nothing left to cancel");
        assertEquals("Cancelled: you stopped asking dht-bob.", status.getText(), "no later message overwrites it");
        assertFalse(part.isChatShown());
    }

    /**
     * Carol was listed and quit before the desktop asked her: "carol is offline". Bob is there but
     * does not answer within the client's wait (shortened here): "dht-bob did not answer".
     */
    @Test
    void anAttemptEndsByItselfWithOfflineOrDidNotAnswer(@TempDir Path dir) throws Exception {
        System.setProperty(ANSWER_WAIT, "6");
        start(dir, true, d -> {
        });
        HeadlessPeer carol = person("carol", dir.resolve("carol"));
        harness.chooseMethod("DHT network");
        Table table = harness.byId(Table.class, "directory.peers");
        refreshUntil(table, List.of("carol"));
        people.remove(carol);
        carol.close();
        table.setSelection(0);
        table.notifyListeners(SWT.Selection, new Event());
        PartHarness.click(harness.byId(Button.class, "directory.connect"));
        Label status = harness.byId(Label.class, "directory.status");
        waitText(status, t -> t.contains("carol\u201D is offline"), "a person who left is offline");
        assertFalse(harness.byId(Button.class, "directory.cancel").isVisible(), "the attempt is over");
        System.out.println("screenshot: " + harness.screenshot("directory-peer-offline"));

        person("dht-bob", dir.resolve("bob"));
        refreshUntil(table, List.of("dht-bob"));
        table.setSelection(0);
        table.notifyListeners(SWT.Selection, new Event());
        PartHarness.click(harness.byId(Button.class, "directory.connect"));
        waitText(status, t -> t.startsWith("Waiting for dht-bob"), "waiting for bob");
        waitText(status, t -> t.startsWith("dht-bob did not answer within 6 s"), "the wait ends by itself");
        System.out.println("screenshot: " + harness.screenshot("directory-peer-did-not-answer"));
    }

    /**
     * A first start with the default settings, whose one service (on this computer) does not run:
     * one sentence says no directory service is reachable and how to add one, in no alarm colour,
     * and it is said once however often the client tries again.
     */
    @Test
    void aFirstStartWithNoReachableServiceSaysSoOnceWithoutAlarm(@TempDir Path dir) throws Exception {
        start(dir, false, d -> {
        });
        Label home = harness.byId(Label.class, "connect.status");
        harness.waitUntil(() -> home.getText().endsWith("DHT network: no directory service is reachable (its page says "
                + "how to add one)."), SECONDS, "the start page says it in a few words: " + home.getText());
        assertNotEquals(ALARM, home.getForeground().getRGB());
        harness.chooseMethod("DHT network");
        Label summary = harness.waitFor(() -> PartHarness.findById(harness.shell, Label.class, "directory.unreachable"),
                SECONDS, "the page says no service is reachable");
        assertTrue(summary.getText().startsWith("No directory service is reachable"), summary.getText());
        assertTrue(summary.getText().contains("http://localhost:3479: connection refused"), summary.getText());
        assertTrue(summary.getText().contains("File > Settings\u2026 (Ctrl+,)"), summary.getText());
        assertNotEquals(ALARM, summary.getForeground().getRGB(), "not red: nothing is broken");
        assertFalse(summary.getText().contains("etrying by itself"), "no shouting about retries: " + summary.getText());
        System.out.println("screenshot: " + harness.screenshot("directory-no-service-reachable"));
        harness.settle(5000); // the client tries again meanwhile
        assertEquals(1, PartHarness.find(harness.shell, Label.class).stream()
                .filter(l -> !l.isDisposed() && l.getText().startsWith("No directory service is reachable")).count(),
                "said once");
    }

    /**
     * A method that works without any server (the local network) and cannot use the network is not
     * told to add a directory service: there is none to add.
     */
    @Test
    void aServerlessMethodThatCannotUseTheNetworkIsNotToldToAddADirectory() {
        ProviderStatus down = new ProviderStatus("local network", ProviderStatus.State.UNREACHABLE, "",
                "No network interface has the address 192.0.2.9.");
        String serverless = PeerListPanel.unreachableEverywhere(new ConnectionMethod("lan", "Local network", "",
                java.util.Set.of(ProviderCapability.PEER_LIST, ProviderCapability.SERVERLESS), true, List.of(down)));
        assertTrue(serverless.startsWith("Local network cannot use the network here"), serverless);
        assertTrue(serverless.contains("192.0.2.9"), serverless);
        assertFalse(serverless.contains("directory"), serverless);
        String directory = PeerListPanel.unreachableEverywhere(new ConnectionMethod("dht", "DHT network", "",
                java.util.Set.of(ProviderCapability.PEER_LIST), true, List.of(down)));
        assertTrue(directory.startsWith("No directory service is reachable"), directory);
    }

    /** Waits until {@code label} says what {@code wanted} accepts; a failure says what it says then, with a screenshot. */
    private void waitText(Label label, java.util.function.Predicate<String> wanted, String what) throws Exception {
        try {
            harness.waitUntil(() -> wanted.test(label.getText()), SECONDS, what);
        } catch (AssertionError e) {
            System.out.println("screenshot: " + harness.screenshot("directory-reach-failure"));
            throw new AssertionError(e.getMessage() + "; it says: " + label.getText(), e);
        }
    }

    /**
     * Refreshes the list until an answer asked for here shows {@code rows} (a refresh at most every
     * second; the service's legacy list is cached briefly).
     */
    private void refreshUntil(Table table, List<String> rows) {
        Button refresh = harness.byId(Button.class, "directory.refresh");
        Label peersStatus = harness.byId(Label.class, "directory.peers.status");
        long[] asked = { 0 };
        boolean[] refreshed = { false };
        try {
            harness.waitUntil(() -> {
                boolean looking = peersStatus.getText().startsWith("Looking");
                if (refreshed[0] && !looking && names(table).equals(rows)) {
                    return true;
                }
                if (!looking && (!refreshed[0] || System.nanoTime() - asked[0] > 1_000_000_000L)) {
                    refreshed[0] = true;
                    asked[0] = System.nanoTime();
                    PartHarness.click(refresh);
                }
                return false;
            }, SECONDS, rows + " rows");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the list shows " + names(table) + ", " + peersStatus.getText()
                    + "; the service: " + harness.byId(Label.class, "directory.service").getText(), e);
        }
    }

    private static List<String> names(Table table) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < table.getItemCount(); i++) {
            names.add(table.getItem(i).getText(0));
        }
        return names;
    }
}
