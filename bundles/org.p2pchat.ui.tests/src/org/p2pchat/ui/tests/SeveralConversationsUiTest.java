package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * Several live conversations at once in the desktop client, with real peers (two headless clients
 * in the same framework) through the test provider's folder: accepting carol's request while
 * chatting with bob leaves bob's chat going, each keeps its own messages, a message in the
 * conversation not in front notifies and counts as unread, Ctrl+Tab and Ctrl+1..9 switch; a
 * conversation that ended is called again from the list with one click, through the folder that
 * lists its peer's key.
 * <p>
 * Opens WebRTC connections: runs only inside the test network namespace, with no ICE servers.
 */
class SeveralConversationsUiTest {

    private static final long SECONDS = 60;
    private static final String TEST_FOLDER = "test-folder";

    private PartHarness harness;
    private HeadlessPeer bob;
    private HeadlessPeer carol;
    private ClientPart part;
    private String folderBefore;

    @BeforeAll
    static void network() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        folderBefore = System.setProperty("p2pchat.testing.folder", Files.createDirectories(dir.resolve("mailbox")).toString());
        harness = new PartHarness("SeveralConversationsUiTest");
        PeerTransport transport = service(PeerTransport.class, null);
        ConnectionProvider folder = service(ConnectionProvider.class, "(component.name=*FolderMailbox*)");
        harness.registerProfile("desk", dir.resolve("desk"));
        harness.clientLayer(transport, folder);
        bob = new HeadlessPeer("bob", dir.resolve("bob"), transport, folder);
        carol = new HeadlessPeer("carol", dir.resolve("carol"), transport, folder);
        part = harness.make(ClientPart.class, 1040, 800);
        for (HeadlessPeer p : List.of(bob, carol)) {
            p.client.goOnline(TEST_FOLDER);
            p.await(harness, ClientEvent.MethodChanged.class, e -> e.method().id().equals(TEST_FOLDER)
                    && e.method().status().stream().anyMatch(s -> s.state().name().equals("ONLINE")), SECONDS,
                    p.settings.get().username() + " is in the folder");
        }
        harness.chooseMethod("Test folder");
        harness.waitUntil(() -> harness.byId(Label.class, "directory.service").getText().contains("registered"), SECONDS,
                "the desktop is in the folder");
    }

    @AfterEach
    void close() throws Exception {
        for (HeadlessPeer p : new HeadlessPeer[] { bob, carol }) {
            if (p != null) {
                p.close();
            }
        }
        harness.close();
        if (folderBefore == null) {
            System.clearProperty("p2pchat.testing.folder");
        } else {
            System.setProperty("p2pchat.testing.folder", folderBefore);
        }
    }

    @Test
    void acceptingASecondRequestKeepsTheFirstConversationAndEachKeepsItsMessages() throws Exception {
        Conversation bobSide = asksAndIsAccepted(bob);
        say("hello bob");
        heard(bob, "hello bob");

        Conversation carolSide = asksAndIsAccepted(carol); // while the chat with bob is in front
        assertFalse(bobSide.state().isFinal(), "bob's conversation goes on");
        say("hello carol");
        heard(carol, "hello carol");
        assertFalse(shown().contains("hello bob"), "carol's view has its own messages: " + shown());
        assertTrue(bob.events.stream().noneMatch(e -> e instanceof ClientEvent.Ended), "bob was not left");

        // bob writes while carol is in front: a notification, and bob's line counts it.
        harness.await(bobSide.send("still there?"), SECONDS, "bob writes");
        harness.waitUntil(() -> line("bob").contains("1 unread"), SECONDS, "bob's message is unread: " + lines());
        String notified = part.lastNotification();
        assertTrue(notified != null && notified.contains("bob") && notified.contains("still there?"),
                "a notification says who wrote what: " + notified);
        assertFalse(shown().contains("still there?"), "carol is still in front");
        assertTrue(harness.shell.getText().endsWith(" (1)"), "the title counts it: " + harness.shell.getText());
        System.out.println("screenshot: " + harness.screenshot("two-live-conversations"));

        // Ctrl+1 / Ctrl+2 show the conversations in the order of the list; Ctrl+Tab the next.
        WindowModel model = new WindowModel();
        int bobLine = index("bob");
        int carolLine = index("carol");
        model.press("M1+" + (bobLine + 1), part);
        harness.waitUntil(() -> shown().contains("still there?") && shown().contains("hello bob"), SECONDS,
                "bob's conversation, with everything said: " + shown());
        harness.waitUntil(() -> !line("bob").contains("unread"), SECONDS, "read once shown: " + lines());
        model.press("M1+" + (carolLine + 1), part);
        harness.waitUntil(() -> shown().contains("hello carol"), SECONDS, "carol's conversation: " + shown());
        model.press("M1+TAB", part);
        harness.waitUntil(() -> shown().contains("hello bob"), SECONDS, "Ctrl+Tab goes to the other one: " + shown());
        model.press("M1+TAB", part);
        harness.waitUntil(() -> shown().contains("hello carol"), SECONDS, "and back: " + shown());
        assertEquals("Show Conversation", model.commandName(model.commandForKeys("M1+9")), "Ctrl+9 is bound too");

        // Each conversation still sends on its own connection.
        say("bye carol");
        heard(carol, "bye carol");
        assertEquals(ConnectionState.CONNECTED, carolSide.connectionState());
        assertEquals(ConnectionState.CONNECTED, bobSide.connectionState());
    }

    @Test
    void aConversationThatEndedIsCalledAgainFromTheList() throws Exception {
        Conversation bobSide = asksAndIsAccepted(bob);
        say("first time");
        heard(bob, "first time");
        harness.await(bobSide.leave(), SECONDS, "bob leaves");
        harness.waitUntil(() -> !line("bob").isEmpty() && harness.shownById(Button.class, "chat.send").isEnabled() == false,
                SECONDS, "the chat with bob is over");
        int before = (int) bob.events.stream().filter(e -> e instanceof ClientEvent.RequestReceived).count();

        choose(index("bob"));
        Button call = harness.byId(Button.class, "conversations.call");
        harness.waitUntil(call::isEnabled, SECONDS, "bob can be called: " + call.getText());
        assertEquals("Call bob", call.getText());
        PartHarness.click(call);
        ClientEvent.RequestReceived asked = harness.waitFor(() -> bob.events.stream()
                .filter(e -> e instanceof ClientEvent.RequestReceived).skip(before).map(ClientEvent.RequestReceived.class::cast)
                .findFirst().orElse(null), SECONDS, "the desktop calls bob through the folder, with no exchange");
        Conversation again = bob.client.accept(asked.request());
        harness.await(again.connected(), SECONDS, "bob accepts");
        Label status = harness.shownById(Label.class, "chat.status");
        harness.waitUntil(() -> harness.shownById(Label.class, "chat.status").getText().startsWith("\u25cf Connected to bob"),
                SECONDS, "the conversation is live again: " + status.getText());
        say("second time");
        heard(bob, "second time");

        // carol is not in the folder any more: calling her says so.
        Conversation carolSide = asksAndIsAccepted(carol);
        harness.await(carolSide.leave(), SECONDS, "carol leaves");
        carol.client.goOffline(TEST_FOLDER);
        harness.waitUntil(() -> harness.shownById(Button.class, "chat.send").isEnabled() == false, SECONDS, "carol's chat is over");
        choose(index("carol"));
        PartHarness.click(harness.byId(Button.class, "conversations.call"));
        Label listStatus = harness.byId(Label.class, "conversations.status");
        harness.waitUntil(() -> listStatus.getText().startsWith("Could not call carol"), SECONDS, listStatus.getText());
        assertTrue(listStatus.getText().contains("carol is not online in any directory you use"), listStatus.getText());
        System.out.println("screenshot: " + harness.screenshot("conversation-call-failed"));
    }

    /** {@code peer} asks the desktop to connect through the folder; the desktop accepts from its request bar. */
    private Conversation asksAndIsAccepted(HeadlessPeer peer) throws Exception {
        String name = peer.settings.get().username();
        PeerAddress desk = harness.await(peer.client.find(TEST_FOLDER, "desk", Duration.ofSeconds(30)), SECONDS,
                name + " finds the desktop");
        Conversation theirs = peer.client.connect(desk);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                name + "'s request is shown");
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        harness.await(theirs.connected(), SECONDS, name + " is connected");
        harness.waitUntil(() -> part.isChatShown()
                && harness.shownById(Label.class, "chat.status").getText().startsWith("\u25cf Connected to " + name), SECONDS,
                name + "'s chat is in front");
        harness.waitUntil(() -> index(name) >= 0, SECONDS, name + " is listed: " + lines());
        return theirs;
    }

    /** Sends {@code text} from the conversation in front. */
    private void say(String text) {
        Text input = harness.shownById(Text.class, "chat.input");
        input.setText(text);
        PartHarness.key(input, SWT.CR, '\r', 0);
        harness.waitUntil(() -> shown().contains(text), SECONDS, "shown as sent: " + shown());
    }

    private void heard(HeadlessPeer peer, String text) {
        peer.await(harness, ClientEvent.MessageReceived.class, e -> e.message().content().equals(text), SECONDS,
                peer.settings.get().username() + " gets " + text);
    }

    private String shown() {
        return harness.shownById(StyledText.class, "chat.messages").getText();
    }

    private Table list() {
        return harness.byId(Table.class, "conversations.list");
    }

    private List<String> lines() {
        return Arrays.stream(list().getItems()).map(i -> i.getText()).toList();
    }

    private int index(String name) {
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(name) || lines.get(i).startsWith(name + " ")) {
                return i;
            }
        }
        return -1;
    }

    private String line(String name) {
        int i = index(name);
        return i < 0 ? "" : lines().get(i);
    }

    private void choose(int i) {
        list().setSelection(i);
        list().notifyListeners(SWT.Selection, new Event());
    }

    private <S> S service(Class<S> type, String filter) throws Exception {
        ServiceReference<S> reference = filter == null ? harness.bundleContext.getServiceReference(type)
                : harness.bundleContext.getServiceReferences(type, filter).stream().findFirst().orElse(null);
        assertTrue(reference != null, "no " + type.getSimpleName() + " service " + (filter == null ? "" : filter));
        return harness.bundleContext.getService(reference);
    }
}
