package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.eclipse.swt.widgets.Button;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * "Send file…" (the chat's button and File &gt; Send File…) can act only while the chat is
 * connected: once the connection failed there is nobody to send to.
 */
class SendFileAfterFailureTest {

    private static final long SECONDS = ScriptedChat.SECONDS;

    private PartHarness harness;
    private ScriptedTransport transport;
    private ClientPart part;

    @BeforeEach
    void open(@TempDir Path profile) throws Exception {
        harness = new PartHarness("SendFileAfterFailureTest");
        harness.registerProfile("alice", profile);
        transport = new ScriptedTransport();
        harness.clientLayer(transport, new ManualSignalingProvider());
        harness.register(FileTransferService.class, new RecordingFiles());
        part = harness.make(ClientPart.class, 900, 720);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void sendFileIsDisabledOnceTheConnectionFailed() throws Exception {
        WindowModel model = new WindowModel();
        String sendFile = model.commandForMenuItem("File", "Send File...");
        ScriptedSession session = ScriptedChat.connect(harness, part, transport);
        Button button = harness.shownById(Button.class, "chat.sendFile");
        assertTrue(button.isEnabled(), "connected: files can be sent");
        assertTrue(model.canExecute(sendFile, part), "File > Send File… too");

        session.fire(ConnectionState.FAILED);
        harness.waitUntil(() -> !button.isEnabled(), SECONDS, "Send file… is disabled once the connection failed");
        assertFalse(model.canExecute(sendFile, part), "and File > Send File… is disabled");
        harness.screenshot("send-file-disabled-after-failure");
    }
}
