package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.HistoryService;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.ui.internal.parts.ClientPart;
import org.p2pchat.ui.internal.parts.Ui;

/**
 * The desktop client opens with the list of conversations of the profile's history (kept on disk
 * by an earlier run): who, verified or not, the last message, how many are unread; choosing one
 * shows its messages and reads them; search across conversations opens the one found; delete asks
 * first, naming the conversation; export writes the conversation as text.
 * <p>
 * Opens no connection: the client layer runs over a scripted transport.
 */
class ConversationListUiTest {

    private static final long SECONDS = 60;
    private static final long T0 = 1_780_000_000_000L;

    private PartHarness harness;
    private MessageHistory history;
    private ClientPart part;
    private ConversationRecord bob;
    private ConversationRecord carol;
    private Path dir;

    @BeforeEach
    void open(@TempDir Path temp) throws Exception {
        dir = temp;
        harness = new PartHarness("ConversationListUiTest");
        Path profile = dir.resolve("desk");
        harness.registerProfile("desk", profile);
        HistoryService histories = harness.bundleContext.getService(
                harness.bundleContext.getServiceReference(HistoryService.class));
        String bobKey = new Ed25519IdentityService(dir.resolve("bob")).self().key();
        // An earlier run of the client: bob (verified, two messages not read yet), carol (the web app, read).
        try (MessageHistory before = histories.open(profile, Optional.empty())) {
            carol = before.newUnverifiedConversation("carol");
            before.addIncoming(carol.id(), "c1", 0, "carol", "the blue umbrella in the hall is mine", T0 - 60_000);
            before.addNotice(carol.id(), "carol left the chat", T0 - 50_000);
            before.markRead(carol.id());
            bob = before.conversationWith(bobKey, "bob");
            before.setVerified(bob.id(), true);
            before.addOutgoing(bob.id(), "d1", "desk", "Hi bob, did you book?", T0, true);
            before.addIncoming(bob.id(), "b1", 1, "bob", "Hi desk, the tickets are booked", T0 + 1000);
            before.addIncoming(bob.id(), "b2", 2, "bob", "see you at the station", T0 + 2000);
        }
        history = histories.open(profile, Optional.empty()); // the restart
        harness.clientLayer(new ScriptedTransport(), history, new org.p2pchat.signaling.manual.internal.ManualSignalingProvider());
        part = harness.make(ClientPart.class, 1040, 760);
    }

    @AfterEach
    void close() {
        harness.close();
        history.close();
    }

    private Table list() {
        return harness.byId(Table.class, "conversations.list");
    }

    private List<String> lines() {
        return Arrays.stream(list().getItems()).map(i -> i.getText()).toList();
    }

