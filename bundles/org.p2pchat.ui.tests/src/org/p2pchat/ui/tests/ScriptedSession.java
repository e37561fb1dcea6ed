package org.p2pchat.ui.tests;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.SessionDescription;

/**
 * A session that sends nowhere: it records what the client layer sends and fires what the test
 * says. Its descriptions are made up (a random DTLS fingerprint each), so identity proofs over them
 * are real proofs.
 */
final class ScriptedSession implements PeerSession {

    final List<PeerSessionListener> listeners = new CopyOnWriteArrayList<>();
    final List<ChatMessage> sent = new CopyOnWriteArrayList<>();
    /** The system notices the client sent (such as "... left the chat"). */
    final List<ChatMessage> sentNotices = new CopyOnWriteArrayList<>();
    /** What {@link #createOffer()} gives; null: it fails. */
    volatile SessionDescription offer = description(SessionDescription.Type.OFFER);
    /** What {@link #acceptOffer} gives; null: it fails. */
    volatile SessionDescription answer = description(SessionDescription.Type.ANSWER);
    /** The descriptions the client layer gave this session: the peer's offer or answer. */
    volatile SessionDescription remote;
    /** Completes with the client the peer names; never, by default (neither our client nor the web app). */
    final CompletableFuture<String> peerClient = new CompletableFuture<>();
    private volatile ConnectionState state = ConnectionState.NEW;

    /** A made-up description of {@code type} with a random DTLS fingerprint. */
    static SessionDescription description(SessionDescription.Type type) {
        byte[] digest = new byte[32];
        new SecureRandom().nextBytes(digest);
        String fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        return new SessionDescription(type, "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
                + "a=fingerprint:sha-256 " + fingerprint + "\r\n");
    }

    /** The acknowledgements the client layer sent the peer, in order. */
    final List<Long> acknowledgements = new CopyOnWriteArrayList<>();

    /** Fires the peer's acknowledgement of our messages up to {@code seq} (its first one: what it has). */
    void acknowledged(long seq) {
        listeners.forEach(l -> l.acknowledged(this, seq));
    }

    @Override
    public void acknowledge(long seq) {
        acknowledgements.add(seq);
    }

    /** Fires a message from the peer. */
    void receive(ChatMessage message) {
        listeners.forEach(l -> l.messageReceived(this, message));
    }

    /** Fires the candidate pair chosen. */
    void path(CandidatePath path) {
        listeners.forEach(l -> l.pathSelected(this, path));
    }

    void fire(ConnectionState newState) {
        state = newState;
        listeners.forEach(l -> l.stateChanged(this, newState));
    }

    @Override
    public CompletableFuture<SessionDescription> createOffer() {
        SessionDescription o = offer;
        return o == null ? CompletableFuture.failedFuture(new UnsupportedOperationException())
                : CompletableFuture.completedFuture(o);
    }

    @Override
    public CompletableFuture<SessionDescription> acceptOffer(SessionDescription remoteOffer) {
        remote = remoteOffer;
        SessionDescription a = answer;
        return a == null ? CompletableFuture.failedFuture(new UnsupportedOperationException())
                : CompletableFuture.completedFuture(a);
    }

    @Override
    public CompletableFuture<Void> acceptAnswer(SessionDescription remoteAnswer) {
        remote = remoteAnswer;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void addRemoteCandidate(IceCandidate candidate) {
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public Optional<CandidatePath> selectedPath() {
        return Optional.empty();
    }

    @Override
    public CompletableFuture<Void> send(ChatMessage message) {
        (message.isSystemNotice() ? sentNotices : sent).add(message);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Long> ping() {
        return CompletableFuture.completedFuture(1L);
    }

    /** The scripted peer introduces itself when the test says, so plug-ins treat it as neither our client nor the web app before. */
    @Override
    public CompletableFuture<String> peerClient() {
        return peerClient;
    }

    @Override
    public CompletableFuture<PeerDataChannel> openDataChannel(String label) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public void addListener(PeerSessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(PeerSessionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        if (!state.isFinal()) {
            fire(ConnectionState.CLOSED);
        }
    }
}
