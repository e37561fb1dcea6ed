package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.google.gson.JsonObject;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.RelayProcess;
import org.p2pchat.ui.internal.parts.ClientPart;
import org.p2pchat.ui.internal.parts.DesktopFiles;
import org.p2pchat.ui.internal.parts.Ui;

/**
 * The desktop client's part with every real service (transport, DHT provider, the Bt file
 * service, identity) against a command-line client of the materialized product. The terminal and
 * a relay process (the rendezvous service) live on a network of their own ({@link SeparateNetwork})
 * that the desktop reaches over one link, as a laptop reaches the rest of the world over its Wi-Fi.
 * The terminal user connects to the desktop through the relay and the desktop user accepts in the
 * request bar. Then:
 * <ul>
 * <li>files go both ways through the UI: one offered by the terminal is accepted with the row's
 * Accept button, one is dropped on the conversation; the bytes on disk are compared;</li>
 * <li>the desktop's link goes down until both sides give the connection up, and comes back: the
 * terminal asks again through the relay, the desktop takes the request without asking, and the
 * conversation goes on in the same chat.</li>
 * </ul>
 * Opens WebRTC connections and makes a namespace and a link: runs only inside testnet.sh's namespace.
 */
class DesktopWithTerminalPeerTest {

    /** First start of a product JVM on two loaded cores can take a while. */
    private static final long START_SECONDS = 90;
    private static final long STEP_SECONDS = 60;
    /** ICE gives a silent peer up within about 30 s (20 s here); then the directory carries a new offer. */
    private static final long DROP_SECONDS = 120;
    private static final String DESK = "desk-alice";
    private static final String PEER = "cli-bob";
    /** Where the pom keeps the Bt bundle: above the framework's start level. */
    private static final int FILES_START_LEVEL = 100;

    private static Path product;
    private static Path relayProduct;

    private Path work;
    private String userHome;
    private RelayProcess relay;
    private PartHarness harness;
    private ClientPart part;
    private SeparateNetwork network;
    private CliProcess cli;
    private Path inbox;

    @BeforeAll
    static void productAndNetwork() {
        NetworkIsolation.requireIsolatedNetwork();
        product = Path.of(System.getProperty("p2pchat.product.dir", "(p2pchat.product.dir not set)"));
        assertTrue(Files.isDirectory(product), "materialized product missing at " + product);
        // .../products/org.p2pchat.client/linux/gtk/x86_64 -> the relay product beside it
        relayProduct = product.getParent().getParent().getParent().getParent()
                .resolve("org.p2pchat.relay.product/linux/gtk/x86_64");
        assertTrue(Files.isDirectory(relayProduct), "materialized relay product missing at " + relayProduct);
    }

    /**
     * The Bt bundle waits above the framework's start level (see the pom), so that the other tests
     * meet a client without a file service; here it starts, and afterwards it goes back.
     */
    @BeforeAll
    static void startFileService() throws Exception {
        Bundle files = filesBundle();
        int active = FrameworkUtil.getBundle(DesktopWithTerminalPeerTest.class).getBundleContext().getBundle(0)
                .adapt(FrameworkStartLevel.class).getStartLevel();
        files.adapt(BundleStartLevel.class).setStartLevel(active);
        files.start(Bundle.START_ACTIVATION_POLICY);
    }

    @AfterAll
    static void stopFileService() throws Exception {
        Bundle files = filesBundle();
        files.stop();
        files.adapt(BundleStartLevel.class).setStartLevel(FILES_START_LEVEL);
    }

    private static Bundle filesBundle() {
        return Arrays.stream(FrameworkUtil.getBundle(DesktopWithTerminalPeerTest.class).getBundleContext().getBundles())
                .filter(b -> "org.p2pchat.files.bt".equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("org.p2pchat.files.bt is not installed in the test runtime"));
    }

