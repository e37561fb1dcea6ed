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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.ServiceStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.signaling.dht.internal.DhtTimings;
import org.p2pchat.testing.NetworkIsolation;

/** The provider on the service's authenticated API: identity keys as addresses, push, and end-to-end proofs. */
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
        ServiceStatus registered = carol.awaitRegistered();
        assertEquals("authenticated", registered.api());
        assertEquals(carol.identity.self().key(), registered.ourId());
        assertTrue(registered.detail().contains("not listed"), registered.detail());
        assertEquals(alice.identity.self().key(), alice.id());

        DirectoryPeer listedBob = alice.awaitListed(bob);
        assertEquals("bob", listedBob.name());
        assertTrue(listedBob.authenticated());
        List<DirectoryPeer> peers = alice.membership.peers().get(T, TimeUnit.SECONDS);
        assertTrue(peers.stream().noneMatch(p -> p.id().equals(carol.id())), "carol is unlisted: " + peers);
        assertTrue(peers.stream().noneMatch(p -> p.id().equals(alice.id())), "not ourselves: " + peers);
    }

    @Test
    void aConnectionIsAcceptedAndChatFlowsBothWaysPushedWithoutPolling() throws Exception {
        // Through a relay that passes everything on and notes the fetches and when each signal went out.
        Member[] m = aliceAndBob(TestService.relayed());
        Member alice = m[0];
        Member bob = m[1];
        DirectoryPeer listedBob = alice.awaitListed(bob);
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            try (Connected c = Connected.connect(alice, bob, listedBob)) {
                assertEquals(bob.identity.self(), c.offerer().identity().orElseThrow());
                assertEquals(alice.identity.self(), c.answerer().identity().orElseThrow());
                assertEquals("alice", c.answerer().peer().name());
                assertTrue(c.answerer().peer().authenticated());
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
        System.out.println("[dht] authenticated API: connect() to chat channel open, 5 runs: " + millis
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
        DirectoryPeer byId = new DirectoryPeer(carol.id(), "", service.uri(), true, null);
        try (Connected c = Connected.connect(alice, carol, byId)) {
            assertEquals("carol", c.offerer().peer().name(), "the name comes from the service");
            assertEquals(carol.identity.self(), c.offerer().identity().orElseThrow());
            c.chatBothWays();
        }
        String unknown = m[1].id().substring(0, 20) + "A".repeat(m[1].id().length() - 20);
        SignalingException e = failure(alice.membership.connect(
                new DirectoryPeer(unknown, "", service.uri(), true, null), new SessionEvents()));
        assertTrue(e.getMessage().startsWith("No peer with the id"), e.getMessage());
    }

    @Test
    void aDeclinedRequestFailsAtOnce() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        CompletableFuture<DirectoryConnection> connecting = alice.membership.connect(alice.awaitListed(bob),
                new SessionEvents());
        bob.events.nextIncoming().reject();
        // Told, not timed out: failure() waits 20 s, far less than alice's answer timeout (120 s),
        // and a timeout would say "No answer from".
        assertTrue(Await.SECONDS * 4 < DhtTimings.DEFAULTS.answerTimeout().toSeconds());
        assertEquals("\u201Cbob\u201D declined the connection request.", failure(connecting).getMessage());
    }

    @Test
    void aRequestItsSenderGivesUpOnIsWithdrawn() throws Exception {
        service = TestService.direct();
        Member alice = opened(Member.own("alice", DhtTimings.DEFAULTS.withAnswerTimeout(Duration.ofSeconds(2)), true,
                service.uri()));
        Member bob = opened(Member.own("bob", service.uri()));
        alice.awaitRegistered();
        bob.awaitRegistered();
        DirectoryPeer listedBob = alice.awaitListed(bob);

        CompletableFuture<DirectoryConnection> timingOut = alice.membership.connect(listedBob, new SessionEvents());
        IncomingRequest unanswered = bob.events.nextIncoming();
        SignalingException e = failure(timingOut);
        assertTrue(e.getMessage().startsWith("No answer from \u201Cbob\u201D within 2 s"), e.getMessage());
        assertEquals(unanswered, Await.next(bob.events.withdrawn, r -> true, "withdrawn request"));
        assertEquals("\u201Calice\u201D withdrew the request, or it expired.",
                failure(unanswered.accept(new SessionEvents())).getMessage());

        CompletableFuture<DirectoryConnection> cancelled = alice.membership.connect(listedBob, new SessionEvents());
        IncomingRequest shown = bob.events.nextIncoming();
        cancelled.cancel(true);
        assertEquals(shown, Await.next(bob.events.withdrawn, r -> true, "withdrawn request"));
    }

    @Test
    void aReconnectIsMarkedAsSuchAndConnectsTheSamePeersAgain() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member alice = m[0];
        Member bob = m[1];
        Connected first = Connected.connect(alice, bob, alice.awaitListed(bob));
        first.close();
        SessionEvents aliceSaw = new SessionEvents();
        CompletableFuture<DirectoryConnection> again = alice.membership.reconnect(first.offerer(), aliceSaw);
        IncomingRequest request = bob.events.nextIncoming();
        assertTrue(request.reconnect());
        assertEquals(alice.identity.self(), request.identity().orElseThrow());
        SessionEvents bobSaw = new SessionEvents();
        DirectoryConnection atBob = request.accept(bobSaw).get(T, TimeUnit.SECONDS);
        DirectoryConnection atAlice = again.get(T, TimeUnit.SECONDS);
        aliceSaw.awaitConnected();
        bobSaw.awaitConnected();
        new Connected(atAlice, atBob, aliceSaw, bobSaw, 0).chatBothWays();
        atAlice.session().close();
        atBob.session().close();
    }

    @Test
    void offersWithoutAValidProofOfTheSenderAreRefusedWithTheReasonAndNeverShown() throws Exception {
        Member[] m = aliceAndBob(TestService.direct());
        Member bob = m[1];
        try (SignedClient mallory = new SignedClient(service.uri(), "mallory");
                SignedClient someone = new SignedClient(service.uri(), "someone")) {
            PeerSession session = opened(Registered.transport().createSession(SessionConfig.of(List.of(), "mallory")));
            SessionDescription offer = session.createOffer().get(T, TimeUnit.SECONDS);

            mallory.signal(bob.id(), "offer", DescriptionJson.encode(SignedDescription.unsigned(offer)));
            assertTrue(reason(mallory.awaitSignal("reject")).contains("without an identity proof"));
            mallory.signal(bob.id(), "offer", DescriptionJson.encode(new SignedDescription(offer, someone.identity.prove(offer))));
            assertTrue(reason(mallory.awaitSignal("reject")).contains("signed by another identity than the sender's (man in the middle?)"));
            mallory.signal(bob.id(), "offer", "garbage");
            assertTrue(reason(mallory.awaitSignal("reject")).contains("unreadable"));
            mallory.signal(bob.id(), "ice-candidate", "{\"candidate\":7}");
            mallory.signal(bob.id(), "answer", "{}");
            mallory.signal(bob.id(), "cancel", "{}");

            // The sender is the service-verified key: an honest offer from mallory gets through.
            mallory.signal(bob.id(), "offer", DescriptionJson.encode(new SignedDescription(offer, mallory.identity.prove(offer))));
            IncomingRequest request = bob.events.nextIncoming();
            assertEquals(mallory.id(), request.from().id());
            assertEquals("mallory", request.from().name());
            assertEquals(mallory.identity.self(), request.identity().orElseThrow());
            assertNull(bob.events.incoming.poll());
            assertTrue(bob.ignoredSignals().size() >= 5, String.join("\n", bob.ignoredSignals()));
            request.reject();
            assertEquals("{}", payload(mallory.awaitSignal("reject")));
        }
    }

    @Test
    void aManInTheMiddleWhoSwapsTheAnswerIsRefused() throws Exception {
        Member[] m = aliceAndBob(TestService.relayed());
        Member alice = m[0];
        Member bob = m[1];
        DirectoryPeer listedBob = alice.awaitListed(bob);
        try (Attacker mallory = new Attacker()) {
            service.relay().signalsRewriter = mallory.swapping(Set.of("answer"));
            CompletableFuture<DirectoryConnection> connecting = alice.membership.connect(listedBob, new SessionEvents());
            DirectoryConnection atBob = bob.events.nextIncoming().accept(new SessionEvents()).get(T, TimeUnit.SECONDS);
            SignalingException e = failure(connecting);
            atBob.session().close();
            assertTrue(e.getMessage().startsWith("Refused the answer from \u201Cbob\u201D"), e.getMessage());
            assertTrue(e.getMessage().contains("man in the middle?"), e.getMessage());
            assertTrue(mallory.swapped > 0);
        }
    }

    @Test
    void aManInTheMiddleWhoSwapsTheOfferIsRefusedAndTheRequestNeverShown() throws Exception {
        Member[] m = aliceAndBob(TestService.relayed());
        Member alice = m[0];
        Member bob = m[1];
        DirectoryPeer listedBob = alice.awaitListed(bob);
        try (Attacker mallory = new Attacker()) {
            service.relay().signalsRewriter = mallory.swapping(Set.of("offer"));
            SignalingException e = failure(alice.membership.connect(listedBob, new SessionEvents()));
            assertTrue(e.getMessage().startsWith("\u201Cbob\u201D's client refused the request: your offer failed the "
                    + "identity check"), e.getMessage());
            assertTrue(e.getMessage().contains("man in the middle?"), e.getMessage());
            assertNull(bob.events.incoming.poll(), "nothing shown to bob");

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
        alice.events.awaitState(ServiceStatus.State.UNREACHABLE);
        bob.events.awaitState(ServiceStatus.State.UNREACHABLE);
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
        DirectoryPeer listedBob = alice.awaitListed(bob);
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
        assertEquals(ServiceStatus.State.CLOSED, bob.events.awaitState(ServiceStatus.State.CLOSED).state());
        Await.until(() -> listed(alice, bob.id()) == null ? Boolean.TRUE : null, "bob gone from the list");
        assertFalse(alice.membership.peers().get(T, TimeUnit.SECONDS).stream().anyMatch(p -> p.id().equals(bob.id())));
        SignalingException e = failure(bob.membership.peers());
        assertTrue(e.getMessage().startsWith("You left the directory"), e.getMessage());
    }

    @Test
    void oneMembershipOnTwoServicesWithDifferentApisListsBothAndSurvivesOneGoingDown() throws Exception {
        service = TestService.direct();
        try (TestService webAppKind = TestService.legacyOnly()) {
            Member alice = opened(Member.registered("alice", service.uri(), webAppKind.uri()));
            Member bob = opened(Member.own("bob", webAppKind.uri()));
            Member carol = opened(Member.own("carol", service.uri()));
            bob.awaitRegistered();
            carol.awaitRegistered();
            Await.until(() -> alice.membership.services().stream()
                    .allMatch(st -> st.state() == ServiceStatus.State.REGISTERED) ? Boolean.TRUE : null, "both registered");
            assertEquals(List.of("authenticated", "legacy"),
                    alice.membership.services().stream().map(ServiceStatus::api).toList());

            DirectoryPeer listedBob = alice.awaitListed(bob);
            DirectoryPeer listedCarol = alice.awaitListed(carol);
            assertEquals(webAppKind.uri(), listedBob.service());
            assertEquals(service.uri(), listedCarol.service());
            try (Connected viaLegacy = Connected.connect(alice, bob, listedBob)) {
                viaLegacy.chatBothWays();
            }

            webAppKind.stop();
            Await.until(() -> alice.membership.services().get(1).state() == ServiceStatus.State.UNREACHABLE
                    ? Boolean.TRUE : null, "the legacy service unreachable");
            List<DirectoryPeer> peers = alice.membership.peers().get(T, TimeUnit.SECONDS);
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
