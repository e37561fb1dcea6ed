package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferFile;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;
import org.p2pchat.ui.internal.parts.DesktopFiles;
import org.p2pchat.ui.internal.parts.Ui;

/**
 * The conversation's timeline: file transfers are items in it, as messengers show them (many of
 * them never push the chat or the message box off the window, finished ones stay), a received
 * file says where it is and opens, each file of an offer is named, a declined one says who
 * declined; and the timeline sticks to the newest line while the person is there.
 */
class ChatTimelineTest {

    private static final long SECONDS = 60;
    private static final long MIB = 1 << 20;

    private PartHarness harness;
    private ScriptedSession session;
    private RecordingFiles files;
    private StyledText messages;

    @BeforeEach
    void connect(@TempDir Path profile) throws Exception {
        harness = new PartHarness("ChatTimelineTest");
        harness.registerProfile("desk", profile);
        ScriptedTransport transport = new ScriptedTransport();
        harness.clientLayer(transport, new ManualSignalingProvider());
        ClientPart part = harness.make(ClientPart.class, 1120, 760);
        session = ScriptedChat.connect(harness, part, transport);
        files = new RecordingFiles();
        harness.register(FileTransferService.class, files);
        harness.waitUntil(() -> !files.listeners.isEmpty(), SECONDS, "the client layer listens to the engine");
        messages = harness.byId(StyledText.class, "chat.messages");
    }

    @AfterEach
    void dispose() {
        DesktopFiles.use(null);
        harness.close();
    }

    @Test
    void fifteenOffersLeaveTheChatAndTheMessageBoxInViewAndStayWhenFinished() throws Exception {
        for (int i = 1; i <= 15; i++) {
            boolean ours = i % 3 == 0;
            files.publish(new TransferStatus("t" + i, "bob", ours ? Direction.SENDING : Direction.RECEIVING,
                    "file " + i + ".bin", i * MIB, 0, 0, ours ? State.WAITING_FOR_PEER : State.OFFERED, null));
        }
        harness.waitUntil(() -> items().size() == 15, SECONDS, "every offer is an item of the timeline: " + items().size());
        session.receive(ChatMessage.create("bob", "did you get them all?"));
        harness.waitUntil(() -> messages.getText().endsWith("did you get them all?"), SECONDS, "the newest message is listed");
        harness.settle(300);

        Text input = harness.byId(Text.class, "chat.input");
        assertTrue(input.isVisible(), "the message box is shown");
        assertTrue(input.getSize().y >= 2 * input.getLineHeight(), "the message box is not cut: " + input.getSize());
        Rectangle window = harness.shell.getClientArea();
        Rectangle inputOnWindow = onShell(input);
        assertTrue(inputOnWindow.y + inputOnWindow.height <= window.height, "the message box is inside the window: "
                + inputOnWindow + " in " + window);
        assertTrue(messages.getSize().y >= 300, "the chat keeps its room: " + messages.getSize());
        harness.waitUntil(() -> showsNewest(messages), SECONDS, "the newest message is in view");
        harness.screenshot("timeline-fifteen-offers");

        // Finished ones stay in the timeline, without buttons.
        files.publish(new TransferStatus("t1", "bob", Direction.RECEIVING, "file 1.bin", MIB, 0, 0, State.CANCELLED, null));
        Composite first = item("\u2193 file 1.bin");
        Label info = PartHarness.findById(first, Label.class, "transfer.info");
        harness.waitUntil(() -> info.getText().equals("Cancelled"), SECONDS, "it says it ended: " + info.getText());
        assertEquals(15, items().size(), "the finished item stays");
        assertEquals(null, PartHarness.findById(first, Button.class, "transfer.accept"), "nothing to do on it");
    }

    @Test
    void anOfferOfSeveralFilesNamesEachFile() throws Exception {
        files.fileLists.put("m1", List.of(new TransferFile("report.pdf", 2 * MIB, "application/pdf"),
                new TransferFile("photo 1.jpg", 3 * MIB, "image/jpeg"), new TransferFile("notes.txt", 120, "text/plain")));
        files.publish(new TransferStatus("m1", "bob", Direction.RECEIVING, "3 files", 5 * MIB + 120, 0, 0, State.OFFERED,
                null));
        Composite item = harness.waitFor(() -> findItem("\u2193 3 files"), SECONDS, "the offer is an item");
        List<String> names = PartHarness.find(item, Label.class).stream().filter(l -> "transfer.file".equals(l.getData(Ui.ID)))
                .map(Label::getText).toList();
        assertEquals(List.of("\u2022 report.pdf", "\u2022 photo 1.jpg", "\u2022 notes.txt"), names, "each file by name");
        assertTrue(PartHarness.findById(item, Label.class, "transfer.info").getText().startsWith("Offered to you: 5.0 MiB from bob"));
        harness.screenshot("timeline-several-files");
    }

