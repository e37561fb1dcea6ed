package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.signaling.dht.tests.LegacyDirectoryTest.failure;
import static org.p2pchat.signaling.dht.tests.LegacyDirectoryTest.listed;
import static org.p2pchat.signaling.dht.tests.LegacyDirectoryTest.payload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.signaling.dht.internal.DhtTimings;
import org.p2pchat.testing.NetworkIsolation;

/**
 * The provider on the service's authenticated API: identity keys as addresses, push, requests
 * signed through the context, and signed descriptions carried both ways.
 */
class AuthenticatedDirectoryTest {

    private static final long T = Await.SECONDS;

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

    /** Alice through the framework's component, Bob with his own identity; both registered. */
    private Member[] aliceAndBob(TestService s) throws Exception {
        service = s;
        Member alice = opened(Member.registered("alice", s.uri()));
        Member bob = opened(Member.own("bob", s.uri()));
        alice.awaitRegistered();
        bob.awaitRegistered();
        return new Member[] { alice, bob };
    }

    @Test
    void registersUnderTheIdentityKeyAndOnlyListedPeersAreListed() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        Member carol = opened(Member.own("carol", DhtTimings.DEFAULTS, false, service.uri()));
        ProviderStatus registered = carol.awaitRegistered();
        assertEquals(service.uri().toString(), registered.scope());
        assertTrue(registered.detail().endsWith("Uses the authenticated API."), registered.detail());
        assertEquals(carol.identity.self().key(), registered.ourId());
        assertTrue(registered.detail().contains("not listed"), registered.detail());
        assertEquals(alice.identity.self().key(), alice.id());

