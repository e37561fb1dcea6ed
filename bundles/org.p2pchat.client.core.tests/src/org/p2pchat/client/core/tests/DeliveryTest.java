package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.Direction;
import org.p2pchat.history.HistoryService;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.StoredMessage;
import org.p2pchat.testing.provider.FolderMailboxProvider;

/**
 * Reliable delivery between two real clients over WebRTC: every message of ours carries a sequence
 * number, the peer's client stores it and acknowledges it, what was not acknowledged is sent again
 * after a reconnection or a restart, once and in order; each step shows as the message's state.
 */
class DeliveryTest {

    static final long T = Events.TIMEOUT_SECONDS;
    static final String FOLDER = FolderMailboxProvider.ID;
    /** ICE gives up on a dead path after tens of seconds; a reconnection may take an attempt's full timeout. */
    static final long LONG = 240;

    @TempDir
    Path work;
    final LinkCut link = new LinkCut();
    final Deque<AutoCloseable> open = new ArrayDeque<>();

    @AfterEach
    void stop() throws Exception {
        link.close();
        while (!open.isEmpty()) {
            open.pop().close();
        }
    }

    @Test
    void aMessageGoesSendingSentDeliveredAndIsStoredOnBothSides() throws Exception {
        Peers.Pair pair = pair();
        Conversation[] c = connect(pair.alice(), pair.bob());

        ChatMessage hello = c[0].send("hello bob").get(T, TimeUnit.SECONDS);
        awaitState(pair.alice(), hello.id(), DeliveryState.DELIVERED);

        assertEquals(1, hello.seq(), "the conversation's first message of ours");
        assertEquals(List.of(DeliveryState.SENDING, DeliveryState.SENT, DeliveryState.DELIVERED),
                states(pair.alice(), hello.id()));
        ClientEvent.MessageReceived got = pair.bob().events().await(ClientEvent.MessageReceived.class,
                r -> r.message().id().equals(hello.id()));
        assertEquals(1, got.message().seq());
        assertFalse(c[0].bestEffort());
        assertFalse(c[1].bestEffort());
        assertEquals(c[0].historyId().isPresent(), true);
        assertEquals(List.of("hello bob"), texts(pair.alice(), c[0], Direction.OUTGOING));
        assertEquals(List.of(DeliveryState.DELIVERED), stored(pair.alice(), c[0], Direction.OUTGOING).stream()
                .map(StoredMessage::state).toList());
        assertEquals(List.of("hello bob"), texts(pair.bob(), c[1], Direction.INCOMING));
        assertEquals(1, pair.bob().history().receivedSeq(c[1].historyId().orElseThrow()));
    }

    @Test
    void messagesTypedDuringALinkCutAreDeliveredOnceAndInOrderAfterTheReconnection() throws Exception {
        Peers.Pair pair = pair();
        Conversation[] c = connect(pair.alice(), pair.bob());
        List<String> fromAlice = new ArrayList<>(List.of("before the cut"));
        ChatMessage first = c[0].send(fromAlice.get(0)).get(T, TimeUnit.SECONDS);
        awaitState(pair.alice(), first.id(), DeliveryState.DELIVERED);

        // A burst the cut falls into: some stored and acknowledged by Bob, some stored with their
        // acknowledgement lost, some never arrived.
        List<java.util.concurrent.CompletableFuture<ChatMessage>> burst = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            fromAlice.add("burst " + i);
            burst.add(c[0].send("burst " + i));
        }
        pair.bob().events().await(ClientEvent.MessageReceived.class, r -> r.message().content().equals("burst 5"));
        link.cut();
        int shownAtTheCut = shown(pair.bob()).size() - 1;
        List<ChatMessage> typed = new ArrayList<>();
        for (var stored : burst) {
            typed.add(stored.get(T, TimeUnit.SECONDS));
        }
        // Before the loss is noticed these go into a connection that delivers nothing ...
        for (int i = 1; i <= 3; i++) {
            fromAlice.add("cut " + i);
            typed.add(c[0].send("cut " + i).get(T, TimeUnit.SECONDS));
        }
        pair.alice().events().await(ClientEvent.StateChanged.class,
                s -> s.state() == ConversationState.RECONNECTING, LONG);
        // ... and these are kept while reconnecting, on both sides.
        for (int i = 4; i <= 6; i++) {
            fromAlice.add("cut " + i);
            typed.add(c[0].send("cut " + i).get(T, TimeUnit.SECONDS));
        }
        pair.bob().events().await(ClientEvent.StateChanged.class,
                s -> s.state() == ConversationState.RECONNECTING, LONG);
        ChatMessage fromBob = c[1].send("bob during the cut").get(T, TimeUnit.SECONDS);
        for (ChatMessage m : typed.subList(burst.size(), typed.size())) {
            assertFalse(states(pair.alice(), m.id()).contains(DeliveryState.DELIVERED), "nothing got through the cut");
        }
        link.restore();

