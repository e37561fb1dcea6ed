package org.p2pchat.ui.tests;

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

/** A session that sends nowhere: it records what the client sends and fires what the test says. */
final class ScriptedSession implements PeerSession {

    final List<PeerSessionListener> listeners = new CopyOnWriteArrayList<>();
    final List<ChatMessage> sent = new CopyOnWriteArrayList<>();
    /** The system notices the client sent (such as "... left the chat"). */
    final List<ChatMessage> sentNotices = new CopyOnWriteArrayList<>();
    /** What {@link #createOffer()} gives; null: it fails. */
    volatile SessionDescription offer;
    /** What {@link #acceptOffer} gives; null: it fails. */
    volatile SessionDescription answer;
    private volatile ConnectionState state = ConnectionState.NEW;

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
        SessionDescription a = answer;
        return a == null ? CompletableFuture.failedFuture(new UnsupportedOperationException())
                : CompletableFuture.completedFuture(a);
    }

    @Override
    public CompletableFuture<Void> acceptAnswer(SessionDescription answer) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
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

    /** The scripted peer never introduces itself, so plug-ins treat it as neither our client nor the web app. */
    @Override
    public CompletableFuture<String> peerClient() {
        return new CompletableFuture<>();
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