        PeerAddress listedBob = alice.awaitListed(bob);
        assertEquals("bob", listedBob.name());
        assertEquals(Optional.of(bob.identity.self()), listedBob.identity(), "the id is the key");
        List<PeerAddress> peers = alice.link.peers().get(T, TimeUnit.SECONDS);
        assertTrue(peers.stream().noneMatch(p -> p.id().equals(carol.id())), "carol is unlisted: " + peers);
        assertTrue(peers.stream().noneMatch(p -> p.id().equals(alice.id())), "not ourselves: " + peers);
    }

    @Test
    void aConnectionIsAcceptedAndChatFlowsBothWaysPushedWithoutPolling() throws Exception {
        // Through a relay that passes everything on and notes the fetches and when each signal went out.
        Member[] m = aliceAndBob(TestService.relayed());
        Member alice = m[0];
        Member bob = m[1];
        PeerAddress listedBob = alice.awaitListed(bob);
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            try (Connected c = Connected.connect(alice, bob, listedBob)) {
                assertEquals(bob.identity.self(), c.offerer().remote().proof().identity());
                assertEquals(alice.identity.self(), c.answerer().remote().proof().identity());
                assertEquals("alice", c.answerer().peer().name());
                assertEquals(Optional.of(alice.identity.self()), c.answerer().peer().identity(),
                        "the service vouches for the sender's key");
                assertTrue(c.offerer().peer().sameAddress(listedBob), "answered from the address asked");
                c.chatBothWays();
                millis.add(TimeUnit.NANOSECONDS.toMillis(c.connectToOpenNanos()));
            }
        }
        ServiceRelay relay = service.relay();
        int longPoll = DhtTimings.DEFAULTS.longPollSeconds();
        assertEquals(Set.of(longPoll), Set.copyOf(relay.fetchWaits), "every fetch a long poll of " + longPoll
                + " s, none polling with wait=0: " + relay.fetchWaits);
        List<Long> delivered = List.copyOf(relay.deliveryMillis);
        assertTrue(delivered.size() >= 10, "at least an offer and an answer per run handed out: " + delivered);
        long slowest = Collections.max(delivered);
        // A signal that is not pushed waits for the end of its recipient's long poll.
        assertTrue(slowest < longPoll * 1000L / 2, "a signal reached its recipient " + slowest + " ms after it was "
                + "posted, with long polls of " + longPoll + " s: not pushed to the waiting fetch");

        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.println("[dht] authenticated API: send() to chat channel open, 5 runs: " + millis
                + " ms, median " + sorted.get(2) + " ms; signals handed out " + delivered.size() + ", slowest "
                + slowest + " ms after posting (load average "
                + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + ")");
    }

    @Test
    void anUnlistedPeerIsReachableByItsIdAndAWrongIdIsAClearError() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member carol = opened(Member.own("carol", DhtTimings.DEFAULTS, false, service.uri()));
        carol.awaitRegistered();
        assertEquals(Optional.empty(), alice.link.address("not a key"));
        PeerAddress byId = alice.link.address("  " + carol.id() + "\n").orElseThrow();
        assertEquals(carol.id(), byId.id());
        assertEquals(Optional.of(carol.identity.self()), byId.identity());
        assertEquals(service.uri().toString(), byId.scope());
        try (Connected c = Connected.connect(alice, carol, byId)) {
            assertEquals("carol", c.offerer().peer().name(), "the name comes from the service");
            assertEquals(carol.identity.self(), c.offerer().remote().proof().identity());
            c.chatBothWays();
        }
        PeerAddress unknown = alice.link.address(Member.newIdentity("nobody").self().key()).orElseThrow();
        SignalingException e = failure(alice.link.send(unknown, Negotiation.anyOffer(), false).answer());
        assertTrue(e.getMessage().startsWith("No peer with the id"), e.getMessage());
        SignalingException self = failure(alice.link.send(alice.link.address(alice.id()).orElseThrow(),
                Negotiation.anyOffer(), false).answer());
        assertEquals("That is you: choose another peer.", self.getMessage());
    }

    /**
     * Bob was listed and is asked, then quits before he answers: the request does not wait out
     * the answer timeout (two minutes) for someone who is gone; it says he is offline.
     */
    @Test
    void aPeerWhoLeavesWhileAskedIsOfflineBeforeTheAnswerTimeout() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        try (Negotiation.Outgoing connecting = Negotiation.send(alice, alice.awaitListed(bob), false)) {
            bob.events.nextOffered();
            bob.close();
            SignalingException e = failure(connecting.exchange().answer());
            assertEquals("\u201Cbob\u201D is offline: not registered on " + service.uri() + " now.", e.getMessage());
        }
        assertTrue(Await.SECONDS * 4 < DhtTimings.DEFAULTS.answerTimeout().toSeconds(), "told, not timed out");
    }

    @Test
    void aDeclinedRequestFailsAtOnce() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        try (Negotiation.Outgoing connecting = Negotiation.send(alice, alice.awaitListed(bob), false)) {
            bob.events.nextOffered().reject(null);
            // Told, not timed out: failure() waits 20 s, far less than alice's answer timeout (120 s),
            // and a timeout would say "did not answer".
            assertTrue(Await.SECONDS * 4 < DhtTimings.DEFAULTS.answerTimeout().toSeconds());
            assertEquals("\u201Cbob\u201D declined the connection request.",
                    failure(connecting.exchange().answer()).getMessage());
        }
    }

    @Test
    void aRejectWithAReasonReachesTheRequestersFailureWithTheReason() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        try (Negotiation.Outgoing connecting = Negotiation.send(alice, alice.awaitListed(bob), false)) {
            InboundOffer offer = bob.events.nextOffered();
            offer.reject("your offer failed the identity check\u0007 (man in the middle?)");
            assertEquals("\u201Cbob\u201D's client refused the request: your offer failed the identity check  "
                    + "(man in the middle?)", failure(connecting.exchange().answer()).getMessage(),
                    "the reason as sent, its control characters made spaces");
        }
    }

    @Test
    void aRequestItsSenderGivesUpOnIsWithdrawn() throws Exception {
        service = TestService.direct();
        Member alice = opened(Member.own("alice", DhtTimings.DEFAULTS.withAnswerTimeout(Duration.ofSeconds(2)), true,
                service.uri()));
        Member bob = opened(Member.own("bob", service.uri()));
        alice.awaitRegistered();
        bob.awaitRegistered();
        PeerAddress listedBob = alice.awaitListed(bob);

        try (Negotiation.Outgoing timingOut = Negotiation.send(alice, listedBob, false)) {
            InboundOffer unanswered = bob.events.nextOffered();
            SignalingException e = failure(timingOut.exchange().answer());
            assertTrue(e.getMessage().startsWith("\u201Cbob\u201D did not answer within 2 s"), e.getMessage());
            assertEquals(unanswered, Await.next(bob.events.withdrawn, r -> true, "withdrawn offer"));
            assertEquals("\u201Calice\u201D withdrew the request, or it expired.",
                    failure(unanswered.answer(unanswered.offer())).getMessage());
        }

        try (Negotiation.Outgoing cancelled = Negotiation.send(alice, listedBob, false)) {
            InboundOffer shown = bob.events.nextOffered();
            cancelled.exchange().answer().cancel(true);
            assertEquals(shown, Await.next(bob.events.withdrawn, r -> true, "withdrawn offer"));
        }
    }

    @Test
    void aReconnectIsMarkedAsSuchAndConnectsTheSamePeersAgain() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        Connected first = Connected.connect(alice, bob, alice.awaitListed(bob));
        first.close();
        try (Connected again = Connected.connect(alice, bob, first.offerer().peer(), true)) {
            assertEquals(alice.identity.self(), again.answerer().remote().proof().identity());
            assertTrue(again.answerer().peer().sameAddress(first.answerer().peer()), "the same address as before");
            again.chatBothWays();
        }
    }

    @Test
    void offersAreToldWithTheSendersServiceVerifiedKeyAndAnUnreadableOneIsRefusedWithTheReason() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member bob = m[1];
        try (SignedClient mallory = new SignedClient(service.uri(), "mallory");
                SignedClient someone = new SignedClient(service.uri(), "someone")) {
            PeerSession session = opened(Registered.transport().createSession(SessionConfig.of(List.of(), "mallory")));
            SessionDescription offer = session.createOffer().get(T, TimeUnit.SECONDS);

            // Without a proof: told, bound to the key the service verified; the client layer refuses it.
            mallory.signal(bob.id(), "offer", DescriptionJson.encode(SignedDescription.unsigned(offer)));
            InboundOffer unsigned = bob.events.nextOffered();
            assertEquals(Optional.of(mallory.identity.self()), unsigned.from().identity());
            assertNull(unsigned.offer().proof());
            unsigned.reject("your offer arrived without an identity proof");
            assertEquals("your offer arrived without an identity proof", reason(mallory.awaitSignal("reject")));

            // With someone else's proof: told with that proof, as it came.
            mallory.signal(bob.id(), "offer", DescriptionJson.encode(new SignedDescription(offer, someone.identity.prove(offer))));
            InboundOffer othersProof = bob.events.nextOffered();
            assertEquals(Optional.of(mallory.identity.self()), othersProof.from().identity());
            assertEquals(someone.identity.self(), othersProof.offer().proof().identity());
            othersProof.reject("your offer is signed by another identity than the sender's (man in the middle?)");
            assertTrue(reason(mallory.awaitSignal("reject")).contains("signed by another identity than the sender's"));

            // Unreadable: refused by the provider itself, with the reason, and never told.
            mallory.signal(bob.id(), "offer", "garbage");
            assertTrue(reason(mallory.awaitSignal("reject")).contains("unreadable"));
            mallory.signal(bob.id(), "ice-candidate", "{\"candidate\":7}");
            mallory.signal(bob.id(), "answer", "{}");
            mallory.signal(bob.id(), "cancel", "{}");

            mallory.signal(bob.id(), "offer", DescriptionJson.encode(new SignedDescription(offer, mallory.identity.prove(offer))));
            InboundOffer honest = bob.events.nextOffered();
            assertEquals(mallory.id(), honest.from().id());
            assertEquals("mallory", honest.from().name());
            assertEquals(mallory.identity.self(), honest.offer().proof().identity());
            assertNull(bob.events.offered.poll());
            assertTrue(bob.ignoredSignals().size() >= 3, String.join("\n", bob.ignoredSignals()));
            honest.reject(null);
            assertEquals("{}", payload(mallory.awaitSignal("reject")));
        }
    }

    @Test
    void candidatesTrickledBeforeTheSinkIsSetAreHandedOverFirstInOrder() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        List<String> sent = List.of("candidate:1 1 udp 2122260223 192.0.2.2 50001 typ host",
                "candidate:2 1 udp 2122260223 192.0.2.2 50002 typ host",
                "candidate:3 1 udp 2122260223 192.0.2.2 50003 typ host");
        try (SignedClient mallory = new SignedClient(service.uri(), "mallory")) {
            PeerSession session = opened(Registered.transport().createSession(SessionConfig.of(List.of(), "mallory")));
            SessionDescription offer = session.createOffer().get(T, TimeUnit.SECONDS);

            // Inbound: an offer, two candidates, then a marker that shows they were all handled.
            mallory.signal(bob.id(), "offer", DescriptionJson.encode(new SignedDescription(offer, mallory.identity.prove(offer))));
            InboundOffer inbound = bob.events.nextOffered();
            mallory.signal(bob.id(), "ice-candidate", candidate(sent.get(0)));
            mallory.signal(bob.id(), "ice-candidate", candidate(sent.get(1)));
            mallory.signal(bob.id(), "answer", "{\"marker\":1}"); // no offer of bob's waits: ignored
            Await.until(() -> bob.ignoredSignals().stream().anyMatch(l -> l.contains("(answer)")) ? Boolean.TRUE : null,
                    "the marker handled");
            java.util.concurrent.BlockingQueue<String> atBob = new java.util.concurrent.LinkedBlockingQueue<>();
            inbound.candidates(c -> atBob.add(c.candidate()));
            mallory.signal(bob.id(), "ice-candidate", candidate(sent.get(2)));
            for (String c : sent) {
                assertEquals(c, Await.next(atBob, x -> true, "candidate"));
            }
            inbound.reject(null);

            // Outbound: the peer trickles before its answer, the sink is named after it.
            PeerAddress to = alice.link.address(mallory.id()).orElseThrow();
            var exchange = alice.link.send(to, new SignedDescription(offer, alice.identity.prove(offer)), false);
            mallory.awaitSignal("offer");
            SessionDescription answer = opened(Registered.transport().createSession(SessionConfig.of(List.of(), "m2")))
                    .acceptOffer(offer).get(T, TimeUnit.SECONDS);
            mallory.signal(alice.id(), "ice-candidate", candidate(sent.get(0)));
            mallory.signal(alice.id(), "ice-candidate", candidate(sent.get(1)));
            mallory.signal(alice.id(), "answer", DescriptionJson.encode(new SignedDescription(answer, mallory.identity.prove(answer))));
            PeerAnswer answered = exchange.answer().get(T, TimeUnit.SECONDS);
            assertEquals(answer, answered.answer().description());
            java.util.concurrent.BlockingQueue<String> atAlice = new java.util.concurrent.LinkedBlockingQueue<>();
            exchange.candidates(c -> atAlice.add(c.candidate()));
            mallory.signal(alice.id(), "ice-candidate", candidate(sent.get(2)));
            for (String c : sent) {
                assertEquals(c, Await.next(atAlice, x -> true, "candidate"));
            }
        }
    }

    private static String candidate(String line) {
        JsonObject c = new JsonObject();
        c.addProperty("candidate", line);
        c.addProperty("sdpMid", "0");
        c.addProperty("sdpMLineIndex", 0);
        return c.toString();
    }

    @Test
    void aHostilePeerSendingGarbageSignalsCannotBreakTheLink() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        try (SignedClient mallory = new SignedClient(service.uri(), "mallory")) {
            PeerSession session = opened(Registered.transport().createSession(SessionConfig.of(List.of(), "mallory")));
            SessionDescription offer = session.createOffer().get(T, TimeUnit.SECONDS);
            String signed = DescriptionJson.encode(new SignedDescription(offer, mallory.identity.prove(offer)));
            // What the service passes on (it refuses unknown types and empty payloads itself).
            String[] payloads = { "null", "[]", "{}", "\"\"", "garbage", "x".repeat(60_000), "{\"reason\":7}",
                "{\"candidate\":\"\"}", "{\"candidate\":\"candidate:x\",\"sdpMLineIndex\":\"nan\"}",
                "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"p2pchatIdentity\":{\"key\":\"" + mallory.id()
                        + "\",\"sig\":\"@@\"}}" };
            for (String type : List.of("offer", "reconnect-offer", "answer", "reconnect-answer", "ice-candidate",
                    "reject", "cancel")) {
                for (String payload : payloads) {
                    mallory.signal(bob.id(), type, payload);
                }
            }
            // A sink that throws, on an offer whose candidates keep coming.
            mallory.signal(bob.id(), "offer", signed);
            InboundOffer told = bob.events.nextOffered();
            told.candidates(c -> {
                throw new IllegalStateException("a broken sink");
            });
            mallory.signal(bob.id(), "ice-candidate", candidate("candidate:1 1 udp 2122260223 192.0.2.2 50001 typ host"));
            told.reject(null);
            // The garbage offers were refused with reasons first; the plain decline comes last.
            mallory.awaitSignal("reject", r -> payload(r).equals("{}"));

            // Still registered, and a real connection still comes about.
            try (Connected c = Connected.connect(alice, bob, alice.awaitListed(bob))) {
                c.chatBothWays();
            }
            assertEquals(ProviderStatus.State.ONLINE, bob.link.status().get(0).state());
            assertTrue(bob.ignoredSignals().size() >= 30, String.join("\n", bob.ignoredSignals()));
        }
    }

    @Test
    void aManInTheMiddleWhoSwapsTheAnswerHasItCarriedWithTheOriginalProofForTheClientToRefuse() throws Exception {
        Member[] m = aliceAndBob(TestService.relayed());
        Member alice = m[0];
        Member bob = m[1];
        PeerAddress listedBob = alice.awaitListed(bob);
        try (Attacker mallory = new Attacker();
                Negotiation.Outgoing connecting = Negotiation.send(alice, listedBob, false)) {
            service.relay().signalsRewriter = mallory.swapping(Set.of("answer"));
            Negotiation.Side atBob = Negotiation.accept(bob, bob.events.nextOffered());
            PeerAnswer carried = connecting.exchange().answer().get(T, TimeUnit.SECONDS);
            atBob.session().close();
            assertEquals(mallory.answer, carried.answer().description(), "the swapped description");
            assertEquals(bob.identity.self(), carried.answer().proof().identity(), "bob's proof, for another description");
            assertTrue(mallory.swapped > 0);
        }
    }

    @Test
    void aManInTheMiddleWhoSwapsTheOfferIsRefusedWithTheClientsReason() throws Exception {
        Member[] m = aliceAndBob(TestService.relayed());
        Member alice = m[0];
        Member bob = m[1];
        PeerAddress listedBob = alice.awaitListed(bob);
        try (Attacker mallory = new Attacker()) {
            service.relay().signalsRewriter = mallory.swapping(Set.of("offer"));
            try (Negotiation.Outgoing connecting = Negotiation.send(alice, listedBob, false)) {
                InboundOffer swapped = bob.events.nextOffered();
                assertEquals(mallory.offer, swapped.offer().description());
                assertEquals(alice.identity.self(), swapped.offer().proof().identity());
                // What the client layer does with it: its proof fails, so it is refused with the reason.
                swapped.reject("your offer failed the identity check, so it was changed or forged on the way "
                        + "(man in the middle?)");
                SignalingException e = failure(connecting.exchange().answer());
                assertTrue(e.getMessage().startsWith("\u201Cbob\u201D's client refused the request: your offer failed the "
                        + "identity check"), e.getMessage());
                assertTrue(e.getMessage().contains("man in the middle?"), e.getMessage());
            }

            service.relay().signalsRewriter = s -> s;
            try (Connected c = Connected.connect(alice, bob, listedBob)) {
                c.chatBothWays();
            }
        }
    }

    @Test
    void bothRegisterAgainByThemselvesAfterTheServiceRestartsAndForgotThem() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        service.stop();
        alice.events.awaitState(ProviderStatus.State.UNREACHABLE);
        bob.events.awaitState(ProviderStatus.State.UNREACHABLE);
        service.start();
        alice.awaitRegistered();
        bob.awaitRegistered();
        try (Connected c = Connected.connect(alice, bob, alice.awaitListed(bob))) {
            c.chatBothWays();
        }
    }

    @Test
    void signalsAndRenewalsGoUnderTheSessionWithoutSignatures() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        PeerAddress listedBob = alice.awaitListed(bob);
        RendezvousServer.Statistics registered = service.server().statistics();
        assertEquals(2, registered.sessions(), registered.toString());
        assertEquals(2, registered.signatureChecks(), "one signed registration each: " + registered);
        try (Connected c = Connected.connect(alice, bob, listedBob)) {
            c.chatBothWays();
        }
        RendezvousServer.Statistics chatted = service.server().statistics();
        assertTrue(chatted.rememberedNonces() > registered.rememberedNonces() + 3, "offer, answer and candidates sent: "
                + chatted);
        assertEquals(2, chatted.signatureChecks(), "no signature since: " + chatted);
    }

    @Test
    void bothRecoverByThemselvesWhenTheServiceRestartsUnderThem() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        alice.awaitListed(bob);
        // Back at once on the same port: the clients may not even see it gone, only their sessions refused.
        service.stop();
        service.start();
        RendezvousServer restarted = service.server();
        Await.until(() -> restarted.statistics().sessions() == 2 ? Boolean.TRUE : null,
                "both registered with new sessions");
        try (Connected c = Connected.connect(alice, bob, alice.awaitListed(bob))) {
            c.chatBothWays();
        }
        RendezvousServer.Statistics after = restarted.statistics();
        assertEquals(2, after.signatureChecks(), "one signed registration each, then sessions: " + after);
    }

    @Test
    void leavingUnregistersAtOnce() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        alice.awaitListed(bob);
        bob.close();
        assertEquals(ProviderStatus.State.CLOSED, bob.events.awaitState(ProviderStatus.State.CLOSED).state());
        Await.until(() -> listed(alice, bob.id()) == null ? Boolean.TRUE : null, "bob gone from the list");
        assertFalse(alice.link.peers().get(T, TimeUnit.SECONDS).stream().anyMatch(p -> p.id().equals(bob.id())));
        SignalingException e = failure(bob.link.peers());
        assertTrue(e.getMessage().startsWith("You left the directory"), e.getMessage());
    }

    @Test
    void oneLinkOnTwoServicesWithDifferentApisListsBothAndSurvivesOneGoingDown() throws Exception {
        service = TestService.direct();
        try (TestService webAppKind = TestService.legacyOnly()) {
            Member alice = opened(Member.registered("alice", service.uri(), webAppKind.uri()));
            Member bob = opened(Member.own("bob", webAppKind.uri()));
            Member carol = opened(Member.own("carol", service.uri()));
            bob.awaitRegistered();
            carol.awaitRegistered();
            Await.until(() -> alice.link.status().stream()
                    .allMatch(st -> st.state() == ProviderStatus.State.ONLINE) ? Boolean.TRUE : null, "both registered");
            assertEquals(List.of(service.uri().toString(), webAppKind.uri().toString()),
                    alice.link.status().stream().map(ProviderStatus::scope).toList());
            assertTrue(alice.link.status().get(0).detail().endsWith("Uses the authenticated API."));
            assertTrue(alice.link.status().get(1).detail().endsWith("Uses the legacy API."));

            PeerAddress listedBob = alice.awaitListed(bob);
            PeerAddress listedCarol = alice.awaitListed(carol);
            assertEquals(webAppKind.uri().toString(), listedBob.scope());
            assertEquals(service.uri().toString(), listedCarol.scope());
            try (Connected viaLegacy = Connected.connect(alice, bob, listedBob)) {
                viaLegacy.chatBothWays();
            }

            webAppKind.stop();
            Await.until(() -> alice.link.status().get(1).state() == ProviderStatus.State.UNREACHABLE
                    ? Boolean.TRUE : null, "the legacy service unreachable");
            List<PeerAddress> peers = alice.link.peers().get(T, TimeUnit.SECONDS);
            assertTrue(peers.stream().anyMatch(p -> p.id().equals(carol.id())), peers.toString());
            try (Connected viaAuthenticated = Connected.connect(alice, carol, listedCarol)) {
                viaAuthenticated.chatBothWays();
            }
        }
    }

    private static String reason(JsonObject reject) {
        return JsonParser.parseString(payload(reject)).getAsJsonObject().get("reason").getAsString();
    }

    /**
     * A man in the middle: its own real sessions' descriptions replace the SDP of the offers or
     * answers the relay hands out, keeping the senders' proofs.
     */
    static final class Attacker implements AutoCloseable {
        private final PeerSession offering;
        private final PeerSession answering;
        private final SessionDescription offer;
        private final SessionDescription answer;
        volatile int swapped;

        Attacker() throws Exception {
            offering = Registered.transport().createSession(SessionConfig.of(List.of(), "mallory"));
            answering = Registered.transport().createSession(SessionConfig.of(List.of(), "mallory"));
            offer = offering.createOffer().get(T, TimeUnit.SECONDS);
            answer = answering.acceptOffer(offer).get(T, TimeUnit.SECONDS);
        }

        java.util.function.UnaryOperator<String> swapping(Set<String> types) {
            return body -> {
                JsonArray signals = JsonParser.parseString(body).getAsJsonArray();
                for (JsonElement e : signals) {
                    JsonObject s = e.getAsJsonObject();
                    String type = s.get("type").getAsString();
                    if (types.contains(type)) {
                        try {
                            SignedDescription real = DescriptionJson.decode(s.get("payload").getAsString());
                            SessionDescription fake = real.description().type() == SessionDescription.Type.OFFER ? offer : answer;
                            s.addProperty("payload", DescriptionJson.encode(new SignedDescription(fake, real.proof())));
                            swapped++;
                        } catch (SignalingException x) {
                            throw new AssertionError(x);
                        }
                    }
                }
                return signals.toString();
            };
        }

        @Override
        public void close() {
            offering.close();
            answering.close();
        }
    }
}
