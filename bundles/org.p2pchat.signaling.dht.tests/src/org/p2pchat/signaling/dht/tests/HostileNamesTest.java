package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.testing.NetworkIsolation;

/**
 * A web app user whose name carries a right-to-left override and zero-width characters: the
 * client shows the name cleaned wherever it comes from, the service's list or the id a signal
 * comes from (which no service cleans: it is an address).
 */
class HostileNamesTest {

    private static final long T = Await.SECONDS;

    private TestService service;
    private Member alice;

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @BeforeEach
    void start() throws Exception {
        service = TestService.direct();
        alice = Member.own("alice", service.uri());
        alice.awaitRegistered();
    }

    @AfterEach
    void stop() {
        alice.close();
        service.close();
    }

    @Test
    void aNameWithDirectionOverridesAndInvisibleCharactersIsShownCleaned() throws Exception {
        try (LegacyForger mallory = new LegacyForger(service.uri(), "b\u200Bo\u202Eb\u2066")) {
            String aliceThere = Await.until(() -> mallory.listedAs("alice"), "alice in the web app's list");
            PeerAddress listed = LegacyDirectoryTest.listed(alice, mallory.id);
            listed = listed != null ? listed : Await.until(() -> LegacyDirectoryTest.listed(alice, mallory.id),
                    "the web app user in alice's list");
            assertEquals("bob", listed.name(), "as the service lists it");

            mallory.signal(aliceThere, "offer", DescriptionJson.encode(
                    SignedDescription.unsigned(mallory.newSession().createOffer().get(T, TimeUnit.SECONDS))));
            InboundOffer request = alice.events.nextOffered();
            assertEquals(mallory.id, request.from().id(), "the id is an address, kept as it is");
            assertTrue(request.from().id().contains("\u202E"));
            assertEquals("bob", request.from().name(), "the name in the id, cleaned");
            request.reject(null);
        }
    }
}
