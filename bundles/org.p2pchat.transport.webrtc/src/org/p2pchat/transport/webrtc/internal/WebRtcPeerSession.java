package org.p2pchat.transport.webrtc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.channel.ByteStreamChannel;
import org.p2pchat.core.channel.ChatChannel;
import org.p2pchat.core.channel.ChatChannelListener;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;

/**
 * A {@link PeerSession} over one RTCPeerConnection: this class negotiates and turns its data
 * channels into core {@link org.p2pchat.core.channel.MessageChannel}s; the chat protocol on the
 * {@code chat} channel is core's {@link ChatChannel}, byte streams are core's
 * {@link ByteStreamChannel}.
 * <p>
 * Threads: libwebrtc calls back on its signaling thread, which must never block (it also drains
 * the send buffer).
 */
final class WebRtcPeerSession implements PeerSession, PeerConnectionObserver {

    /** The web app waits at most this long for ICE gathering; so do we. */
    static final long GATHERING_TIMEOUT_MS = 5000;
    /** How long gathering may go on after the first relayed candidate. */
    static final long RELAY_SETTLE_MS = 500;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final SessionConfig config;
    private final String name = "p2pchat-session-" + COUNTER.incrementAndGet();
    private final RTCPeerConnection pc;
    private final List<PeerSessionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<RTCIceCandidate> pendingRemoteCandidates = new ArrayList<>();
    private final List<ByteStreamChannel> dataChannels = new CopyOnWriteArrayList<>();
    /** Completes when the current round of gathering (the first, or an ICE restart's) has. */
    private volatile CompletableFuture<Void> gatheringComplete = new CompletableFuture<>();
    /** The chat channel's {@link ChatChannel#peerClient()}, also before that channel exists. */
    private final CompletableFuture<String> peerClient = new CompletableFuture<>();
    private final AtomicBoolean negotiating = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final IceServerProblems serverProblems = new IceServerProblems(text -> fire(l -> l.problem(this, text)));
    private final SelectedPathWatch pathWatch = new SelectedPathWatch(this::connected, this::refreshPath);

    private boolean remoteDescriptionSet; // guarded by pendingRemoteCandidates
    private volatile ChatChannel chat;
    private volatile RTCPeerConnectionState connectionState = RTCPeerConnectionState.NEW;
    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile CandidatePath path;

    WebRtcPeerSession(PeerConnectionFactory factory, SessionConfig config) throws SessionException {
        this.config = config;
        RTCPeerConnection created;
        try {
            created = factory.createPeerConnection(RtcConfigurations.of(config.iceServers()), this);
        } catch (Error e) {
            if (!Sdp.isNativeInputError(e)) {
                throw e;
            }
            throw new SessionException("Could not create a connection: " + e.getMessage()
                    + ". Check the ICE server URLs in the settings.", e);
        }
        if (created == null) {
            throw new SessionException("Could not create a connection; check the ICE server URLs in the settings.");
        }
        this.pc = created;
    }

    // ---- negotiation -------------------------------------------------------------------------

    @Override
    public CompletableFuture<SessionDescription> createOffer() {
        CompletableFuture<SessionDescription> result = new CompletableFuture<>();
        if (!startNegotiation(result)) {
            return result;
        }
        try {
            attachChat(pc.createDataChannel(CHAT_CHANNEL_LABEL, new RTCDataChannelInit()));
        } catch (RuntimeException | Error e) {
            return failNegotiation(result, new SessionException("Could not create the chat channel: " + e.getMessage(), e));
        }
        pc.createOffer(new RTCOfferOptions(), describeThen(result, "offer", false));
        return result;
    }

    @Override
    public CompletableFuture<SessionDescription> restartIce(List<IceServer> servers) {
        CompletableFuture<SessionDescription> result = new CompletableFuture<>();
        if (!startRestart(result, servers)) {
            return result;
        }
        try {
            pc.restartIce();
            RTCOfferOptions options = new RTCOfferOptions();
            options.iceRestart = true;
            pc.createOffer(options, describeThen(result, "offer", true));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(new SessionException("Could not restart ICE: " + e.getMessage(), e));
        }
        return result;
    }

    @Override
    public CompletableFuture<SessionDescription> acceptRestart(SessionDescription offer, List<IceServer> servers) {
        CompletableFuture<SessionDescription> result = new CompletableFuture<>();
        if (offer.type() != SessionDescription.Type.OFFER) {
            result.completeExceptionally(new SessionException("An ICE restart needs an offer."));
            return result;
        }
        if (!startRestart(result, servers)) {
            return result;
        }
        setRemote(offer, result, () -> pc.createAnswer(new RTCAnswerOptions(), describeThen(result, "answer", true)));
        return result;
    }

