package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.internal.ChatClientService;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.ui.internal.parts.ChatView;

/**
 * A conversation of the history in the chat view, with the real client layer over a real history
 * (in memory) and no connection: the newest page at once and older pages as the person scrolls up,
 * in order and without repeats, with only a window of them in the widget; a stored message revealed
 * (a search result); our messages' delivery states, "Send again" with a clear error when the peer
 * cannot be reached, and the read-only view with its Reconnect hook.
 */
class ChatHistoryViewTest {

    private static final long SECONDS = 60;
    private static final int MESSAGES = 2000;
    private static final Pattern NUMBERED = Pattern.compile("message (\\d{4})\\b");

    private PartHarness harness;
    private MessageHistory history;
    private ChatClient client;
    private String bobKey;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        harness = new PartHarness("ChatHistoryViewTest");
        harness.registerProfile("desk", dir.resolve("desk"));
        history = PartHarness.inMemoryHistory();
        bobKey = new Ed25519IdentityService(dir.resolve("bob")).self().key();
        client = new ChatClientService(new ScriptedTransport(), harness.profileIdentity(), harness.profileSettings(), null,
                history).open(ClientOptions.fromProfile());
    }

    @AfterEach
    void close() {
        harness.close();
        client.close();
        history.close();
    }

    /** Bob's conversation with {@code count} messages, every third ours (delivered), numbered from 0. */
    private String longConversation(int count) {
        String id = history.conversationWith(bobKey, "bob").id();
        long time = System.currentTimeMillis() - count * 60_000L;
        long seq = 0;
        for (int i = 0; i < count; i++) {
            String text = String.format("message %04d", i);
            if (i % 3 == 0) {
                history.addOutgoing(id, "m" + i, "desk", text, time + i * 60_000L, true);
                history.setState(id, "m" + i, DeliveryState.DELIVERED);
            } else {
                history.addIncoming(id, "m" + i, ++seq, "bob", text, time + i * 60_000L);
            }
        }
        return id;
    }

    private ChatView view(String historyId) {
        ChatView view = made(historyId);
        harness.open(800, 600);
        return view;
    }

    /** A view of {@code historyId} in the window, not laid out yet. */
    private ChatView made(String historyId) {
        return new ChatView(harness.parent(), new ChatView.Host() {
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
                return null;
            }

            @Override
            public void showConnect() {
            }
        }, historyId);
    }

    /** Scrolls as the person does with the scroll bar: the bar tells the list it moved. */
    private static void scrollTo(StyledText messages, int topPixel) {
        messages.setTopPixel(topPixel);
        messages.getVerticalBar().notifyListeners(SWT.Selection, new Event());
    }

    /** The numbers of the messages in the widget, in its order. */
    private static List<Integer> numbers(StyledText messages) {
        List<Integer> found = new ArrayList<>();
        Matcher m = NUMBERED.matcher(messages.getText());
        while (m.find()) {
            found.add(Integer.parseInt(m.group(1)));
        }
        return found;
    }

    /** The message at the top of the view: the first whose text starts at or below the top line. */
    private static int numberAtTop(StyledText messages) {
        int top = messages.getOffsetAtLine(messages.getTopIndex());
        Matcher m = NUMBERED.matcher(messages.getText());
        return m.find(top) ? Integer.parseInt(m.group(1)) : -1;
    }

    private static void assertConsecutive(List<Integer> shown, String when) {
        for (int i = 1; i < shown.size(); i++) {
            assertEquals(shown.get(i - 1) + 1, shown.get(i), "in order, each once, " + when + ": " + shown);
        }
    }

    @Test
    void theNewestPageShowsAtOnceAndOlderPagesComeWhenScrolledToTheTop() throws Exception {
        String id = longConversation(MESSAGES);
        long started = System.nanoTime();
        ChatView view = view(id);
        double firstView = (System.nanoTime() - started) / 1e6;
        // Once the window and the database are warm, as when the person opens another conversation.
        started = System.nanoTime();
        client.page(id, Long.MAX_VALUE, 50);
        double page = (System.nanoTime() - started) / 1e6;
        started = System.nanoTime();
        ChatView another = made(id);
        double anotherView = (System.nanoTime() - started) / 1e6;
        another.control().dispose();
        harness.parent().layout(true, true);
        System.out.printf("newest page of a conversation of %d messages: read in %.1f ms; its view made and filled in "
                + "%.1f ms (the first view of the run, with the window's set-up: %.1f ms)%n", MESSAGES, page, anotherView,
                firstView);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.settle(300);

        List<Integer> shown = numbers(messages);
        assertEquals(MESSAGES - 1, shown.get(shown.size() - 1), "the newest message is shown");
        assertTrue(shown.size() <= 150, "only the newest pages are in the widget: " + shown.size());
        assertConsecutive(shown, "at first");
        Point newest = messages.getLocationAtOffset(messages.getText().lastIndexOf("message 1999"));
        assertTrue(newest.y >= 0 && newest.y < messages.getClientArea().height, "the newest message is in view");
        assertTrue(view.isEnded(), "no live conversation: the history only");
        harness.screenshot("chat-history-newest");

        // Up to the first message, page by page; the place is kept as each page comes in above.
        int oldest = shown.get(0);
        int pages = 0;
        int mostRendered = 0;
        while (oldest > 0) {
            int before = oldest;
            scrollTo(messages, 0);
            harness.waitUntil(() -> numbers(messages).get(0) < before, SECONDS, "an older page above message " + before);
            harness.settle(50);
            shown = numbers(messages);
            assertConsecutive(shown, "after scrolling up from " + before);
            assertEquals(before, numberAtTop(messages), "the message at the top stays there while older ones come in");
            mostRendered = Math.max(mostRendered, shown.size());
            oldest = shown.get(0);
            pages++;
        }
        assertFalse(messages.getText().contains("message 1999"),
                "the newest messages left the widget while reading the oldest");
        System.out.printf("scrolled up through %d messages in %d steps; at most %d messages in the widget%n", MESSAGES,
                pages, mostRendered);
        assertTrue(mostRendered <= 400, "a window of the conversation, not all of it: " + mostRendered);
        harness.screenshot("chat-history-oldest");

        // And down again to the newest.
        while (!numbers(messages).contains(MESSAGES - 1)) {
            int newestShown = numbers(messages).get(numbers(messages).size() - 1);
            scrollTo(messages, Integer.MAX_VALUE);
            harness.waitUntil(() -> {
                List<Integer> now = numbers(messages);
                return now.get(now.size() - 1) > newestShown;
            }, SECONDS, "newer messages below message " + newestShown);
            assertConsecutive(numbers(messages), "after scrolling down");
        }
    }

    @Test
    void revealScrollsToAnOldMessageAndHighlightsIt() throws Exception {
        String id = longConversation(MESSAGES);
        ChatView view = view(id);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.settle(200);
        long row = client.search("message 0042", 1).get(0).message().row();

        assertTrue(view.reveal(row), "the message is found");
        harness.settle(200);
        assertEquals(row, view.highlightedRow().orElseThrow(), "it is highlighted");
        int at = messages.getText().indexOf("message 0042");
        assertTrue(at >= 0, "it is in the widget");
        Point where = messages.getLocationAtOffset(at);
        assertTrue(where.y >= 0 && where.y < messages.getClientArea().height, "it is in view: " + where);
        assertConsecutive(numbers(messages), "around the revealed message");
        harness.screenshot("chat-reveal");

        assertFalse(view.reveal(Long.MAX_VALUE - 1), "a row of no message of this conversation is not revealed");
    }

    @Test
    void ourMessagesShowTheirDeliveryStateAndSendAgainSaysWhyItCannotReachThePeer() throws Exception {
        String id = history.conversationWith(bobKey, "bob").id();
        long time = System.currentTimeMillis() - 3_600_000;
        history.addIncoming(id, "b1", 1, "bob", "Are you coming tonight?", time);
        store(id, "d1", "Yes, at eight.", time + 60_000, DeliveryState.DELIVERED);
        history.addIncoming(id, "b2", 2, "bob", "Great, bring the map.", time + 120_000);
        store(id, "s1", "Which map? The old one?", time + 180_000, DeliveryState.SENT);
        store(id, "n1", "I found it, see you there!", time + 240_000, DeliveryState.NOT_DELIVERED);
        store(id, "w1", "Still there?", time + 300_000, DeliveryState.SENDING);
        ChatView view = view(id);
        AtomicInteger reconnects = new AtomicInteger();
        view.onReconnect(reconnects::incrementAndGet);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.settle(200);

        String text = messages.getText();
        assertTrue(text.contains("\u2713\u2713\nYes, at eight."), "delivered: two ticks\n" + text);
        assertTrue(text.contains("\u2713\nWhich map?"), "sent: one tick\n" + text);
        assertTrue(text.contains("\u26a0 Not delivered \u00b7 Send again\nI found it"), "not delivered, with the link\n" + text);
        assertTrue(text.contains("\u25f7\nStill there?"), "sending: a clock\n" + text);

        // Not live: read-only, with the way back.
        Text input = harness.byId(Text.class, "chat.input");
        assertFalse(input.isEnabled(), "nothing can be written while not connected");
        assertFalse(harness.byId(Button.class, "chat.send").isEnabled());
        Label banner = harness.byId(Label.class, "chat.ended.text");
        assertTrue(banner.isVisible() && banner.getText().startsWith("You are not connected to bob"), banner.getText());
        Button reconnect = harness.byId(Button.class, "chat.reconnect");
        assertTrue(reconnect.isVisible(), "Reconnect is offered");
        PartHarness.click(reconnect);
        assertEquals(1, reconnects.get(), "Reconnect calls the window's hook");
        harness.screenshot("chat-delivery-states");

        // Send again, clicked: the client layer cannot reach bob (no directory is online), and says so.
        int link = text.indexOf("Send again");
        Point at = messages.getLocationAtOffset(link + 2);
        Event click = new Event();
        click.button = 1;
        click.x = at.x;
        click.y = at.y + messages.getLineHeight() / 2;
        messages.notifyListeners(SWT.MouseUp, click);
        harness.waitUntil(() -> messages.getText().contains("Could not send \u201cI found it, see you there!\u201d again: "),
                SECONDS, "the failure is shown: " + messages.getText());
        harness.waitUntil(() -> messages.getText().contains("\u26a0 Not delivered \u00b7 Send again\nI found it"), SECONDS,
                "the message is still not delivered, and can be sent again: " + messages.getText());
        harness.settle(200);
        int end = messages.getText().indexOf("you both use.");
        assertTrue(messages.getLocationAtOffset(end).x > messages.getClientArea().width / 8,
                "the error is centred, as lines of the window are, and not the peer's (left)");
        System.out.println("send again without a connection: "
                + messages.getText().substring(messages.getText().indexOf("Could not send")));
        harness.screenshot("chat-send-again-failed");
    }

    private void store(String id, String messageId, String text, long time, DeliveryState state) {
        history.addOutgoing(id, messageId, "desk", text, time, true);
        history.setState(id, messageId, state);
    }
}
