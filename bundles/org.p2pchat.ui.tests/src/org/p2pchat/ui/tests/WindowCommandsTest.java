package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.signaling.manual.internal.ManualPasteCodec;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * The window's commands, as the README promises them: Ctrl+D disconnects, Ctrl+Shift+C copies the
 * offer or answer, File &gt; Send File… offers files. Each goes from the shipped window model (the
 * key binding or the menu item) to its handler, run on the client part over a scripted session
 * (under the real client layer and manual provider).
 */
class WindowCommandsTest {

    /** Only reached when what a wait waits for never happens (a busy machine is slow, not broken). */
    private static final long SECONDS = 60;

    private PartHarness harness;
    private ScriptedTransport transport;
    private ScriptedSession session;
    private ClientPart part;
    private WindowModel model;

    @BeforeEach
    void open(@TempDir Path profile) throws Exception {
        harness = new PartHarness("WindowCommandsTest");
        harness.registerProfile("desk", profile);
        transport = new ScriptedTransport();
        harness.clientLayer(transport, new ManualSignalingProvider());
        part = harness.make(ClientPart.class, 900, 720);
        model = new WindowModel();
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void ctrlDEndsTheConversation() throws Exception {
        String disconnect = model.commandForKeys("M1+D");
        assertEquals("Disconnect", model.commandName(disconnect));
        assertFalse(model.canExecute(disconnect, part), "nothing to disconnect before a chat");
        connected();

        model.execute(disconnect, part);
        harness.waitUntil(() -> session.state() == ConnectionState.CLOSED, SECONDS, "the session is closed");
        List<String> notices = session.sentNotices.stream().map(ChatMessage::content).toList();
        assertEquals("desk left the chat", notices.get(notices.size() - 1), "the peer is told, as the web app does: "
                + notices);
        harness.waitUntil(() -> harness.byId(Composite.class, "chat.ended").isVisible(), SECONDS, "the end is shown");
        assertTrue(harness.byId(StyledText.class, "chat.messages").getText().contains("The conversation has ended"));
        assertFalse(model.canExecute(disconnect, part), "and Ctrl+D has nothing left to do");
    }

    @Test
    void ctrlShiftCCopiesTheOfferOrAnswerShown() throws Exception {
        String copy = model.commandForKeys("M1+M2+C");
        assertEquals("Copy Offer or Answer", model.commandName(copy));
        assertEquals(copy, model.commandForMenuItem("File", "Copy Offer/Answer"), "the File menu has it too");
        harness.chooseMethod("Manual exchange");
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "exchange.createOffer") != null, SECONDS,
                "the manual exchange is shown");
        harness.setClipboardText("before");
        model.execute(copy, part);
        assertEquals("before", harness.clipboardText(), "no offer yet: the clipboard is left alone");

        PartHarness.click(harness.byId(Button.class, "exchange.createOffer"));
        Text offer = harness.byId(Text.class, "exchange.offerText");
        harness.waitUntil(() -> !offer.getText().isEmpty(), SECONDS, "the offer is shown");
        model.execute(copy, part);
        assertEquals(offer.getText(), harness.clipboardText(), "the offer shown is on the clipboard");
        assertTrue(harness.clipboardText().startsWith("p2pchat1:"), harness.clipboardText());

        // Answering a peer's offer instead: the answer is what is copied.
        harness.byId(Text.class, "exchange.pastedOffer").setText(ManualPasteCodec.INSTANCE.encode(SignedDescription.unsigned(
                ScriptedSession.description(SessionDescription.Type.OFFER)), PasteCodec.Form.COMPACT));
        PartHarness.click(harness.byId(Button.class, "exchange.createAnswer"));
        Text answer = harness.byId(Text.class, "exchange.answerText");
        harness.waitUntil(() -> !answer.getText().isEmpty(), SECONDS, "the answer is shown");
        model.execute(copy, part);
        assertEquals(answer.getText(), harness.clipboardText(), "the answer shown is on the clipboard");
        assertFalse(answer.getText().equals(offer.getText()));
    }

    /**
     * File &gt; Send File… opens the file chooser (driven here with xdotool as a person would: type
     * a path, press Enter) and offers the chosen file to the peer.
     */
    @Test
    void fileSendFileOffersTheChosenFile(@TempDir Path dir) throws Exception {
        String sendFile = model.commandForMenuItem("File", "Send File...");
        assertEquals("Send File", model.commandName(sendFile));
        assertFalse(model.canExecute(sendFile, part), "disabled before a chat");
        RecordingFiles files = new RecordingFiles();
        harness.register(FileTransferService.class, files);
        connected();

        Path report = Files.writeString(dir.resolve("report.txt"), "quarterly", StandardCharsets.UTF_8);
        CompletableFuture<String> chooser = CompletableFuture.supplyAsync(() -> GtkFileChooser.choose("Send files to bob", report),
                r -> Thread.ofVirtual().start(r)); // not the common pool, which the client layer's work needs
        model.execute(sendFile, part); // returns once the chooser is closed
        assertEquals("chosen", harness.await(chooser, SECONDS, "the file chooser was driven"));
        harness.waitUntil(() -> files.calls.contains("offer " + List.of(report)), SECONDS, "the file is offered: " + files.calls);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Label.class, "transfer.name") != null, SECONDS,
                "the offer is listed");
        assertEquals("\u2191 report.txt", harness.byId(Label.class, "transfer.name").getText());
    }

    /** The manual exchange is made, the session connects and bob joins; the chat opens. */
    private void connected() throws Exception {
        session = ScriptedChat.connect(harness, part, transport);
    }
}
