package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.Request;

/**
 * The connection between two real clients is really cut: the side that connected asks again
 * through the method, the other side accepts by itself, and the policy keeps trying after an
 * attempt that fails while the link is still down (the command line gave up after the first).
 */
class ReconnectTest {

    static final long T = Events.TIMEOUT_SECONDS;
    static final String FOLDER = org.p2pchat.testing.provider.FolderMailboxProvider.ID;
    /** ICE gives up on a dead path after tens of seconds; an attempt may take its full timeout. */
    static final long LONG = 240;

    @TempDir
    Path work;
    InTheMiddle mailbox;
    Peers.Person alice;
    Peers.Person bob;
    LinkCut link = new LinkCut();

    @BeforeEach
    void start() throws Exception {
        Peers.Pair pair = Peers.Pair.inAFolder(work);
        mailbox = pair.mailbox();
        alice = pair.alice();
        bob = pair.bob();
    }

    @AfterEach
    void stop() throws Exception {
        link.close();
        alice.close();
        bob.close();
    }

    @Test
    void aCutLinkIsMadeAgainAfterAFailedAttempt() throws Exception {
        Conversation asking = alice.client().connect(
                alice.client().find(FOLDER, "bob", Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS));
        Request request = bob.events().await(ClientEvent.RequestReceived.class).request();
        Conversation accepted = bob.client().accept(request);
        asking.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        String firstNumber = alice.events().await(ClientEvent.SafetyNumber.class).number();

        link.cut();
        alice.events().await(ClientEvent.StateChanged.class, s -> s.state() == ConversationState.RECONNECTING, LONG);
        alice.events().await(ClientEvent.Reconnecting.class, r -> r.attempt() == 1, LONG);
        // The first attempt cannot connect while the link is down: it fails, and the policy goes on.
        ClientEvent.ReconnectFailed failed = alice.events().await(ClientEvent.ReconnectFailed.class,
                f -> f.attempt() == 1, LONG);
        assertTrue(failed.nextInMillis() > 0, "another attempt follows: " + failed);
        link.restore();

        ClientEvent.Reconnected back = alice.events().await(ClientEvent.Reconnected.class, r -> true, LONG);
        assertFalse(back.byPeer());
        assertTrue(bob.events().await(ClientEvent.Reconnected.class, r -> true, LONG).byPeer(),
                "Bob's client accepted the continuing request by itself");
        assertTrue(bob.events().of(ClientEvent.RequestReceived.class).size() == 1, "Bob was never asked again");
        assertTrue(mailbox.reconnectFlags.contains(true), "the attempts were marked as reconnections");
        assertTrue(alice.events().of(ClientEvent.Ended.class).isEmpty());
        assertEquals(List.of(asking), alice.client().conversations(), "the same conversation goes on");

        // A new session shows the same safety number (it depends on the two keys only), on both
        // sides (reported before Reconnected), and the chat goes on in both directions.
        assertEquals(List.of(firstNumber, firstNumber), alice.events().of(ClientEvent.SafetyNumber.class).stream()
                .map(ClientEvent.SafetyNumber::number).toList());
        assertEquals(List.of(firstNumber, firstNumber), bob.events().of(ClientEvent.SafetyNumber.class).stream()
                .map(ClientEvent.SafetyNumber::number).toList());
        assertEquals(firstNumber, accepted.safetyNumber().orElseThrow());
        asking.send("still there?").get(T, TimeUnit.SECONDS);
        bob.events().await(ClientEvent.MessageReceived.class, m -> m.message().content().equals("still there?"));
        accepted.send("yes").get(T, TimeUnit.SECONDS);
        alice.events().await(ClientEvent.MessageReceived.class, m -> m.message().content().equals("yes"));
    }
}
