package org.p2pchat.transport.webrtc.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.wire.ChatCodec;
import org.p2pchat.core.wire.FrameAssembler;
import org.p2pchat.core.wire.FramingException;
import org.p2pchat.core.wire.MessageFraming;
import org.p2pchat.core.wire.WireMessage;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;

/**
 * A {@link PeerSession} over one RTCPeerConnection. The chat channel carries the web app's JSON
 * text messages; a message too large for one SCTP message goes as binary frames, but only to a
 * peer that announced our client in its join notice (the web app would not understand them).
 * <p>
 * Threads: libwebrtc calls back on its signaling thread, which must never block (it also
 * drains the send buffer), so chat messages are written by one sender thread per session, in
 * order, with back-pressure.
 */
final class WebRtcPeerSession implements PeerSession, PeerConnectionObserver {

    /** Sent in our join notice so the peer knows it may use framing and pings. */
    static final String CLIENT_NAME = "p2pchat-desktop/0.1";

    /** Text messages up to this size go as one text frame, as the web app expects. */
    static final int PLAIN_TEXT_LIMIT = MessageFraming.MAX_FRAME_BYTES;
    /** The web app accepts one text message up to its max-message-size. */
    static final int WEB_APP_TEXT_LIMIT = ChannelWriter.MAX_MESSAGE_BYTES;
    /** The web app waits at most this long for ICE gathering; so do we. */
    static final long GATHERING_TIMEOUT_MS = 5000;
    /** How long a large send waits for the peer's join notice to learn what client it is. */
    static final long PEER_HELLO_WAIT_MS = 3000;
    static final int MAX_QUEUED_MESSAGES = 10_000;
    static final long MAX_QUEUED_BYTES = 512L << 20;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final SessionConfig config;
    private final String name = "p2pchat-session-" + COUNTER.incrementAndGet();
    private final RTCPeerConnection pc;
    private final List<PeerSessionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<RTCIceCandidate> pendingRemoteCandidates = new ArrayList<>();
    private final ThreadPoolExecutor sender;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final FrameAssembler assembler;
    private final Map<String, PendingPing> pings = new ConcurrentHashMap<>();
    private final List<WebRtcDataChannel> dataChannels = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> gatheringComplete = new CompletableFuture<>();
    /** The peer's client name from its join notice; "" for a peer that sent none (the web app). */
    private final CompletableFuture<String> peerClient = new CompletableFuture<>();
    private final AtomicBoolean negotiating = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private boolean remoteDescriptionSet; // guarded by pendingRemoteCandidates
    private volatile RTCDataChannel chatChannel;
    private volatile ChannelWriter chatWriter;
    private volatile boolean chatOpen;
    private volatile RTCPeerConnectionState connectionState = RTCPeerConnectionState.NEW;
    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile CandidatePath path;

    private record PendingPing(long sentNanos, CompletableFuture<Long> result) {
    }

