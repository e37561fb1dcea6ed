package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DragSource;
import org.eclipse.swt.dnd.DragSourceAdapter;
import org.eclipse.swt.dnd.DragSourceEvent;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * The chat view over a scripted session (no network) under the real client layer: the input's keys, what the status line
 * says, what "Send file" says while no transfer engine can serve the peer, files dropped on the
 * conversation, and where an accepted transfer is saved ("P2P Chat" under Downloads, or in the
 * home when there is no Downloads folder).
 */
class ChatViewTest {

    /** Only reached when what a wait waits for never happens (a busy machine is slow, not broken). */
    private static final long SECONDS = 60;

    private PartHarness harness;
    private ScriptedSession session;
    private ClientPart part;

    @BeforeEach
    void connect(@TempDir Path profile) throws Exception {
        harness = new PartHarness("ChatViewTest");
        harness.registerProfile("desk", profile);
        ScriptedTransport transport = new ScriptedTransport();
        harness.clientLayer(transport, new ManualSignalingProvider());
        part = harness.make(ClientPart.class, 800, 600);
        session = ScriptedChat.connect(harness, part, transport);
    }

    @AfterEach
    void dispose() {
        harness.close();
    }

    @Test
    void enterSendsAndShiftEnterStartsANewLine() {
        Text input = harness.byId(Text.class, "chat.input");
        input.setText("first line");
        input.setSelection(input.getCharCount());
        PartHarness.key(input, SWT.CR, '\r', SWT.SHIFT);
        assertEquals("first line" + input.getLineDelimiter(), input.getText(), "Shift+Enter inserts a line break");
        assertTrue(session.sent.isEmpty(), "Shift+Enter does not send");

        input.append("second line");
        PartHarness.key(input, SWT.CR, '\r', 0);
        harness.waitUntil(() -> session.sent.size() == 1, SECONDS, "Enter sends");
        assertEquals("first line" + input.getLineDelimiter() + "second line", session.sent.get(0).content());
        assertEquals("desk", session.sent.get(0).sender());
        assertEquals("", input.getText(), "the input is emptied");
        harness.waitUntil(() -> harness.byId(StyledText.class, "chat.messages").getText().contains("second line"),
                SECONDS, "the sent message is listed");

        PartHarness.key(input, SWT.KEYPAD_CR, '\r', 0);
        assertEquals(1, session.sent.size(), "an empty input sends nothing");

        Label status = harness.byId(Label.class, "chat.status");
        harness.waitUntil(() -> status.getText().contains("Connected to bob") && status.getText().contains("Direct, UDP"), SECONDS,
                "the status names the peer and the path: " + status.getText());
    }

    @Test
    void theStatusSaysInWordsWhichPathIsInUseAndFollowsAChange() throws Exception {
        Label status = harness.byId(Label.class, "chat.status");
        harness.waitUntil(() -> status.getText().endsWith("Direct, UDP"), SECONDS, status.getText());
        // After an ICE restart the path is reported again: relayed, over TCP here.
        session.path(new CandidatePath(CandidatePath.CandidateType.RELAY, CandidatePath.CandidateType.HOST,
                "192.0.2.1:49160", "192.0.2.2:5001", "tcp"));
        harness.waitUntil(() -> status.getText().endsWith("Relay (TURN), TCP"), SECONDS,
                status.getText());
        harness.screenshot("chat-path-relay-tcp");
        session.path(new CandidatePath(CandidatePath.CandidateType.SERVER_REFLEXIVE, CandidatePath.CandidateType.PEER_REFLEXIVE,
                "203.0.113.5:40000", "198.51.100.7:40001", "udp"));
        harness.waitUntil(() -> status.getText().endsWith("STUN, UDP"), SECONDS,
                status.getText());
    }

