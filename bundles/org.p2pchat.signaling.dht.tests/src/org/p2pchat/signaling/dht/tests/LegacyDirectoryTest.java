package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.signaling.dht.internal.DhtTimings;
import org.p2pchat.signaling.dht.tests.Negotiation.Side;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.WebAppPeer;

/**
 * The provider on a service that speaks only the web app's API (the real server behind a relay
 * that hides its authenticated API): two people with different identities, and web app clients.
 */
class LegacyDirectoryTest {

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
        service = TestService.legacyOnly();
        alice = Member.registered("alice", service.uri());
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
    void bothRegisterWithTheWebAppsIdsAndListEachOtherButNotThemselves() throws Exception {
        ProviderStatus status = alice.link.status().get(0);
        assertEquals(service.uri().toString(), status.scope());
        assertTrue(status.detail().endsWith("Uses the legacy API."), status.detail());
        assertTrue(status.ourId().matches("user-\\d+-alice"), status.ourId());
        assertTrue(bob.id().matches("user-\\d+-bob"), bob.id());

        PeerAddress listedBob = alice.awaitListed(bob);
        assertEquals("dht", listedBob.provider());
        assertEquals("bob", listedBob.name());
        assertEquals(Optional.empty(), listedBob.identity(), "the web app's API binds no id to a key");
        assertEquals(service.uri().toString(), listedBob.scope());
        List<PeerAddress> seenByBob = bob.link.peers().get(T, TimeUnit.SECONDS);
        assertTrue(seenByBob.stream().anyMatch(p -> p.id().equals(alice.id())), seenByBob.toString());
        assertTrue(seenByBob.stream().noneMatch(p -> p.id().equals(bob.id())), seenByBob.toString());

        assertEquals(Optional.empty(), alice.link.address(bob.identity.self().key()),
                "a key is no address on the web app's API, which has no unlisted peers");
        SignalingException elsewhere = failure(alice.link.send(new PeerAddress("manual", bob.id(), "bob",
                listedBob.scope(), Optional.empty(), null), Negotiation.anyOffer(), false).answer());
        assertTrue(elsewhere.getMessage().contains("another connection method"), elsewhere.getMessage());
    }

    @Test
    void aConnectionIsAcceptedAndChatFlowsBothWaysWithBothSignedDescriptionsCarried() throws Exception {
        Connected c = Connected.connect(alice, bob, alice.awaitListed(bob));

        assertEquals(bob.identity.self(), c.offerer().remote().proof().identity(), "bob's answer with his proof");
        assertEquals(alice.identity.self(), c.answerer().remote().proof().identity(), "alice's offer with her proof");
        assertEquals("alice", c.answerer().peer().name());
        c.chatBothWays();
        System.out.println("[dht] legacy API (1 s polling): send() to chat channel open: "
                + TimeUnit.NANOSECONDS.toMillis(c.connectToOpenNanos()) + " ms");
        c.close();
    }

