package org.p2pchat.files.bt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.files.TransferStatus.State;
import org.p2pchat.files.bt.internal.Control;
import org.p2pchat.files.bt.internal.ControlSession;
import org.p2pchat.files.bt.internal.Transfer;
import org.p2pchat.files.bt.internal.TransferProtocol;

/**
 * The transfer protocol's state machine driven directly, without WebRTC, Bt or threads: two
 * {@link TransferProtocol}s (Alice sends, Bob receives) whose sessions hand each message, as the
 * JSON that goes on the wire, to the other side; and a hostile peer that sends what it likes.
 * What the protocol makes happen outside itself is recorded, not done (no bytes move).
 */
class TransferProtocolTest {

    private static final String ALICE_KEY = "QUxJQ0UtS0VZLUFMSUNFLUtFWS1BTElDRS1LRVktQUxJQw==";
    private static final String BOB_KEY = "Qk9CLUtFWS1CT0ItS0VZLUJPQi1LRVktQk9CLUtFWS1CT0I=";

    @TempDir
    Path dir;

    /** Messages on their way, delivered by {@link #deliver()} in the order they were sent. */
    private final Queue<Runnable> wire = new ArrayDeque<>();
    private Side alice;
    private Side bob;
    private Session aliceToBob;
    private Session bobToAlice;

    /** What one side's protocol did outside itself. */
    static final class Side implements TransferProtocol.Effects {
        final TransferProtocol protocol;
        final List<String> effects = Collections.synchronizedList(new ArrayList<>());

        Side(String selfKey) {
            protocol = new TransferProtocol(this, () -> selfKey);
        }

        @Override
        public void start(Transfer t) {
            effects.add("start " + t.id());
        }

        @Override
        public void stop(Transfer t) {
            effects.add("stop " + t.id());
        }

        @Override
        public void changed(Transfer t) {
            effects.add("changed " + t.id() + " " + t.state());
        }

        @Override
        public void directAsk(ControlSession session, Transfer t, Control.Message ask) {
            effects.add("direct-ask " + t.id());
        }

        @Override
        public String ourName(ControlSession session) {
            return "me";
        }

        State state(String id) {
            return protocol.status(id).state();
        }
    }

    /** One side's view of a session: what it sends goes on the wire to {@code peer}, or only into {@link #sent}. */
    final class Session extends ControlSession {
        final List<Control.Message> sent = new ArrayList<>();
        Side peer;
        Session back;
        boolean connected = true;

        @Override
        public void send(Control.Message message) throws IOException {
            if (!connected) {
                throw new IOException("the connection is closed");
            }
            sent.add(message);
            if (peer != null) {
                Control.Message onTheWire = Control.decode(Control.toJson(message));
                wire.add(() -> peer.protocol.received(back, onTheWire));
            }
        }

        @Override
        public boolean isConnected() {
            return connected && !isClosed();
        }

        @Override
        public String displayName() {
            return null;
        }

        List<String> sentTypes() {
            return sent.stream().map(m -> m.t).toList();
        }
    }

    @BeforeEach
    void connect() {
        alice = new Side(ALICE_KEY);
        bob = new Side(BOB_KEY);
        connectAgain();
    }

    /** A new session between Alice and Bob, both verified. */
    private void connectAgain() {
        aliceToBob = new Session();
        bobToAlice = new Session();
        aliceToBob.peer = bob;
        aliceToBob.back = bobToAlice;
        bobToAlice.peer = alice;
        bobToAlice.back = aliceToBob;
        alice.protocol.identified(aliceToBob, BOB_KEY);
        bob.protocol.identified(bobToAlice, ALICE_KEY);
    }

    private void deliver() {
        for (int n = 0; !wire.isEmpty(); n++) {
            assertTrue(n < 1000, "the two sides never stop talking");
            wire.remove().run();
        }
    }

