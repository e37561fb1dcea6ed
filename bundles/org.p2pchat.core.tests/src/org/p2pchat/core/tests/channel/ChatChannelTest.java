package org.p2pchat.core.tests.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.channel.ChatChannel;
import org.p2pchat.core.wire.ChatCodec;
import org.p2pchat.core.wire.FrameAssembler;
import org.p2pchat.core.wire.MessageFraming;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The chat protocol over an in-memory channel pair: between two of our chat channels, and between
 * ours and a peer driven byte by byte (the web app, our client as seen on the wire, a hostile peer).
 */
class ChatChannelTest {

    private static final long T = RawPeer.WAIT_SECONDS;

    private final InMemoryChannelPair pair = new InMemoryChannelPair("chat");
    private final ChatEvents aliceSaw = new ChatEvents();
    private ChatChannel alice;

    @AfterEach
    void closeAll() {
        if (alice != null) {
            alice.close();
        }
        pair.close();
    }

    /** Alice's chat channel on end a, and end b read and written raw. */
    private RawPeer aliceAndARawPeer(long maxMessageBytes) throws InterruptedException {
        alice = new ChatChannel(pair.a, "alice", maxMessageBytes, aliceSaw);
        RawPeer raw = new RawPeer(pair.b);
        pair.open();
        assertTrue(aliceSaw.opened.await(T, TimeUnit.SECONDS), "alice's channel opened");
        return raw;
    }