    WebRtcPeerSession(PeerConnectionFactory factory, SessionConfig config) throws SessionException {
        this.config = config;
        this.assembler = new FrameAssembler(config.maxMessageBytes());
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
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_QUEUED_MESSAGES), r -> {
                    Thread t = new Thread(r, name + "-sender");
                    t.setDaemon(true);
                    return t;
                });
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
        pc.createOffer(new RTCOfferOptions(), describeThen(result, "offer"));
        return result;
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
        setRemote(offer, result, () -> pc.createAnswer(new RTCAnswerOptions(), describeThen(result, "answer")));
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
                case STABLE -> chatOpen || negotiating.get() ? "this connection already has an answer"
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
    private CreateSessionDescriptionObserver describeThen(CompletableFuture<SessionDescription> result, String what) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                pc.setLocalDescription(description, new SetSessionDescriptionObserver() {
                    @Override
                    public void onSuccess() {
                        afterGathering(result);
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
    private void afterGathering(CompletableFuture<SessionDescription> result) {
        if (pc.getIceGatheringState() == RTCIceGatheringState.COMPLETE) {
            gatheringComplete.complete(null);
        }
        gatheringComplete.completeOnTimeout(null, GATHERING_TIMEOUT_MS, TimeUnit.MILLISECONDS)
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
                case CONNECTED -> chatOpen ? ConnectionState.CONNECTED : ConnectionState.CONNECTING;
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
        }
    }

    private void refreshPath() {
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
    public void onIceGatheringChange(RTCIceGatheringState gatheringState) {
        if (gatheringState == RTCIceGatheringState.COMPLETE) {
            gatheringComplete.complete(null);
        }
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        IceCandidate c = new IceCandidate(candidate.sdpMid, candidate.sdpMLineIndex, candidate.sdp);
        fire(l -> l.localCandidate(this, c));
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
        if (CHAT_CHANNEL_LABEL.equals(channel.getLabel()) && chatChannel == null) {
            attachChat(channel);
            return;
        }
        dataChannels.add(new WebRtcDataChannel(channel, opened -> fire(l -> l.dataChannelOpened(this, opened))));
    }

    // ---- chat channel ------------------------------------------------------------------------

    private void attachChat(RTCDataChannel channel) {
        chatChannel = channel;
        chatWriter = new ChannelWriter(channel);
        channel.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {
            }

            @Override
            public void onStateChange() {
                chatStateChanged(channel);
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                byte[] bytes = Received.copy(buffer);
                if (buffer.binary) {
                    receiveFrame(bytes);
                } else {
                    receiveText(new String(bytes, StandardCharsets.UTF_8));
                }
            }
        });
    }

    private void chatStateChanged(RTCDataChannel channel) {
        RTCDataChannelState s;
        try {
            s = channel.getState();
        } catch (RuntimeException e) {
            s = RTCDataChannelState.CLOSED;
        }
        if (s == RTCDataChannelState.OPEN && !chatOpen) {
            chatOpen = true;
            String me = config.displayName() == null ? "Someone" : config.displayName();
            enqueue(ChatCodec.encode(ChatMessage.joinNotice(me), CLIENT_NAME), new CompletableFuture<>());
            updateState();
        } else if (s == RTCDataChannelState.CLOSED && chatOpen) {
            chatOpen = false;
            // The peer closing its chat channel is how the web app hangs up.
            close();
        }
    }

    private void receiveText(String text) {
        WireMessage message = ChatCodec.decode(text);
        switch (message) {
            case WireMessage.Chat chat -> {
                peerClient.complete(chat.client() == null ? "" : chat.client());
                fire(l -> l.messageReceived(this, chat.message()));
            }
            case WireMessage.Ping ping -> {
                try {
                    chatWriter.sendNow(ChatCodec.encodePong(ping.id()).getBytes(StandardCharsets.UTF_8), false);
                } catch (IOException e) {
                    fire(l -> l.problem(this, "Could not answer a ping: " + e.getMessage()));
                }
            }
            case WireMessage.Pong pong -> {
                PendingPing p = pings.remove(pong.id());
                if (p != null) {
                    p.result().complete(System.nanoTime() - p.sentNanos());
                }
            }
            case WireMessage.Unknown unknown -> fire(l -> l.unknownMessage(this, unknown.type(), unknown.json()));
            case WireMessage.Malformed bad -> fire(l -> l.problem(this, "Ignored a message from the peer: " + bad.reason()));
        }
    }

    private void receiveFrame(byte[] frame) {
        try {
            FrameAssembler.Assembled whole = assembler.accept(frame);
            if (whole == null) {
                return;
            }
            if (whole.isJson()) {
                receiveText(new String(whole.payload(), StandardCharsets.UTF_8));
            } else {
                fire(l -> l.problem(this, "Ignored " + whole.payload().length + " bytes of binary data of an unknown kind."));
            }
        } catch (FramingException e) {
            fire(l -> l.problem(this, "Dropped a message from the peer: " + e.getMessage()));
        }
    }

    @Override
    public CompletableFuture<Void> send(ChatMessage message) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new SessionException("Not sent: the connection is closed."));
        } else if (!chatOpen) {
            result.completeExceptionally(new SessionException("Not sent: the chat is not connected yet."));
        } else {
            enqueue(ChatCodec.encode(message), result);
        }
        return result;
    }

    private void enqueue(String json, CompletableFuture<Void> result) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > config.maxMessageBytes()) {
            result.completeExceptionally(new SessionException("Not sent: the message is " + bytes.length
                    + " bytes, over the limit of " + config.maxMessageBytes() + " bytes."));
            return;
        }
        if (queuedBytes.addAndGet(bytes.length) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-bytes.length);
            result.completeExceptionally(new SessionException("Not sent: too much is waiting to be sent; try again shortly."));
            return;
        }
        try {
            sender.execute(() -> {
                try {
                    writeChat(bytes);
                    result.complete(null);
                } catch (IOException e) {
                    result.completeExceptionally(new SessionException("Not sent: " + e.getMessage(), e));
                } catch (SessionException e) {
                    result.completeExceptionally(e);
                } finally {
                    queuedBytes.addAndGet(-bytes.length);
                }
            });
        } catch (RejectedExecutionException e) {
            queuedBytes.addAndGet(-bytes.length);
            result.completeExceptionally(new SessionException(closed.get() ? "Not sent: the connection is closed."
                    : "Not sent: too many messages are waiting to be sent; try again shortly."));
        }
    }

    /** On the sender thread. */
    private void writeChat(byte[] json) throws IOException, SessionException {
        ChannelWriter writer = chatWriter;
        if (json.length <= PLAIN_TEXT_LIMIT) {
            writer.send(json, false);
            return;
        }
        if (peerSpeaksFraming()) {
            for (Iterator<byte[]> frames = MessageFraming.frames(json, MessageFraming.FLAG_JSON,
                    MessageFraming.MAX_FRAME_BYTES); frames.hasNext();) {
                writer.send(frames.next(), true);
            }
        } else if (json.length <= WEB_APP_TEXT_LIMIT) {
            writer.send(json, false);
        } else {
            throw new SessionException("Not sent: your peer uses the web app, which cannot receive a message over "
                    + WEB_APP_TEXT_LIMIT / 1024 + " KiB; this one is " + json.length / 1024 + " KiB.");
        }
    }

    private boolean peerSpeaksFraming() throws IOException {
        try {
            return isOurClient(peerClient.get(PEER_HELLO_WAIT_MS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static boolean isOurClient(String client) {
        return client != null && client.startsWith("p2pchat-");
    }

    @Override
    public CompletableFuture<Long> ping() {
        if (!chatOpen || closed.get()) {
            return CompletableFuture.failedFuture(new SessionException("Not connected."));
        }
        // Right after connecting, the peer's join notice (which says what client it is) may still be on its way.
        return peerClient.copy().completeOnTimeout(null, PEER_HELLO_WAIT_MS, TimeUnit.MILLISECONDS).thenCompose(client -> {
            if (!isOurClient(client)) {
                return CompletableFuture.failedFuture(new SessionException(client == null
                        ? "The peer has not introduced itself." : "The peer's app does not answer pings."));
            }
            CompletableFuture<Long> result = new CompletableFuture<>();
            String id = UUID.randomUUID().toString();
            pings.put(id, new PendingPing(System.nanoTime(), result));
            try {
                chatWriter.sendNow(ChatCodec.encodePing(id).getBytes(StandardCharsets.UTF_8), false);
            } catch (IOException e) {
                pings.remove(id);
                result.completeExceptionally(new SessionException("Ping not sent: " + e.getMessage(), e));
            }
            return result;
        });
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
            dataChannels.add(new WebRtcDataChannel(channel, result::complete));
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
        sender.shutdownNow();
        chatOpen = false;
        for (WebRtcDataChannel c : dataChannels) {
            c.close();
        }
        RTCDataChannel chat = chatChannel;
        if (chat != null) {
            try {
                chat.unregisterObserver();
                chat.close();
            } catch (RuntimeException e) {
                // Gone already.
            }
        }
        try {
            pc.close();
        } catch (RuntimeException e) {
            // Gone already.
        }
        gatheringComplete.complete(null);
        SessionException closedError = new SessionException("The connection was closed.");
        pings.values().forEach(p -> p.result().completeExceptionally(closedError));
        pings.clear();
        updateState();
    }

    @Override
    public String toString() {
        return name + "[" + state + "]";
    }
}