    @Test
    void aWebAppUserConnectsUnverifiedInBothDirectionsAndAnswersFromTheNewIdItsAcceptRegisters() throws Exception {
        try (WebAppPeer web = new WebAppPeer(service.uri(), "webby")) {
            // Web app to us: an unsigned offer (its candidates also sent one by one).
            web.connect(bob.id());
            InboundOffer offer = bob.events.nextOffered();
            assertEquals(web.id(), offer.from().id());
            assertEquals("webby", offer.from().name());
            assertTrue(offer.from().identity().isEmpty(), "a web app peer is bound to no key");
            assertNull(offer.offer().proof(), "the web app proves nothing");
            Side atBob = Negotiation.accept(bob, offer);
            SignedDescription answer = DescriptionJson.decode(payload(web.awaitSignal("answer")),
                    SessionDescription.Type.ANSWER);
            assertEquals(bob.identity.self(), answer.proof().identity(), "our answer carries our proof for the web app to ignore");
            atBob.saw().awaitConnected();
            web.awaitOpen();
            web.say("hi from the browser");
            assertEquals("hi from the browser", atBob.saw().nextChat().content());
            atBob.session().close();

            // Us to the web app: its Accept registers again, and it answers unsigned from that new id.
            String firstId = web.id();
            PeerAddress listedWeb = Await.until(() -> listed(alice, firstId), "the web app user in the list");
            try (Negotiation.Outgoing connecting = Negotiation.send(alice, listedWeb, false)) {
                web.accept(web.awaitRequest());
                assertEquals(2, web.ids().size(), "accepting registered a new id: " + web.ids());
                assertTrue(web.id().matches("user-\\d+-webby") && !web.id().equals(firstId), web.ids().toString());
                Side atAlice = connecting.complete();
                assertNull(atAlice.remote().proof());
                assertEquals(web.id(), atAlice.peer().id(), "the answer is from the id that answered");
                assertTrue(atAlice.peer().identity().isEmpty());
                atAlice.saw().awaitConnected();
                web.awaitOpen();
                atAlice.session().send(ChatMessage.create("alice", "hi browser")).get(T, TimeUnit.SECONDS);
                assertEquals("hi browser", web.nextChat().get("content").getAsString());
            }

            // Its first registration is a stale twin now: the list shows the web app user once, as the new id.
            List<PeerAddress> webbies = Await.until(() -> {
                List<PeerAddress> l = named(alice, "webby");
                return l != null && l.size() == 1 && l.get(0).id().equals(web.id()) ? l : null;
            }, "webby listed once, as the new id");
            assertEquals(1, webbies.size());
        }
    }

    @Test
    void anAnswerFromANewWebAppIdIsTakenOnlyForOurPendingRequestToThatNameAndOnlyOnce() throws Exception {
        try (WebAppPeer web = new WebAppPeer(service.uri(), "webby");
                LegacyForger mallory = new LegacyForger(service.uri(), "mallory")) {
            // No request of ours waits: an answer from some new id is ignored.
            mallory.signal("user-1-webby", alice.id(), "answer", new JsonPrimitive("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}"));
            Await.until(() -> alice.ignoredSignals().stream().anyMatch(l -> l.contains("(answer) from user-1-webby"))
                    ? Boolean.TRUE : null, "the stray answer ignored");

            PeerAddress listedWeb = Await.until(() -> listed(alice, web.id()), "the web app user in the list");
            try (Negotiation.Outgoing connecting = Negotiation.send(alice, listedWeb, false)) {
                JsonObject offer = web.awaitRequest();
                // Another name, registered anew, answers: not the one we asked.
                String other = "user-" + System.currentTimeMillis() + "-mallory";
                mallory.register(other, "mallory");
                mallory.signal(other, alice.id(), "answer",
                        new JsonPrimitive("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}"));
                // The name we asked, but not registered on the service: not taken either.
                mallory.signal("user-2-webby", alice.id(), "answer", new JsonPrimitive("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}"));
                Await.until(() -> alice.ignoredSignals().stream().anyMatch(l -> l.contains("(answer) from user-2-webby"))
                        ? Boolean.TRUE : null, "the unregistered twin's answer ignored");
                web.accept(offer);
                Side atAlice = connecting.complete();
                assertEquals(web.id(), atAlice.peer().id());
                atAlice.saw().awaitConnected();
                web.awaitOpen();

                // A second answer from yet another new id under that name is not taken: the request has its reply.
                String late = "user-" + (System.currentTimeMillis() + 5) + "-webby";
                mallory.register(late, "webby");
                mallory.signal(late, alice.id(), "answer", new JsonPrimitive("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}"));
                Await.until(() -> alice.ignoredSignals().stream().anyMatch(l -> l.contains("(answer) from " + late))
                        ? Boolean.TRUE : null, "the late answer ignored");
                atAlice.session().send(ChatMessage.create("alice", "still you")).get(T, TimeUnit.SECONDS);
                assertEquals("still you", web.nextChat().get("content").getAsString());
            }
        }
    }

    /** {@code sdp} with the first byte of its DTLS fingerprint changed (to 00, or 01 where it was 00). */
    static String withAnotherFingerprint(String sdp) {
        Matcher m = Pattern.compile("(a=fingerprint:sha-256 )([0-9A-Fa-f]{2})").matcher(sdp);
        assertTrue(m.find(), sdp);
        String changed = sdp.substring(0, m.start(2)) + (m.group(2).equals("00") ? "01" : "00") + sdp.substring(m.end(2));
        assertNotEquals(sdp, changed);
        return changed;
    }

