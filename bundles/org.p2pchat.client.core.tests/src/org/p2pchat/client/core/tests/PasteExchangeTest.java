package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.EndReason;
import org.p2pchat.client.core.PasteExchange;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * Two real clients in one framework make a conversation by copy and paste through the real
 * manual exchange: each proves its key, garbage and a tampered description are refused with a
 * reason and the exchange goes on, and the chat works both ways.
 */
class PasteExchangeTest {

    static final long T = Events.TIMEOUT_SECONDS;
    /** ConnectionAttempt's: how long a network path may take once both descriptions are applied. */
    static final String PATH_WAIT_PROPERTY = "p2pchat.client.pathWaitSeconds";

    @TempDir
    Path work;
    Peers.Person alice;
    Peers.Person bob;

    @BeforeEach
    void start() throws Exception {
        alice = Peers.person("alice", work.resolve("alice"), null, Peers.manual());
        bob = Peers.person("bob", work.resolve("bob"), null, Peers.manual());
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

    @Test
    void pastedBothWaysTheChatIsVerifiedAndWorks() throws Exception {
        PasteExchange offerer = alice.client().paste();
        PasteExchange answerer = bob.client().paste();
        String offer = offerer.createOffer(PasteCodec.Form.COMPACT).get(T, TimeUnit.SECONDS);
        answerer.check(offer, SessionDescription.Type.OFFER);
        String answer = answerer.acceptOffer(offer, PasteCodec.Form.COMPACT).get(T, TimeUnit.SECONDS);
        offerer.acceptAnswer(answer).get(T, TimeUnit.SECONDS);

        offerer.conversation().connected().get(T, TimeUnit.SECONDS);
        answerer.conversation().connected().get(T, TimeUnit.SECONDS);
        assertEquals(Optional.of(bob.client().self()), offerer.conversation().peerIdentity());
        assertEquals(Optional.of(alice.client().self()), answerer.conversation().peerIdentity());
        String number = alice.events().await(ClientEvent.SafetyNumber.class).number();
        assertEquals(number, bob.events().await(ClientEvent.SafetyNumber.class).number(), "the same safety number");

        // Trust on first use once the peer announced its name.
        ClientEvent.ContactChecked met = alice.events().await(ClientEvent.ContactChecked.class);
        assertEquals("bob", met.name());
        assertEquals(Contact.Status.NEW, met.status());
        assertEquals("bob", offerer.conversation().peerName());
        assertFalse(offerer.conversation().peerIsWebApp());

        offerer.conversation().send("hello bob").get(T, TimeUnit.SECONDS);
        bob.events().await(ClientEvent.MessageReceived.class, m -> m.message().content().equals("hello bob")
                && m.message().sender().equals("alice"));
        answerer.conversation().send("hi alice").get(T, TimeUnit.SECONDS);
        alice.events().await(ClientEvent.MessageReceived.class, m -> m.message().content().equals("hi alice"));

        // Leaving says goodbye; the peer's conversation ends as the peer's doing.
        offerer.conversation().leave().get(T, TimeUnit.SECONDS);
        bob.events().await(ClientEvent.MessageReceived.class, m -> m.message().content().equals("alice left the chat"));
        assertEquals(EndReason.PEER_LEFT, bob.events().await(ClientEvent.Ended.class).reason());
        assertEquals(EndReason.WE_LEFT, alice.events().await(ClientEvent.Ended.class).reason());
        assertEquals(ConversationState.ENDED, answerer.conversation().state());
        assertTrue(bob.client().conversations().isEmpty());
    }

    /**
     * Once our offer's answer is pasted, both sides hold both descriptions: with no network path
     * between them (every packet dropped, as with UDP blocked and a TURN server that refuses us),
     * the attempt ends after the client's path wait and says why, instead of "connecting" until the
     * user gives up.
     */
    @Test
    void anAnswerPastedWithNoNetworkPathEndsAfterThePathWaitSayingSo() throws Exception {
        System.setProperty(PATH_WAIT_PROPERTY, "3"); // read at each negotiation
        try (LinkCut link = new LinkCut()) {
            PasteExchange offerer = alice.client().paste();
            PasteExchange answerer = bob.client().paste();
            String offer = offerer.createOffer(PasteCodec.Form.COMPACT).get(T, TimeUnit.SECONDS);
            String answer = answerer.acceptOffer(offer, PasteCodec.Form.COMPACT).get(T, TimeUnit.SECONDS);
            link.cut();
            offerer.acceptAnswer(answer).get(T, TimeUnit.SECONDS);

            ClientEvent.Ended ended = alice.events().await(ClientEvent.Ended.class);
            assertEquals(EndReason.FAILED, ended.reason());
            assertTrue(ended.text().startsWith("No network path to ") && ended.text().contains("within 3 s"),
                    ended.text());
            // The command line shows it too: it names no menu of the desktop's.
            assertFalse(ended.text().contains("File >"), ended.text());
            assertEquals(ConversationState.ENDED, offerer.conversation().state());
            assertFalse(offerer.conversation().connected().isDone() && !offerer.conversation().connected()
                    .isCompletedExceptionally(), "never connected");
        } finally {
            System.clearProperty(PATH_WAIT_PROPERTY);
        }
    }

    @Test
    void garbageAndATamperedDescriptionAreRefusedThenAGoodPasteWorks() throws Exception {
        PasteExchange offerer = alice.client().paste();
        PasteExchange answerer = bob.client().paste();
        String offer = offerer.createOffer(PasteCodec.Form.BROWSER_JSON).get(T, TimeUnit.SECONDS);

        SignalingException garbage = refused(answerer.acceptOffer("this is not an offer", PasteCodec.Form.COMPACT));
        assertFalse(garbage.getMessage().isBlank());
        assertThrows(SignalingException.class, () -> answerer.check("this is not an offer", SessionDescription.Type.OFFER));

        SignalingException tampered = refused(answerer.acceptOffer(tamper(offer), PasteCodec.Form.COMPACT));
        assertTrue(tampered.getMessage().contains("changed on the way"), tampered.getMessage());

        // The same exchange takes the genuine offer afterwards.
        String answer = answerer.acceptOffer(offer, PasteCodec.Form.BROWSER_JSON).get(T, TimeUnit.SECONDS);

        SignalingException tamperedAnswer = refused(offerer.acceptAnswer(tamper(answer)));
        assertTrue(tamperedAnswer.getMessage().contains("changed on the way"), tamperedAnswer.getMessage());
        offerer.acceptAnswer(answer).get(T, TimeUnit.SECONDS);

        offerer.conversation().connected().get(T, TimeUnit.SECONDS);
        answerer.conversation().connected().get(T, TimeUnit.SECONDS);
        answerer.conversation().send("through at last").get(T, TimeUnit.SECONDS);
        alice.events().await(ClientEvent.MessageReceived.class, m -> m.message().content().equals("through at last"));
    }

    @Test
    void anUnsignedOfferIsTheWebAppsAndGetsItsOwnJsonBack() throws Exception {
        PasteExchange offerer = alice.client().paste();
        PasteExchange answerer = bob.client().paste();
        String signed = offerer.createOffer(PasteCodec.Form.BROWSER_JSON).get(T, TimeUnit.SECONDS);
        // The web app's offer: the browser's JSON without our proof.
        String unsigned = DescriptionJson.encode(SignedDescription.unsigned(DescriptionJson.decode(signed).description()));
        String answer = answerer.acceptOffer(unsigned, PasteCodec.Form.COMPACT).get(T, TimeUnit.SECONDS);
        assertTrue(answer.startsWith("{\"type\":\"answer\""), "the web app gets its own JSON: " + answer);
        ClientEvent.PeerIdentified identified = bob.events().await(ClientEvent.PeerIdentified.class);
        assertTrue(identified.identity().isEmpty());
        assertTrue(identified.text().contains("web app"), identified.text());
        assertTrue(answerer.conversation().peerIdentity().isEmpty());
    }

    /** The description with one hex digit of its DTLS fingerprint changed, its proof kept. */
    static String tamper(String json) throws SignalingException {
        SignedDescription d = DescriptionJson.decode(json);
        String sdp = d.description().sdp();
        int at = sdp.indexOf("a=fingerprint:sha-256 ") + "a=fingerprint:sha-256 ".length();
        char c = sdp.charAt(at);
        String changed = sdp.substring(0, at) + (c == 'A' ? 'B' : 'A') + sdp.substring(at + 1);
        return DescriptionJson.encode(new SignedDescription(new SessionDescription(d.description().type(), changed),
                d.proof()));
    }

    static SignalingException refused(java.util.concurrent.CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(T, TimeUnit.SECONDS));
        return assertInstanceOf(SignalingException.class, e.getCause());
    }
}