        pair.alice().events().await(ClientEvent.Reconnected.class, r -> true, LONG);
        for (ChatMessage m : typed) {
            awaitState(pair.alice(), m.id(), DeliveryState.DELIVERED);
        }
        awaitState(pair.bob(), fromBob.id(), DeliveryState.DELIVERED);
        // A last message each way: everything sent before it has arrived and been shown.
        ChatMessage last = c[0].send("after").get(T, TimeUnit.SECONDS);
        fromAlice.add("after");
        awaitState(pair.alice(), last.id(), DeliveryState.DELIVERED);
        pair.bob().events().await(ClientEvent.MessageReceived.class, r -> r.message().id().equals(last.id()));
        pair.alice().events().await(ClientEvent.MessageReceived.class, r -> r.message().id().equals(fromBob.id()));

        System.out.println("link cut after Bob was shown " + shownAtTheCut + " of the burst of " + burst.size());
        assertEquals(fromAlice, shown(pair.bob()), "Bob saw each of Alice's messages once, in her order");
        assertEquals(fromAlice, texts(pair.bob(), c[1], Direction.INCOMING), "Bob's history holds each once, in order");
        assertEquals(fromAlice, texts(pair.alice(), c[0], Direction.OUTGOING));
        assertTrue(stored(pair.alice(), c[0], Direction.OUTGOING).stream()
                .allMatch(m -> m.state() == DeliveryState.DELIVERED), "all delivered in Alice's history");
        assertEquals(List.of("bob during the cut"), shown(pair.alice()));
        assertEquals(List.of("bob during the cut"), texts(pair.alice(), c[0], Direction.INCOMING));
        assertEquals(List.of(c[0]), pair.alice().client().conversations(), "the same conversation goes on");
    }

    @Test
    void undeliveredMessagesAreSentOnceInOrderWhenTheSamePeerConnectsAgainAfterARestart() throws Exception {
        HistoryService histories = Peers.service(HistoryService.class);
        InTheMiddle mailbox = Peers.folderProvider();
        Peers.Person alice = onDisk("alice", histories, mailbox);
        Peers.Person bob = onDisk("bob", histories, mailbox);
        Peers.meetOnline(work.resolve("mailbox"), alice, bob);
        Conversation[] c = connect(alice, bob);
        String historyId = c[0].historyId().orElseThrow();
        ChatMessage one = c[0].send("one").get(T, TimeUnit.SECONDS);
        awaitState(alice, one.id(), DeliveryState.DELIVERED);

        link.cut();
        ChatMessage two = c[0].send("two").get(T, TimeUnit.SECONDS);
        ChatMessage three = c[0].send("three").get(T, TimeUnit.SECONDS);
        awaitState(alice, three.id(), DeliveryState.SENT); // into a connection that delivers nothing
        c[0].leave().get(T, TimeUnit.SECONDS);
        awaitState(alice, two.id(), DeliveryState.NOT_DELIVERED);
        awaitState(alice, three.id(), DeliveryState.NOT_DELIVERED);
        assertEquals(List.of(DeliveryState.SENDING, DeliveryState.SENT, DeliveryState.NOT_DELIVERED),
                states(alice, two.id()));
        assertEquals(List.of("one"), texts(bob, c[1], Direction.INCOMING));

        // A restart of both: new clients on the same profiles and histories, read again from disk.
        restart(alice);
        restart(bob);
        link.restore();
        Peers.Person alice2 = backOnline("alice", histories, mailbox);
        Peers.Person bob2 = backOnline("bob", histories, mailbox);
        assertEquals(DeliveryState.NOT_DELIVERED, alice2.history().message(historyId, two.id()).orElseThrow().state());

        Conversation[] again = connect(alice2, bob2);
        assertEquals(Optional.of(historyId), again[0].historyId(), "the same conversation of the history");
        for (ChatMessage m : List.of(two, three)) {
            alice2.events().await(ClientEvent.HistoryDeliveryChanged.class,
                    d -> d.messageId().equals(m.id()) && d.state() == DeliveryState.DELIVERED);
        }
        ChatMessage four = again[0].send("four").get(T, TimeUnit.SECONDS);
        assertEquals(4, four.seq(), "numbering goes on where it stopped");
        awaitState(alice2, four.id(), DeliveryState.DELIVERED);
        bob2.events().await(ClientEvent.MessageReceived.class, r -> r.message().id().equals(four.id()));

        assertEquals(List.of("two", "three", "four"), shown(bob2), "shown once each, in order, after the restart");
        assertEquals(List.of("one", "two", "three", "four"), texts(bob2, again[1], Direction.INCOMING));
        assertTrue(stored(alice2, again[0], Direction.OUTGOING).stream()
                .allMatch(m -> m.state() == DeliveryState.DELIVERED));
    }

    @Test
    void messagesThePeerStoredButWhoseAcknowledgementsWereLostAreDeliveredAfterARestartAndNotShownAgain() throws Exception {
        HistoryService histories = Peers.service(HistoryService.class);
        InTheMiddle mailbox = Peers.folderProvider();
        Peers.Person alice = onDisk("alice", histories, mailbox);
        Peers.Person bob = onDisk("bob", histories, mailbox);
        Peers.meetOnline(work.resolve("mailbox"), alice, bob);
        Conversation[] c = connect(alice, bob);
        String historyId = c[0].historyId().orElseThrow();
        List<ChatMessage> sent = new ArrayList<>();
        for (String text : List.of("one", "two", "three")) {
            ChatMessage m = c[0].send(text).get(T, TimeUnit.SECONDS);
            awaitState(alice, m.id(), DeliveryState.DELIVERED);
            sent.add(m);
        }
        // Killed after Bob stored them but before his acknowledgements were stored: the history says "sent".
        restart(alice);
        restart(bob);
        try (MessageHistory h = histories.open(work.resolve("alice"), Optional.empty())) {
            sent.forEach(m -> h.setState(historyId, m.id(), DeliveryState.SENT));
        }

        // Bob's resume point (3) says he has them all: nothing is sent again, all three are delivered.
        Peers.Person alice2 = backOnline("alice", histories, mailbox);
        Peers.Person bob2 = backOnline("bob", histories, mailbox);
        Conversation[] again = connect(alice2, bob2);
        for (ChatMessage m : sent) {
            awaitState(alice2, m.id(), DeliveryState.DELIVERED);
        }
        ChatMessage four = again[0].send("four").get(T, TimeUnit.SECONDS);
        assertEquals(4, four.seq());
        awaitState(alice2, four.id(), DeliveryState.DELIVERED);
        // Bob acknowledges before his own listeners hear of the message: wait for it to be shown.
        bob2.events().await(ClientEvent.MessageReceived.class, r -> r.message().id().equals(four.id()));
        assertEquals(List.of("four"), shown(bob2), "nothing Bob had was shown again");
        assertEquals(List.of("one", "two", "three", "four"), texts(bob2, again[1], Direction.INCOMING));
    }

    @Test
    void aSenderWhoseHistoryWasMadeAgainIsNotTakenForRepeats() throws Exception {
        HistoryService histories = Peers.service(HistoryService.class);
        InTheMiddle mailbox = Peers.folderProvider();
        Peers.Person alice = onDisk("alice", histories, mailbox);
        Peers.Person bob = onDisk("bob", histories, mailbox);
        Peers.meetOnline(work.resolve("mailbox"), alice, bob);
        Conversation[] c = connect(alice, bob);
        for (String text : List.of("one", "two")) {
            awaitState(alice, c[0].send(text).get(T, TimeUnit.SECONDS).id(), DeliveryState.DELIVERED);
        }
        // Alice keeps her key but her history is gone (a new installation): she numbers from 1 again.
        restart(alice);
        restart(bob);
        Files.delete(work.resolve("alice").resolve("history.mv.db"));
        Peers.Person alice2 = backOnline("alice", histories, mailbox);
        Peers.Person bob2 = backOnline("bob", histories, mailbox);
        Conversation[] again = connect(alice2, bob2);
        ChatMessage three = again[0].send("three").get(T, TimeUnit.SECONDS);
        awaitState(alice2, three.id(), DeliveryState.DELIVERED);
        bob2.events().await(ClientEvent.MessageReceived.class, r -> r.message().id().equals(three.id()));
        assertEquals(List.of("three"), shown(bob2));
        assertEquals(List.of("one", "two", "three"), texts(bob2, again[1], Direction.INCOMING));
        ChatMessage four = again[0].send("four").get(T, TimeUnit.SECONDS);
        awaitState(alice2, four.id(), DeliveryState.DELIVERED);
        assertEquals(4, alice2.history().message(again[0].historyId().orElseThrow(), four.id()).orElseThrow().seq(),
                "numbered after what Bob has");
    }

    @Test
    void sendAgainConnectsToThePeerAndDeliversAMessageThatWasNotDelivered() throws Exception {
        Peers.Pair pair = pair();
        Conversation[] c = connect(pair.alice(), pair.bob());
        String historyId = c[0].historyId().orElseThrow();

        link.cut();
        ChatMessage lost = c[0].send("are you there?").get(T, TimeUnit.SECONDS);
        c[0].leave().get(T, TimeUnit.SECONDS);
        c[1].leave().get(T, TimeUnit.SECONDS);
        awaitState(pair.alice(), lost.id(), DeliveryState.NOT_DELIVERED);
        link.restore();

        int before = pair.bob().events().of(ClientEvent.RequestReceived.class).size();
        var sent = pair.alice().client().sendAgain(historyId, lost.id());
        Conversation accepted = pair.bob().client().accept(newRequest(pair.bob(), before).request());
        sent.get(T, TimeUnit.SECONDS);
        pair.alice().events().await(ClientEvent.HistoryDeliveryChanged.class,
                d -> d.messageId().equals(lost.id()) && d.state() == DeliveryState.DELIVERED);

        pair.bob().events().await(ClientEvent.MessageReceived.class, r -> r.message().id().equals(lost.id()));
        assertEquals(List.of("are you there?"), shown(pair.bob()));
        assertEquals(List.of("are you there?"), texts(pair.bob(), accepted, Direction.INCOMING));
        assertEquals(DeliveryState.DELIVERED,
                pair.alice().history().message(historyId, lost.id()).orElseThrow().state());
    }

    @Test
    void aConversationTheReceiverDeletedGoesOnWhereTheSenderIs() throws Exception {
        Peers.Pair pair = pair();
        Conversation[] c = connect(pair.alice(), pair.bob());
        for (String text : List.of("one", "two")) {
            awaitState(pair.alice(), c[0].send(text).get(T, TimeUnit.SECONDS).id(), DeliveryState.DELIVERED);
        }
        pair.bob().client().delete(c[1].historyId().orElseThrow()).get(T, TimeUnit.SECONDS);
        pair.alice().events().await(ClientEvent.Ended.class, e -> e.conversation() == c[0]);

        // Bob's history starts again from nothing; Alice's numbering goes on from 3.
        Conversation[] again = connect(pair.alice(), pair.bob());
        ChatMessage three = again[0].send("three").get(T, TimeUnit.SECONDS);
        assertEquals(3, three.seq());
        awaitState(pair.alice(), three.id(), DeliveryState.DELIVERED);
        pair.bob().events().await(ClientEvent.MessageReceived.class, r -> r.message().id().equals(three.id()));
        assertEquals(List.of("three"), texts(pair.bob(), again[1], Direction.INCOMING));
        assertEquals(List.of("one", "two", "three"), shown(pair.bob()));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Peers.Pair pair() throws Exception {
        Peers.Pair pair = Peers.Pair.inAFolder(work);
        open.push(pair.alice());
        open.push(pair.bob());
        return pair;
    }

    /** The person of {@code work/name} started again after a restart, and online in the test folder. */
    private Peers.Person backOnline(String name, HistoryService histories, InTheMiddle mailbox) throws Exception {
        Peers.Person person = onDisk(name, histories, mailbox);
        person.client().goOnline(FOLDER);
        return person;
    }

    /** A person whose profile and history are kept in {@code work/name} (opened again after a restart). */
    private Peers.Person onDisk(String name, HistoryService histories, ConnectionProvider provider) throws Exception {
        return Peers.onDisk(name, work.resolve(name), histories, provider, open);
    }

    private static void restart(Peers.Person person) {
        Peers.restart(person);
    }

    /** {@code from} asks {@code to} through the folder, {@code to} accepts; both connected. */
    static Conversation[] connect(Peers.Person from, Peers.Person to) throws Exception {
        int before = to.events().of(ClientEvent.RequestReceived.class).size();
        Conversation asking = from.client().connect(
                from.client().find(FOLDER, to.name(), Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS));
        Conversation accepted = to.client().accept(newRequest(to, before).request());
        asking.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        return new Conversation[] { asking, accepted };
    }

    /** The request after the {@code before} first ones {@code person} received. */
    static ClientEvent.RequestReceived newRequest(Peers.Person person, int before) throws InterruptedException {
        person.events().await(ClientEvent.RequestReceived.class,
                r -> person.events().of(ClientEvent.RequestReceived.class).size() > before);
        return person.events().of(ClientEvent.RequestReceived.class).get(before);
    }

    /** The states one of our messages went through, as reported: stored (SENDING), then each change. */
    static List<DeliveryState> states(Peers.Person person, String messageId) {
        List<DeliveryState> states = new ArrayList<>();
        for (ClientEvent e : person.events().all()) {
            if (e instanceof ClientEvent.MessageSent s && s.message().id().equals(messageId)) {
                states.add(DeliveryState.SENDING);
            } else if (e instanceof ClientEvent.DeliveryChanged d && d.messageId().equals(messageId)) {
                states.add(d.state());
            } else if (e instanceof ClientEvent.HistoryDeliveryChanged d && d.messageId().equals(messageId)) {
                states.add(d.state());
            }
        }
        return states;
    }

    static void awaitState(Peers.Person person, String messageId, DeliveryState state) throws InterruptedException {
        person.events().await(ClientEvent.class, e -> e instanceof ClientEvent.DeliveryChanged d
                && d.messageId().equals(messageId) && d.state() == state
                || e instanceof ClientEvent.HistoryDeliveryChanged h && h.messageId().equals(messageId)
                        && h.state() == state, LONG);
    }

    /** The chat lines (not notices) a person was shown, in order. */
    static List<String> shown(Peers.Person person) {
        return person.events().of(ClientEvent.MessageReceived.class).stream().map(ClientEvent.MessageReceived::message)
                .filter(m -> !m.isSystemNotice()).map(ChatMessage::content).toList();
    }

    static List<StoredMessage> stored(Peers.Person person, Conversation c, Direction direction) {
        return person.history().page(c.historyId().orElseThrow(), Long.MAX_VALUE, 100_000).messages().stream()
                .filter(m -> m.direction() == direction).toList();
    }

    static List<String> texts(Peers.Person person, Conversation c, Direction direction) {
        return stored(person, c, direction).stream().map(StoredMessage::text).toList();
    }
}