    private int line(String startsWith) {
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(startsWith)) {
                return i;
            }
        }
        return -1;
    }

    /** Clicks line {@code i} of the list. */
    private void choose(int i) {
        list().setSelection(i);
        list().notifyListeners(SWT.Selection, new Event());
    }

    /** The messages of the conversation in front. */
    private StyledText shownMessages() {
        return harness.shownById(StyledText.class, "chat.messages");
    }

    @Test
    void theListShowsTheStoredConversationsAfterARestartAndChoosingOneReadsIt() throws Exception {
        harness.waitUntil(() -> list().getItemCount() == 2, SECONDS, "both conversations are listed: " + lines());
        String first = lines().get(0);
        assertTrue(first.startsWith("bob \u2713"), "bob first (newest), verified: " + first);
        assertTrue(first.contains("2 unread"), first);
        assertTrue(first.contains("see you at the station"), "the last message: " + first);
        assertTrue(first.contains("offline"), first);
        String second = lines().get(1);
        assertTrue(second.startsWith("carol"), second);
        assertFalse(second.contains("\u2713"), "carol is not verified: " + second);
        assertFalse(second.contains("unread"), second);
        assertEquals("P2P Chat \u2014 desk (2)", harness.shell.getText(), "the unread messages count in the title");
        System.out.println("screenshot: " + harness.screenshot("conversation-list"));

        choose(0);
        harness.waitUntil(part::isChatShown, SECONDS, "bob's conversation is shown");
        harness.waitUntil(() -> shownMessages().getText().contains("the tickets are booked"), SECONDS,
                "its stored messages: " + shownMessages().getText());
        assertTrue(shownMessages().getText().contains("Hi bob, did you book?"));
        harness.waitUntil(() -> !lines().get(0).contains("unread"), SECONDS, "bob's messages are read: " + lines());
        assertEquals(0, history.summary(bob.id()).orElseThrow().unread(), "read in the history too");
        assertEquals("P2P Chat \u2014 desk", harness.shell.getText());
        System.out.println("screenshot: " + harness.screenshot("conversation-list-history"));
    }

    @Test
    void searchFindsAMessageInAnotherConversationAndOpensIt() throws Exception {
        harness.waitUntil(() -> list().getItemCount() == 2, SECONDS, "both conversations are listed");
        choose(line("bob"));
        harness.waitUntil(() -> shownMessages().getText().contains("the tickets are booked"), SECONDS, "bob's conversation");

        Text search = harness.byId(Text.class, "conversations.search");
        search.setText("UMBRELLA");
        search.notifyListeners(SWT.DefaultSelection, new Event());
        harness.waitUntil(() -> list().getItemCount() == 1 && lines().get(0).startsWith("carol"), SECONDS,
                "the message found, with its conversation: " + lines());
        assertTrue(lines().get(0).contains("the blue umbrella in the hall is mine"), lines().get(0));

        choose(0);
        harness.waitUntil(() -> shownMessages().getText().contains("the blue umbrella"), SECONDS,
                "carol's conversation opens at the message: " + shownMessages().getText());
        System.out.println("screenshot: " + harness.screenshot("conversation-search"));
        assertFalse(shownMessages().getText().contains("the tickets are booked"), "bob's is not in front");

        search.setText("");
        search.notifyListeners(SWT.DefaultSelection, new Event());
        harness.waitUntil(() -> list().getItemCount() == 2, SECONDS, "the conversations again: " + lines());
        assertEquals(line("carol"), list().getSelectionIndex(), "carol's line is the one in front");

        search.setText("no such words anywhere");
        search.notifyListeners(SWT.DefaultSelection, new Event());
        Label status = harness.byId(Label.class, "conversations.status");
        harness.waitUntil(() -> status.getText().startsWith("No message contains"), SECONDS, status.getText());
        assertEquals(0, list().getItemCount());
    }

    @Test
    void deleteAsksFirstNamingTheConversation() throws Exception {
        harness.waitUntil(() -> list().getItemCount() == 2, SECONDS, "both conversations are listed");
        choose(line("carol"));

        List<String> asked = answerDeleteDialog("Cancel");
        menuItem("conversations.menu.delete").notifyListeners(SWT.Selection, new Event());
        harness.waitUntil(() -> !asked.isEmpty(), SECONDS, "the confirmation was shown");
        assertTrue(asked.get(0).contains("Delete the conversation with carol?"), asked.get(0));
        harness.settle(300);
        assertEquals(2, list().getItemCount(), "cancelled: nothing deleted");
        assertTrue(history.conversation(carol.id()).isPresent());

        List<String> askedAgain = answerDeleteDialog("Delete");
        menuItem("conversations.menu.delete").notifyListeners(SWT.Selection, new Event());
        harness.waitUntil(() -> !askedAgain.isEmpty(), SECONDS, "the confirmation was shown again");
        harness.waitUntil(() -> list().getItemCount() == 1, SECONDS, "carol's line goes: " + lines());
        assertTrue(lines().get(0).startsWith("bob"), lines().get(0));
        assertTrue(history.conversation(carol.id()).isEmpty(), "deleted from the history");
        assertFalse(part.isChatShown(), "its view went with it");
        assertTrue(history.search("umbrella", 10).isEmpty(), "its messages too");
    }

    @Test
    void exportWritesTheConversationAsText() throws Exception {
        harness.waitUntil(() -> list().getItemCount() == 2, SECONDS, "both conversations are listed");
        choose(line("bob"));
        Path file = dir.resolve("bob export.txt");
        CompletableFuture<String> chooser = CompletableFuture.supplyAsync(
                () -> GtkFileChooser.save("Export the conversation with bob", file), r -> Thread.ofVirtual().start(r));
        menuItem("conversations.menu.export").notifyListeners(SWT.Selection, new Event()); // returns once the chooser closed
        assertEquals("chosen", harness.await(chooser, SECONDS, "the file chooser was driven"));
        harness.waitUntil(() -> Files.exists(file), SECONDS, "the file is written: "
                + harness.byId(Label.class, "conversations.status").getText());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(history.export(bob.id()), text, "the client layer's export, as UTF-8");
        assertTrue(text.contains("see you at the station") && text.contains("Hi bob, did you book?"), text);
        assertTrue(harness.byId(Label.class, "conversations.status").getText().startsWith("Exported to"));
    }

    private MenuItem menuItem(String id) {
        Table table = list();
        table.getMenu().notifyListeners(SWT.Show, new Event()); // as opening the menu does
        return Arrays.stream(table.getMenu().getItems()).filter(i -> id.equals(i.getData(Ui.ID))).findFirst()
                .orElseThrow(() -> new AssertionError("no menu item " + id));
    }

    /**
     * Answers the next delete confirmation with {@code button} once it shows; the list gets its
     * message.
     */
    private List<String> answerDeleteDialog(String button) {
        List<String> asked = new ArrayList<>();
        Runnable[] look = new Runnable[1];
        look[0] = () -> {
            for (Shell s : harness.display.getShells()) {
                if (!s.isDisposed() && s != harness.shell && "Delete conversation".equals(s.getText())) {
                    String message = PartHarness.find(s, Label.class).stream().map(Label::getText)
                            .filter(t -> t.startsWith("Delete the")).findFirst().orElse("");
                    Button answer = PartHarness.find(s, Button.class).stream().filter(b -> b.getText().equals(button))
                            .findFirst().orElseThrow();
                    asked.add(message);
                    PartHarness.click(answer);
                    return;
                }
            }
            harness.display.timerExec(50, look[0]);
        };
        harness.display.timerExec(50, look[0]);
        return asked;
    }
}
