package org.p2pchat.transport.webrtc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.TestData;

/** Two real WebRTC sessions in one framework, connected over the test namespace. */
class WebRtcPeerSessionTest {

    private static final long T = PeerPair.TIMEOUT_SECONDS;

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @Test
    void connectsAndChatsBothWaysOnADirectPath() throws Exception {
        try (PeerPair p = new PeerPair().connect()) {
            assertEquals(ConnectionState.CONNECTED, p.alice.state());
            ChatMessage hello = ChatMessage.create("alice", "hello bob, ünïcödé ✓\nsecond line");
            p.alice.send(hello).get(T, TimeUnit.SECONDS);
            assertEquals(hello, p.bobSaw.nextChat());
            ChatMessage reply = ChatMessage.create("bob", "hi alice");
            p.bob.send(reply).get(T, TimeUnit.SECONDS);
            assertEquals(reply, p.aliceSaw.nextChat());

            CandidatePath path = p.aliceSaw.paths.poll(T, TimeUnit.SECONDS);
            assertEquals(CandidatePath.CandidateType.HOST, path.local(), path.toString());
            assertEquals("direct", path.summary());
            assertEquals(path, p.alice.selectedPath().orElseThrow());
        }
    }

    @Test
    void eachSideAnnouncesItselfWithTheWebAppsJoinNotice() throws Exception {
        try (PeerPair p = new PeerPair().connect()) {
            ChatMessage notice = p.bobSaw.messages.poll(T, TimeUnit.SECONDS);
            assertTrue(notice.isSystemNotice(), notice.toString());
            assertEquals("alice joined the chat", notice.content());
            assertEquals("bob joined the chat", p.aliceSaw.messages.poll(T, TimeUnit.SECONDS).content());
        }
    }

    @Test
    void eachSideKnowsThePeerRunsOurClientAndNoLongerWaitsOnceTheSessionCloses() throws Exception {
        try (PeerPair p = new PeerPair().connect()) {
            assertTrue(p.alice.peerClient().get(T, TimeUnit.SECONDS).startsWith("p2pchat-"));
            assertTrue(p.bob.peerClient().get(T, TimeUnit.SECONDS).startsWith("p2pchat-"));
        }
        try (PeerPair p = new PeerPair()) {
            p.alice.createOffer().get(T, TimeUnit.SECONDS);
            CompletableFuture<String> neverIntroduced = p.alice.peerClient();
            p.alice.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> neverIntroduced.get(T, TimeUnit.SECONDS));
            assertInstanceOf(SessionException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
        }
    }

    @Test
    void messagesOfAnySizeArriveWholeAndInOrder() throws Exception {
        try (PeerPair p = new PeerPair().connect()) {
            List<Integer> sizes = List.of(10, 70_000, 262_144, 300_000, 1 << 20, 5 << 20, 20);
            List<ChatMessage> sent = sizes.stream().map(n -> ChatMessage.create("alice", text(n, n))).toList();
            CompletableFuture<?>[] futures = sent.stream().map(p.alice::send).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(futures).get(T, TimeUnit.SECONDS);
            for (ChatMessage m : sent) {
                ChatMessage got = p.bobSaw.nextChat();
                assertEquals(m.content().length(), got.content().length());
                assertEquals(m, got);
            }
            assertEquals(List.of(), p.bobSaw.problems);
            // The channel survived: a small message still goes through.
            p.alice.send(ChatMessage.create("alice", "still here")).get(T, TimeUnit.SECONDS);
            assertEquals("still here", p.bobSaw.nextChat().content());
        }
    }

