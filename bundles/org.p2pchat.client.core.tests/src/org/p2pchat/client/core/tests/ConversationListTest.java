package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationEntry;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.Request;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignalingException;

/**
 * The list of conversations with real peers through the test provider: a conversation is in the
 * list under the peer's key once its proof is checked, online while connected or listed, and can
 * be called again from the list with one call, without an exchange; deleting forgets it.
 */
class ConversationListTest {

    static final long T = Events.TIMEOUT_SECONDS;
    static final String FOLDER = org.p2pchat.testing.provider.FolderMailboxProvider.ID;

    @TempDir
    Path work;
    Peers.Person alice;
    Peers.Person bob;

    @BeforeEach
    void start() throws Exception {
        Peers.Pair pair = Peers.Pair.inAFolder(work);
        alice = pair.alice();
        bob = pair.bob();
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

    private Conversation[] connect() throws Exception {
        PeerAddress peer = alice.client().find(FOLDER, "bob", Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS);
        Conversation asking = alice.client().connect(peer);
        Request request = bob.events().await(ClientEvent.RequestReceived.class).request();
        Conversation accepted = bob.client().accept(request);
        asking.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        return new Conversation[] {asking, accepted};
    }

    private static ConversationEntry entry(Peers.Person person, String historyId) {
        return person.client().conversationList().stream().filter(e -> e.id().equals(historyId)).findFirst()
                .orElseThrow(() -> new AssertionError(person.name() + " has no entry " + historyId));
    }

    @Test
    void aConversationIsListedUnderThePeersKeyAndOnlineWhileConnected() throws Exception {
        assertEquals(List.of(), alice.client().conversationList());
        Conversation[] c = connect();
        String id = c[0].historyId().orElseThrow();
        ConversationEntry e = entry(alice, id);
        assertEquals(Optional.of(bob.client().self().key()), e.summary().conversation().peerKey());
        assertEquals(Optional.of(c[0]), e.live());
        alice.events().await(ClientEvent.EntryChanged.class, ch -> ch.entry().id().equals(id) && ch.entry().online()
                && ch.entry().peerName().equals("bob"));
        assertTrue(entry(alice, id).online());
        assertFalse(c[0].bestEffort(), "our clients acknowledge");

        c[0].leave().get(T, TimeUnit.SECONDS);
        alice.events().await(ClientEvent.EntryChanged.class, ch -> ch.entry().id().equals(id) && ch.entry().live().isEmpty());
        assertEquals(Optional.empty(), entry(alice, id).live());
    }

    @Test
    void aConversationOfTheListIsCalledAgainThroughAMethodThatListsThePeer() throws Exception {
        Conversation[] c = connect();
        String id = c[0].historyId().orElseThrow();
        c[0].leave().get(T, TimeUnit.SECONDS);
        bob.events().await(ClientEvent.Ended.class);

        String first = bob.events().of(ClientEvent.RequestReceived.class).get(0).request().id();
        Conversation again = alice.client().reopen(id).get(T, TimeUnit.SECONDS);
        Request request = bob.events().await(ClientEvent.RequestReceived.class,
                r -> !r.request().id().equals(first)).request();
        Conversation accepted = bob.client().accept(request);
        again.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        assertEquals(Optional.of(id), again.historyId(), "the same conversation of the history");
        assertEquals(c[1].historyId(), accepted.historyId(), "on Bob's side too");
        assertEquals(1, alice.client().conversationList().size());
        // Reopening a conversation that is live gives the live one.
        assertEquals(again, alice.client().reopen(id).get(T, TimeUnit.SECONDS));
    }

    @Test
    void aPeerThatIsNotListedCannotBeCalledAndTheReasonSaysSo() throws Exception {
        Conversation[] c = connect();
        String id = c[0].historyId().orElseThrow();
        c[0].leave().get(T, TimeUnit.SECONDS);
        bob.client().goOffline(FOLDER);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> alice.client().reopen(id).get(T, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SignalingException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("bob is not online"), e.getCause().getMessage());
        assertFalse(entry(alice, id).online());

        alice.client().goOffline(FOLDER);
        e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> alice.client().reopen(id).get(T, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("go online"), e.getCause().getMessage());
    }

    @Test
    void deletingAConversationLeavesItAndForgetsIt() throws Exception {
        Conversation[] c = connect();
        String id = c[0].historyId().orElseThrow();
        alice.client().delete(id).get(T, TimeUnit.SECONDS);
        alice.events().await(ClientEvent.EntryRemoved.class, r -> r.historyId().equals(id));
        assertEquals(ConversationState.ENDED, c[0].state());
        assertEquals(List.of(), alice.client().conversationList());
        bob.events().await(ClientEvent.Ended.class);
        assertEquals(1, bob.client().conversationList().size(), "Bob keeps his");
    }
}
