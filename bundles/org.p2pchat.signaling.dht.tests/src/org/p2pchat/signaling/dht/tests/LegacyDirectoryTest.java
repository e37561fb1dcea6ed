package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
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
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
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
        ServiceStatus status = alice.membership.services().get(0);
        assertEquals("legacy", status.api());
        assertTrue(status.ourId().matches("user-\\d+-alice"), status.ourId());
        assertTrue(bob.id().matches("user-\\d+-bob"), bob.id());

        DirectoryPeer listedBob = alice.awaitListed(bob);
        assertEquals("bob", listedBob.name());
        assertFalse(listedBob.authenticated());
        assertEquals(service.uri(), listedBob.service());
        List<DirectoryPeer> seenByBob = bob.membership.peers().get(T, TimeUnit.SECONDS);
        assertTrue(seenByBob.stream().anyMatch(p -> p.id().equals(alice.id())), seenByBob.toString());
        assertTrue(seenByBob.stream().noneMatch(p -> p.id().equals(bob.id())), seenByBob.toString());
    }

    @Test
    void aConnectionIsAcceptedAndChatFlowsBothWaysWithBothIdentitiesVerified() throws Exception {
        Connected c = Connected.connect(alice, bob, alice.awaitListed(bob));

        assertEquals(bob.identity.self(), c.offerer().identity().orElseThrow());
        assertEquals(alice.identity.self(), c.answerer().identity().orElseThrow());
        assertEquals("alice", c.answerer().peer().name());
        c.chatBothWays();
        System.out.println("[dht] legacy API (1 s polling): connect() to chat channel open: "
                + TimeUnit.NANOSECONDS.toMillis(c.connectToOpenNanos()) + " ms");
        c.close();
    }

    @Test
    void aWebAppUserConnectsUnverifiedInBothDirectionsAndAnswersFromTheNewIdItsAcceptRegisters() throws Exception {
        try (WebAppPeer web = new WebAppPeer(service.uri(), "webby")) {
            // Web app to us: an unsigned offer (its candidates also sent one by one).
            web.connect(bob.id());
            IncomingRequest request = bob.events.nextIncoming();
            assertEquals(web.id(), request.from().id());
            assertEquals("webby", request.from().name());
            assertTrue(request.identity().isEmpty(), "a web app peer is unverified");
            SessionEvents bobSaw = new SessionEvents();
            DirectoryConnection atBob = request.accept(bobSaw).get(T, TimeUnit.SECONDS);
            assertTrue(atBob.identity().isEmpty());
            SignedDescription answer = DescriptionJson.decode(payload(web.awaitSignal("answer")),
                    SessionDescription.Type.ANSWER);
            assertEquals(bob.identity.self(), answer.proof().identity(), "our answer carries our proof for the web app to ignore");
            bobSaw.awaitConnected();
            web.awaitOpen();
            web.say("hi from the browser");
            assertEquals("hi from the browser", bobSaw.nextChat().content());
            atBob.session().close();

            // Us to the web app: its Accept registers again, and it answers unsigned from that new id.
            String firstId = web.id();
            DirectoryPeer listedWeb = Await.until(() -> listed(alice, firstId), "the web app user in the list");
            SessionEvents aliceSaw = new SessionEvents();
            CompletableFuture<DirectoryConnection> connecting = alice.membership.connect(listedWeb, aliceSaw);
            web.accept(web.awaitRequest());
            assertEquals(2, web.ids().size(), "accepting registered a new id: " + web.ids());
            assertTrue(web.id().matches("user-\\d+-webby") && !web.id().equals(firstId), web.ids().toString());
            DirectoryConnection atAlice = connecting.get(T, TimeUnit.SECONDS);
            assertTrue(atAlice.identity().isEmpty());
            assertEquals(web.id(), atAlice.peer().id(), "the connection is with the id that answered");
            aliceSaw.awaitConnected();
            web.awaitOpen();
            atAlice.session().send(ChatMessage.create("alice", "hi browser")).get(T, TimeUnit.SECONDS);
            assertEquals("hi browser", web.nextChat().get("content").getAsString());
            atAlice.session().close();

            // Its first registration is a stale twin now: the list shows the web app user once, as the new id.
            List<DirectoryPeer> webbies = Await.until(() -> {
                List<DirectoryPeer> l = named(alice, "webby");
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

            DirectoryPeer listedWeb = Await.until(() -> listed(alice, web.id()), "the web app user in the list");
            SessionEvents aliceSaw = new SessionEvents();
            CompletableFuture<DirectoryConnection> connecting = alice.membership.connect(listedWeb, aliceSaw);
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
            DirectoryConnection atAlice = connecting.get(T, TimeUnit.SECONDS);
            assertEquals(web.id(), atAlice.peer().id());
            aliceSaw.awaitConnected();
            web.awaitOpen();

            // A second answer from yet another new id under that name is not taken: the request has its reply.
            String late = "user-" + (System.currentTimeMillis() + 5) + "-webby";
            mallory.register(late, "webby");
            mallory.signal(late, alice.id(), "answer", new JsonPrimitive("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}"));
            Await.until(() -> alice.ignoredSignals().stream().anyMatch(l -> l.contains("(answer) from " + late))
                    ? Boolean.TRUE : null, "the late answer ignored");
            atAlice.session().send(ChatMessage.create("alice", "still you")).get(T, TimeUnit.SECONDS);
            assertEquals("still you", web.nextChat().get("content").getAsString());
            atAlice.session().close();
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
    static List<DirectoryPeer> named(Member member, String name) {
        try {
            return member.membership.peers().get(T, TimeUnit.SECONDS).stream().filter(p -> p.name().equals(name))
                    .toList();
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void aDeclinedRequestEndsInATimeoutBecauseTheWebAppsApiCannotSayNo() throws Exception {
        try (Member quick = Member.own("quick", DhtTimings.DEFAULTS.withAnswerTimeout(Duration.ofSeconds(3)), true,
                service.uri())) {
            quick.awaitRegistered();
            CompletableFuture<DirectoryConnection> connecting = quick.membership.connect(quick.awaitListed(bob),
                    new SessionEvents());
            IncomingRequest request = bob.events.nextIncoming();
            request.reject();
            SignalingException e = failure(connecting);
            assertTrue(e.getMessage().startsWith("No answer from \u201Cbob\u201D within 3 s"), e.getMessage());
            assertTrue(e.getMessage().contains("declined"), e.getMessage());
            assertEquals("This request was already declined.", failure(request.accept(new SessionEvents())).getMessage());
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
            // An offer that looks real but whose proof was made for another description.
            IdentityService someone = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-dht-someone"));
            SessionDescription real = mallory.newSession().createOffer().get(T, TimeUnit.SECONDS);
            SessionDescription changed = new SessionDescription(real.type(),
                    withAnotherFingerprint(real.sdp()));
            mallory.signal(bob.id(), "offer", DescriptionJson.encode(new SignedDescription(changed, someone.prove(real))));

            // A real request after all of that still gets through, and is the only one shown.
            Connected c = Connected.connect(alice, bob, alice.awaitListed(bob));
            c.chatBothWays();
            c.close();
            assertNull(bob.events.incoming.poll(), "no garbage was shown as a request");
            List<String> ignored = bob.ignoredSignals();
            assertTrue(ignored.size() >= offers.length + 6, String.join("\n", ignored));
            assertTrue(ignored.stream().anyMatch(r -> r.contains("unreadable")), String.join("\n", ignored));
            assertTrue(ignored.stream().anyMatch(r -> r.contains("man in the middle?")), String.join("\n", ignored));
            assertTrue(ignored.stream().anyMatch(r -> r.contains("no DTLS fingerprint")), String.join("\n", ignored));
            assertEquals(ServiceStatus.State.REGISTERED, bob.membership.services().get(0).state());
        }
    }

    @Test
    void aForgedOrGarbageAnswerIsRefusedWithAClearMessage() throws Exception {
        try (LegacyForger mallory = new LegacyForger(service.uri(), "mallory")) {
            DirectoryPeer listed = Await.until(() -> listed(alice, mallory.id), "mallory in the list");

            CompletableFuture<DirectoryConnection> first = alice.membership.connect(listed, new SessionEvents());
            mallory.awaitSignal("offer");
            mallory.signal(alice.id(), "answer", "{\"type\":\"answer\"");
            SignalingException garbage = failure(first);
            assertTrue(garbage.getMessage().startsWith("The answer from \u201Cmallory\u201D cannot be used"),
                    garbage.getMessage());

            // A real answer, signed, then changed on the way: its fingerprint no longer matches the proof.
            IdentityService malloryKey = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-dht-mallory"));
            CompletableFuture<DirectoryConnection> second = alice.membership.connect(listed, new SessionEvents());
            SessionDescription offer = DescriptionJson.decode(payload(mallory.awaitSignal("offer")),
                    SessionDescription.Type.OFFER).description();
            SessionDescription answer = mallory.newSession().acceptOffer(offer).get(T, TimeUnit.SECONDS);
            SessionDescription swapped = new SessionDescription(answer.type(),
                    withAnotherFingerprint(answer.sdp()));
            mallory.signal(alice.id(), "answer",
                    DescriptionJson.encode(new SignedDescription(swapped, malloryKey.prove(answer))));
            SignalingException forged = failure(second);
            assertTrue(forged.getMessage().contains("man in the middle?"), forged.getMessage());
        }
    }

    @Test
    void bothRegisterAgainByThemselvesAfterTheServiceRestarts() throws Exception {
        String aliceId = alice.id();
        service.stop();
        ServiceStatus down = alice.events.awaitState(ServiceStatus.State.UNREACHABLE);
        assertTrue(down.detail().startsWith("Cannot reach " + service.uri()), down.detail());
        assertTrue(down.detail().contains("Retrying by itself"), down.detail());
        bob.events.awaitState(ServiceStatus.State.UNREACHABLE);

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
            ServiceStatus status = carol.events.awaitState(ServiceStatus.State.UNREACHABLE);
            assertTrue(status.detail().contains("connection refused"), status.detail());
            SignalingException e = failure(carol.membership.peers());
            assertTrue(e.getMessage().startsWith("No rendezvous service answered"), e.getMessage());
            SignalingException notRegistered = failure(carol.membership.connect(
                    new DirectoryPeer("user-1-dave", "dave", service.uri(), false, null), new SessionEvents()));
            assertTrue(notRegistered.getMessage().startsWith("Not registered with"), notRegistered.getMessage());
        }
    }

    static DirectoryPeer listed(Member member, String id) {
        try {
            return member.membership.peers().get(T, TimeUnit.SECONDS).stream().filter(p -> p.id().equals(id))
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
