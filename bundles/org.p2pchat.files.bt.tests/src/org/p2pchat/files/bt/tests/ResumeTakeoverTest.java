package org.p2pchat.files.bt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.State;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.files.bt.internal.BtFileTransferService;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Three real peers: Alice sends Bob a file, their connection drops, and Mallory, who chats with
 * both, tries to take the paused transfer over by relaying resume proofs between them. Nothing
 * may reach her, and the real resume between Alice and Bob still works afterwards.
 */
class ResumeTakeoverTest {

    private static final long MIB = 1 << 20;
    private static final String CONTROL = "p2pchat-files";

    @TempDir
    Path temp;

    private FileTransferService alice;
    private IdentityService bobIdentity;
    private BtFileTransferService bob;
    private FilePeers peers;

    @BeforeAll
    static void isolated() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        SettingsStore settings = FilePeers.service(SettingsStore.class);
        settings.save(settings.get().withUsername("alice"));
    }

    @BeforeEach
    void connect() throws Exception {
        alice = FilePeers.service(FileTransferService.class);
        bobIdentity = FilePeers.identity(temp.resolve("bob-profile"));
        bob = new BtFileTransferService(temp.resolve("bob-profile"), "bob", bobIdentity);
        peers = new FilePeers(alice, bob, bobIdentity.self());
    }

    @AfterEach
    void disconnect() {
        if (peers != null) {
            peers.close();
        }
        bob.close();
    }

    @Test
    void aThirdPeerCannotRelayResumeProofsAndTheRealResumeStillWorks() throws Exception {
        long size = 128 * MIB;
        Path file = Files.createDirectories(temp.resolve("outbox")).resolve("secret.bin");
        String sha = FilePeers.randomFile(file, size, 31);
        Path inbox = temp.resolve("inbox");
        String id = peers.offerToBob(file);
        bob.accept(id, inbox);
        peers.bobSaw.await(id, s -> s.doneBytes() >= size / 10, "10% done");

        // The connection between Alice and Bob drops: the transfer waits for Bob on both sides.
        peers.aliceSession.close();
        peers.bobSession.close();
        peers.aliceSaw.awaitState(id, State.INTERRUPTED);
        peers.bobSaw.awaitState(id, State.INTERRUPTED);
        peers.close();

        // Mallory is verified with her own key by both, as after any directory exchange.
        IdentityService malloryIdentity = FilePeers.identity(temp.resolve("mallory-profile"));
        try (Mallory toAlice = new Mallory(alice, malloryIdentity);
                Mallory toBob = new Mallory(bob, malloryIdentity)) {
            // Alice greets Mallory with her nonce; Mallory passes it to Bob as her own.
            toAlice.send(hello(Base64.getEncoder().encodeToString(new byte[16])));
            String aliceNonce = toAlice.next("hello").get("nonce").getAsString();
            toBob.send(hello(aliceNonce));
            toBob.next("hello");
            List<JsonObject> fromBob = toBob.untilFailed();
            JsonObject bobsProof = fromBob.stream().filter(m -> "attach".equals(type(m))).findFirst().orElse(null);

            // Whatever proof she has, relayed for Alice's transfer, is refused and nothing starts.
            JsonObject attach = bobsProof;
            if (attach == null) {
                attach = new JsonObject();
                attach.addProperty("t", "attach");
                attach.addProperty("id", id);
                attach.addProperty("proof", Base64.getEncoder().encodeToString(new byte[32]));
                attach.addProperty("state", "INTERRUPTED");
                attach.addProperty("index", 0);
            }
            toAlice.send(attach);
            List<JsonObject> fromAlice = toAlice.untilFailed();
            assertTrue(fromAlice.stream().noneMatch(m -> "attached".equals(type(m))),
                    "Alice took Mallory for Bob: " + fromAlice);
            assertFalse(toAlice.bridgeOpened, "Alice opened a BitTorrent channel to Mallory");
            TransferStatus atAlice = status(alice, id);
            assertEquals(State.INTERRUPTED, atAlice.state());
            assertEquals(null, bobsProof, "Bob told Mallory about his transfer with Alice: " + fromBob);
            assertNotEquals("mallory", atAlice.peerName(), "the transfer was not renamed after Mallory");
        }

        // Bob comes back: the transfer resumes with him and completes intact.
        peers = new FilePeers(alice, bob, bobIdentity.self());
        peers.bobSaw.awaitState(id, State.DONE);
        peers.aliceSaw.awaitState(id, State.DONE);
        assertEquals(sha, FilePeers.sha256(inbox.resolve("secret.bin")));
    }

    @Test
    void aTransferWithAPeerThatProvedNoIdentityDoesNotResume() throws Exception {
        // A peer that proved no identity (a web app user cannot receive files anyway): no resume.
        peers.close();
        PeerTransport transport = FilePeers.service(PeerTransport.class);
        PeerSession a = transport.createSession(SessionConfig.of(List.of(), "alice"));
        PeerSession b = transport.createSession(SessionConfig.of(List.of(), "bob"));
        alice.attach(a);
        bob.attach(b);
        FilePeers.connect(a, b);
        long size = 64 * MIB;
        Path file = Files.createDirectories(temp.resolve("outbox")).resolve("anonymous.bin");
        FilePeers.randomFile(file, size, 32);
        FilePeers.Seen bobSaw = new FilePeers.Seen();
        FilePeers.Seen aliceSaw = new FilePeers.Seen();
        bob.addListener(bobSaw);
        alice.addListener(aliceSaw);
        try {
            TransferStatus sent = alice.offer(a, List.of(file));
            bobSaw.awaitOffer(java.util.Set.of());
            bob.accept(sent.id(), temp.resolve("inbox"));
            bobSaw.await(sent.id(), s -> s.doneBytes() > 0, "some progress");
            a.close();
            b.close();
            aliceSaw.awaitState(sent.id(), State.INTERRUPTED);
            bobSaw.awaitState(sent.id(), State.INTERRUPTED);

            // Reconnected, verified this time: the transfer was bound to no key, so it stays as it is.
            peers = new FilePeers(alice, bob, bobIdentity.self());
            String later = peers.offerToBob(Files.writeString(temp.resolve("outbox").resolve("later.txt"), "x"));
            bob.accept(later, temp.resolve("inbox"));
            peers.bobSaw.awaitState(later, State.DONE);
            assertEquals(State.INTERRUPTED, status(alice, sent.id()).state());
            assertEquals(State.INTERRUPTED, status(bob, sent.id()).state());
        } finally {
            bob.removeListener(bobSaw);
            alice.removeListener(aliceSaw);
        }
    }

    private static TransferStatus status(FileTransferService service, String id) {
        return service.transfers().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private static String type(JsonObject m) {
        return m.has("t") ? m.get("t").getAsString() : "";
    }

    private static JsonObject hello(String nonce) {
        JsonObject m = new JsonObject();
        m.addProperty("t", "hello");
        m.addProperty("v", 2);
        m.addProperty("name", "mallory");
        m.addProperty("nonce", nonce);
        return m;
    }

    /**
     * Mallory's side of a real session with one victim's file service: she speaks the control
     * protocol herself (4-byte length, JSON) instead of running a file service of her own.
     */
    private static final class Mallory implements PeerSessionListener, AutoCloseable {
        private final PeerSession victim;
        private final PeerSession mine;
        private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private PeerDataChannel out;
        volatile boolean bridgeOpened;

        Mallory(FileTransferService service, IdentityService mallory) throws Exception {
            PeerTransport transport = FilePeers.service(PeerTransport.class);
            victim = transport.createSession(SessionConfig.of(List.of(), "victim"));
            mine = transport.createSession(SessionConfig.of(List.of(), "mallory"));
            mine.addListener(this);
            service.attach(victim);
            service.verified(victim, mallory.self());
            FilePeers.connect(victim, mine);
            out = mine.openDataChannel(CONTROL).get(FilePeers.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void dataChannelOpened(PeerSession s, PeerDataChannel channel) {
            if (CONTROL.equals(channel.label())) {
                channel.onReceive(this::bytes);
            } else if (channel.label().startsWith("p2pchat-bt/")) {
                bridgeOpened = true;
            }
        }

        private synchronized void bytes(byte[] data) {
            buffer.writeBytes(data);
            byte[] all = buffer.toByteArray();
            int pos = 0;
            while (all.length - pos >= 4) {
                int n = ((all[pos] & 0xff) << 24) | ((all[pos + 1] & 0xff) << 16) | ((all[pos + 2] & 0xff) << 8)
                        | (all[pos + 3] & 0xff);
                if (all.length - pos - 4 < n) {
                    break;
                }
                String json = new String(all, pos + 4, n, StandardCharsets.UTF_8);
                received.add(JsonParser.parseString(json).getAsJsonObject());
                pos += 4 + n;
            }
            buffer.reset();
            buffer.write(all, pos, all.length - pos);
        }

        void send(JsonObject m) throws Exception {
            byte[] json = m.toString().getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[4 + json.length];
            frame[0] = (byte) (json.length >>> 24);
            frame[1] = (byte) (json.length >>> 16);
            frame[2] = (byte) (json.length >>> 8);
            frame[3] = (byte) json.length;
            System.arraycopy(json, 0, frame, 4, json.length);
            out.write(frame, 0, frame.length);
        }

        /** The next message of {@code type}, skipping others. */
        JsonObject next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FilePeers.TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                JsonObject m = received.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && type.equals(type(m))) {
                    return m;
                }
            }
            throw new AssertionError("no " + type + " message");
        }

        /**
         * Everything the victim says until it has handled what Mallory sent so far: she sends an
         * offer it must refuse, and its service answers messages in order, so its "failed" comes
         * after any answer to what went before.
         */
        List<JsonObject> untilFailed() throws Exception {
            JsonObject bogus = new JsonObject();
            bogus.addProperty("t", "offer");
            bogus.addProperty("id", "mallory-" + System.nanoTime());
            send(bogus);
            List<JsonObject> seen = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FilePeers.TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                JsonObject m = received.poll(100, TimeUnit.MILLISECONDS);
                if (m == null) {
                    continue;
                }
                if ("failed".equals(type(m)) && m.get("id").getAsString().equals(bogus.get("id").getAsString())) {
                    return seen;
                }
                seen.add(m);
            }
            throw new AssertionError("the victim never refused the bogus offer; saw " + seen);
        }

        @Override
        public void close() {
            mine.close();
            victim.close();
        }
    }
}