    @BeforeEach
    void connect() throws Exception {
        work = Path.of(System.getProperty("p2pchat.test.output.dir", "target"), "ui-real");
        deleteAllBut(work, "identity.key"); // the terminal keeps its key: the desktop knows it as a contact
        inbox = Files.createDirectories(work.resolve("cli-inbox"));
        // "Accept" saves under the user's Downloads: here, a home of the test's own.
        userHome = System.getProperty("user.home");
        System.setProperty("user.home", Files.createDirectories(work.resolve("home")).toString());

        network = SeparateNetwork.start(work);
        relay = RelayProcess.start(network.product(relayProduct, "p2pchat-relay"), work.resolve("relay"), "--bind",
                SeparateNetwork.REMOTE_ADDRESS, "--port", "0");
        String service = "http://" + SeparateNetwork.REMOTE_ADDRESS + ":" + relay.awaitListening(START_SECONDS).getPort();

        harness = new PartHarness("DesktopWithTerminalPeerTest");
        IdentityService deskIdentity = harness.registerProfile(DESK, work.resolve("desk"));
        harness.profileSettings().section(DhtSettings.SECTION).write(new DhtSettings(List.of(new ServiceEntry(
                "Test rendezvous", service, true, false))));
        harness.waitUntil(() -> harness.bundleContext.getServiceReference(FileTransferService.class) != null,
                STEP_SECONDS, "the Bt file service starts in the test runtime");
        harness.clientLayerOfTheFramework(); // on this profile: the framework's own is bound to what it met first
        part = harness.make(ClientPart.class, 960, 820);
        harness.chooseMethod("DHT network");
        harness.waitUntil(() -> harness.byId(Label.class, "directory.service").getText().contains("registered as"),
                START_SECONDS, "the desktop is registered");
        String deskKey = deskIdentity.self().key();

        cli = CliProcess.start(PEER, network.product(product, "p2pchat"), work.resolve("cli-bob"), "--no-ice", "--name",
                PEER, "--rendezvous", service, "--accept-files", inbox.toString(), "connect", deskKey);

        Label request = harness.waitFor(() -> PartHarness.findById(harness.shell, Label.class, "request.text"),
                START_SECONDS, "the terminal's request is shown");
        assertTrue(request.getText().startsWith(PEER + " asks to connect"), request.getText());
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        harness.waitUntil(part::isChatShown, STEP_SECONDS, "the chat opens");
        Label status = harness.byId(Label.class, "chat.status");
        harness.waitUntil(() -> status.getText().startsWith("\u25cf Connected to " + PEER), STEP_SECONDS,
                "the desktop shows the connection: " + status.getText());
        await(() -> cli.awaitState("connected", STEP_SECONDS), "the terminal connects");
        chat("before");
    }

