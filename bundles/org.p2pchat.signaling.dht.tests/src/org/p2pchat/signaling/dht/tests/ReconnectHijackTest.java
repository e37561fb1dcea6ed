package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonPrimitive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Alice and Bob chat through a service that speaks both APIs, verified. Mallory posts reconnect
 * offers on the web app's API "from" Bob's key to Alice's web app id: the provider shows them as
 * requests of their own that do not continue the chat ({@link IncomingRequest#continues}, which
 * both clients ask before accepting without a question), while Bob's real reconnect does.
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
    void aLegacyReconnectOfferFromTheChatPeersKeyDoesNotContinueTheChatButBobsRealOneDoes() throws Exception {
        Connected chat = Connected.connect(bob, alice, bob.awaitListed(alice));
        DirectoryConnection atAlice = chat.answerer();
        assertEquals(bob.identity.self(), atAlice.identity().orElseThrow());

        try (LegacyForger mallory = new LegacyForger(service.uri(), "mallory")) {
            String aliceThere = Await.until(() -> mallory.listedAs("alice"), "alice in the web app's list");

            // A real offer without a proof, "from" Bob's key on the web app's API.
            SessionDescription offer = mallory.newSession().createOffer().get(T, TimeUnit.SECONDS);
            mallory.signal(bob.id(), aliceThere, "reconnect-offer",
                    new JsonPrimitive(DescriptionJson.encode(SignedDescription.unsigned(offer))));
            IncomingRequest unsigned = alice.events.nextIncoming();
            assertEquals(bob.id(), unsigned.from().id(), "the id Mallory claims");
            assertTrue(unsigned.reconnect(), "Mallory says it is a reconnect");
            assertFalse(unsigned.from().authenticated(), "it came on the web app's API");
            assertTrue(unsigned.identity().isEmpty());
            assertFalse(unsigned.continues(atAlice), "no proof of Bob's key: a new request for Alice to answer");

            // The same with a valid proof of Mallory's own key.
            IdentityService malloryKey = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-dht-mallory"));
            SessionDescription another = mallory.newSession().createOffer().get(T, TimeUnit.SECONDS);
            mallory.signal(bob.id(), aliceThere, "reconnect-offer", new JsonPrimitive(
                    DescriptionJson.encode(new SignedDescription(another, malloryKey.prove(another)))));
            IncomingRequest signed = alice.events.nextIncoming();
            assertEquals(malloryKey.self(), signed.identity().orElseThrow());
            assertFalse(signed.continues(atAlice), "Mallory's key is not Bob's");
            unsigned.reject();
            signed.reject();
        }

        // Nothing touched the chat.
        chat.chatBothWays();

        // Bob's own reconnect, on the API and service of the chat and proving his key, continues it.
        SessionEvents bobSaw = new SessionEvents();
        CompletableFuture<DirectoryConnection> again = bob.membership.reconnect(chat.offerer(), bobSaw);
        IncomingRequest real = alice.events.nextIncoming();
        assertTrue(real.continues(atAlice), "Bob's reconnect: " + real);
        SessionEvents aliceSaw = new SessionEvents();
        DirectoryConnection reconnectedAtAlice = real.accept(aliceSaw).get(T, TimeUnit.SECONDS);
        DirectoryConnection reconnectedAtBob = again.get(T, TimeUnit.SECONDS);
        aliceSaw.awaitConnected();
        bobSaw.awaitConnected();
        new Connected(reconnectedAtBob, reconnectedAtAlice, bobSaw, aliceSaw, 0).chatBothWays();
        reconnectedAtAlice.session().close();
        reconnectedAtBob.session().close();
        chat.close();
    }
}
