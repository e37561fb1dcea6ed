package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.internal.ChatClientService;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferFile;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.ui.internal.parts.ChatView;
import org.p2pchat.ui.internal.parts.Ui;

/**
 * A conversation reopened from the history shows its finished file transfers again, each in its
 * place among the messages (by when it was offered), with where a received file is; transfers with
 * another peer are not shown.
 */
class ChatTimelineHistoryTest {

    private static final long SECONDS = 60;

    private PartHarness harness;
    private MessageHistory history;
    private RecordingFiles files;
    private ChatClient client;
    private String bobKey;
    private String carolKey;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        harness = new PartHarness("ChatTimelineHistoryTest");
        harness.registerProfile("desk", dir.resolve("desk"));
        history = PartHarness.inMemoryHistory();
        bobKey = new Ed25519IdentityService(dir.resolve("bob")).self().key();
        carolKey = new Ed25519IdentityService(dir.resolve("carol")).self().key();
        files = new RecordingFiles();
        client = new ChatClientService(new ScriptedTransport(), harness.profileIdentity(), harness.profileSettings(), files,
                history).open(ClientOptions.fromProfile());
    }

    @AfterEach
    void close() {
        harness.close();
        client.close();
        history.close();
    }

    @Test
    void finishedTransfersComeBackInTheirPlaceWhenTheConversationIsReopened(@TempDir Path downloads) throws Exception {
        String id = history.conversationWith(bobKey, "bob").id();
        long start = System.currentTimeMillis() - 3_600_000L;
        for (int i = 0; i < 4; i++) {
            history.addIncoming(id, "m" + i, i + 1, "bob", "message " + i, start + i * 60_000L);
        }
        Path saved = Files.writeString(downloads.resolve("song.ogg"), "not really a song");
        // Received between messages 1 and 2; sent (and declined) between 2 and 3; carol's is not this conversation's.
        files.listed.add(new TransferStatus("in", "bob", Direction.RECEIVING, "song.ogg", 17, 17, 0, State.DONE, null, "",
                bobKey, start + 90_000L));
        files.fileLists.put("in", List.of(new TransferFile("song.ogg", 17, "audio/ogg", Optional.of(saved))));
        files.listed.add(new TransferStatus("out", "bob", Direction.SENDING, "plan.odt", 1000, 0, 0, State.DECLINED, null,
                "", bobKey, start + 150_000L));
        files.listed.add(new TransferStatus("carol's", "carol", Direction.RECEIVING, "other.bin", 5, 5, 0, State.DONE, null,
                "", carolKey, start + 100_000L));

        new ChatView(harness.parent(), new ChatView.Host() {
            @Override
            public ChatClient client() {
                return client;
            }

            @Override
            public PublicIdentity self() {
                return client.self();
            }

            @Override
            public FileTransferService fileTransfer() {
                return files;
            }

            @Override
            public void showConnect() {
            }
        }, id);
        harness.open(800, 600);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> items(messages).size() == 2, SECONDS, "the conversation's two transfers are items");

        // In the text, each item is one object character: their order among the messages.
        String text = messages.getText();
        List<String> order = new ArrayList<>();
        for (String part : text.split("\n\n")) {
            order.add(part.equals("\uFFFC") ? "item" : part.substring(part.indexOf('\n') + 1));
        }
        assertEquals(List.of("message 0", "message 1", "item", "message 2", "item", "message 3"), order,
                "each item where it was offered");

        Composite received = items(messages).get(0);
        assertEquals("\u2193 song.ogg", label(received, "transfer.name"));
        assertEquals("Received from bob", label(received, "transfer.info"));
        assertEquals("Saved as " + saved, label(received, "transfer.saved"), "where the file is");
        assertTrue(PartHarness.findById(received, org.eclipse.swt.widgets.Button.class, "transfer.open") != null,
                "it can be opened");
        Composite sent = items(messages).get(1);
        assertEquals("\u2191 plan.odt", label(sent, "transfer.name"));
        assertEquals("Declined by bob", label(sent, "transfer.info"));
        harness.screenshot("timeline-reopened-with-files");
    }

    private static List<Composite> items(StyledText messages) {
        List<Composite> found = new ArrayList<>(); // the list makes them in the order of its text
        for (Control c : messages.getChildren()) {
            if (c instanceof Composite box && "transfer.item".equals(box.getData(Ui.ID))) {
                found.add(box);
            }
        }
        return found;
    }

    private static String label(Composite item, String id) {
        return PartHarness.findById(item, Label.class, id).getText();
    }
}
