package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.EndReason;
import org.p2pchat.client.core.Request;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * Two real clients in one framework connect through a provider: the requester's proof is checked
 * before the request is shown, the answer's proof before it is used, and a peer whose key changed
 * since last time is reported loudly.
 */
class ConnectAcceptTest {

    static final long T = Events.TIMEOUT_SECONDS;
    static final String FOLDER = org.p2pchat.testing.provider.FolderMailboxProvider.ID;

    @TempDir
    Path work;
    InTheMiddle mailbox;
    Peers.Person alice;
    Peers.Person bob;

    @BeforeEach
    void start() throws Exception {
        Peers.Pair pair = Peers.Pair.inAFolder(work);
        mailbox = pair.mailbox();
        alice = pair.alice();
        bob = pair.bob();
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

    /** Alice finds Bob by name and connects; Bob accepts; returns both sides' conversations. */
    Conversation[] connect(Peers.Person from, Peers.Person to) throws Exception {
        PeerAddress peer = from.client().find(FOLDER, to.name(), Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS);
        Conversation asking = from.client().connect(peer);
        Request request = to.events().await(ClientEvent.RequestReceived.class,
                r -> r.request().from().id().equals(from.client().self().key())).request();
        assertEquals(Optional.of(from.client().self()), request.identity(), "the request's proof was checked");
        Conversation accepted = to.client().accept(request);
        asking.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        return new Conversation[] {asking, accepted};
    }

    /** Asking ourselves (our own entry, which a directory may list) is refused at once, with a reason. */
    @Test
    void connectingToOurselvesIsRefused() throws Exception {
        PeerAddress us = new PeerAddress(FOLDER, alice.client().self().key(), alice.name(), work.toString(),
                Optional.of(alice.client().self()), null);
        Conversation c = alice.client().connect(us);
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.connected().get(T, TimeUnit.SECONDS));
        assertEquals("That is you: choose someone else to connect to.", e.getCause().getMessage());
        ClientEvent.Ended ended = alice.events().await(ClientEvent.Ended.class, x -> x.conversation() == c);
        assertEquals(EndReason.FAILED, ended.reason());
        assertTrue(alice.client().peers(FOLDER).get(T, TimeUnit.SECONDS).stream()
                .noneMatch(p -> p.identity().equals(Optional.of(alice.client().self()))), "never listed either");
    }

    @Test
    void connectAndAcceptThroughAProvider() throws Exception {
        assertEquals(FOLDER, alice.client().methods().get(0).id());
        alice.events().await(ClientEvent.MethodChanged.class, m -> m.method().status().stream()
                .anyMatch(s -> s.state() == org.p2pchat.core.signaling.ProviderStatus.State.ONLINE));
        assertTrue(alice.client().methods().get(0).online());
        Conversation[] c = connect(alice, bob);
        assertEquals(Optional.of(bob.client().self()), c[0].peerIdentity());
        assertEquals(Optional.of(alice.client().self()), c[1].peerIdentity());
        alice.events().await(ClientEvent.SafetyNumber.class);
        alice.events().await(ClientEvent.ContactChecked.class, e -> e.name().equals("bob")
                && e.status() == Contact.Status.NEW);

        c[1].send("hello from bob").get(T, TimeUnit.SECONDS);
        alice.events().await(ClientEvent.MessageReceived.class, m -> m.message().content().equals("hello from bob"));
        assertEquals(1, mailbox.reconnectFlags.size());

        c[1].leave().get(T, TimeUnit.SECONDS);
        assertEquals(EndReason.PEER_LEFT, alice.events().await(ClientEvent.Ended.class).reason());
    }