    @Test
    void sendFileSaysWhenFileTransferIsNotInstalledOrThePeerCannotTakeFiles() {
        Button sendFile = harness.byId(Button.class, "chat.sendFile");
        Label notice = harness.byId(Label.class, "chat.fileNotice");
        PartHarness.click(sendFile);
        assertEquals("File transfer is not installed yet.", notice.getText());
        assertTrue(notice.isVisible(), "the notice is shown");

        harness.register(FileTransferService.class, new NoFilesForWebApp());
        String webApp = "Your peer's app (the web app) cannot exchange files with this client.";
        harness.waitUntil(() -> {
            PartHarness.click(sendFile); // the engine is bound dynamically, as soon as it is registered
            return webApp.equals(notice.getText());
        }, SECONDS, "the engine registered later is used: " + notice.getText());
    }

    @Test
    void aPeerThatHangsUpLeavesTheWayBackToANewConnection() {
        Text input = harness.byId(Text.class, "chat.input");
        input.setText("mine");
        PartHarness.key(input, SWT.CR, '\r', 0);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("mine"), SECONDS, "the sent message is listed");
        int mine = messages.getText().indexOf("mine");
        assertTrue(messages.getLocationAtOffset(mine).x > messages.getClientArea().width / 2, "own messages on the right");

