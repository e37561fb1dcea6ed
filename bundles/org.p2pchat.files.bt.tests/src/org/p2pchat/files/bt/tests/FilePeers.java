package org.p2pchat.files.bt.tests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.files.bt.internal.BtFileTransferService;

/**
 * Alice and Bob, each with a real file service on a real WebRTC session to the other in this
 * framework: Alice's is the DS component, Bob's an instance made here on its own profile folder
 * (so a test can stop and restart Bob).
 */
final class FilePeers implements AutoCloseable {

    static final long TIMEOUT_SECONDS = 120;

    /** What one service reported, by transfer. */
    static final class Seen implements TransferListener {
        final Map<String, TransferStatus> latest = new ConcurrentHashMap<>();
        final Map<String, Boolean> sawMoving = new ConcurrentHashMap<>();
        /**
         * Every status in the order the service told it. The service tells its listeners from
         * one thread, so this order is the order things happened in, whatever the clock did.
         */
        private final List<TransferStatus> events = new java.util.ArrayList<>();

        @Override
        public synchronized void transferChanged(TransferStatus status) {
            events.add(status);
            latest.put(status.id(), status);
            if (status.state() == TransferStatus.State.RUNNING && status.bytesPerSecond() > 0
                    && status.remaining().isPresent()) {
                sawMoving.put(status.id(), true);
            }
            notifyAll();
        }

        /** The first offer that is not in {@code known}. */
        synchronized TransferStatus awaitOffer(java.util.Set<String> known) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                for (TransferStatus s : latest.values()) {
                    if (s.state() == TransferStatus.State.OFFERED && !known.contains(s.id())) {
                        return s;
                    }
                }
                wait(100);
            }
            throw new AssertionError("no offer arrived");
        }

        synchronized TransferStatus await(String id, Predicate<TransferStatus> wanted, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                TransferStatus s = latest.get(id);
                if (s != null && wanted.test(s)) {
                    return s;
                }
                wait(100);
            }
            throw new AssertionError("transfer " + id + " never got " + what + "; last: " + latest.get(id));
        }

        TransferStatus awaitState(String id, TransferStatus.State state) throws InterruptedException {
            return await(id, s -> s.state() == state, state.name());
        }

        /** Every status told so far, in order. */
        synchronized List<TransferStatus> events() {
            return List.copyOf(events);
        }

        /** Every status of transfer {@code id} told so far, in order. */
        synchronized List<TransferStatus> history(String id) {
            return events.stream().filter(s -> s.id().equals(id)).toList();
        }
    }

    final FileTransferService alice;
    final BtFileTransferService bob;
    final PeerSession aliceSession;
    final PeerSession bobSession;
    final Seen aliceSaw = new Seen();
    final Seen bobSaw = new Seen();

    /** Alice is the DS component, with the framework's identity; Bob has {@code bobKey}. */
    FilePeers(FileTransferService alice, BtFileTransferService bob, PublicIdentity bobKey) throws Exception {
        this(alice, service(IdentityService.class).self(), bob, bobKey);
    }

    /**
     * Each side is told the other's key, as a client does once the peer's proof held (here
     * before connecting, as after a directory exchange).
     */
    FilePeers(FileTransferService alice, PublicIdentity aliceKey, BtFileTransferService bob, PublicIdentity bobKey)
            throws Exception {
        this.alice = alice;
        this.bob = bob;
        PeerTransport transport = service(PeerTransport.class);
        aliceSession = transport.createSession(SessionConfig.of(List.of(), "alice"));
        bobSession = transport.createSession(SessionConfig.of(List.of(), "bob"));
        alice.addListener(aliceSaw);
        bob.addListener(bobSaw);
        alice.attach(aliceSession);
        bob.attach(bobSession);
        alice.verified(aliceSession, bobKey);
        bob.verified(bobSession, aliceKey);
        connect(aliceSession, bobSession);
    }

    static void connect(PeerSession offerer, PeerSession answerer) throws Exception {
        ConnectedWaiter a = new ConnectedWaiter(offerer);
        ConnectedWaiter b = new ConnectedWaiter(answerer);
        SessionDescription offer = offerer.createOffer().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        SessionDescription answer = answerer.acceptOffer(offer).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        offerer.acceptAnswer(answer).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        a.await();
        b.await();
        // Each side's join notice says what client it runs; supports() waits for it.
        offerer.peerClient().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        answerer.peerClient().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static final class ConnectedWaiter implements PeerSessionListener {
        private final PeerSession session;
        private final java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);

        ConnectedWaiter(PeerSession session) {
            this.session = session;
            session.addListener(this);
        }

        @Override
        public void stateChanged(PeerSession s, ConnectionState state) {
            if (state == ConnectionState.CONNECTED) {
                connected.countDown();
            }
        }

        void await() throws InterruptedException {
            if (session.state() != ConnectionState.CONNECTED && !connected.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("session did not connect");
            }
            session.removeListener(this);
        }
    }

    /** The identity of a profile folder (made on first use), as a client on that profile has it. */
    static IdentityService identity(Path profile) throws IOException {
        return new Ed25519IdentityService(Files.createDirectories(profile));
    }

    static <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(
                FrameworkUtil.getBundle(FilePeers.class).getBundleContext(), type, null);
        tracker.open();
        T s = tracker.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        if (s == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service");
        }
        return s;
    }

    /** Offers {@code files} from Alice; returns the id once Bob sees the offer. */
    String offerToBob(Path... files) throws Exception {
        java.util.Set<String> known = java.util.Set.copyOf(bobSaw.latest.keySet());
        TransferStatus sent = alice.offer(aliceSession, List.of(files));
        TransferStatus offered = bobSaw.awaitOffer(known);
        if (!offered.id().equals(sent.id())) {
            throw new AssertionError("Bob saw another offer: " + offered + " instead of " + sent);
        }
        return sent.id();
    }

    /** Offers {@code files} from Bob; returns the id once Alice sees the offer. */
    String offerToAlice(Path... files) throws Exception {
        java.util.Set<String> known = java.util.Set.copyOf(aliceSaw.latest.keySet());
        TransferStatus sent = bob.offer(bobSession, List.of(files));
        TransferStatus offered = aliceSaw.awaitOffer(known);
        if (!offered.id().equals(sent.id())) {
            throw new AssertionError("Alice saw another offer: " + offered + " instead of " + sent);
        }
        return sent.id();
    }

    @Override
    public void close() {
        alice.removeListener(aliceSaw);
        bob.removeListener(bobSaw);
        aliceSession.close();
        bobSession.close();
    }

    /** A file of random bytes; returns its SHA-256. Written in pieces: never all in memory. */
    static String randomFile(Path file, long size, long seed) throws IOException {
        MessageDigest sha = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            long left = size;
            while (left > 0) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        chunk[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 20];
        try (var in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
