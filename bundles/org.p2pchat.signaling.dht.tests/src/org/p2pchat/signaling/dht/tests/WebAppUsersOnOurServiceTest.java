package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.signaling.dht.tests.LegacyDirectoryTest.failure;
import static org.p2pchat.signaling.dht.tests.LegacyDirectoryTest.listed;
import static org.p2pchat.signaling.dht.tests.LegacyDirectoryTest.payload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.ServiceStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.signaling.dht.internal.DhtTimings;
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

    /** The REGISTERED status that says the member is listed for web app users too; returns it. */
    private static ServiceStatus awaitAlsoListed(Member member) throws InterruptedException {
        return Await.next(member.events.statuses, s -> s.state() == ServiceStatus.State.REGISTERED
                && s.detail().contains(ALSO_LISTED), member.name + " listed for web app users");
    }

    @Test
    void aWebAppUserSeesOurListedMemberAndTheyConnectEitherWayAndChat() throws Exception {
        Member alice = opened(Member.registered("alice", service.uri()));
        ServiceStatus status = awaitAlsoListed(alice);
        assertEquals("authenticated", status.api());
        assertEquals(alice.identity.self().key(), status.ourId());
        WebAppPeer web = opened(new WebAppPeer(service.uri(), "webby"));
        String aliceThere = Await.until(() -> web.listedAs("alice"), "alice in the web app's list");
        assertTrue(aliceThere.matches("user-\\d+-alice"), aliceThere);
        assertTrue(status.detail().contains(ALSO_LISTED + aliceThere), status.detail());

        // The web app user asks: an unsigned offer to alice's web app id, its candidates also sent one by one.
        web.connect(aliceThere);
        IncomingRequest request = alice.events.nextIncoming();
        assertEquals(web.id(), request.from().id());
        assertEquals("webby", request.from().name());
        assertFalse(request.from().authenticated(), "a peer of the web app's API");
        assertEquals(service.uri(), request.from().service());
        assertTrue(request.identity().isEmpty(), "a web app user is unverified");
        SessionEvents aliceSaw = new SessionEvents();
        DirectoryConnection atAlice = request.accept(aliceSaw).get(T, TimeUnit.SECONDS);
        assertTrue(atAlice.identity().isEmpty());
        JsonObject answerSignal = web.awaitSignal("answer");
        assertEquals(aliceThere, answerSignal.get("from").getAsString(), "answered from alice's web app id");
        SignedDescription answer = DescriptionJson.decode(payload(answerSignal), SessionDescription.Type.ANSWER);
        assertEquals(alice.identity.self(), answer.proof().identity(), "our proof rides along for the web app to ignore");
        aliceSaw.awaitConnected();
        web.awaitOpen();
        web.say("hi from the browser");
        assertEquals("hi from the browser", aliceSaw.nextChat().content());
        atAlice.session().send(ChatMessage.create("alice", "hi browser")).get(T, TimeUnit.SECONDS);
        assertEquals("hi browser", web.nextChat().get("content").getAsString());
        atAlice.session().close();

        // Alice lists the web app user beside our peers and asks; its Accept registers a new id and
        // answers unsigned from it, to alice's web app id.
        String firstId = web.id();
        DirectoryPeer listedWeb = Await.until(() -> listed(alice, firstId), "the web app user in alice's list");
        assertEquals("webby", listedWeb.name());
        assertFalse(listedWeb.authenticated());
        assertEquals(service.uri(), listedWeb.service());
        SessionEvents aliceAsked = new SessionEvents();
        CompletableFuture<DirectoryConnection> connecting = alice.membership.connect(listedWeb, aliceAsked);
        JsonObject offerSignal = web.awaitRequest();
        assertEquals(aliceThere, offerSignal.get("from").getAsString(), "sent from alice's web app id");
        web.accept(offerSignal);
        assertTrue(!web.id().equals(firstId), "a new id on accept: " + web.ids());
        DirectoryConnection asked = connecting.get(T, TimeUnit.SECONDS);
        assertTrue(asked.identity().isEmpty());
        assertEquals(web.id(), asked.peer().id());
        aliceAsked.awaitConnected();
        web.awaitOpen();
        asked.session().send(ChatMessage.create("alice", "hello again")).get(T, TimeUnit.SECONDS);
        assertEquals("hello again", web.nextChat().get("content").getAsString());
        web.say("and back");
        assertEquals("and back", aliceAsked.nextChat().content());
        asked.session().close();

        // The stale first registration is not listed beside the new one.
        Await.until(() -> {
            List<DirectoryPeer> l = LegacyDirectoryTest.named(alice, "webby");
            return l != null && l.size() == 1 && l.get(0).id().equals(web.id()) ? l : null;
        }, "webby listed once, as the new id");
    }

    @Test
    void anUnlistedMemberStaysOffTheWebAppsListAndSeesOnlyOurListedPeers() throws Exception {
        Member carol = opened(Member.own("carol", DhtTimings.DEFAULTS, false, service.uri()));
        ServiceStatus registered = carol.awaitRegistered();
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
        assertTrue(carol.membership.services().get(0).detail().contains("not listed"));

        DirectoryPeer listedAlice = carol.awaitListed(alice);
        assertTrue(listedAlice.authenticated());
        List<DirectoryPeer> carolSees = carol.membership.peers().get(T, TimeUnit.SECONDS);
        assertTrue(carolSees.stream().allMatch(DirectoryPeer::authenticated), "no web app users: " + carolSees);
        SignalingException e = failure(carol.membership.connect(
                new DirectoryPeer(web.id(), "webby", service.uri(), false, null), new SessionEvents()));
        assertTrue(e.getMessage().contains("you joined unlisted"), e.getMessage());
    }

    @Test
    void ourListedPeersAreListedOnceAndAnOfferFromOneOfOursOnTheWebAppsApiIsVerifiedByItsProof() throws Exception {
        Member alice = opened(Member.registered("alice", service.uri()));
        Member bob = opened(Member.own("bob", service.uri()));
        awaitAlsoListed(alice);
        awaitAlsoListed(bob);
        WebAppPeer web = opened(new WebAppPeer(service.uri(), "webby"));
        String aliceThere = Await.until(() -> web.listedAs("alice"), "alice in the web app's list");
        String bobThere = Await.until(() -> web.listedAs("bob"), "bob in the web app's list");

        List<DirectoryPeer> peers = Await.until(() -> {
            try {
                List<DirectoryPeer> l = alice.membership.peers().get(T, TimeUnit.SECONDS);
                return l.stream().anyMatch(p -> p.id().equals(web.id())) ? l : null;
            } catch (Exception x) {
                return null;
            }
        }, "the web app user in alice's list");
        List<DirectoryPeer> bobs = peers.stream().filter(p -> p.name().equals("bob")).toList();
        assertEquals(1, bobs.size(), "bob once, not also as his web app twin: " + peers);
        assertEquals(bob.id(), bobs.get(0).id());
        assertTrue(bobs.get(0).authenticated());
        assertTrue(peers.stream().noneMatch(p -> p.name().equals("alice")), "not ourselves under either id: " + peers);

        // Bob asks alice's web app id (as a peer of the web app's API): legacy both ways, yet both proofs check.
        SessionEvents bobSaw = new SessionEvents();
        SessionEvents aliceSaw = new SessionEvents();
        CompletableFuture<DirectoryConnection> connecting = bob.membership.connect(
                new DirectoryPeer(aliceThere, "alice", service.uri(), false, null), bobSaw);
        IncomingRequest request = alice.events.nextIncoming();
        assertEquals(bobThere, request.from().id());
        assertFalse(request.from().authenticated());
        assertEquals(bob.identity.self(), request.identity().orElseThrow(), "verified by the offer's proof");
        DirectoryConnection atAlice = request.accept(aliceSaw).get(T, TimeUnit.SECONDS);
        DirectoryConnection atBob = connecting.get(T, TimeUnit.SECONDS);
        assertEquals(alice.identity.self(), atBob.identity().orElseThrow());
        bobSaw.awaitConnected();
        aliceSaw.awaitConnected();
        try (Connected c = new Connected(atBob, atAlice, bobSaw, aliceSaw, 0)) {
            c.chatBothWays();
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
        alice.events.awaitState(ServiceStatus.State.UNREACHABLE, 60);
        service.start();
        assertTrue(awaitAlsoListed(alice).detail().contains(ALSO_LISTED + aliceThere));
        WebAppPeer web = opened(new WebAppPeer(service.uri(), "webby"));
        assertEquals(aliceThere, Await.until(() -> web.listedAs("alice"), "alice in the web app's list again"));
        assertNotNull(Await.until(() -> listed(alice, web.id()), "the web app user in alice's list"));
    }
}