    @Test
    void aDeclinedOfferSaysWhoDeclined() throws Exception {
        // bob declines ours
        files.publish(new TransferStatus("out", "bob", Direction.SENDING, "plan.odt", MIB, 0, 0, State.WAITING_FOR_PEER, null));
        Composite ours = harness.waitFor(() -> findItem("\u2191 plan.odt"), SECONDS, "our offer is an item");
        files.publish(new TransferStatus("out", "bob", Direction.SENDING, "plan.odt", MIB, 0, 0, State.DECLINED, null));
        Label oursInfo = PartHarness.findById(ours, Label.class, "transfer.info");
        harness.waitUntil(() -> oursInfo.getText().equals("Declined by bob"), SECONDS, "who declined: " + oursInfo.getText());

        // we decline bob's
        files.publish(new TransferStatus("in", "bob", Direction.RECEIVING, "big.iso", 700 * MIB, 0, 0, State.OFFERED, null));
        Composite theirs = harness.waitFor(() -> findItem("\u2193 big.iso"), SECONDS, "bob's offer is an item");
        PartHarness.click(PartHarness.findById(theirs, Button.class, "transfer.decline"));
        harness.waitUntil(() -> files.calls.contains("decline in"), SECONDS, "decline reaches the engine: " + files.calls);
        files.publish(new TransferStatus("in", "bob", Direction.RECEIVING, "big.iso", 700 * MIB, 0, 0, State.DECLINED, null));
        Label theirsInfo = PartHarness.findById(theirs, Label.class, "transfer.info");
        harness.waitUntil(() -> theirsInfo.getText().equals("You declined"), SECONDS, "who declined: " + theirsInfo.getText());
        harness.screenshot("timeline-declined");
    }

    @Test
    void aReceivedFileSaysWhereItIsAndOpensOrShowsItsFolder(@TempDir Path home) throws Exception {
        List<Path> launched = new CopyOnWriteArrayList<>();
        DesktopFiles.use(path -> launched.add(path));
        Path folder = Files.createDirectories(home.resolve("P2P Chat"));
        Path saved = Files.writeString(folder.resolve("holiday (1).txt"), "a real file");
        files.fileLists.put("r1", List.of(new TransferFile("holiday.txt", 11, "text/plain", Optional.of(saved))));
        files.publish(new TransferStatus("r1", "bob", Direction.RECEIVING, "holiday.txt", 11, 11, 0, State.DONE, null));
        Composite item = harness.waitFor(() -> findItem("\u2193 holiday.txt"), SECONDS, "the received file is an item");
        assertEquals("Received from bob", PartHarness.findById(item, Label.class, "transfer.info").getText());
        assertEquals("Saved as " + saved, PartHarness.findById(item, Label.class, "transfer.saved").getText(),
                "where it is, with the name it got");

        PartHarness.click(PartHarness.findById(item, Button.class, "transfer.open"));
        PartHarness.click(PartHarness.findById(item, Button.class, "transfer.showInFolder"));
        assertEquals(List.of(saved, folder), launched, "Open opens the file, Show in folder its folder");
        harness.screenshot("timeline-received-file");

        // Moved away since: the chat says so instead of launching nothing.
        Files.delete(saved);
        PartHarness.click(PartHarness.findById(item, Button.class, "transfer.open"));
        harness.waitUntil(() -> messages.getText().contains("holiday (1).txt is no longer in " + folder), SECONDS,
                "a moved file is said: " + messages.getText());
        assertEquals(2, launched.size(), "nothing launched for a missing file");
    }