    @Test
    void aMessageOverTheCapIsRefusedWithAReasonAndTheChatGoesOn() throws Exception {
        SessionConfig small = new SessionConfig(List.of(), "alice", 100_000);
        try (PeerPair p = new PeerPair(small, PeerPair.config("bob")).connect()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> p.alice.send(ChatMessage.create("alice", text(200_000, 1))).get(T, TimeUnit.SECONDS));
            assertInstanceOf(SessionException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("over the limit"), e.getCause().getMessage());
            p.alice.send(ChatMessage.create("alice", "after")).get(T, TimeUnit.SECONDS);
            assertEquals("after", p.bobSaw.nextChat().content());
        }
    }

    @Test
    void pingMeasuresARoundTripEvenRightAfterConnecting() throws Exception {
        try (PeerPair p = new PeerPair().connect()) {
            // Bob's join notice, which says bob's client answers pings, may not have arrived yet.
            long nanos = p.alice.ping().get(T, TimeUnit.SECONDS);
            assertTrue(nanos > 0 && nanos < TimeUnit.SECONDS.toNanos(T), "rtt " + nanos);
        }
    }

    @Test
    void aDataChannelCarriesManyMebibytesIntact() throws Exception {
        try (PeerPair p = new PeerPair().connect()) {
            byte[] data = new byte[48 << 20];
            new Random(7).nextBytes(data);
            PeerDataChannel out = p.alice.openDataChannel("bulk").get(T, TimeUnit.SECONDS);
            PeerDataChannel in = p.bobSaw.channels.poll(T, TimeUnit.SECONDS);
            assertEquals("bulk", in.label());
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CountDownLatch done = new CountDownLatch(1);
            in.onReceive(bytes -> {
                received.write(bytes, 0, bytes.length);
                if (received.size() >= data.length) {
                    done.countDown();
                }
            });
            out.write(data, 0, data.length);
            assertTrue(done.await(60, TimeUnit.SECONDS), "received " + received.size() + " of " + data.length);
            assertArrayEquals(sha256(data), sha256(received.toByteArray()));
            assertTrue(out.isOpen(), "sender channel must survive the burst");
        }
    }

    @Test
    void garbageOfferGetsAClearErrorAndTheSessionCanStillAnswerARealOne() throws Exception {
        try (PeerPair p = new PeerPair()) {
            for (String garbage : List.of("garbage", "", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n",
                    "v=0\r\n" + "a=ice-pwd:".repeat(3))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> p.bob.acceptOffer(new SessionDescription(SessionDescription.Type.OFFER, garbage))
                                .get(T, TimeUnit.SECONDS));
                assertInstanceOf(SessionException.class, e.getCause());
                assertTrue(e.getCause().getMessage().startsWith("The offer could not be used"), e.getCause().getMessage());
            }
            assertEquals(ConnectionState.NEW, p.bob.state());
            p.connect();
            p.alice.send(ChatMessage.create("alice", "works")).get(T, TimeUnit.SECONDS);
            assertEquals("works", p.bobSaw.nextChat().content());
        }
    }

    @Test
    void anOfferWithoutDtlsFingerprintIsRefused() throws Exception {
        try (PeerPair p = new PeerPair()) {
            SessionDescription offer = p.alice.createOffer().get(T, TimeUnit.SECONDS);
            String stripped = offer.sdp().replaceAll("a=fingerprint:[^\r\n]*\r\n", "");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> p.bob.acceptOffer(new SessionDescription(SessionDescription.Type.OFFER, stripped))
                            .get(T, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("fingerprint"), e.getCause().getMessage());
        }
    }

    @Test
    void wrongTypesAndOrderAreRefused() throws Exception {
        try (PeerPair p = new PeerPair()) {
            SessionDescription offer = p.alice.createOffer().get(T, TimeUnit.SECONDS);
            ExecutionException early = assertThrows(ExecutionException.class,
                    () -> p.bob.acceptAnswer(new SessionDescription(SessionDescription.Type.ANSWER, offer.sdp()))
                            .get(T, TimeUnit.SECONDS));
            assertTrue(early.getCause().getMessage().contains("create an offer first"), early.getCause().getMessage());
            ExecutionException swapped = assertThrows(ExecutionException.class,
                    () -> p.alice.acceptAnswer(offer).get(T, TimeUnit.SECONDS));
            assertTrue(swapped.getCause().getMessage().contains("This is an offer"), swapped.getCause().getMessage());
            ExecutionException twice = assertThrows(ExecutionException.class,
                    () -> p.alice.createOffer().get(T, TimeUnit.SECONDS));
            assertTrue(twice.getCause().getMessage().contains("already"), twice.getCause().getMessage());
        }
    }

    @Test
    void candidatesTrickledBeforeTheOfferAreKeptUntilItIsSet() throws Exception {
        try (PeerPair p = new PeerPair()) {
            SessionDescription offer = p.alice.createOffer().get(T, TimeUnit.SECONDS);
            assertTrue(!p.aliceSaw.candidates.isEmpty(), "alice gathered candidates");
            String withoutCandidates = offer.sdp().replaceAll("a=candidate:[^\r\n]*\r\n", "");
            for (IceCandidate c : p.aliceSaw.candidates) {
                p.bob.addRemoteCandidate(c); // before bob has any remote description
            }
            SessionDescription answer = p.bob.acceptOffer(
                    new SessionDescription(SessionDescription.Type.OFFER, withoutCandidates)).get(T, TimeUnit.SECONDS);
            p.alice.acceptAnswer(answer).get(T, TimeUnit.SECONDS);
            p.aliceSaw.awaitState(ConnectionState.CONNECTED);
            p.bobSaw.awaitState(ConnectionState.CONNECTED);
        }
    }

    @Test
    void aGarbageCandidateIsAnErrorNotACrash() throws Exception {
        try (PeerPair p = new PeerPair().connect()) {
            SessionException e = assertThrows(SessionException.class,
                    () -> p.bob.addRemoteCandidate(new IceCandidate("0", 0, "candidate:garbage")));
            assertTrue(e.getMessage().contains("invalid ICE candidate"), e.getMessage());
            assertEquals(ConnectionState.CONNECTED, p.bob.state());
        }
    }

    @Test
    void aMalformedIceServerUrlIsRefusedBeforeItReachesLibwebrtc() throws Exception {
        // libwebrtc takes the whole JVM down (SIGSEGV) for a URL like "stun:".
        SessionException e = assertThrows(SessionException.class,
                () -> PeerPair.transport().createSession(SessionConfig.of(List.of(IceServer.stun("stun:")), "x")));
        assertTrue(e.getMessage().contains("cannot be used"), e.getMessage());
    }

    @Test
    void closingOneSideClosesTheOther() throws Exception {
        try (PeerPair p = new PeerPair().connect()) {
            p.alice.close();
            p.aliceSaw.awaitState(ConnectionState.CLOSED);
            p.bobSaw.awaitState(ConnectionState.CLOSED);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> p.bob.send(ChatMessage.create("bob", "anyone?")).get(T, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
        }
    }

    private static String text(int length, int seed) {
        return TestData.randomText(length, seed, TestData.ANY_TEXT);
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
