package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.testing.NetworkIsolation;

/**
 * The provider on a service that holds no long poll for it (503: the pool of waiting fetches is
 * full, here taken by throwaway keys from another address): it polls with {@code wait=0} every
 * second instead of backing off for up to 30 s, so a request still reaches it within 2 s, and it
 * long-polls again once the service holds its waits again.
 */
class BusyServiceTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private TestService service;

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
        if (service != null) {
            service.close();
        }
    }

    private <C extends AutoCloseable> C opened(C c) {
        open.add(c);
        return c;
    }

    @Test
    void aFullPoolOfWaitingFetchesMakesItPollAndARequestStillArrivesWithin2Seconds() throws Exception {
        service = TestService.direct(RendezvousLimits.DEFAULTS.withoutRateLimit().toBuilder().maxWaitingFetches(2)
                .build());
        RendezvousServer server = service.server();
        InetAddress attackerAddress = InetAddress.getByName(NetworkIsolation.TEST_PEER_ADDRESS);
        List<SignedClient> throwaways = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SignedClient throwaway = opened(new SignedClient(service.uri(), "throwaway " + i, attackerAddress));
            throwaways.add(throwaway);
            held.add(throwaway.holdLongPoll(30));
        }
        Await.until(() -> server.statistics().waitingFetches() == 2 ? Boolean.TRUE : null, "the pool taken");

        Member alice = opened(Member.registered("alice", service.uri()));
        String aliceId = alice.awaitRegistered().ourId();
        // Alice's long poll is refused; she keeps fetching without a wait.
        try (SignedClient carol = new SignedClient(service.uri(), "carol")) {
            PeerSession session = opened(Registered.transport().createSession(SessionConfig.of(List.of(), "carol")));
            SessionDescription offer = session.createOffer().get(Await.SECONDS, TimeUnit.SECONDS);
            // The attack lasts: time itself is what is tested here. A client that backed off after each
            // refusal (1, 2, 4, 8 ... s) would next fetch only seconds after the request arrives.
            Thread.sleep(8_000);
            long sent = System.nanoTime();
            carol.signal(aliceId, "offer",
                    DescriptionJson.encode(new SignedDescription(offer, carol.identity.prove(offer))));
            InboundOffer request = alice.events.nextOffered();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertEquals(carol.id(), request.from().id());
            assertTrue(millis < 2_000, "the request arrived after " + millis + " ms");
            assertEquals(2, server.statistics().waitingFetches(), "the attacker still holds the pool");
            request.reject(null);
        }

        // The attack ends: Alice long-polls again by herself.
        for (SignedClient throwaway : throwaways) {
            throwaway.send("DELETE", "/v1/register", null);
        }
        Await.until(() -> server.statistics().waitingFetches() == 1 ? Boolean.TRUE : null, "alice long-polling again");
        assertTrue(held.stream().allMatch(CompletableFuture::isDone));
    }
}
