package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * One conversation in the desktop's chat as it goes on, under the real client layer and a real
 * history (in memory), over a directory and sessions the test scripts (no network), the peer, bob,
 * answering as our client does (acknowledging): what the two said before shows above, newest page
 * first; live messages are added once, also when bob's client sends one again; our message waits
 * (a clock) until bob's client said what it has, is sent (a tick), delivered (two ticks); one bob
 * never confirmed before he went away is "Not delivered", and "Send again" calls him back through
 * the directory and it is delivered.
 */
class ChatDeliveryUiTest {

    private static final long SECONDS = 60;
    private static final int EARLIER = 120;
    private static final java.util.concurrent.Executor WAITER = r -> Thread.ofVirtual().start(r);

    private PartHarness harness;
    private IdentityService ours;
    private IdentityService bob;
    private ScriptedProvider directory;
    private ScriptedTransport transport;
    private MessageHistory history;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        harness = new PartHarness("ChatDeliveryUiTest");
        ours = harness.registerProfile("desk", dir.resolve("desk"));
        bob = new Ed25519IdentityService(dir.resolve("bob"));
        transport = new ScriptedTransport();
        directory = new ScriptedProvider();
        history = PartHarness.inMemoryHistory();
        harness.clientLayer(transport, history, directory, new ManualSignalingProvider());
        harness.make(ClientPart.class, 900, 760);
    }

    @AfterEach
    void close() {
        harness.close();
        history.close();
    }

    @Test
    void earlierMessagesLiveOnesOnceAndOurMessagesFromSendingToDeliveredOrNotAndSentAgain() throws Exception {
        // bob and the desk talked before: bob's messages 1..60, ours 1..60, all delivered.
        String id = history.conversationWith(bob.self().key(), "bob").id();
        long time = System.currentTimeMillis() - EARLIER * 60_000L;
        for (int i = 0; i < EARLIER; i++) {
            String text = String.format("earlier %03d", i);
            if (i % 2 == 0) {
                history.addIncoming(id, "e" + i, i / 2 + 1, "bob", text, time + i * 60_000L);
            } else {
                history.addOutgoing(id, "e" + i, "desk", text, time + i * 60_000L, true);
                history.setState(id, "e" + i, DeliveryState.DELIVERED);
            }
        }

        ScriptedProvider.Link link = registeredWithBobListed();
        Table people = harness.byId(Table.class, "directory.peers");
        people.setSelection(0);
        people.notifyListeners(SWT.Selection, new Event());
        PartHarness.click(harness.byId(Button.class, "directory.connect"));
        ScriptedSession session = connected(next(link));
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("earlier 119"), SECONDS,
                "what was said before shows once bob is known: " + messages.getText());
        assertFalse(messages.getText().contains("earlier 000"), "the newest page, not all of it");
        assertEquals(1, count(messages, "bob joined the chat"), messages.getText());

        // Ours waits until bob's client says what it has, then goes out and is acknowledged.
        write("Hello again, bob");
        harness.waitUntil(() -> messages.getText().contains("\u25f7\nHello again, bob"), SECONDS,
                "waiting to be sent: a clock\n" + messages.getText());
        session.acknowledged(EARLIER / 2); // bob has all of ours from before
        harness.waitUntil(() -> session.sent.stream().anyMatch(m -> m.content().equals("Hello again, bob")), SECONDS,
                "sent to bob");
        long hello = session.sent.get(0).seq();
        assertEquals(EARLIER / 2 + 1, hello, "our next number after the ones before");
        harness.waitUntil(() -> messages.getText().contains("\u2713\nHello again, bob"), SECONDS,
                "sent: one tick\n" + messages.getText());
        session.acknowledged(hello);
        harness.waitUntil(() -> messages.getText().contains("\u2713\u2713\nHello again, bob"), SECONDS,
                "delivered: two ticks\n" + messages.getText());

        // bob's message, and his client sending it again (it did not see our acknowledgement): shown once.
        ChatMessage live = ChatMessage.create("bob", "Hi desk, nice to see you").withSeq(EARLIER / 2 + 1);
        session.receive(live);
        session.receive(live);
        harness.waitUntil(() -> session.acknowledgements.stream().filter(s -> s == EARLIER / 2 + 1).count() == 2, SECONDS,
                "both acknowledged: " + session.acknowledgements);
        harness.settle(200);
        assertEquals(1, count(messages, "Hi desk, nice to see you"), messages.getText());

        // bob goes away before his client confirmed our next message.
        write("Are you still there?");
        harness.waitUntil(() -> messages.getText().contains("\u2713\nAre you still there?"), SECONDS,
                "sent\n" + messages.getText());
        session.fire(ConnectionState.CLOSED);
        harness.waitUntil(() -> messages.getText().contains("\u26a0 Not delivered \u00b7 Send again\nAre you still there?"),
                SECONDS, "not delivered, with Send again\n" + messages.getText());
        System.out.println("screenshot: " + harness.screenshot("chat-delivery-states-live"));

        // Send again: the client layer calls bob back through the directory; he is there and confirms it.
        clickSendAgain(messages, "Are you still there?");
        ScriptedProvider.Exchange again = next(link);
        assertEquals(bob.self().key(), again.to.id(), "bob is called back");
        ScriptedSession second = connected(again);
        second.acknowledged(hello); // bob has everything up to "Hello again"
        harness.waitUntil(() -> second.sent.stream().anyMatch(m -> m.content().equals("Are you still there?")), SECONDS,
                "sent again on the new connection");
        assertEquals(1, second.sent.stream().filter(m -> m.content().equals("Are you still there?")).count(),
                "once: " + second.sent);
        second.acknowledged(second.sent.get(0).seq());
        harness.waitUntil(() -> harness.shownById(StyledText.class, "chat.messages").getText().contains("\u2713\u2713\nAre you still there?"), SECONDS,
                "delivered after all\n" + harness.shownById(StyledText.class, "chat.messages").getText());
        assertEquals(1, count(harness.shownById(StyledText.class, "chat.messages"), "Are you still there?"), harness.shownById(StyledText.class, "chat.messages").getText());
        System.out.println("screenshot: " + harness.screenshot("chat-sent-again-delivered"));
    }

    private void write(String text) {
        Text input = harness.byId(Text.class, "chat.input");
        input.setText(text);
        PartHarness.key(input, SWT.CR, '\r', 0);
    }

    /** A click on the "Send again" of our message {@code text}, where the person sees it. */
    private void clickSendAgain(StyledText messages, String text) {
        int link = harness.shownById(StyledText.class, "chat.messages").getText().indexOf("Send again\n" + text);
        assertTrue(link >= 0, messages.getText());
        Point at = messages.getLocationAtOffset(link + 2);
        Event click = new Event();
        click.button = 1;
        click.x = at.x;
        click.y = at.y + messages.getLineHeight() / 2;
        messages.notifyListeners(SWT.MouseUp, click);
    }

    private static int count(StyledText messages, String text) {
        int n = 0;
        for (int at = messages.getText().indexOf(text); at >= 0; at = messages.getText().indexOf(text, at + 1)) {
            n++;
        }
        return n;
    }

    /** Bob answers our offer with his proof; the session connects, bob joins and introduces our client. */
    private ScriptedSession connected(ScriptedProvider.Exchange exchange) {
        exchange.succeed(bob);
        ScriptedSession session = harness.waitFor(() -> transport.made(exchange.offer.description()), SECONDS,
                "the session of our offer");
        harness.waitUntil(() -> session.remote != null, SECONDS, "the session gets the answer");
        session.fire(ConnectionState.CONNECTED);
        session.receive(ChatMessage.joinNotice("bob"));
        session.peerClient.complete("p2pchat-desktop/0.1"); // as our clients name themselves
        return session;
    }

    private ScriptedProvider.Link registeredWithBobListed() throws Exception {
        harness.chooseMethod("Test directory");
        ScriptedProvider.Link link;
        do {
            link = poll(directory.links, "the client goes online with the directory");
        } while (link.closed);
        link.listed = List.of(ScriptedProvider.peer("bob", bob.self()));
        link.report(ProviderStatus.State.ONLINE, ours.self().key(), "authenticated API");
        Table people = harness.byId(Table.class, "directory.peers");
        harness.waitUntil(() -> people.getItemCount() == 1, SECONDS, "bob is listed");
        return link;
    }

    private ScriptedProvider.Exchange next(ScriptedProvider.Link link) throws Exception {
        return poll(link.exchanges, "the client sends an offer");
    }

    private <T> T poll(java.util.concurrent.BlockingQueue<T> queue, String what) throws Exception {
        T next = harness.await(CompletableFuture.supplyAsync(() -> {
            try {
                return queue.poll(SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, WAITER), SECONDS + 5, what);
        assertNotNull(next, () -> "nothing within " + SECONDS + " s: " + what);
        return next;
    }
}
