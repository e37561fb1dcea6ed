package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.EndReason;
import org.p2pchat.client.core.Request;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * The identity-proof rules the client layer applies for every method (they were the directory
 * provider's before), between two real clients through the real test provider: whoever sits in
 * between removes a proof or signs with a key of its own, and the client refuses; an address that
 * binds no key (the web app's legacy API) relies on the proofs and on what the contacts remember.
 */
class ProofRulesTest {

    static final long T = Events.TIMEOUT_SECONDS;
    static final String FOLDER = org.p2pchat.testing.provider.FolderMailboxProvider.ID;
    /** ICE notices a cut link after some seconds; an attempt ends within its timeout. */
    static final long LONG = 240;

    @TempDir
    Path work;
    InTheMiddle mailbox;
    Peers.Person alice;
    Peers.Person bob;
    /** Someone in between, with a key of her own. */
    IdentityService mallory;
    LinkCut link = new LinkCut();

    @BeforeEach
    void start() throws Exception {
        Peers.Pair pair = Peers.Pair.inAFolder(work);
        mailbox = pair.mailbox();
        alice = pair.alice();
        bob = pair.bob();
        mallory = new Ed25519IdentityService(Files.createDirectories(work.resolve("mallory")));
    }

    @AfterEach
    void stop() throws Exception {
        link.close();
        alice.close();
        bob.close();
    }

    // ---- an address bound to a key -------------------------------------------------------------

    @Test
    void anAnswerWithoutAProofToABoundAddressIsRefused() throws Exception {
        mailbox.tamper = answers(ProofRulesTest::withoutProof);
        PeerAddress peer = bob(alice);
        assertEquals(Optional.of(bob.client().self()), peer.identity(), "the test provider binds its addresses");
        Conversation asking = alice.client().connect(peer);
        bob.client().accept(bob.events().await(ClientEvent.RequestReceived.class).request());

        String why = failure(asking);
        assertTrue(why.startsWith("Refused the answer from bob: it carries no identity proof"), why);
        assertTrue(why.contains("Someone between you may have replaced it"), why);
        assertEquals(EndReason.FAILED, alice.events().await(ClientEvent.Ended.class).reason());
        assertTrue(asking.peerIdentity().isEmpty(), "the answer's sender never became the peer");
    }

    @Test
    void anAnswerSignedByAnotherKeyThanTheAddressIsRefused() throws Exception {
        mailbox.tamper = answers(this::signedByMallory);
        Conversation asking = alice.client().connect(bob(alice));
        bob.client().accept(bob.events().await(ClientEvent.RequestReceived.class).request());

        String why = failure(asking);
        assertTrue(why.startsWith("Refused the answer from bob: it is signed by another identity than bob's"), why);
        assertTrue(why.contains("Someone between you may have replaced it"), why);
        assertEquals(EndReason.FAILED, alice.events().await(ClientEvent.Ended.class).reason());
        assertFalse(asking.peerIdentity().equals(Optional.of(mallory.self())), "Mallory never became the peer");
    }

    @Test
    void anOfferWithoutAProofFromABoundAddressIsRefusedAndNotShown() throws Exception {
        mailbox.tamper = offers(ProofRulesTest::withoutProof);
        Conversation asking = alice.client().connect(bob(alice));

        ClientEvent.RequestRefused refused = bob.events().await(ClientEvent.RequestRefused.class);
        assertTrue(refused.text().contains("your offer arrived without an identity proof"), refused.text());
        String why = failure(asking);
        assertTrue(why.contains("your offer arrived without an identity proof"), why);
        assertEquals(EndReason.FAILED, alice.events().await(ClientEvent.Ended.class).reason());
        assertTrue(bob.events().of(ClientEvent.RequestReceived.class).isEmpty(), "the refused request was never shown");
    }

    @Test
    void anOfferSignedByAnotherKeyThanTheAddressIsRefusedAndNotShown() throws Exception {
        mailbox.tamper = offers(this::signedByMallory);
        Conversation asking = alice.client().connect(bob(alice));

        ClientEvent.RequestRefused refused = bob.events().await(ClientEvent.RequestRefused.class);
        assertTrue(refused.text().contains("your offer is signed by another identity than the sender's"),
                refused.text());
        String why = failure(asking);
        assertTrue(why.contains("your offer is signed by another identity than the sender's"), why);
        assertEquals(EndReason.FAILED, alice.events().await(ClientEvent.Ended.class).reason());
        assertTrue(bob.events().of(ClientEvent.RequestReceived.class).isEmpty(), "the refused request was never shown");
    }

    // ---- a reconnection ------------------------------------------------------------------------

    /**
     * Addresses bound to no key, so only the key the conversation verified protects it: the
     * reconnection's answers without a proof and signed by another key are refused, the policy
     * goes on, and the real peer's answer reconnects.
     */
    @Test
    void aReconnectionMustProveTheKeyOfLastTime() throws Exception {
        mailbox.unbound = true;
        AtomicInteger reconnectAnswers = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<List<String>> firstSession = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
        mailbox.tamper = answers(d -> {
            // Bob's first session (its answer, and those to ICE restarts of it) is not what is tested.
            List<String> fingerprints = org.p2pchat.core.identity.DtlsFingerprints.of(d.description().sdp());
            if (firstSession.compareAndSet(null, fingerprints) || fingerprints.equals(firstSession.get()) || !cut.get()) {
                return d;
            }
            return switch (reconnectAnswers.incrementAndGet()) {
                case 1 -> withoutProof(d);
                case 2 -> signedByMallory(d);
                default -> d;
            };
        });
        Conversation[] c = connect(alice, bob);
        assertTrue(c[0].peer().orElseThrow().identity().isEmpty(), "an unbound address");
        cut.set(true);

        link.cut();
        alice.events().await(ClientEvent.Reconnecting.class, r -> r.attempt() == 1, LONG);
        link.restore();
        ClientEvent.ReconnectFailed first = alice.events().await(ClientEvent.ReconnectFailed.class,
                f -> f.attempt() == 1, LONG);
        assertTrue(first.text().contains("it carries no identity proof, but bob proved its identity before"),
                first.text());
        assertTrue(first.nextInMillis() > 0, "the policy goes on");
        ClientEvent.ReconnectFailed second = alice.events().await(ClientEvent.ReconnectFailed.class,
                f -> f.attempt() == 2, LONG);
        assertTrue(second.text().contains("it is signed by another identity than last time"), second.text());
        assertEquals(Optional.of(bob.client().self()), c[0].peerIdentity(), "the impostor never became the peer");

        ClientEvent.Reconnected back = alice.events().await(ClientEvent.Reconnected.class, r -> true, LONG);
        assertFalse(back.byPeer());
        assertEquals(3, reconnectAnswers.get(), "reconnected by the third attempt, Bob's own answer");
        assertEquals(Optional.of(bob.client().self()), c[0].peerIdentity());
        assertTrue(alice.events().of(ClientEvent.Ended.class).isEmpty());
        assertTrue(bob.events().await(ClientEvent.Reconnected.class, r -> true, LONG).byPeer());
        c[1].send("it is me").get(T, TimeUnit.SECONDS);
        alice.events().await(ClientEvent.MessageReceived.class, m -> m.message().content().equals("it is me"));
    }

    // ---- an address bound to no key (the web app's legacy API) --------------------------------

    @Test
    void aProvedOfferFromAnUnboundAddressIsShownWithItsIdentity() throws Exception {
        mailbox.unbound = true;
        PeerAddress peer = bob(alice);
        assertTrue(peer.identity().isEmpty(), "an unbound address");
        Conversation asking = alice.client().connect(peer);
        Request request = bob.events().await(ClientEvent.RequestReceived.class).request();
        assertTrue(request.from().identity().isEmpty());
        assertEquals(Optional.of(alice.client().self()), request.identity(), "the proof was verified");
        assertEquals(Optional.empty(), request.warning());
        Conversation accepted = bob.client().accept(request);
        asking.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        assertEquals(Optional.of(alice.client().self()), accepted.peerIdentity());
        assertEquals(Optional.of(bob.client().self()), asking.peerIdentity());
    }

    @Test
    void anUnprovedOfferUnderAContactsNameIsShownUnverifiedWithTheWarning() throws Exception {
        mailbox.unbound = true;
        // Before Bob knows anyone called alice, an unproved request is the web app's: unverified, no warning.
        mailbox.tamper = offers(ProofRulesTest::withoutProof);
        alice.client().connect(bob(alice));
        Request stranger = bob.events().await(ClientEvent.RequestReceived.class).request();
        assertEquals(Optional.empty(), stranger.identity());
        assertEquals(Optional.empty(), stranger.warning());
        bob.client().reject(stranger);
        alice.events().await(ClientEvent.Ended.class);

        mailbox.tamper = UnaryOperator.identity();
        Conversation[] c = connect(alice, bob);
        bob.events().await(ClientEvent.ContactChecked.class, e -> e.name().equals("alice"));
        c[0].leave().get(T, TimeUnit.SECONDS);
        bob.events().await(ClientEvent.Ended.class, e -> e.conversation() == c[1]);

        mailbox.tamper = offers(ProofRulesTest::withoutProof);
        alice.client().connect(bob(alice));
        Request unproved = bob.events().await(ClientEvent.RequestReceived.class,
                r -> r.request().warning().isPresent()).request();
        assertEquals(Optional.empty(), unproved.identity(), "shown as unverified");
        assertTrue(unproved.warning().orElseThrow().startsWith("Unverified: alice is a contact who proved their "
                + "identity before"), unproved.warning().orElseThrow());
        assertEquals(3, bob.events().of(ClientEvent.RequestReceived.class).size());
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** {@code to} as {@code from} finds it by name. */
    static PeerAddress bob(Peers.Person from) throws Exception {
        return from.client().find(FOLDER, "bob", Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS);
    }

    /** {@code from} connects to {@code to}, which accepts; both sides' conversations. */
    static Conversation[] connect(Peers.Person from, Peers.Person to) throws Exception {
        PeerAddress peer = from.client().find(FOLDER, to.name(), Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS);
        int before = to.events().of(ClientEvent.RequestReceived.class).size();
        Conversation asking = from.client().connect(peer);
        to.events().await(ClientEvent.RequestReceived.class,
                r -> to.events().of(ClientEvent.RequestReceived.class).size() > before);
        List<ClientEvent.RequestReceived> all = to.events().of(ClientEvent.RequestReceived.class);
        Request request = all.get(all.size() - 1).request();
        assertEquals(Optional.of(from.client().self()), request.identity());
        Conversation accepted = to.client().accept(request);
        asking.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        return new Conversation[] {asking, accepted};
    }

    /** Why {@code asking} failed to connect: a signaling error's message. */
    static String failure(Conversation asking) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> asking.connected().get(T, TimeUnit.SECONDS));
        assertInstanceOf(SignalingException.class, e.getCause());
        return e.getCause().getMessage();
    }

    static UnaryOperator<SignedDescription> answers(UnaryOperator<SignedDescription> change) {
        return d -> d.description().type() == SessionDescription.Type.ANSWER ? change.apply(d) : d;
    }

    static UnaryOperator<SignedDescription> offers(UnaryOperator<SignedDescription> change) {
        return d -> d.description().type() == SessionDescription.Type.OFFER ? change.apply(d) : d;
    }

    static SignedDescription withoutProof(SignedDescription d) {
        return new SignedDescription(d.description(), null);
    }

    SignedDescription signedByMallory(SignedDescription d) {
        return new SignedDescription(d.description(), mallory.prove(d.description()));
    }
}