    /**
     * Prepares an ICE restart: only on a negotiated, stable session; the new servers apply to the
     * gathering the restart starts (libwebrtc uses changed servers from the next gathering on).
     */
    private boolean startRestart(CompletableFuture<?> result, List<IceServer> servers) {
        if (closed.get()) {
            result.completeExceptionally(new SessionException("The connection is closed."));
            return false;
        }
        if (!remoteDescriptionSet() || pc.getSignalingState() != RTCSignalingState.STABLE) {
            result.completeExceptionally(new SessionException("ICE can be restarted only on a negotiated connection ("
                    + pc.getSignalingState().name().toLowerCase() + ")."));
            return false;
        }
        try {
            pc.setConfiguration(RtcConfigurations.of(servers));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(new SessionException("Could not use the ICE servers: " + e.getMessage(), e));
            return false;
        }
        gatheringComplete = new CompletableFuture<>();
        // After a restart ICE may move to another pair while the connection stays "connected".
        pathWatch.start();
        return true;
    }

    @Override
    public CompletableFuture<SessionDescription> acceptOffer(SessionDescription offer) {
        CompletableFuture<SessionDescription> result = new CompletableFuture<>();
        if (offer.type() != SessionDescription.Type.OFFER) {
            result.completeExceptionally(new SessionException("This is an answer, but an offer is needed here."));
            return result;
        }
        if (!startNegotiation(result)) {
            return result;
        }
        setRemote(offer, result, () -> pc.createAnswer(new RTCAnswerOptions(), describeThen(result, "answer", false)));
        return result;
    }

