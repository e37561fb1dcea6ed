package org.p2pchat.transport.webrtc.tests;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;

/** Two real sessions of the transport service in this framework, and what each one saw. */
final class PeerPair implements AutoCloseable {

    /** Only matters when something is broken: generous for a busy machine. */
    static final long TIMEOUT_SECONDS = 60;

    /** Everything one session reported, in arrival order. */
    static final class Recorder implements PeerSessionListener {
        final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
        final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<CandidatePath> paths = new LinkedBlockingQueue<>();
        final BlockingQueue<PeerDataChannel> channels = new LinkedBlockingQueue<>();
        final List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();

        @Override
        public void stateChanged(PeerSession session, ConnectionState state) {
            states.add(state);
        }

        @Override
        public void messageReceived(PeerSession session, ChatMessage message) {
            messages.add(message);
        }

        @Override
        public void pathSelected(PeerSession session, CandidatePath path) {
            paths.add(path);
        }

        @Override
        public void dataChannelOpened(PeerSession session, PeerDataChannel channel) {
            channels.add(channel);
        }

        @Override
        public void localCandidate(PeerSession session, IceCandidate candidate) {
            candidates.add(candidate);
        }

        @Override
        public void problem(PeerSession session, String description) {
            problems.add(description);
        }

        /** Waits for {@code wanted}, skipping earlier states. */
        void awaitState(ConnectionState wanted) throws InterruptedException {
            next(states, s -> s == wanted, "state " + wanted);
        }

        /** The next message that is not a system notice. */
        ChatMessage nextChat() throws InterruptedException {
            return next(messages, m -> !m.isSystemNotice(), "chat message");
        }

        /** The next element of {@code queue} that is {@code wanted}, skipping others. */
        private static <T> T next(BlockingQueue<T> queue, java.util.function.Predicate<T> wanted, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                T item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item != null && wanted.test(item)) {
                    return item;
                }
            }
            throw new AssertionError("no " + what + " in " + TIMEOUT_SECONDS + " s");
        }
    }

    final PeerSession alice;
    final PeerSession bob;
    final Recorder aliceSaw = new Recorder();
    final Recorder bobSaw = new Recorder();

    PeerPair(SessionConfig aliceConfig, SessionConfig bobConfig) throws Exception {
        PeerTransport transport = transport();
        alice = transport.createSession(aliceConfig);
        bob = transport.createSession(bobConfig);
        alice.addListener(aliceSaw);
        bob.addListener(bobSaw);
    }

    PeerPair() throws Exception {
        this(config("alice"), config("bob"));
    }

    /** Host candidates only: the test namespace has no STUN server and needs none. */
    static SessionConfig config(String name) {
        return SessionConfig.of(List.of(), name);
    }

    static PeerTransport transport() throws InterruptedException {
        ServiceTracker<PeerTransport, PeerTransport> tracker = new ServiceTracker<>(
                FrameworkUtil.getBundle(PeerPair.class).getBundleContext(), PeerTransport.class, null);
        tracker.open();
        PeerTransport t = tracker.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        if (t == null) {
            throw new AssertionError("no PeerTransport service");
        }
        return t;
    }

    /** Offer, answer, and both sides connected. */
    PeerPair connect() throws Exception {
        SessionDescription offer = alice.createOffer().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        SessionDescription answer = bob.acceptOffer(offer).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        alice.acceptAnswer(answer).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        aliceSaw.awaitState(ConnectionState.CONNECTED);
        bobSaw.awaitState(ConnectionState.CONNECTED);
        return this;
    }

    @Override
    public void close() {
        alice.close();
        bob.close();
    }
}