    @Test
    void unknownNameIsReportedAfterThePatience() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> alice.client()
                .find(FOLDER, "carol", Duration.ofSeconds(2)).get(T, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("No listed peer has the id or name 'carol'"),
                e.getCause().getMessage());
    }

    @Test
    void aRequestWhoseProofFailsIsRefusedAndNotShown() throws Exception {
        mailbox.tamper = d -> d.description().type() == SessionDescription.Type.OFFER ? tampered(d) : d;
        PeerAddress peer = alice.client().find(FOLDER, "bob", Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS);
        Conversation asking = alice.client().connect(peer);

        ClientEvent.RequestRefused refused = bob.events().await(ClientEvent.RequestRefused.class);
        assertTrue(refused.text().contains("failed the identity check"), refused.text());
        ExecutionException e = assertThrows(ExecutionException.class, () -> asking.connected().get(T, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("your offer failed the identity check"), e.getCause().getMessage());
        assertEquals(EndReason.FAILED, alice.events().await(ClientEvent.Ended.class).reason());
        assertTrue(bob.events().of(ClientEvent.RequestReceived.class).isEmpty(), "the refused request was never shown");
    }

    @Test
    void anAnswerWhoseProofFailsIsRefused() throws Exception {
        mailbox.tamper = d -> d.description().type() == SessionDescription.Type.ANSWER ? tampered(d) : d;
        PeerAddress peer = alice.client().find(FOLDER, "bob", Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS);
        Conversation asking = alice.client().connect(peer);
        bob.client().accept(bob.events().await(ClientEvent.RequestReceived.class).request());
        ExecutionException e = assertThrows(ExecutionException.class, () -> asking.connected().get(T, TimeUnit.SECONDS));
        assertInstanceOf(SignalingException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("Refused the answer from bob: it failed the identity check"),
                e.getCause().getMessage());
    }

    @Test
    void aChangedKeyIsReportedLoudly() throws Exception {
        Conversation[] first = connect(alice, bob);
        alice.events().await(ClientEvent.ContactChecked.class, e -> e.status() == Contact.Status.NEW);
        first[0].leave().get(T, TimeUnit.SECONDS);
        bob.events().await(ClientEvent.Ended.class);
        bob.close();

        // Bob reinstalls: same name, a new key.
        bob = Peers.open("bob", bob.profile(), Peers.newIdentity(bob.profile()), bob.settings(), null, mailbox);
        bob.client().goOnline(FOLDER);
        awaitListed(alice, bob);
        connect(alice, bob);
        ClientEvent.ContactChecked changed = alice.events().await(ClientEvent.ContactChecked.class,
                e -> e.status() == Contact.Status.CHANGED);
        assertEquals("bob", changed.name());
        assertTrue(changed.text().contains("identity key has CHANGED"), changed.text());
    }

    @Test
    void aReconnectRequestFromSomeoneElseIsAskedNotAccepted() throws Exception {
        Conversation[] c = connect(alice, bob);
        // Carol says her request re-establishes a lost connection; it continues nothing of Bob's.
        InTheMiddle carolsWay = Peers.folderProvider();
        carolsWay.markAsReconnect = true;
        try (Peers.Person carol = Peers.person("carol", work.resolve("carol"), null, carolsWay)) {
            Peers.meetIn(carol, work.resolve("mailbox"));
            carol.client().goOnline(FOLDER);
            carol.client().connect(carol.client().find(FOLDER, "bob", Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS));
            Request asked = bob.events().await(ClientEvent.RequestReceived.class,
                    r -> r.request().from().id().equals(carol.client().self().key())).request();
            assertTrue(asked.reconnect(), "shown as what it says it is");
            assertEquals(Optional.of(carol.client().self()), asked.identity());
            bob.client().reject(asked);
            carol.events().await(ClientEvent.Ended.class);
        }
        assertTrue(bob.events().of(ClientEvent.Reconnected.class).isEmpty(), "nothing was accepted by itself");
        assertEquals(org.p2pchat.client.core.ConversationState.CONNECTED, c[1].state());
        c[0].send("still us").get(T, TimeUnit.SECONDS);
        bob.events().await(ClientEvent.MessageReceived.class, m -> m.message().content().equals("still us"));
    }

    /** The folder lists a peer once it registered there (a moment after going online). */
    static void awaitListed(Peers.Person who, Peers.Person wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
        while (who.client().peers(FOLDER).get(T, TimeUnit.SECONDS).stream()
                .noneMatch(p -> p.id().equals(wanted.client().self().key()))) {
            assertTrue(System.nanoTime() < deadline, wanted.name() + " never listed with its new key");
            Thread.sleep(50);
        }
    }

    static SignedDescription tampered(SignedDescription d) {
        try {
            return org.p2pchat.core.signaling.DescriptionJson.decode(
                    PasteExchangeTest.tamper(org.p2pchat.core.signaling.DescriptionJson.encode(d)));
        } catch (SignalingException e) {
            throw new AssertionError(e);
        }
    }
}
