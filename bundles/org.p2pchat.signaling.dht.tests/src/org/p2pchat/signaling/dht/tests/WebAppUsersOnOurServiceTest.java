package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.signaling.dht.tests.LegacyDirectoryTest.failure;
import static org.p2pchat.signaling.dht.tests.LegacyDirectoryTest.listed;
import static org.p2pchat.signaling.dht.tests.LegacyDirectoryTest.payload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.signaling.dht.internal.DhtTimings;
import org.p2pchat.signaling.dht.tests.Negotiation.Side;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.WebAppPeer;

/**
 * Our own server, which speaks both APIs (no relay hides {@code /v1}): a listed member is on the
 * web app's API too, so web app users and our clients meet; an unlisted one stays off it.
 */
class WebAppUsersOnOurServiceTest {

    private static final long T = Await.SECONDS;
    private static final String ALSO_LISTED = "also listed for web app users as ";

    private final List<AutoCloseable> open = new ArrayList<>();
    private TestService service;

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @BeforeEach
    void start() throws Exception {
        service = TestService.direct();
    }

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
        service.close();
    }

    private <C extends AutoCloseable> C opened(C c) {
        open.add(c);
        return c;
    }

    /** The ONLINE status that says the member is listed for web app users too; returns it. */
    private static ProviderStatus awaitAlsoListed(Member member) throws InterruptedException {
        return Await.next(member.events.statuses, s -> s.state() == ProviderStatus.State.ONLINE
                && s.detail().contains(ALSO_LISTED), member.name + " listed for web app users");
    }

    @Test
    void aWebAppUserSeesOurListedMemberAndTheyConnectEitherWayAndChat() throws Exception {
        Member alice = opened(Member.registered("alice", service.uri()));
        ProviderStatus status = awaitAlsoListed(alice);
        assertTrue(status.detail().endsWith("Uses the authenticated API."), status.detail());
        assertEquals(alice.identity.self().key(), status.ourId());
        WebAppPeer web = opened(new WebAppPeer(service.uri(), "webby"));
        String aliceThere = Await.until(() -> web.listedAs("alice"), "alice in the web app's list");
        assertTrue(aliceThere.matches("user-\\d+-alice"), aliceThere);
        assertTrue(status.detail().contains(ALSO_LISTED + aliceThere), status.detail());

        // The web app user asks: an unsigned offer to alice's web app id, its candidates also sent one by one.
        web.connect(aliceThere);
        InboundOffer offer = alice.events.nextOffered();
        assertEquals(web.id(), offer.from().id());
        assertEquals("webby", offer.from().name());
        assertTrue(offer.from().identity().isEmpty(), "a peer of the web app's API, bound to no key");
        assertEquals(service.uri().toString(), offer.from().scope());
        assertNull(offer.offer().proof(), "a web app user proves nothing");
        Side atAlice = Negotiation.accept(alice, offer);
        JsonObject answerSignal = web.awaitSignal("answer");
        assertEquals(aliceThere, answerSignal.get("from").getAsString(), "answered from alice's web app id");
        SignedDescription answer = DescriptionJson.decode(payload(answerSignal), SessionDescription.Type.ANSWER);
        assertEquals(alice.identity.self(), answer.proof().identity(), "our proof rides along for the web app to ignore");
        atAlice.saw().awaitConnected();
        web.awaitOpen();
        web.say("hi from the browser");
        assertEquals("hi from the browser", atAlice.saw().nextChat().content());
        atAlice.session().send(ChatMessage.create("alice", "hi browser")).get(T, TimeUnit.SECONDS);
        assertEquals("hi browser", web.nextChat().get("content").getAsString());
        atAlice.session().close();

        // Alice lists the web app user beside our peers and asks; its Accept registers a new id and
        // answers unsigned from it, to alice's web app id.
        String firstId = web.id();
        PeerAddress listedWeb = Await.until(() -> listed(alice, firstId), "the web app user in alice's list");
        assertEquals("webby", listedWeb.name());
        assertTrue(listedWeb.identity().isEmpty());
        assertEquals(service.uri().toString(), listedWeb.scope());
        try (Negotiation.Outgoing connecting = Negotiation.send(alice, listedWeb, false)) {
            JsonObject offerSignal = web.awaitRequest();
            assertEquals(aliceThere, offerSignal.get("from").getAsString(), "sent from alice's web app id");
            web.accept(offerSignal);
            assertTrue(!web.id().equals(firstId), "a new id on accept: " + web.ids());
            Side asked = connecting.complete();
            assertNull(asked.remote().proof());
            assertEquals(web.id(), asked.peer().id());
            assertTrue(asked.peer().identity().isEmpty());
            asked.saw().awaitConnected();
            web.awaitOpen();
            asked.session().send(ChatMessage.create("alice", "hello again")).get(T, TimeUnit.SECONDS);
            assertEquals("hello again", web.nextChat().get("content").getAsString());
            web.say("and back");
            assertEquals("and back", asked.saw().nextChat().content());
        }

        // The stale first registration is not listed beside the new one.
        Await.until(() -> {
            List<PeerAddress> l = LegacyDirectoryTest.named(alice, "webby");
            return l != null && l.size() == 1 && l.get(0).id().equals(web.id()) ? l : null;
        }, "webby listed once, as the new id");
    }

    @Test
    void anUnlistedMemberStaysOffTheWebAppsListAndSeesOnlyOurListedPeers() throws Exception {
        Member carol = opened(Member.own("carol", DhtTimings.DEFAULTS, false, service.uri()));
        ProviderStatus registered = carol.awaitRegistered();
        assertTrue(registered.detail().contains("not listed"), registered.detail());
        Member alice = opened(Member.own("alice", service.uri()));
        awaitAlsoListed(alice);
        WebAppPeer web = opened(new WebAppPeer(service.uri(), "webby"));
        // Alice's web app registration came after carol's would have: the list is current for both.
        Await.until(() -> web.listedAs("alice"), "alice in the web app's list");
        Await.until(() -> web.listedAs("webby"), "the web app user in its own list");
        List<JsonObject> webAppList = web.peers();
        assertTrue(webAppList.stream().noneMatch(p -> p.get("name").getAsString().equals("carol")
                || p.get("peerId").getAsString().contains("carol")), "carol is unlisted: " + webAppList);
        assertTrue(carol.link.status().get(0).detail().contains("not listed"));

        PeerAddress listedAlice = carol.awaitListed(alice);
        assertTrue(listedAlice.identity().isPresent());
        List<PeerAddress> carolSees = carol.link.peers().get(T, TimeUnit.SECONDS);
        assertTrue(carolSees.stream().allMatch(p -> p.identity().isPresent()), "no web app users: " + carolSees);
        SignalingException e = failure(carol.link.send(new PeerAddress("dht", web.id(), "webby",
                service.uri().toString(), Optional.empty(), null), Negotiation.anyOffer(), false).answer());
        assertTrue(e.getMessage().contains("you joined unlisted"), e.getMessage());
    }

    @Test
    void ourListedPeersAreListedOnceAndAnOfferFromOneOfOursOnTheWebAppsApiCarriesItsProof() throws Exception {
        Member alice = opened(Member.registered("alice", service.uri()));
        Member bob = opened(Member.own("bob", service.uri()));
        awaitAlsoListed(alice);
        awaitAlsoListed(bob);
        WebAppPeer web = opened(new WebAppPeer(service.uri(), "webby"));
        String aliceThere = Await.until(() -> web.listedAs("alice"), "alice in the web app's list");
        String bobThere = Await.until(() -> web.listedAs("bob"), "bob in the web app's list");

        List<PeerAddress> peers = Await.until(() -> {
            try {
                List<PeerAddress> l = alice.link.peers().get(T, TimeUnit.SECONDS);
                return l.stream().anyMatch(p -> p.id().equals(web.id())) ? l : null;
            } catch (Exception x) {
                return null;
            }
        }, "the web app user in alice's list");
        List<PeerAddress> bobs = peers.stream().filter(p -> p.name().equals("bob")).toList();
        assertEquals(1, bobs.size(), "bob once, not also as his web app twin: " + peers);
        assertEquals(bob.id(), bobs.get(0).id());
        assertTrue(bobs.get(0).identity().isPresent());
        assertTrue(peers.stream().noneMatch(p -> p.name().equals("alice")), "not ourselves under either id: " + peers);

        // Bob asks alice's web app id (as a peer of the web app's API): legacy both ways, yet both
        // descriptions carry their proofs, for the client layers to check.
        try (Negotiation.Outgoing connecting = Negotiation.send(bob,
                new PeerAddress("dht", aliceThere, "alice", service.uri().toString(), Optional.empty(), null), false)) {
            InboundOffer offer = alice.events.nextOffered();
            assertEquals(bobThere, offer.from().id());
            assertFalse(offer.from().identity().isPresent());
            assertEquals(bob.identity.self(), offer.offer().proof().identity(), "the offer's proof");
            Side atAlice = Negotiation.accept(alice, offer);
            try (Connected c = Connected.finish(System.nanoTime(), connecting, atAlice)) {
                assertEquals(alice.identity.self(), c.offerer().remote().proof().identity());
                c.chatBothWays();
            }
        }
    }

    @Test
    void theWebAppListingComesBackWithTheSameIdAfterTheServiceRestarts() throws Exception {
        Member alice = opened(Member.own("alice", service.uri()));
        String detail = awaitAlsoListed(alice).detail();
        String aliceThere = detail.substring(detail.indexOf(ALSO_LISTED) + ALSO_LISTED.length()).split(" ")[0];
        assertTrue(aliceThere.matches("user-\\d+-alice"), detail);

        service.stop();
        // Usually at once (the stopping service answers the waiting fetch with 503); at the latest when
        // a fetch that got no answer times out (its wait of up to 30 s plus the request timeout).
        alice.events.awaitState(ProviderStatus.State.UNREACHABLE, 60);
        service.start();
        assertTrue(awaitAlsoListed(alice).detail().contains(ALSO_LISTED + aliceThere));
        WebAppPeer web = opened(new WebAppPeer(service.uri(), "webby"));
        assertEquals(aliceThere, Await.until(() -> web.listedAs("alice"), "alice in the web app's list again"));
        assertNotNull(Await.until(() -> listed(alice, web.id()), "the web app user in alice's list"));
    }
}
