package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.signaling.dht.internal.DhtSignalingProvider;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * A first start with the default rendezvous service ({@code http://localhost:3479}, which nothing
 * serves) on a computer where the relay is installed beside the client (here: named by the
 * {@code p2pchat.relay.dir} property, the materialized relay product): the page that says no
 * directory service is reachable offers "Start a local relay"; one click starts the real relay
 * product on this computer, the desktop registers with it (the message goes away) and others on
 * it can find the desktop; the relay logs to the profile and stops when the client quits. With the
 * port taken by another program, the click says so in words a person can act on.
 * <p>
 * Runs only inside the test network namespace: its loopback is the test's own, so port 3479 is free.
 */
class LocalRelayUiTest {

    private static final long SECONDS = 90;
    private static final String DHT = DhtSettings.SECTION;
    private static final int DEFAULT_PORT = 3479;
    private static final String RELAY_DIR = "p2pchat.relay.dir";
    /** Ui.ERROR, the colour of what went wrong. */
    private static final RGB ALARM = new RGB(0xc0, 0x1c, 0x28);

    private static Path relayProduct;

    private PartHarness harness;
    private ClientPart part;
    private IdentityService desk;
    private PeerTransport transport;
    private HeadlessPeer bob;

    @BeforeAll
    static void relayAndNetwork() {
        NetworkIsolation.requireIsolatedNetwork();
        Path product = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.product.dir"));
        // .../products/org.p2pchat.client/linux/gtk/x86_64 -> the relay product beside it
        relayProduct = product.getParent().getParent().getParent().getParent()
                .resolve("org.p2pchat.relay.product/linux/gtk/x86_64");
        assertTrue(Files.isExecutable(relayProduct.resolve("p2pchat-relay")),
                "materialized relay product missing at " + relayProduct);
    }

    /** The desktop on the default settings, with the relay installed. */
    private void start(Path dir) throws Exception {
        System.setProperty(RELAY_DIR, relayProduct.toString());
        harness = new PartHarness("LocalRelayUiTest");
        transport = harness.bundleContext.getService(harness.bundleContext.getServiceReference(PeerTransport.class));
        desk = harness.registerProfile("desk-alice", dir.resolve("desk"));
        harness.clientLayer(transport, new org.p2pchat.signaling.manual.internal.ManualSignalingProvider(),
                new DhtSignalingProvider());
        part = harness.make(ClientPart.class, 1180, 1000);
    }

    @AfterEach
    void close() throws Exception {
        System.clearProperty(RELAY_DIR);
        if (bob != null) {
            bob.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void oneClickStartsTheInstalledRelayAndTheDesktopRegistersWithIt(@TempDir Path dir) throws Exception {
        start(dir);
        harness.chooseMethod("DHT network");
        harness.waitFor(() -> PartHarness.findById(harness.shell, Label.class, "directory.unreachable"), SECONDS,
                "the page says no service is reachable");
        Button startRelay = harness.waitFor(() -> PartHarness.findById(harness.shell, Button.class, "directory.action"),
                SECONDS, "the page offers to start the installed relay");
        assertEquals("Start a local relay", startRelay.getText());
        System.out.println("screenshot: " + harness.screenshot("local-relay-offered"));

        PartHarness.click(startRelay);
        // Its text, not the label: the page redraws its service lines as the method's status changes.
        String service = harness.waitFor(() -> {
            Label l = PartHarness.findById(harness.shell, Label.class, "directory.service");
            return l != null && l.getText().contains("localhost:3479: registered as") ? l.getText() : null;
        }, SECONDS, "the desktop registers with the relay it started");
        assertNull(PartHarness.findById(harness.shell, Label.class, "directory.unreachable"), "the message went away");
        assertNull(PartHarness.findById(harness.shell, Button.class, "directory.action"), "nothing left to start");
        Label said = harness.byId(Label.class, "directory.action.status");
        assertTrue(said.getText().startsWith("A relay runs on this computer at http://localhost:3479"), said.getText());
        Label home = harness.byId(Label.class, "connect.status");
        harness.waitUntil(() -> home.getText().endsWith("People can reach you through DHT network."), SECONDS,
                "the status line says so: " + home.getText());
        System.out.println("screenshot: " + harness.screenshot("local-relay-started-registered"));
        System.out.println("service: " + service);

        Path log = dir.resolve("desk").resolve("logs").resolve("relay.log");
        assertTrue(Files.readString(log).contains("started: rendezvous service listening on 127.0.0.1:3479"),
                "the relay logs to the profile: " + Files.readString(log));
        // Killed, the client runs no shutdown hook: the relay watches the client's process itself.
        assertTrue(Files.readString(log).contains(" or the end of process " + ProcessHandle.current().pid() + ")"),
                "the relay stops with the client's process: " + Files.readString(log));

        // Someone else on this computer, on the same default service, finds the desktop there.
        bob = new HeadlessPeer("local-bob", dir.resolve("bob"), transport, new DhtSignalingProvider());
        bob.settings.section(DHT).write(DhtSettings.defaults());
        bob.client.goOnline(DHT);
        bob.await(harness, ClientEvent.MethodChanged.class, e -> e.method().status().stream()
                .anyMatch(s -> s.state() == ProviderStatus.State.ONLINE), SECONDS, "bob is registered");
        PeerAddress found = harness.await(bob.client.find(DHT, desk.self().key(), Duration.ofSeconds(SECONDS)), SECONDS,
                "bob finds the desktop on the local relay");
        assertEquals("desk-alice", found.name());
        bob.close();
        bob = null;

        // The client quits: the relay it started stops with it, cleanly.
        ProcessHandle relay = ProcessHandle.current().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("org.p2pchat.relay.product")).findFirst()
                .orElseThrow(() -> new AssertionError("the relay runs as a child process of the client"));
        harness.close();
        harness = null;
        assertTrue(relay.onExit().get(SECONDS, java.util.concurrent.TimeUnit.SECONDS) != null, "the relay stopped");
        assertTrue(!listening(DEFAULT_PORT), "nothing listens on " + DEFAULT_PORT + " any more");
        awaitLog(log, "stopped");
    }

    /** Waits until the relay's log (written by the client as the relay prints it) holds {@code line}. */
    private static void awaitLog(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        while (!Files.readString(log).contains(line)) {
            assertTrue(System.nanoTime() < deadline, "the relay's log has no '" + line + "': " + Files.readString(log));
            Thread.sleep(100); // the client copies the relay's last lines after it exited
        }
    }

    @Test
    void aPortTakenByAnotherProgramIsSaidInWordsAPersonCanActOn(@TempDir Path dir) throws Exception {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));
            Thread.ofVirtual().start(() -> { // another program: it takes connections and drops them
                while (!other.isClosed()) {
                    try (Socket s = other.accept()) {
                        s.setSoLinger(true, 0);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            start(dir);
            harness.chooseMethod("DHT network");
            Button startRelay = harness.waitFor(
                    () -> PartHarness.findById(harness.shell, Button.class, "directory.action"), SECONDS,
                    "the page offers to start the installed relay");
            PartHarness.click(startRelay);
            String said = harness.waitFor(() -> {
                Label l = PartHarness.findById(harness.shell, Label.class, "directory.action.status");
                return l != null && !l.getText().startsWith("\u22ef") ? l.getText() : null;
            }, SECONDS, "the click says how it went");
            System.out.println("screenshot: " + harness.screenshot("local-relay-port-in-use"));
            assertTrue(said.startsWith("The local relay could not start: it cannot listen on 127.0.0.1:3479"), said);
            assertTrue(said.contains("Another program uses port 3479: stop it, or add a rendezvous service"), said);
            assertTrue(said.contains(dir.resolve("desk").resolve("logs").resolve("relay.log").toString()),
                    "names the log: " + said);
            assertEquals(ALARM, harness.byId(Label.class, "directory.action.status").getForeground().getRGB(),
                    "it failed: said as an error");
            assertNotEquals(null, PartHarness.findById(harness.shell, Button.class, "directory.action"),
                    "it can be tried again once the port is free");
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