    @AfterEach
    void close() throws Exception {
        if (cli != null) {
            cli.close();
        }
        if (harness != null) {
            harness.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (network != null) {
            network.close();
        }
        if (userHome != null) {
            System.setProperty("user.home", userHome);
        }
    }

    @Test
    void aFileEachWayThroughTheChatWithTheRealFileService() throws Exception {
        // The terminal offers a file; the desktop user clicks Accept in its row.
        Path fromTerminal = work.resolve("cli-outbox").resolve("bob's notes.bin");
        byte[] terminalBytes = write(fromTerminal, 3 * 1024 * 1024 + 17, 11);
        cli.send("/send \"" + fromTerminal + "\"");
        Composite incoming = harness.waitFor(() -> transferRow("\u2193 " + fromTerminal.getFileName()), STEP_SECONDS,
                "the offer is listed in the chat");
        Label incomingInfo = PartHarness.findById(incoming, Label.class, "transfer.info");
        assertTrue(incomingInfo.getText().startsWith("Offered to you"), incomingInfo.getText());
        PartHarness.click(PartHarness.findById(incoming, Button.class, "transfer.accept"));
        harness.waitUntil(() -> incomingInfo.getText().startsWith("Received from "), STEP_SECONDS,
                "the received file is done: " + incomingInfo.getText());
        Path saved = FileTransferService.defaultDownloadDirectory().resolve(fromTerminal.getFileName().toString());
        assertTrue(saved.startsWith(work), "saved under the test's home: " + saved);
        assertArrayEquals(terminalBytes, Files.readAllBytes(saved), "the bytes the desktop saved");
        // The item says where the file is, and opens it or its folder with the desktop (recorded here).
        Label where = PartHarness.findById(incoming, Label.class, "transfer.saved");
        harness.waitUntil(() -> where.getText().equals("Saved as " + saved), STEP_SECONDS, "where it is: " + where.getText());
        List<Path> launched = new CopyOnWriteArrayList<>();
        DesktopFiles.use(launched::add);
        try {
            PartHarness.click(PartHarness.findById(incoming, Button.class, "transfer.open"));
            PartHarness.click(PartHarness.findById(incoming, Button.class, "transfer.showInFolder"));
        } finally {
            DesktopFiles.use(null);
        }
        assertEquals(List.of(saved, saved.getParent()), launched, "Open opens the saved file, Show in folder its folder");
        await(() -> cli.await("file-sent", STEP_SECONDS), "the terminal says it was sent");

        // The desktop user drops a file on the conversation; the terminal accepts everything into its inbox.
        Path fromDesktop = work.resolve("desk-outbox").resolve("desk photo.bin");
        byte[] desktopBytes = write(fromDesktop, 2 * 1024 * 1024 + 5, 12);
        drop(messages(), fromDesktop);
        Label notice = harness.byId(Label.class, "chat.fileNotice");
        assertTrue(!notice.isVisible(), "the chat takes files from this peer: " + notice.getText());
        Composite outgoing = harness.waitFor(() -> transferRow("\u2191 " + fromDesktop.getFileName()), STEP_SECONDS,
                "the dropped file is listed in the chat");
        Label outgoingInfo = PartHarness.findById(outgoing, Label.class, "transfer.info");
        JsonObject received = await(() -> cli.await("file-received", STEP_SECONDS), "the terminal receives the file");
        assertEquals(fromDesktop.getFileName().toString(), received.get("name").getAsString(), received.toString());
        assertArrayEquals(desktopBytes, Files.readAllBytes(inbox.resolve(fromDesktop.getFileName().toString())),
                "the bytes the terminal saved");
        harness.waitUntil(() -> outgoingInfo.getText().startsWith("Sent to "), STEP_SECONDS,
                "the desktop shows the sent file done: " + outgoingInfo.getText());
        System.out.println("screenshot: " + harness.screenshot("real-files-both-ways"));
    }

    @Test
    void theNetworkDropsAndTheConversationGoesOnAfterTheDirectoryReconnects() throws Exception {
        Label banner = harness.byId(Label.class, "chat.ended.text");
        Label status = harness.byId(Label.class, "chat.status");
        network.down();
        // Both sides give the connection up (ICE's timeout); the desktop, which accepted, waits to be asked again.
        // The terminal asks at once through the relay, which keeps the request until the desktop is back.
        harness.waitUntil(() -> banner.isVisible() && banner.getText().contains("waiting for " + PEER
                + " to reconnect through the directory"), DROP_SECONDS, "the desktop shows the lost connection: "
                        + banner.getText() + " / " + status.getText());
        // What the user types meanwhile is kept (a clock) and sent once the terminal is back: it is our client.
        Text input = harness.byId(Text.class, "chat.input");
        input.setText("typed while offline");
        PartHarness.key(input, SWT.CR, '\r', 0);
        harness.waitUntil(() -> messages().getText().contains("\u25f7\ntyped while offline"), STEP_SECONDS,
                "kept, waiting for the connection: " + messages().getText());
        assertEquals("", input.getText(), "the input is emptied");
        System.out.println("screenshot: " + harness.screenshot("real-network-dropped"));
        network.up();

        await(() -> cli.await("reconnected", DROP_SECONDS), "the terminal reconnects through the directory");
        harness.waitUntil(() -> messages().getText().contains("Reconnected."), STEP_SECONDS,
                "the chat says it reconnected: " + messages().getText());
        harness.waitUntil(() -> status.getText().startsWith("\u25cf Connected to " + PEER), STEP_SECONDS,
                "the desktop shows the connection again: " + status.getText());
        assertTrue(PartHarness.findById(harness.shell, Label.class, "request.text") == null,
                "the reconnection was taken without asking the user");
        assertTrue(messages().getText().contains("Hi desk, before"), "the conversation kept its messages");
        // It may arrive before the terminal prints "reconnected": look through everything it printed.
        await(() -> cli.first(e -> "message".equals(e.get("event").getAsString())
                && "typed while offline".equals(e.get("content").getAsString()), "what was typed offline", STEP_SECONDS),
                "the terminal receives what was typed while offline");
        harness.waitUntil(() -> messages().getText().contains("\u2713\u2713\ntyped while offline"), STEP_SECONDS,
                "delivered: " + messages().getText());
        chat("after the drop");
        System.out.println("screenshot: " + harness.screenshot("real-network-reconnected"));
    }

    /** A message each way: typed on the desktop and received by the terminal, and the other way. */
    private void chat(String round) throws Exception {
        Text input = harness.byId(Text.class, "chat.input");
        Button send = harness.byId(Button.class, "chat.send");
        harness.waitUntil(send::isEnabled, STEP_SECONDS, "the desktop can send");
        String ours = "Hello bob, " + round;
        input.setText(ours);
        PartHarness.key(input, SWT.CR, '\r', 0);
        JsonObject got = await(() -> cli.await(e -> "message".equals(e.get("event").getAsString())
                && ours.equals(e.get("content").getAsString()), "our message", STEP_SECONDS), "the terminal receives it");
        assertEquals(DESK, got.get("sender").getAsString(), got.toString());

        String theirs = "Hi desk, " + round;
        cli.send(theirs);
        harness.waitUntil(() -> messages().getText().contains(theirs), STEP_SECONDS, "the desktop lists the terminal's message");
    }

    /** The file item of the timeline whose name reads {@code name}, or null. */
    private Composite transferRow(String name) {
        for (Label label : PartHarness.find(harness.shell, Label.class)) {
            if ("transfer.name".equals(label.getData(Ui.ID)) && name.equals(label.getText())) {
                return label.getParent();
            }
        }
        return null;
    }

    /**
     * Drops {@code file} on {@code target} as the user's file manager would: SWT's drop target
     * gets the file list and runs the listeners the client gave it. (SWT's drop event class is
     * internal, hence the reflection; the native drag itself is not part of what is tested.)
     */
    private void drop(Control target, Path file) throws Exception {
        DropTarget dropTarget = (DropTarget) target.getData(DND.DROP_TARGET_KEY);
        assertNotNull(dropTarget, "the conversation accepts dropped files");
        Class<?> type = Class.forName("org.eclipse.swt.dnd.DNDEvent", true, DropTarget.class.getClassLoader());
        Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        Event event = (Event) constructor.newInstance();
        event.widget = dropTarget;
        event.display = harness.display;
        event.time = (int) System.currentTimeMillis();
        event.detail = DND.DROP_COPY;
        event.data = new String[] {file.toString()};
        var dataType = type.getDeclaredField("dataType");
        dataType.setAccessible(true);
        dataType.set(event, FileTransfer.getInstance().getSupportedTypes()[0]);
        var operations = type.getDeclaredField("operations");
        operations.setAccessible(true);
        operations.setInt(event, DND.DROP_COPY);
        dropTarget.notifyListeners(DND.Drop, event);
    }

    /** Runs a blocking wait on another thread while the UI keeps running. */
    private <T> T await(java.util.concurrent.Callable<T> wait, String what) throws Exception {
        return harness.await(CompletableFuture.supplyAsync(() -> {
            try {
                return wait.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }), DROP_SECONDS + STEP_SECONDS, what);
    }

    private <S> S service(Class<S> type) {
        ServiceReference<S> ref = harness.bundleContext.getServiceReference(type);
        assertNotNull(ref, type.getSimpleName() + " service");
        return harness.bundleContext.getService(ref);
    }

    private static byte[] write(Path file, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return bytes;
    }

    /** Empties {@code dir} except files called {@code keep}. */
    private static void deleteAllBut(Path dir, String keep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (p.equals(dir) || p.getFileName().toString().equals(keep)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    try (Stream<Path> left = Files.list(p)) {
                        if (left.findAny().isPresent()) {
                            continue; // holds a kept file
                        }
                    }
                }
                Files.delete(p);
            }
        }
    }

    /** The messages of the conversation in front (each conversation has a view of its own). */
    private StyledText messages() {
        return harness.shownById(StyledText.class, "chat.messages");
    }

}