    private RawPeer aliceAndARawPeer() throws InterruptedException {
        return aliceAndARawPeer(SessionConfig.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** The web app's join notice: its exact fields, no client. */
    private static String webAppJoinNotice(String name) {
        return "{\"id\":\"1733500000000\",\"content\":\"" + name + " joined the chat\",\"sender\":\"system\",\"timestamp\":1733500000000}";
    }

    private static String ourJoinNotice(String name) {
        return ChatCodec.encode(ChatMessage.joinNotice(name), "p2pchat-test/9");
    }

    @Test
    void twoOfOurChannelsAnnounceThemselvesAndChatBothWays() throws Exception {
        ChatEvents bobSaw = new ChatEvents();
        alice = new ChatChannel(pair.a, "alice", SessionConfig.DEFAULT_MAX_MESSAGE_BYTES, aliceSaw);
        try (ChatChannel bob = new ChatChannel(pair.b, "bob", SessionConfig.DEFAULT_MAX_MESSAGE_BYTES, bobSaw)) {
            CompletableFuture<Void> early = alice.send(ChatMessage.create("alice", "too early"));
            ExecutionException e = assertThrows(ExecutionException.class, () -> early.get(T, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("not connected yet"), e.getCause().getMessage());

            pair.open();
            ChatMessage bobHeard = bobSaw.nextMessage();
            assertTrue(bobHeard.isSystemNotice());
            assertEquals("alice joined the chat", bobHeard.content());
            assertEquals("bob joined the chat", aliceSaw.nextMessage().content());
            assertEquals(ChatChannel.CLIENT_NAME, alice.peerClient().get(T, TimeUnit.SECONDS));
            assertEquals(ChatChannel.CLIENT_NAME, bob.peerClient().get(T, TimeUnit.SECONDS));

            ChatMessage hello = ChatMessage.create("alice", "hello bob, ünïcödé ✓\nsecond line");
            alice.send(hello).get(T, TimeUnit.SECONDS);
            assertEquals(hello, bobSaw.nextMessage());
            ChatMessage reply = ChatMessage.create("bob", "hi alice");
            bob.send(reply).get(T, TimeUnit.SECONDS);
            assertEquals(reply, aliceSaw.nextMessage());
            assertNull(aliceSaw.problems.peek());
            assertNull(bobSaw.problems.peek());
        }
    }

    @Test
    void sequencedMessagesAndAcknowledgementsTravelAfterTheJoinNotice() throws Exception {
        RawPeer peer = aliceAndARawPeer();
        alice.acknowledge(0); // what alice has when the channel opens: queued behind her join notice
        assertTrue(peer.nextText().contains("joined the chat"));
        assertEquals("{\"type\":\"ack\",\"seq\":0}", peer.nextText());

        peer.sendText(ourJoinNotice("bob"));
        peer.sendText("{\"type\":\"ack\",\"seq\":0}");
        assertEquals(0, aliceSaw.nextAck());
        ChatMessage m = new ChatMessage("m-1", "one", "alice", 1733500000123L, 1);
        alice.send(m).get(T, TimeUnit.SECONDS);
        assertEquals("{\"id\":\"m-1\",\"content\":\"one\",\"sender\":\"alice\",\"timestamp\":1733500000123,\"seq\":1}",
                peer.nextText());
        peer.sendText("{\"type\":\"ack\",\"seq\":1}");
        assertEquals(1, aliceSaw.nextAck());

        peer.sendText("{\"id\":\"b-1\",\"content\":\"hi\",\"sender\":\"bob\",\"timestamp\":5,\"seq\":1}");
        aliceSaw.nextMessage(); // bob's join notice
        assertEquals(1, aliceSaw.nextMessage().seq());
        peer.sendText("{\"type\":\"ack\",\"seq\":-3}");
        assertTrue(aliceSaw.nextProblem().contains("valid 'seq'"), "a bad acknowledgement is reported, not fatal");
        assertTrue(alice.isOpen());
    }

    @Test
    void ourJoinNoticeIsTheWebAppsWithOurClientAddedAndItsMessagesAreItsFormat() throws Exception {
        RawPeer web = aliceAndARawPeer();
        JsonObject notice = JsonParser.parseString(web.nextText()).getAsJsonObject();
        assertEquals(List.of("id", "content", "sender", "timestamp", "client"), List.copyOf(notice.keySet()));
        assertEquals("alice joined the chat", notice.get("content").getAsString());
        assertEquals("system", notice.get("sender").getAsString());
        assertTrue(notice.get("timestamp").getAsJsonPrimitive().isNumber());
        assertEquals(ChatChannel.CLIENT_NAME, notice.get("client").getAsString());

        ChatMessage m = new ChatMessage("m-1", "hi \"web\"", "alice", 1733500000123L);
        alice.send(m).get(T, TimeUnit.SECONDS);
        assertEquals("{\"id\":\"m-1\",\"content\":\"hi \\\"web\\\"\",\"sender\":\"alice\",\"timestamp\":1733500000123}",
                web.nextText());
    }

    @Test
    void aPeerWhoseJoinNoticeNamesNoClientIsTheWebApp() throws Exception {
        RawPeer web = aliceAndARawPeer();
        web.nextText(); // alice's join notice
        web.sendText(webAppJoinNotice("carol"));
        ChatMessage notice = aliceSaw.nextMessage();
        assertTrue(notice.isSystemNotice());
        assertEquals("carol joined the chat", notice.content());
        assertEquals("", alice.peerClient().get(T, TimeUnit.SECONDS));

        // The web app answers no pings: none is sent, and the caller hears why.
        ExecutionException e = assertThrows(ExecutionException.class, () -> alice.ping().get(T, TimeUnit.SECONDS));
        assertInstanceOf(SessionException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("does not answer pings"), e.getCause().getMessage());
        web.sendText(webAppJoinNotice("carol")); // something after the ping would have been
        aliceSaw.nextMessage();
        assertNull(web.received.poll(), "nothing went to the web app");
    }

    @Test
    void aPeerWhoseJoinNoticeNamesOurClientIsOurs() throws Exception {
        RawPeer ours = aliceAndARawPeer();
        ours.nextText();
        ours.sendText(ourJoinNotice("dave"));
        assertEquals("dave joined the chat", aliceSaw.nextMessage().content());
        assertEquals("p2pchat-test/9", alice.peerClient().get(T, TimeUnit.SECONDS));
    }

    @Test
    void pingsAreAnsweredByTheChannelItselfAndMeasureARoundTrip() throws Exception {
        RawPeer ours = aliceAndARawPeer();
        ours.nextText();

        ours.sendText("{\"type\":\"ping\",\"id\":\"p-1\"}");
        JsonObject pong = JsonParser.parseString(ours.nextText()).getAsJsonObject();
        assertEquals("pong", pong.get("type").getAsString());
        assertEquals("p-1", pong.get("id").getAsString());

        // Asked right after connecting, before the peer introduced itself: the ping waits for the notice.
        CompletableFuture<Long> rtt = alice.ping();
        ours.sendText(ourJoinNotice("dave"));
        JsonObject ping = JsonParser.parseString(ours.nextText()).getAsJsonObject();
        assertEquals("ping", ping.get("type").getAsString());
        assertFalse(rtt.isDone(), "no pong yet");
        ours.sendText("{\"type\":\"pong\",\"id\":\"someone else's\"}");
        ours.sendText("{\"type\":\"pong\",\"id\":\"" + ping.get("id").getAsString() + "\"}");
        long nanos = rtt.get(T, TimeUnit.SECONDS);
        assertTrue(nanos > 0, "rtt " + nanos);
        assertNull(aliceSaw.problems.peek(), "pongs are not chat: " + aliceSaw.problems);
    }

    @Test
    void largeMessagesGoAsFramesToOurClientAndArriveWhole() throws Exception {
        RawPeer ours = aliceAndARawPeer();
        ours.nextText();
        ours.sendText(ourJoinNotice("dave"));
        alice.peerClient().get(T, TimeUnit.SECONDS);

        ChatMessage small = ChatMessage.create("alice", "x".repeat(ChatChannel.PLAIN_TEXT_LIMIT - 200));
        alice.send(small).get(T, TimeUnit.SECONDS);
        assertEquals(ChatCodec.encode(small), ours.nextText(), "up to the plain limit: one text message");

        ChatMessage large = ChatMessage.create("alice", "y".repeat(1 << 20));
        alice.send(large).get(T, TimeUnit.SECONDS);
        FrameAssembler assembler = new FrameAssembler(SessionConfig.DEFAULT_MAX_MESSAGE_BYTES);
        FrameAssembler.Assembled whole = null;
        int frames = 0;
        while (whole == null) {
            RawPeer.Message frame = ours.next();
            assertTrue(frame.binary(), "a frame is binary");
            assertTrue(frame.data().length <= MessageFraming.MAX_FRAME_BYTES, frame.data().length + " bytes");
            frames++;
            whole = assembler.accept(frame.data());
        }
        assertTrue(whole.isJson());
        assertTrue(frames >= 16, frames + " frames");
        assertEquals(ChatCodec.encode(large), new String(whole.payload(), StandardCharsets.UTF_8));

        // And what our client frames comes back whole.
        String json = ChatCodec.encode(ChatMessage.create("dave", "z".repeat(700_000)));
        for (var it = MessageFraming.frames(json.getBytes(StandardCharsets.UTF_8), MessageFraming.FLAG_JSON,
                MessageFraming.MAX_FRAME_BYTES); it.hasNext();) {
            ours.sendBinary(it.next());
        }
        ChatMessage got = aliceSaw.nextMessage(); // dave's join notice
        got = aliceSaw.nextMessage();
        assertEquals(700_000, got.content().length());
    }

    @Test
    void theWebAppGetsPlainTextUpToItsLimitAndALargerMessageIsRefusedWithAReason() throws Exception {
        RawPeer web = aliceAndARawPeer();
        web.nextText();
        web.sendText(webAppJoinNotice("carol"));
        assertEquals("", alice.peerClient().get(T, TimeUnit.SECONDS));

        ChatMessage fits = ChatMessage.create("alice", "f".repeat(200_000));
        alice.send(fits).get(T, TimeUnit.SECONDS);
        assertEquals(ChatCodec.encode(fits), web.nextText(), "one text message, as the web app reads them");

        ChatMessage tooLarge = ChatMessage.create("alice", "g".repeat(300_000));
        ExecutionException e = assertThrows(ExecutionException.class, () -> alice.send(tooLarge).get(T, TimeUnit.SECONDS));
        assertInstanceOf(SessionException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("web app") && e.getCause().getMessage().contains("256 KiB"),
                e.getCause().getMessage());

        alice.send(ChatMessage.create("alice", "after")).get(T, TimeUnit.SECONDS);
        assertTrue(web.nextText().contains("\"after\""), "the chat goes on");
    }

    @Test
    void aMessageOverTheCapIsRefusedEitherWay() throws Exception {
        RawPeer ours = aliceAndARawPeer(100_000);
        ours.nextText();
        ours.sendText(ourJoinNotice("dave"));
        alice.peerClient().get(T, TimeUnit.SECONDS);

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> alice.send(ChatMessage.create("alice", "h".repeat(200_000))).get(T, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("over the limit"), e.getCause().getMessage());

        // A first frame announcing more than the cap: dropped before anything is buffered.
        ByteBuffer first = ByteBuffer.allocate(2 + 8 + 10).put(MessageFraming.MAGIC)
                .put((byte) (MessageFraming.FLAG_FIRST | MessageFraming.FLAG_JSON)).putLong(200_000);
        ours.sendBinary(first.array());
        assertTrue(aliceSaw.nextProblem().contains("over the limit"));
    }

    @Test
    void hostileInputIsReportedAndDroppedAndTheChatGoesOn() throws Exception {
        RawPeer hostile = aliceAndARawPeer();
        hostile.nextText();
        hostile.sendText(ourJoinNotice("mallory"));
        aliceSaw.nextMessage();

        hostile.sendBinary(new byte[] { 1, 2, 3, 4 });
        assertTrue(aliceSaw.nextProblem().contains("not a chat frame"));
        ByteBuffer huge = ByteBuffer.allocate(2 + 8 + 4).put(MessageFraming.MAGIC)
                .put((byte) (MessageFraming.FLAG_FIRST | MessageFraming.FLAG_JSON)).putLong(Long.MAX_VALUE);
        hostile.sendBinary(huge.array());
        assertTrue(aliceSaw.nextProblem().contains("over the limit"));
        hostile.sendBinary(new byte[] { MessageFraming.MAGIC, (byte) MessageFraming.FLAG_LAST, 'x' });
        assertTrue(aliceSaw.nextProblem().contains("without a first frame"));
        byte[] notJson = "not json at all".getBytes(StandardCharsets.UTF_8);
        hostile.sendBinary(MessageFraming.frames(notJson, MessageFraming.FLAG_JSON, MessageFraming.MAX_FRAME_BYTES).next());
        assertTrue(aliceSaw.nextProblem().contains("not JSON"));
        hostile.sendText("[".repeat(100_000));
        assertTrue(aliceSaw.nextProblem().contains("Ignored a message"));
        hostile.sendText("{\"type\":\"webtorrent-file\",\"fileName\":\"a.txt\"}");
        assertEquals("webtorrent-file", ChatEvents.next(aliceSaw.unknown, "unknown message"));
        hostile.sendText("{\"content\":\"\\u202Esystem\",\"sender\":\"\\u200B\"}");
        assertEquals("anonymous", aliceSaw.nextMessage().sender(), "an invisible name is shown as anonymous");

        hostile.sendText(ChatCodec.encode(ChatMessage.create("mallory", "still talking")));
        assertEquals("still talking", aliceSaw.nextMessage().content());
        assertTrue(alice.isOpen());
    }

    @Test
    void whenThePeerHangsUpEverythingWaitingFailsAndTheListenerHears() throws Exception {
        RawPeer web = aliceAndARawPeer();
        web.nextText();
        CompletableFuture<String> client = alice.peerClient();
        CompletableFuture<Long> ping = alice.ping();

        pair.b.close();
        assertTrue(aliceSaw.closed.await(T, TimeUnit.SECONDS), "alice heard the hang-up");
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.get(T, TimeUnit.SECONDS));
        assertInstanceOf(SessionException.class, e.getCause());
        ExecutionException p = assertThrows(ExecutionException.class, () -> ping.get(T, TimeUnit.SECONDS));
        assertInstanceOf(SessionException.class, p.getCause());
        ExecutionException s = assertThrows(ExecutionException.class,
                () -> alice.send(ChatMessage.create("alice", "anyone?")).get(T, TimeUnit.SECONDS));
        assertTrue(s.getCause().getMessage().contains("closed"), s.getCause().getMessage());
        assertFalse(alice.isOpen());
    }

    @Test
    void closingOurSideHangsUpThePeer() throws Exception {
        RawPeer web = aliceAndARawPeer();
        web.nextText();
        alice.close();
        assertTrue(web.closed.await(T, TimeUnit.SECONDS), "the peer heard the hang-up");
        assertEquals(1, aliceSaw.closed.getCount(), "closing is not reported back to who closed");
    }
}
