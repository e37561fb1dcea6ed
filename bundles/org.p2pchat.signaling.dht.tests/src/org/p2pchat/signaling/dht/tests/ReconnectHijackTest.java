package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonPrimitive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Alice and Bob chat through a service that speaks both APIs. Mallory posts reconnect offers on
 * the web app's API "from" Bob's key to Alice's web app id: the provider tells them as offers from
 * another address than the chat's (the same id, but on the web app's API, bound to no key), so
 * the client layer, which continues a chat only for the same address proving the same key, takes
 * them for new requests; Bob's real reconnect comes from the chat's very address.
 */
class ReconnectHijackTest {

    private static final long T = Await.SECONDS;

    private TestService service;
    private Member alice;
    private Member bob;

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @BeforeEach
    void start() throws Exception {
        service = TestService.direct();
        alice = Member.own("alice", service.uri());
        bob = Member.own("bob", service.uri());
        alice.awaitRegistered();
        bob.awaitRegistered();
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
        service.close();
    }

    @Test
    void aLegacyReconnectOfferFromTheChatPeersKeyComesFromAnotherAddressButBobsRealOneFromTheChats() throws Exception {
        Connected chat = Connected.connect(bob, alice, bob.awaitListed(alice));
        PeerAddress chatPeer = chat.answerer().peer();
        assertEquals(Optional.of(bob.identity.self()), chatPeer.identity());

        try (LegacyForger mallory = new LegacyForger(service.uri(), "mallory")) {
            String aliceThere = Await.until(() -> mallory.listedAs("alice"), "alice in the web app's list");

            // A real offer without a proof, "from" Bob's key on the web app's API.
            SessionDescription offer = mallory.newSession().createOffer().get(T, TimeUnit.SECONDS);
            mallory.signal(bob.id(), aliceThere, "reconnect-offer",
                    new JsonPrimitive(DescriptionJson.encode(SignedDescription.unsigned(offer))));
            InboundOffer unsigned = alice.events.nextOffered();
            assertEquals(bob.id(), unsigned.from().id(), "the id Mallory claims");
            assertTrue(unsigned.reconnect(), "Mallory says it is a reconnect");
            assertTrue(unsigned.from().identity().isEmpty(), "it came on the web app's API: bound to no key");
            assertFalse(unsigned.from().sameAddress(chatPeer), "not the chat's address");
            assertNull(unsigned.offer().proof());

            // The same with a valid proof of Mallory's own key.
            IdentityService malloryKey = Member.newIdentity("mallory");
            SessionDescription another = mallory.newSession().createOffer().get(T, TimeUnit.SECONDS);
            mallory.signal(bob.id(), aliceThere, "reconnect-offer", new JsonPrimitive(
                    DescriptionJson.encode(new SignedDescription(another, malloryKey.prove(another)))));
            InboundOffer signed = alice.events.nextOffered();
            assertEquals(malloryKey.self(), signed.offer().proof().identity());
            assertFalse(signed.from().sameAddress(chatPeer), "not the chat's address");
            unsigned.reject(null);
            signed.reject(null);
        }

        // Nothing touched the chat.
        chat.chatBothWays();

        // Bob's own reconnect, on the API and service of the chat and proving his key, comes from the chat's address.
        try (Connected again = Connected.connect(bob, alice, chat.offerer().peer(), true)) {
            assertTrue(again.answerer().peer().sameAddress(chatPeer), "Bob's reconnect: " + again.answerer().peer());
            assertEquals(bob.identity.self(), again.answerer().remote().proof().identity());
            again.chatBothWays();
        }
        chat.close();
    }
}