    /** Alice offers a file to Bob; the offer arrived. */
    private String offer() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "");
        Transfer t = Transfer.offering(List.of(file), List.of());
        assertTrue(alice.protocol.offer(aliceToBob, t));
        deliver();
        return t.id();
    }

    private String accepted() throws IOException {
        String id = offer();
        bob.protocol.accept(id, dir.resolve("in"));
        deliver();
        return id;
    }

    /** Bob's session gets {@code json} from a peer that sends what it likes; what Bob sends back is returned. */
    private List<Control.Message> fromPeer(Side side, Session session, String json) throws IOException {
        int before = session.sent.size();
        side.protocol.received(session, Control.decode(json));
        deliver();
        return List.copyOf(session.sent.subList(before, session.sent.size()));
    }

    // ---- the transitions ------------------------------------------------------------------------

    @Test
    void anOfferWaitsUntilTheReceiverAccepts() throws IOException {
        String id = offer();
        assertEquals(State.WAITING_FOR_PEER, alice.state(id));
        assertEquals(State.OFFERED, bob.state(id));
        assertEquals(List.of("hello", "offer"), aliceToBob.sentTypes());
        assertEquals(List.of("hello", "offered"), bobToAlice.sentTypes());
        assertEquals("me", bob.protocol.status(id).peerName());

        bob.protocol.accept(id, dir.resolve("in"));
        deliver();
        assertEquals(State.RUNNING, bob.state(id));
        assertEquals(State.RUNNING, alice.state(id));
        assertTrue(bob.effects.contains("start " + id), bob.effects.toString());
        assertTrue(alice.effects.contains("start " + id), alice.effects.toString());
        assertTrue(Files.exists(dir.resolve("in/notes.txt.part")), "the name is claimed in the chosen folder");
        assertThrows(IllegalStateException.class, () -> bob.protocol.accept(id, dir), "accepted twice");
    }

    @Test
    void aDeclineEndsTheTransferOnBothSides() throws IOException {
        String id = offer();
        bob.protocol.decline(id);
        deliver();
        assertEquals(State.DECLINED, bob.state(id));
        assertEquals(State.DECLINED, alice.state(id));
        assertFalse(bob.effects.contains("start " + id));
        assertFalse(alice.effects.contains("start " + id));
    }

    @Test
    void pauseAndResumeGoToBothSidesAndCancelEndsThem() throws IOException {
        String id = accepted();
        alice.protocol.pause(id);
        deliver();
        assertEquals(State.PAUSED, alice.state(id));
        assertEquals(State.PAUSED, bob.state(id));
        assertTrue(bob.effects.contains("stop " + id), "Bob's download stopped");

        bob.effects.clear();
        bob.protocol.resume(id);
        deliver();
        assertEquals(State.RUNNING, alice.state(id));
        assertEquals(State.RUNNING, bob.state(id));
        assertTrue(bob.effects.contains("start " + id));

        bob.protocol.cancel(id);
        deliver();
        assertEquals(State.CANCELLED, bob.state(id));
        assertEquals(State.CANCELLED, alice.state(id));
        assertFalse(Files.exists(dir.resolve("in/notes.txt.part")), "the unfinished download is removed");
    }

    @Test
    void aLostSessionInterruptsAndTheProofsOfTheNextOneResume() throws IOException {
        String id = accepted();
        aliceToBob.connected = false;
        bobToAlice.connected = false;
        alice.protocol.sessionClosed(aliceToBob);
        bob.protocol.sessionClosed(bobToAlice);
        assertEquals(State.INTERRUPTED, alice.state(id));
        assertEquals(State.INTERRUPTED, bob.state(id));
        assertTrue(bob.protocol.waitsForPeer());

        connectAgain();
        alice.protocol.sendHello(aliceToBob);
        bob.protocol.sendHello(bobToAlice);
        deliver();
        assertTrue(bobToAlice.sentTypes().contains("attach"), bobToAlice.sentTypes().toString());
        assertTrue(aliceToBob.sentTypes().contains("attached"), aliceToBob.sentTypes().toString());
        assertEquals(State.RUNNING, alice.state(id));
        assertEquals(State.RUNNING, bob.state(id));
    }

    // ---- a hostile or confused peer ---------------------------------------------------------------

    @Test
    void anAcceptOfAnUnknownIdIsIgnoredWithoutAWord() throws IOException {
        String id = offer();
        List<String> effectsBefore = List.copyOf(alice.effects);
        List<Control.Message> answer = fromPeer(alice, aliceToBob, "{\"t\":\"accept\",\"id\":\"no-such-transfer\"}");
        assertEquals(List.of(), answer, "ids of other transfers are not confirmed");
        assertEquals(effectsBefore, alice.effects);
        assertNull(alice.protocol.status("no-such-transfer"));
        assertEquals(State.WAITING_FOR_PEER, alice.state(id));
    }

    @Test
    void aResumeOfACancelledTransferChangesNothing() throws IOException {
        String id = accepted();
        alice.protocol.cancel(id);
        deliver();
        assertEquals(State.CANCELLED, bob.state(id));
        bob.effects.clear();
        List<Control.Message> answer = fromPeer(bob, bobToAlice, "{\"t\":\"resume\",\"id\":\"" + id + "\"}");
        answer = new ArrayList<>(answer);
        answer.addAll(fromPeer(bob, bobToAlice, "{\"t\":\"accept\",\"id\":\"" + id + "\"}"));
        answer.addAll(fromPeer(bob, bobToAlice, "{\"t\":\"pause\",\"id\":\"" + id + "\"}"));
        assertEquals(List.of(), answer);
        assertEquals(List.of(), bob.effects);
        assertEquals(State.CANCELLED, bob.state(id));
    }

    @Test
    void aSecondOfferWithTheSameIdIsIgnored() throws IOException {
        String id = offer();
        String again = "{\"t\":\"offer\",\"id\":\"" + id + "\",\"token\":\"dG9rZW4=\",\"name\":\"mallory\","
                + "\"files\":[{\"name\":\"other.exe\",\"size\":0}]}";
        List<Control.Message> answer = fromPeer(bob, bobToAlice, again);
        assertEquals(List.of(), answer);
        assertEquals("notes.txt", bob.protocol.status(id).name());
        assertEquals(State.OFFERED, bob.state(id));
        assertEquals(1, bob.protocol.transfers().size());
    }

    @Test
    void aBadOfferIsRefusedWithAReasonAndMakesNoTransfer() throws IOException {
        String tooMany = "{\"name\":\"f\",\"size\":0}," .repeat(1001);
        String[] offers = {
                "{\"t\":\"offer\",\"id\":\"a\",\"token\":\"dA==\"}",
                "{\"t\":\"offer\",\"id\":\"b\",\"token\":\"dA==\",\"files\":[" + tooMany.substring(0, tooMany.length() - 1) + "]}",
                "{\"t\":\"offer\",\"id\":\"c\",\"token\":\"dA==\",\"files\":[{\"name\":\"x\",\"size\":-1}]}",
                "{\"t\":\"offer\",\"id\":\"d\",\"token\":\"dA==\",\"files\":[{\"name\":\"x\",\"size\":5,\"torrent\":\"bm90IGEgdG9ycmVudA==\"}]}",
                "{\"t\":\"offer\",\"id\":\"e\",\"files\":[{\"name\":\"x\",\"size\":0}]}",
        };
        for (String offer : offers) {
            List<Control.Message> answer = fromPeer(bob, bobToAlice, offer);
            assertEquals(1, answer.size(), offer);
            assertEquals("failed", answer.get(0).t);
            assertTrue(answer.get(0).problem.startsWith("Your offer was refused: "), answer.get(0).problem);
        }
        assertEquals(0, bob.protocol.transfers().size());
        assertEquals(List.of(), bob.effects);
    }

    @Test
    void onlyTheSessionOfATransferMaySteerIt() throws IOException {
        String id = accepted();
        Session mallory = new Session();
        alice.protocol.identified(mallory, "TUFMTE9SWS1LRVktTUFMTE9SWS1LRVktTUFMTE9SWS1L");
        for (String type : List.of("cancel", "pause", "receipt", "failed", "decline")) {
            List<Control.Message> answer = fromPeer(alice, mallory, "{\"t\":\"" + type + "\",\"id\":\"" + id + "\"}");
            assertEquals(List.of(), answer, type);
        }
        List<Control.Message> attach = fromPeer(alice, mallory,
                "{\"t\":\"attach\",\"id\":\"" + id + "\",\"proof\":\"AAAA\",\"state\":\"RUNNING\"}");
        assertEquals(List.of(), attach, "a proof from another peer gets no answer");
        assertEquals(State.RUNNING, alice.state(id));
    }

    @Test
    void outOfRangeValuesChangeNothing() throws IOException {
        String id = accepted();
        alice.effects.clear();
        fromPeer(alice, aliceToBob, "{\"t\":\"next\",\"id\":\"" + id + "\",\"index\":7}");
        fromPeer(alice, aliceToBob, "{\"t\":\"next\",\"id\":\"" + id + "\",\"index\":-1}");
        fromPeer(alice, aliceToBob, "{\"t\":\"attached\",\"id\":\"" + id + "\",\"state\":\"DONE\"}");
        fromPeer(alice, aliceToBob, "{\"t\":\"some-future-message\",\"id\":\"" + id + "\"}");
        fromPeer(alice, aliceToBob, "{\"t\":\"hello\",\"v\":1,\"nonce\":\"short\"}");
        assertEquals(List.of(), alice.effects);
        assertEquals(State.RUNNING, alice.state(id));
        fromPeer(alice, aliceToBob, "{\"t\":\"failed\",\"id\":\"" + id + "\",\"problem\":\"disk\\u0007 full\\u202E"
                + "x".repeat(1000) + "\"}");
        assertEquals(State.FAILED, alice.state(id));
        String problem = alice.protocol.status(id).problem();
        assertTrue(problem.startsWith("disk full") && problem.length() <= 303, problem);
    }

    @Test
    void malformedOrHugeControlMessagesAreRefusedByTheReader() {
        List<Control.Message> read = new ArrayList<>();
        assertThrows(IOException.class, () -> new Control.Reader(read::add).accept(frame("{\"t\":")));
        assertThrows(IOException.class, () -> new Control.Reader(read::add).accept(frame("{\"id\":\"x\"}")),
                "no type");
        assertThrows(IOException.class, () -> new Control.Reader(read::add).accept(frame("[1,2]")));
        int huge = Control.MAX_MESSAGE_BYTES + 1;
        byte[] header = { (byte) (huge >>> 24), (byte) (huge >>> 16), (byte) (huge >>> 8), (byte) huge };
        assertThrows(IOException.class, () -> new Control.Reader(read::add).accept(header), "a length over the limit");
        assertThrows(IOException.class, () -> new Control.Reader(read::add).accept(new byte[] { 0, 0, 0, 0 }));
        assertEquals(List.of(), read);
    }

    @Test
    void theReaderPutsMessagesTogetherFromAnyPieces() throws IOException {
        List<Control.Message> read = new ArrayList<>();
        Control.Reader reader = new Control.Reader(read::add);
        Control.Message m = new Control.Message("pause").id("x");
        byte[] two = new byte[2 * Control.encode(m).length];
        System.arraycopy(Control.encode(m), 0, two, 0, two.length / 2);
        System.arraycopy(Control.encode(m), 0, two, two.length / 2, two.length / 2);
        for (byte b : two) {
            reader.accept(new byte[] { b });
        }
        assertEquals(2, read.size());
        assertEquals("pause", read.get(1).t);
        assertEquals("x", read.get(1).id);
    }

    private static byte[] frame(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[4 + body.length];
        out[0] = (byte) (body.length >>> 24);
        out[1] = (byte) (body.length >>> 16);
        out[2] = (byte) (body.length >>> 8);
        out[3] = (byte) body.length;
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }
}