        session.fire(ConnectionState.CLOSED);
        harness.waitUntil(() -> harness.byId(org.eclipse.swt.widgets.Composite.class, "chat.ended").isVisible(), SECONDS,
                "the end of the conversation is shown");
        assertTrue(messages.getText().contains("The conversation has ended"));
        harness.settle(300);
        assertTrue(messages.getLocationAtOffset(mine).x > messages.getClientArea().width / 2,
                "own messages stay on the right when the banner appears");
        PartHarness.click(harness.byId(Button.class, "chat.newConnection"));
        assertTrue(!part.isChatShown(), "back on the Connect view");
    }

    @Test
    void aFailedManualConnectionSaysWhyItCannotComeBackByItself() {
        session.fire(ConnectionState.FAILED);
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(banner::isVisible, SECONDS, "the failure is shown");
        assertTrue(banner.getText().contains("manual exchange has no signaling path"), banner.getText());
        assertTrue(harness.byId(Button.class, "chat.newConnection").isVisible(), "a new exchange is offered");
        assertTrue(!harness.byId(Button.class, "chat.safetyNumber").isVisible(), "no safety number without a verified peer");
    }

    @Test
    void aMessageWhileTheWindowIsInTheBackgroundCountsInTheTitle() {
        org.eclipse.swt.widgets.Shell other = new org.eclipse.swt.widgets.Shell(harness.display);
        try {
            other.setSize(200, 100);
            other.open();
            other.forceActive();
            harness.waitUntil(() -> harness.display.getActiveShell() != harness.shell, SECONDS, "another window is active");
            session.receive(ChatMessage.create("bob", "are you there?"));
            harness.waitUntil(() -> part.unreadCount() == 1, SECONDS, "the message counts as unread");
            assertEquals("P2P Chat \u2014 desk (1)", harness.shell.getText(), "the title names the profile, then the count");
            session.receive(ChatMessage.create("bob", "hello?"));
            harness.waitUntil(() -> harness.shell.getText().equals("P2P Chat \u2014 desk (2)"), SECONDS, "two unread");

            harness.shell.forceActive();
            harness.shell.notifyListeners(SWT.Activate, new org.eclipse.swt.widgets.Event());
            assertEquals("P2P Chat \u2014 desk", harness.shell.getText(), "read once the window is active again");
            assertEquals(0, part.unreadCount());
        } finally {
            other.dispose();
        }
    }

    @Test
    void transfersShowProgressSpeedAndTimeLeftAndTheirButtonsActOnTheEngine(@TempDir Path home) throws Exception {
        RecordingFiles files = new RecordingFiles();
        harness.register(FileTransferService.class, files);
        harness.waitUntil(() -> !files.listeners.isEmpty(), SECONDS, "the client layer listens to the engine");
        long mib = 1 << 20;
        files.publish(new TransferStatus("t1", "bob", TransferStatus.Direction.RECEIVING, "holiday.mkv", 10 * mib, 0, 0,
                TransferStatus.State.OFFERED, null));
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "transfer.accept") != null, SECONDS,
                "an offered transfer can be accepted");
        assertEquals("\u2193 holiday.mkv", harness.byId(Label.class, "transfer.name").getText(), "an arrow says it is coming in");
        assertTrue(harness.byId(Label.class, "transfer.info").getText().startsWith("Offered to you: 10.0 MiB"));

        // Accept saves into "P2P Chat" under the user's Downloads; the home is the test's own.
        Path downloads = Files.createDirectories(home.resolve("Downloads"));
        acceptWithHome(home, files, "t1");
        assertEquals(List.of("accept t1 " + downloads.resolve("P2P Chat")), files.calls, "accepted into Downloads/P2P Chat");
        assertTrue(Files.isDirectory(downloads.resolve("P2P Chat")), "the folder is made");
        assertFalse(Files.exists(home.resolve("P2P Chat")), "nothing in the home itself");

        files.publish(new TransferStatus("t1", "bob", TransferStatus.Direction.RECEIVING, "holiday.mkv", 10 * mib, 4 * mib,
                mib, TransferStatus.State.RUNNING, null));
        Label info = harness.byId(Label.class, "transfer.info");
        harness.waitUntil(() -> info.getText().equals("4.0 MiB of 10.0 MiB  \u00b7  1.0 MiB/s  \u00b7  6 s left"), SECONDS,
                "bytes, speed and time left: " + info.getText());
        files.publish(new TransferStatus("t1", "bob", TransferStatus.Direction.RECEIVING, "holiday.mkv", 10 * mib, 4 * mib,
                mib, TransferStatus.State.RUNNING, null, TransferStatus.PATH_DIRECT));
        harness.waitUntil(() -> info.getText().endsWith("6 s left  \u00b7  direct on the local network"), SECONDS,
                "and the path: " + info.getText());
        assertEquals(400, harness.byId(ProgressBar.class, "transfer.bar").getSelection(), "the bar shows 40%");
        PartHarness.click(harness.byId(Button.class, "transfer.pause"));
        harness.waitUntil(() -> files.calls.contains("pause t1"), SECONDS, "pause reaches the engine: " + files.calls);

        files.publish(new TransferStatus("t1", "bob", TransferStatus.Direction.RECEIVING, "holiday.mkv", 10 * mib, 10 * mib,
                0, TransferStatus.State.DONE, null));
        harness.waitUntil(() -> info.getText().equals("Received from bob"), SECONDS, "done: " + info.getText());
        assertEquals(null, PartHarness.findById(harness.shell, Button.class, "transfer.cancel"), "nothing left to cancel");
        harness.screenshot("chat-transfer-done");
    }

    @Test
    void acceptFallsBackToP2PChatInTheHomeWhenThereIsNoDownloadsFolder(@TempDir Path home) throws Exception {
        RecordingFiles files = new RecordingFiles();
        harness.register(FileTransferService.class, files);
        harness.waitUntil(() -> !files.listeners.isEmpty(), SECONDS, "the client layer listens to the engine");
        files.publish(new TransferStatus("t2", "bob", TransferStatus.Direction.RECEIVING, "notes.txt", 100, 0, 0,
                TransferStatus.State.OFFERED, null));
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "transfer.accept") != null, SECONDS,
                "an offered transfer can be accepted");
        acceptWithHome(home, files, "t2");
        assertEquals(List.of("accept t2 " + home.resolve("P2P Chat")), files.calls, "the fallback: P2P Chat in the home");
        assertTrue(Files.isDirectory(home.resolve("P2P Chat")), "the folder is made");
    }

    /**
     * A drop of files from a file manager onto the conversation offers them: the drop goes through
     * the chat's real drop target (its listeners, with the file transfer type), as SWT delivers it.
     */
    @Test
    void filesDroppedOnTheChatAreOffered(@TempDir Path dir) throws Exception {
        RecordingFiles files = new RecordingFiles();
        harness.register(FileTransferService.class, files);
        harness.waitUntil(() -> !files.listeners.isEmpty(), SECONDS, "the client layer listens to the engine");
        Path photo = Files.writeString(dir.resolve("photo 1.jpg"), "not really a photo");
        Path notes = Files.writeString(dir.resolve("notes.txt"), "notes");

        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        DropTarget target = (DropTarget) messages.getData(DND.DROP_TARGET_KEY);
        assertNotNull(target, "the conversation is a drop target");
        assertTrue(Arrays.asList(target.getTransfer()).contains(FileTransfer.getInstance()), "it takes files");
        Dropping.drop(target, photo.toString(), notes.toString());
        harness.waitUntil(() -> files.calls.contains("offer " + List.of(photo, notes)), SECONDS,
                "the dropped files are offered: " + files.calls);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Label.class, "transfer.name") != null, SECONDS,
                "the offer is listed");
        assertEquals("\u2191 photo 1.jpg", harness.byId(Label.class, "transfer.name").getText(), "an arrow says it goes out");
    }

    /**
     * A real drag and drop on the X display: files dragged with the mouse (xdotool) from another
     * window, a stand-in for a file manager offering them as files, and dropped on the conversation.
     */
    @Test
    void filesDraggedFromAnotherWindowWithTheMouseAreOffered(@TempDir Path dir) throws Exception {
        RecordingFiles files = new RecordingFiles();
        harness.register(FileTransferService.class, files);
        harness.waitUntil(() -> !files.listeners.isEmpty(), SECONDS, "the client layer listens to the engine");
        Path photo = Files.writeString(dir.resolve("photo 1.jpg"), "not really a photo");

        Shell fileManager = new Shell(harness.display, SWT.NO_TRIM);
        try {
            fileManager.setBounds(900, 100, 200, 150);
            fileManager.setLayout(new FillLayout());
            Canvas icon = new Canvas(fileManager, SWT.BORDER);
            DragSource source = new DragSource(icon, DND.DROP_COPY);
            source.setTransfer(FileTransfer.getInstance());
            source.addDragListener(new DragSourceAdapter() {
                @Override
                public void dragSetData(DragSourceEvent event) {
                    event.data = new String[] { photo.toString() };
                }
            });
            fileManager.open();
            harness.shell.setLocation(0, 0);
            StyledText messages = harness.byId(StyledText.class, "chat.messages");
            harness.waitUntil(() -> fileManager.isVisible() && messages.isVisible(), SECONDS, "both windows are shown");
            harness.settle(200); // mapped windows get their first paint before the pointer moves over them
            Point from = icon.toDisplay(100, 75);
            Rectangle area = messages.getClientArea();
            Point to = messages.toDisplay(area.width / 2, area.height / 2);
            harness.await(CompletableFuture.runAsync(() -> Dropping.dragWithMouse(from, to)), SECONDS, "the mouse drags");
            harness.waitUntil(() -> files.calls.contains("offer " + List.of(photo)), SECONDS,
                    "the dropped file is offered: " + files.calls);
        } finally {
            fileManager.dispose();
        }
    }

    /** Clicks Accept on the only offer with {@code user.home} set to {@code home} until the engine is asked. */
    private void acceptWithHome(Path home, RecordingFiles files, String id) {
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            PartHarness.click(harness.byId(Button.class, "transfer.accept"));
            harness.waitUntil(() -> files.calls.stream().anyMatch(c -> c.startsWith("accept " + id)), SECONDS,
                    "the engine is asked to accept: " + files.calls);
        } finally {
            System.setProperty("user.home", realHome);
        }
    }

    /** An engine that, like the real one will, cannot exchange files with the web app. */
    private static final class NoFilesForWebApp implements FileTransferService {

        @Override
        public boolean supports(PeerSession s) {
            return false;
        }

        @Override
        public TransferStatus offer(PeerSession s, List<Path> files) throws IOException {
            throw new IOException("not supported");
        }

        @Override
        public void accept(String transferId, Path directory) {
        }

        @Override
        public void decline(String transferId) {
        }

        @Override
        public void pause(String transferId) {
        }

        @Override
        public void resume(String transferId) {
        }

        @Override
        public void cancel(String transferId) {
        }

        @Override
        public List<TransferStatus> transfers() {
            return List.of();
        }

        @Override
        public void addListener(TransferListener listener) {
        }

        @Override
        public void removeListener(TransferListener listener) {
        }
    }
}