    @Test
    void theTimelineSticksToTheNewestLineUnlessThePersonScrolledUp() throws Exception {
        for (int i = 1; i <= 40; i++) {
            session.receive(ChatMessage.create("bob", "message " + i + " with enough words that its lines wrap again when the"
                    + " window gets narrower, so the height of every line changes, and the newest line moves down" + (i % 4 == 0
                            ? " a good deal further than the others do, as a long message that takes a whole paragraph of text"
                                    + " to say what it says would, and then some more words to be sure of it"
                            : "")));
        }
        harness.waitUntil(() -> messages.getText().contains("message 40 "), SECONDS, "the messages are listed");
        harness.waitUntil(() -> showsNewest(messages), SECONDS, "the newest is in view");

        // The person scrolls up to read: new lines do not move them.
        messages.setTopPixel(0);
        scrolledByThePerson();
        session.receive(ChatMessage.create("bob", "while you read"));
        harness.waitUntil(() -> messages.getText().contains("while you read"), SECONDS, "listed");
        harness.settle(300);
        assertTrue(messages.getTopPixel() < messages.getClientArea().height, "no jump while reading: " + messages.getTopPixel());

        // Back at the bottom: it follows again, also when a file item comes and grows.
        messages.setTopPixel(Integer.MAX_VALUE);
        scrolledByThePerson();
        files.publish(new TransferStatus("g", "bob", Direction.RECEIVING, "growing.bin", 8 * MIB, 0, 0, State.OFFERED, null));
        harness.waitUntil(() -> findItem("\u2193 growing.bin") != null, SECONDS, "the item is in the timeline");
        files.fileLists.put("g", List.of(new TransferFile("growing.bin", 8 * MIB, "application/octet-stream",
                Optional.of(Path.of("/tmp/P2P Chat/growing.bin")))));
        files.publish(new TransferStatus("g", "bob", Direction.RECEIVING, "growing.bin", 8 * MIB, MIB, MIB, State.RUNNING, null));
        harness.settle(300);
        harness.waitUntil(() -> itemShown(findItem("\u2193 growing.bin")), SECONDS, "the grown item is in view");
        session.receive(ChatMessage.create("bob", "after the file"));
        harness.waitUntil(() -> messages.getText().endsWith("after the file") && showsNewest(messages), SECONDS,
                "the newest is in view after a new message");

        // The person turns the wheel over the file item to read above it: new lines do not move them.
        harness.shell.setLocation(0, 0);
        harness.shell.forceActive();
        harness.settle(300);
        Composite grown = findItem("\u2193 growing.bin");
        int bottomTop = messages.getTopPixel();
        Point overItem = grown.toDisplay(grown.getSize().x / 2, grown.getSize().y / 2);
        harness.await(CompletableFuture.runAsync(() -> Dropping.wheel(overItem, true, 3)), SECONDS, "the wheel turns");
        harness.waitUntil(() -> messages.getTopPixel() < bottomTop, SECONDS, "the wheel over an item scrolls the chat");
        harness.settle(300);
        int reading = messages.getTopPixel();
        session.receive(ChatMessage.create("bob", "while you read above the file"));
        harness.waitUntil(() -> messages.getText().endsWith("while you read above the file"), SECONDS, "listed");
        harness.settle(300);
        // (A few pixels may go as the wheel's smooth scrolling settles; the newest line does not come into view.)
        assertTrue(Math.abs(messages.getTopPixel() - reading) <= messages.getLineHeight() && !showsNewest(messages),
                "no jump while reading: " + reading + " -> " + messages.getTopPixel());
        harness.screenshot("timeline-sticky-reading");
        Point overText = messages.toDisplay(messages.getClientArea().width / 2, 20);
        harness.await(CompletableFuture.runAsync(() -> Dropping.wheel(overText, false, 30)), SECONDS, "the wheel turns");
        harness.waitUntil(() -> showsNewest(messages), SECONDS, "the wheel brings the newest line back");
        harness.settle(300);
        session.receive(ChatMessage.create("bob", "following again"));
        harness.waitUntil(() -> messages.getText().endsWith("following again") && showsNewest(messages), SECONDS,
                "at the bottom, it follows again: " + newestAt(messages));

        // A banner appears above the messages (the connection failed).
        session.fire(ConnectionState.FAILED);
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(banner::isVisible, SECONDS, "the banner is shown");
        harness.settle(500);
        assertTrue(showsNewest(messages), "the newest line stays in view after the banner: " + newestAt(messages));
        harness.screenshot("timeline-sticky-banner");

        // The window gets smaller, then bigger.
        Point size = harness.shell.getSize();
        harness.shell.setSize(size.x - 420, size.y - 250);
        harness.settle(500);
        assertTrue(showsNewest(messages), "in view after the window got smaller: " + newestAt(messages));
        harness.screenshot("timeline-sticky-smaller");
        harness.shell.setSize(size);
        harness.settle(500);
        assertTrue(showsNewest(messages), "in view after the window got bigger: " + newestAt(messages));
    }

    /** What SWT tells the list when the person drags the scroll bar. */
    private void scrolledByThePerson() {
        messages.getVerticalBar().notifyListeners(SWT.Selection, new Event());
        harness.settle(200);
    }

    private List<Composite> items() {
        return PartHarness.find(messages, Composite.class).stream().filter(c -> "transfer.item".equals(c.getData(Ui.ID))).toList();
    }

    private Composite item(String name) {
        Composite found = findItem(name);
        assertTrue(found != null, "an item " + name);
        return found;
    }

    /** The file item whose name reads {@code name}, or null. */
    private Composite findItem(String name) {
        for (Composite c : items()) {
            Label label = PartHarness.findById(c, Label.class, "transfer.name");
            if (label != null && name.equals(label.getText())) {
                return c;
            }
        }
        return null;
    }

    private boolean itemShown(Control item) {
        if (item == null || !item.isVisible()) {
            return false;
        }
        Rectangle b = item.getBounds();
        return b.y >= 0 && b.y + b.height <= messages.getClientArea().height;
    }

    private static Rectangle onShell(Control c) {
        Point at = c.getShell().toControl(c.toDisplay(0, 0));
        return new Rectangle(at.x, at.y, c.getSize().x, c.getSize().y);
    }

    /** Whether the last line of the list is fully inside its visible area. */
    static boolean showsNewest(StyledText text) {
        int end = text.getCharCount();
        Point at = text.getLocationAtOffset(end);
        return at.y >= 0 && at.y + text.getLineHeight() <= text.getClientArea().height;
    }

    private static String newestAt(StyledText text) {
        return text.getLocationAtOffset(text.getCharCount()) + " in " + text.getClientArea() + ", top " + text.getTopPixel();
    }
}