    /** The peers {@code member} lists under {@code name}; null on failure. */
    static List<PeerAddress> named(Member member, String name) {
        try {
            return member.link.peers().get(T, TimeUnit.SECONDS).stream().filter(p -> p.name().equals(name)).toList();
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void aDeclinedRequestEndsInATimeoutBecauseTheWebAppsApiCannotSayNo() throws Exception {
        try (Member quick = Member.own("quick", DhtTimings.DEFAULTS.withAnswerTimeout(Duration.ofSeconds(3)), true,
                service.uri())) {
            quick.awaitRegistered();
            try (Negotiation.Outgoing connecting = Negotiation.send(quick, quick.awaitListed(bob), false)) {
                InboundOffer offer = bob.events.nextOffered();
                offer.reject("not now");
                SignalingException e = failure(connecting.exchange().answer());
                assertTrue(e.getMessage().startsWith("\u201Cbob\u201D did not answer within 3 s"), e.getMessage());
                assertTrue(e.getMessage().contains("declined"), e.getMessage());
                assertEquals("This request was already declined.", failure(offer.answer(offer.offer())).getMessage());
            }
        }
    }

    @Test
    void garbageSignalsAreIgnoredWithAReasonAndNothingBreaks() throws Exception {
        try (LegacyForger mallory = new LegacyForger(service.uri(), "mallory")) {
            String sdpWithoutFingerprint = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
            String[] offers = {
                "not json at all", "{\"type\":\"offer\"", "[1,2,3]", "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}",
                "{\"type\":\"rollback\",\"sdp\":\"\"}", "{\"type\":\"offer\",\"sdp\":42}",
                DescriptionJson.encode(SignedDescription.unsigned(new SessionDescription(SessionDescription.Type.OFFER,
                        sdpWithoutFingerprint))),
                "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"p2pchatIdentity\":{\"key\":\"garbage\"}}",
                "x".repeat(60_000),
            };
            for (String payload : offers) {
                mallory.signal(bob.id(), "offer", payload);
            }
            JsonObject asObject = new JsonObject();
            asObject.addProperty("type", "offer");
            mallory.signal(mallory.id, bob.id(), "reconnect-offer", asObject);
            mallory.signal(bob.id(), "ice-candidate", "{\"candidate\":\"candidate:garbage\"}");
            mallory.signal(bob.id(), "ice-candidate", "]]");
            mallory.signal(bob.id(), "answer", "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}");
            mallory.signal(bob.id(), "reconnect-answer", "garbage");
            // An offer that looks real but whose proof was made for another description: the
            // provider carries it as it came (the client layer checks proofs and refuses it).
            IdentityService someone = Member.newIdentity("someone");
            SessionDescription real = mallory.newSession().createOffer().get(T, TimeUnit.SECONDS);
            SessionDescription changed = new SessionDescription(real.type(), withAnotherFingerprint(real.sdp()));
            mallory.signal(bob.id(), "offer", DescriptionJson.encode(new SignedDescription(changed, someone.prove(real))));
            InboundOffer tampered = bob.events.nextOffered();
            assertEquals(mallory.id, tampered.from().id());
            assertEquals(changed, tampered.offer().description());
            assertEquals(someone.self(), tampered.offer().proof().identity(), "the proof as it came, not checked here");
            tampered.reject("your offer failed the identity check");

            // A real request after all of that still gets through, and is the only one told.
            Connected c = Connected.connect(alice, bob, alice.awaitListed(bob));
            c.chatBothWays();
            c.close();
            assertNull(bob.events.offered.poll(), "no garbage was told as an offer");
            List<String> ignored = bob.ignoredSignals();
            assertTrue(ignored.size() >= offers.length + 5, String.join("\n", ignored));
            assertTrue(ignored.stream().anyMatch(r -> r.contains("unreadable")), String.join("\n", ignored));
            assertTrue(ignored.stream().anyMatch(r -> r.contains("no DTLS fingerprint")), String.join("\n", ignored));
            assertEquals(ProviderStatus.State.ONLINE, bob.link.status().get(0).state());
        }
    }

    @Test
    void aGarbageAnswerIsRefusedWithAClearMessageAndASignedOneIsCarriedAsItCame() throws Exception {
        try (LegacyForger mallory = new LegacyForger(service.uri(), "mallory")) {
            PeerAddress listed = Await.until(() -> listed(alice, mallory.id), "mallory in the list");

            try (Negotiation.Outgoing first = Negotiation.send(alice, listed, false)) {
                mallory.awaitSignal("offer");
                mallory.signal(alice.id(), "answer", "{\"type\":\"answer\"");
                SignalingException garbage = failure(first.exchange().answer());
                assertTrue(garbage.getMessage().startsWith("The answer from \u201Cmallory\u201D cannot be used"),
                        garbage.getMessage());
            }

            // A real answer, signed, then changed on the way: the provider hands it over with its
            // proof, for the client layer to refuse (its fingerprint no longer matches the proof).
            IdentityService malloryKey = Member.newIdentity("mallory");
            try (Negotiation.Outgoing second = Negotiation.send(alice, listed, false)) {
                SessionDescription offer = DescriptionJson.decode(payload(mallory.awaitSignal("offer")),
                        SessionDescription.Type.OFFER).description();
                assertEquals(second.offer().description(), offer);
                SessionDescription answer = mallory.newSession().acceptOffer(offer).get(T, TimeUnit.SECONDS);
                SessionDescription swapped = new SessionDescription(answer.type(), withAnotherFingerprint(answer.sdp()));
                mallory.signal(alice.id(), "answer",
                        DescriptionJson.encode(new SignedDescription(swapped, malloryKey.prove(answer))));
                PeerAnswer carried = second.exchange().answer().get(T, TimeUnit.SECONDS);
                assertEquals(swapped, carried.answer().description());
                assertEquals(malloryKey.self(), carried.answer().proof().identity());
                assertEquals(mallory.id, carried.from().id());
            }
        }
    }

    @Test
    void bothRegisterAgainByThemselvesAfterTheServiceRestarts() throws Exception {
        String aliceId = alice.id();
        service.stop();
        ProviderStatus down = alice.events.awaitState(ProviderStatus.State.UNREACHABLE);
        assertTrue(down.detail().startsWith("Cannot reach " + service.uri()), down.detail());
        assertTrue(down.detail().contains("Retrying by itself"), down.detail());
        bob.events.awaitState(ProviderStatus.State.UNREACHABLE);

        service.start();
        assertEquals(aliceId, alice.awaitRegistered().ourId(), "the same id as before");
        bob.awaitRegistered();
        Connected c = Connected.connect(alice, bob, alice.awaitListed(bob));
        c.chatBothWays();
        c.close();
    }

    @Test
    void aServiceThatIsNotThereIsReportedUnreachable() throws Exception {
        service.stop();
        try (Member carol = Member.own("carol", service.uri())) {
            ProviderStatus status = carol.events.awaitState(ProviderStatus.State.UNREACHABLE);
            assertTrue(status.detail().contains("connection refused"), status.detail());
            SignalingException e = failure(carol.link.peers());
            assertTrue(e.getMessage().startsWith("No rendezvous service answered"), e.getMessage());
            OutboundExchange notRegistered = carol.link.send(new PeerAddress("dht", "user-1-dave", "dave",
                    service.uri().toString(), Optional.empty(), null), Negotiation.anyOffer(), false);
            SignalingException refused = failure(notRegistered.answer());
            assertTrue(refused.getMessage().startsWith("Not registered with"), refused.getMessage());
        }
    }

    static PeerAddress listed(Member member, String id) {
        try {
            return member.link.peers().get(T, TimeUnit.SECONDS).stream().filter(p -> p.id().equals(id))
                    .findFirst().orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

    static String payload(JsonObject signal) {
        return signal.get("payload") instanceof JsonPrimitive p ? p.getAsString() : signal.get("payload").toString();
    }

    /** The SignalingException a future failed with. */
    static SignalingException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(T, TimeUnit.SECONDS));
        return assertInstanceOf(SignalingException.class, e.getCause());
    }
}