    @Override
    public CompletableFuture<Void> acceptAnswer(SessionDescription answer) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (answer.type() != SessionDescription.Type.ANSWER) {
            result.completeExceptionally(new SessionException("This is an offer, but the answer to your offer is needed here."));
            return result;
        }
        RTCSignalingState signaling = closed.get() ? RTCSignalingState.CLOSED : pc.getSignalingState();
        if (signaling != RTCSignalingState.HAVE_LOCAL_OFFER) {
            String why = switch (signaling) {
                case STABLE -> chatOpen() || negotiating.get() ? "this connection already has an answer"
                        : "create an offer first";
                case CLOSED -> "the connection is closed";
                default -> "the connection is in state " + signaling.name().toLowerCase();
            };
            result.completeExceptionally(new SessionException("Cannot use an answer now: " + why + "."));
            return result;
        }
        setRemote(answer, result, () -> result.complete(null));
        return result;
    }

    private boolean startNegotiation(CompletableFuture<?> result) {
        if (closed.get()) {
            result.completeExceptionally(new SessionException("The connection is closed."));
            return false;
        }
        if (!negotiating.compareAndSet(false, true)) {
            result.completeExceptionally(new SessionException("This connection has already started negotiating."));
            return false;
        }
        updateState();
        return true;
    }

    private <T> CompletableFuture<T> failNegotiation(CompletableFuture<T> result, SessionException e) {
        // A failed first step leaves the session as it was, so the user can paste again.
        if (pc.getSignalingState() == RTCSignalingState.STABLE && !remoteDescriptionSet()) {
            negotiating.set(false);
            updateState();
        }
        result.completeExceptionally(e);
        return result;
    }

    /** Sets a local description from createOffer/createAnswer, then waits for gathering. */
    private CreateSessionDescriptionObserver describeThen(CompletableFuture<SessionDescription> result, String what,
            boolean restart) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                pc.setLocalDescription(description, new SetSessionDescriptionObserver() {
                    @Override
                    public void onSuccess() {
                        afterGathering(result, restart);
                    }

                    @Override
                    public void onFailure(String error) {
                        failNegotiation(result, new SessionException("Could not apply our own " + what + ": " + error));
                    }
                });
            }

            @Override
            public void onFailure(String error) {
                failNegotiation(result, new SessionException("Could not create an " + what + ": " + error));
            }
        };
    }

    /** Non-trickle: the description is handed out once it holds every candidate. */
    private void afterGathering(CompletableFuture<SessionDescription> result, boolean restart) {
        CompletableFuture<Void> gathering = gatheringComplete;
        // A restart's gathering may not have begun yet: "complete" now is the previous round's.
        if (!restart && pc.getIceGatheringState() == RTCIceGatheringState.COMPLETE) {
            gathering.complete(null);
        }
        gathering.completeOnTimeout(null, GATHERING_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .thenRun(() -> {
                    if (closed.get()) {
                        result.completeExceptionally(new SessionException("The connection was closed."));
                    } else {
                        result.complete(Sdp.fromRtc(pc.getLocalDescription()));
                    }
                });
    }

    private void setRemote(SessionDescription description, CompletableFuture<?> result, Runnable then) {
        try {
            pc.setRemoteDescription(Sdp.toRtc(description), new SetSessionDescriptionObserver() {
                @Override
                public void onSuccess() {
                    applyPendingCandidates();
                    then.run();
                }

                @Override
                public void onFailure(String error) {
                    failNegotiation(result, Sdp.invalid(description.type(), error, null));
                }
            });
        } catch (Error e) {
            if (!Sdp.isNativeInputError(e)) {
                throw e;
            }
            failNegotiation(result, Sdp.invalid(description.type(), e.getMessage(), e));
        } catch (RuntimeException e) {
            failNegotiation(result, Sdp.invalid(description.type(), e.getMessage(), e));
        }
    }

    @Override
    public void addRemoteCandidate(IceCandidate candidate) throws SessionException {
        RTCIceCandidate rtc = new RTCIceCandidate(candidate.sdpMid(), candidate.sdpMLineIndex(), candidate.candidate());
        synchronized (pendingRemoteCandidates) {
            if (!remoteDescriptionSet) {
                // libwebrtc drops a candidate added before the remote description, silently.
                pendingRemoteCandidates.add(rtc);
                return;
            }
        }
        addCandidate(rtc);
    }

    private void addCandidate(RTCIceCandidate rtc) throws SessionException {
        try {
            pc.addIceCandidate(rtc);
        } catch (Error e) {
            if (!Sdp.isNativeInputError(e)) {
                throw e;
            }
            throw new SessionException("The peer sent an invalid ICE candidate: " + e.getMessage(), e);
        }
    }

    private boolean remoteDescriptionSet() {
        synchronized (pendingRemoteCandidates) {
            return remoteDescriptionSet;
        }
    }

    private void applyPendingCandidates() {
        List<RTCIceCandidate> queued;
        synchronized (pendingRemoteCandidates) {
            remoteDescriptionSet = true;
            queued = List.copyOf(pendingRemoteCandidates);
            pendingRemoteCandidates.clear();
        }
        for (RTCIceCandidate c : queued) {
            try {
                addCandidate(c);
            } catch (SessionException e) {
                fire(l -> l.problem(this, e.getMessage()));
            }
        }
    }

    // ---- state -------------------------------------------------------------------------------

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public Optional<CandidatePath> selectedPath() {
        return Optional.ofNullable(path);
    }

    private synchronized void updateState() {
        ConnectionState next;
        if (closed.get()) {
            next = ConnectionState.CLOSED;
        } else {
            next = switch (connectionState) {
                case NEW -> negotiating.get() ? ConnectionState.CONNECTING : ConnectionState.NEW;
                case CONNECTING -> ConnectionState.CONNECTING;
                case CONNECTED -> chatOpen() ? ConnectionState.CONNECTED : ConnectionState.CONNECTING;
                case DISCONNECTED -> ConnectionState.DISCONNECTED;
                case FAILED -> ConnectionState.FAILED;
                case CLOSED -> ConnectionState.CLOSED;
            };
        }
        if (next != state) {
            state = next;
            fire(l -> l.stateChanged(this, next));
        }
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState newState) {
        connectionState = newState;
        updateState();
        if (newState == RTCPeerConnectionState.CONNECTED) {
            refreshPath();
            pathWatch.start();
        }
    }

    @Override
    public void onIceConnectionChange(RTCIceConnectionState iceState) {
        // Back after an ICE restart, the pair may be another one while the connection stayed "connected".
        if (iceState == RTCIceConnectionState.CONNECTED || iceState == RTCIceConnectionState.COMPLETED) {
            refreshPath();
        }
    }

    private boolean connected() {
        return !closed.get() && connectionState == RTCPeerConnectionState.CONNECTED;
    }

    private void refreshPath() {
        if (closed.get()) {
            return;
        }
        try {
            pc.getStats(report -> CandidatePaths.selected(report).ifPresent(p -> {
                if (!p.equals(path)) {
                    path = p;
                    fire(l -> l.pathSelected(this, p));
                }
            }));
        } catch (RuntimeException e) {
            // Closed meanwhile: no path to report.
        }
    }

    @Override
    public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
        serverProblems.error(event.getErrorCode(), event.getUrl(), event.getErrorText());
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState gatheringState) {
        boolean ended = gatheringState == RTCIceGatheringState.COMPLETE;
        if (ended) {
            gatheringComplete.complete(null);
        }
        serverProblems.gathering(ended);
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        serverProblems.answered(candidate.serverUrl);
        if (candidate.sdp != null && candidate.sdp.contains(" typ relay ")) {
            // A relayed candidate comes last (an allocation takes the most round trips): once one is in,
            // waiting on for other TURN servers (a dead one listed first holds gathering for the
            // whole cap) gains little, so the description goes out a moment later.
            gatheringComplete.completeOnTimeout(null, RELAY_SETTLE_MS, TimeUnit.MILLISECONDS);
        }
        IceCandidate c = new IceCandidate(candidate.sdpMid, candidate.sdpMLineIndex, candidate.sdp);
        fire(l -> l.localCandidate(this, c));
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
        if (CHAT_CHANNEL_LABEL.equals(channel.getLabel()) && chat == null) {
            attachChat(channel);
            return;
        }
        dataChannels.add(new ByteStreamChannel(new WebRtcMessageChannel(channel),
                opened -> fire(l -> l.dataChannelOpened(this, opened))));
    }

    // ---- chat channel ------------------------------------------------------------------------

    private void attachChat(RTCDataChannel channel) {
        chat = new ChatChannel(new WebRtcMessageChannel(channel), config.displayName(), config.maxMessageBytes(),
                new ChatChannelListener() {
                    @Override
                    public void opened() {
                        updateState();
                    }

                    @Override
                    public void messageReceived(ChatMessage message) {
                        fire(l -> l.messageReceived(WebRtcPeerSession.this, message));
                    }

                    @Override
                    public void acknowledged(long seq) {
                        fire(l -> l.acknowledged(WebRtcPeerSession.this, seq));
                    }

                    @Override
                    public void unknownMessage(String type, String json) {
                        fire(l -> l.unknownMessage(WebRtcPeerSession.this, type, json));
                    }

                    @Override
                    public void problem(String description) {
                        fire(l -> l.problem(WebRtcPeerSession.this, description));
                    }

                    @Override
                    public void closed() {
                        // The peer closing its chat channel is how the web app hangs up.
                        close();
                    }
                });
        chat.peerClient().whenComplete((client, failure) -> {
            if (failure == null) {
                peerClient.complete(client);
            } else {
                peerClient.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
                        && failure.getCause() != null ? failure.getCause() : failure);
            }
        });
        // The channel may have opened while ChatChannel's constructor ran, before chat was set.
        updateState();
    }

    private boolean chatOpen() {
        ChatChannel c = chat;
        return c != null && c.isOpen();
    }

    @Override
    public CompletableFuture<Void> send(ChatMessage message) {
        ChatChannel c = chat;
        if (c == null || closed.get()) {
            return CompletableFuture.failedFuture(new SessionException(closed.get()
                    ? "Not sent: the connection is closed." : "Not sent: the chat is not connected yet."));
        }
        return c.send(message);
    }

    @Override
    public void acknowledge(long seq) {
        ChatChannel c = chat;
        if (c != null && !closed.get()) {
            c.acknowledge(seq);
        }
    }

    @Override
    public CompletableFuture<Long> ping() {
        ChatChannel c = chat;
        if (c == null || closed.get()) {
            return CompletableFuture.failedFuture(new SessionException("Not connected."));
        }
        return c.ping();
    }

    @Override
    public String displayName() {
        return config.displayName() == null ? "" : config.displayName();
    }

    @Override
    public CompletableFuture<String> peerClient() {
        return peerClient.copy();
    }

    // ---- data channels -----------------------------------------------------------------------

    @Override
    public CompletableFuture<PeerDataChannel> openDataChannel(String label) {
        CompletableFuture<PeerDataChannel> result = new CompletableFuture<>();
        if (CHAT_CHANNEL_LABEL.equals(label)) {
            result.completeExceptionally(new IllegalArgumentException("'" + label + "' is the chat channel's label"));
            return result;
        }
        if (closed.get()) {
            result.completeExceptionally(new SessionException("The connection is closed."));
            return result;
        }
        try {
            RTCDataChannel channel = pc.createDataChannel(label, new RTCDataChannelInit());
            dataChannels.add(new ByteStreamChannel(new WebRtcMessageChannel(channel), result::complete));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(new SessionException("Could not open channel '" + label + "': " + e.getMessage(), e));
        }
        return result;
    }

    // ---- listeners and closing ---------------------------------------------------------------

    @Override
    public void addListener(PeerSessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(PeerSessionListener listener) {
        listeners.remove(listener);
    }

    private void fire(Consumer<PeerSessionListener> event) {
        for (PeerSessionListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                // A faulty listener must not take the transport thread down with it.
                System.err.println(name + ": listener " + l + " failed: " + e);
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (ByteStreamChannel c : dataChannels) {
            c.close();
        }
        ChatChannel c = chat;
        if (c != null) {
            c.close();
        }
        try {
            pc.close();
        } catch (RuntimeException e) {
            // Gone already.
        }
        gatheringComplete.complete(null);
        peerClient.completeExceptionally(new SessionException("The connection was closed before the peer introduced itself."));
        updateState();
    }

    @Override
    public String toString() {
        return name + "[" + state + "]";
    }
}
