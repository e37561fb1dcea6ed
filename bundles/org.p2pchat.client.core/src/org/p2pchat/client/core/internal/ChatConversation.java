package org.p2pchat.client.core.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.EndReason;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;

/**
 * One conversation and the sessions it runs over: turns session events into client events, learns
 * the peer's name and client from its join notice, checks the peer's key on first use, shows the
 * safety number, hands every session to the file transfer, says goodbye, and hands a lost
 * connection to its {@link ReconnectPolicy}. A session of a reconnection attempt is "pending"
 * until it connects; then it replaces the current one.
 */
final class ChatConversation implements Conversation, PeerSessionListener {

    private static final System.Logger LOG = System.getLogger(ChatConversation.class.getName());

    /** The web app's join notice is "<name> joined the chat", its goodbye "<name> left the chat". */
    static final String JOINED = " joined the chat";
    static final String LEFT = " left the chat";
    /** Channels of plug-ins (the file transfer's "p2pchat-files", "p2pchat-bt/ID"...) are theirs. */
    static final String PLUGIN_CHANNEL_PREFIX = "p2pchat-";
    /** How long a goodbye may take before the session is closed anyway. */
    static final long GOODBYE_MILLIS = 2000;

    /** A negotiated session with the descriptions that made it. */
    record Negotiated(PeerSession session, SessionDescription local, SessionDescription remote) {
    }

    private final DefaultChatClient client;
    private final String id;
    private final String methodId;
    /** Whether we made the connection, and so ask again when it is lost. */
    private final boolean asks;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final ReconnectPolicy reconnect;
    private final IceStrategy ice;

    private volatile PeerAddress peer;
    private final PeerTrust trust;
    private final FileHandOff files;
    private final Delivery delivery;
    private volatile ConversationState state = ConversationState.NEGOTIATING;
    /** The session chatted over (may still be negotiating); null before the first is made. */
    private volatile PeerSession session;
    private volatile Negotiated current;
    /** A reconnection's session, until it connects. */
    private volatile Negotiated pending;
    private volatile CompletableFuture<Void> pendingUp;
    private volatile boolean pendingByPeer;
    private volatile boolean everConnected;
    private volatile boolean ended;
    /** What to stop when the conversation ends (offers still waiting for an answer). */
    private final List<Runnable> onEnd = new java.util.concurrent.CopyOnWriteArrayList<>();

    ChatConversation(DefaultChatClient client, String id, String methodId, PeerAddress peer, boolean asks) {
        this.client = client;
        this.id = id;
        this.methodId = methodId;
        this.peer = peer;
        this.asks = asks;
        this.trust = new PeerTrust(this, peer == null ? "" : peer.name());
        this.files = new FileHandOff(client::files, client.work());
        this.reconnect = new ReconnectPolicy(this);
        this.ice = new IceStrategy(this);
        this.delivery = new Delivery(this);
    }

    DefaultChatClient client() {
        return client;
    }

    boolean asks() {
        return asks;
    }

    // ---- sessions ------------------------------------------------------------------------------

    /** A new session of this conversation: watched by us and by the file transfer before negotiating. */
    PeerSession newSession() throws SessionException {
        PeerSession s = client.createSession();
        s.addListener(this);
        files.attach(s);
        s.peerClient().whenComplete((name, error) -> {
            if (error == null && (s == session || (pending != null && pending.session() == s))) {
                trust.peerClient(name);
            }
        });
        return s;
    }

    /** Says how making the conversation goes, while it has not connected yet. */
    void progress(String text) {
        if (!ended && !everConnected) {
            client.post(new ClientEvent.Progress(this, text));
        }
    }

    /** Who the peer is in what the client says: its name, else its key's fingerprint's start, else its id. */
    String who() {
        String name = trust.name();
        if (name != null && !name.isBlank()) {
            return name;
        }
        PeerAddress p = peer;
        if (p == null) {
            return "your peer";
        }
        if (!p.name().isBlank()) {
            return p.name();
        }
        return p.identity().map(i -> i.fingerprint().substring(0, 19))
                .orElse(p.id().length() <= 28 ? p.id() : p.id().substring(0, 18) + "\u2026" + p.id().substring(p.id().length() - 8));
    }

    /** The first session, while it is negotiated. */
    void use(PeerSession s) {
        session = s;
        if (ended) {
            s.close();
        }
    }

    /** The peer answered from another address (the web app's new id): that is who the chat is with. */
    void answeredFrom(PeerAddress from) {
        if (peer != null && !peer.sameAddress(from)) {
            peer = from;
        }
    }

    /**
     * The descriptions of the first session are exchanged and the peer's proof held (or it sent none):
     * connecting now.
     */
    void negotiated(Negotiated n, Optional<PublicIdentity> identity) {
        client.post(new ClientEvent.PeerIdentified(this, identity, identity
                .map(PeerTrust::signedText)
                .orElse("Your peer's app does not prove its identity (the web app does not): this connection is "
                        + "encrypted but unverified.")));
        // Through a method, nobody carries text by hand any more: the path is found in seconds or not at all.
        negotiatedQuietly(n, identity, peer != null);
    }

    /**
     * As {@link #negotiated}, for a paste whose identity was reported when it was pasted.
     * {@code pathSearchStarts}: both descriptions are applied on both sides now, so the network
     * path has {@link ConnectionAttempt#pathWait()} to be found (not so for the side that gave an
     * answer by hand: the peer may paste it much later).
     */
    void negotiatedQuietly(Negotiated n, Optional<PublicIdentity> identity, boolean pathSearchStarts) {
        verified(n.session(), identity);
        current = n;
        if (pathSearchStarts) {
            java.time.Duration pathWait = ConnectionAttempt.pathWait();
            client.after(pathWait.toMillis()).execute(() -> {
                if (!everConnected && session == n.session()) {
                    end(EndReason.FAILED, ConnectionAttempt.noPath(who(), pathWait));
                }
            });
        }
        if (state == ConversationState.NEGOTIATING) {
            state(ConversationState.CONNECTING, n.session().state());
        }
        ice.negotiated(n.session());
        ConnectionState now = n.session().state();
        if (now == ConnectionState.CONNECTED || now.isFinal()) {
            stateChanged(n.session(), now); // it got there before we did
        }
    }

    private void verified(PeerSession s, Optional<PublicIdentity> identity) {
        files.verified(s, identity);
        trust.verified(identity);
        delivery.identified(identity, shownName());
        trust.identifiedIn(delivery.historyId());
    }

    /** A reconnection's session was negotiated; it replaces the current one once connected. */
    CompletableFuture<Void> pending(Negotiated n, Optional<PublicIdentity> identity, boolean byPeer) {
        CompletableFuture<Void> up = new CompletableFuture<>();
        pendingUp = up;
        pendingByPeer = byPeer;
        pending = n;
        files.verified(n.session(), identity);
        if (n.session().state() == ConnectionState.CONNECTED) {
            stateChanged(n.session(), ConnectionState.CONNECTED);
        }
        return up;
    }

    /** The reconnection attempt's session gave up before connecting. */
    void dropPending(PeerSession s) {
        Negotiated p = pending;
        if (p != null && p.session() == s) {
            pending = null;
        }
        s.close();
    }

    private void promote(Negotiated n) {
        Negotiated old = current;
        current = n;
        session = n.session();
        pending = null;
        trust.newSession();
        boolean byPeer = pendingByPeer;
        CompletableFuture<Void> up = pendingUp;
        reconnect.succeeded();
        delivery.connected(n.session());
        if (old != null && old.session() != n.session()) {
            CompletableFuture.runAsync(old.session()::close, client.work());
        }
        state(ConversationState.CONNECTED, ConnectionState.CONNECTED);
        showSafetyNumber();
        client.post(new ClientEvent.Reconnected(this, byPeer));
        // Its path was found while it was pending, and not reported then.
        n.session().selectedPath().ifPresent(path -> client.post(new ClientEvent.PathSelected(this, path)));
        if (up != null) {
            up.complete(null);
        }
    }

    // ---- session events ------------------------------------------------------------------------

    @Override
    public void stateChanged(PeerSession s, ConnectionState connection) {
        Negotiated p = pending;
        if (p != null && p.session() == s) {
            pendingStateChanged(p, connection);
            return;
        }
        if (s != session || ended) {
            return;
        }
        if (current == null && !connection.isFinal()) {
            return; // not negotiated yet: negotiated() takes it from here
        }
        if (connection == ConnectionState.CONNECTED) {
            boolean back = everConnected && state == ConversationState.RECONNECTING;
            everConnected = true;
            ice.connected();
            reconnect.succeeded(); // back by an ICE restart: a wait for the peer's reconnection ends
            delivery.connected(s);
            state(ConversationState.CONNECTED, connection);
            connected.complete(null);
            showSafetyNumber();
            if (back) {
                // The same session, back by an ICE restart after it was given up as lost.
                client.post(new ClientEvent.Reconnected(this, !asks));
            }
        } else if (connection == ConnectionState.CLOSED) {
            // After what came before the close is shown (the peer's goodbye ends it first).
            delivery.afterwards(() -> end(EndReason.PEER_LEFT, shownName() + " closed the connection."));
        } else if (connection == ConnectionState.FAILED) {
            if (ice.interrupted(s, "ICE failed")) {
                // An ICE restart may bring it back; if not, restartFailed follows.
                if (everConnected) {
                    state(ConversationState.RECONNECTING, connection);
                }
                return;
            }
            afterFailure(s);
        } else {
            if (connection == ConnectionState.DISCONNECTED && everConnected) {
                // The path stopped working (a network change, a dead TURN server): a new one is looked for.
                ice.interrupted(s, "the path stopped working");
            }
            state(state, connection);
        }
    }

    /** An ICE restart of the current session {@code s} did not bring it back. */
    void restartFailed(PeerSession s) {
        if (s == session && !ended) {
            afterFailure(s);
        }
    }

    private void afterFailure(PeerSession s) {
        if (!everConnected) {
            end(EndReason.FAILED, "Could not connect: the connection failed. Check that both sides used fresh "
                    + "descriptions and that a path exists (STUN/TURN).");
        } else {
            lost();
        }
    }

    private void pendingStateChanged(Negotiated p, ConnectionState connection) {
        CompletableFuture<Void> up = pendingUp;
        if (connection == ConnectionState.CONNECTED) {
            promote(p);
        } else if (connection.isFinal() && up != null) {
            up.completeExceptionally(new SessionException("the new connection failed too"));
        }
    }

    /** The connection was lost for good: made again where the method can, else the conversation ends. */
    private void lost() {
        if (!client.canReconnect(methodId) || peer == null) {
            end(EndReason.LOST, "The connection was lost; a manual exchange has no way to reconnect by itself. "
                    + "Start a new exchange to chat again.");
            return;
        }
        state(ConversationState.RECONNECTING, ConnectionState.FAILED);
        delivery.disconnected();
        if (asks) {
            reconnect.start();
        } else {
            reconnect.await();
        }
    }

    @Override
    public void pathSelected(PeerSession s, CandidatePath path) {
        if (s == session) {
            LOG.log(Level.INFO, "conversation {0}: path {1}", id, path);
            client.post(new ClientEvent.PathSelected(this, path));
        }
    }

    /** The DTLS fingerprints of the peer's side of {@code s}, if {@code s} is the current session. */
    Optional<List<String>> remoteFingerprintsOf(PeerSession s) {
        Negotiated n = current;
        return n == null || n.session() != s ? Optional.empty()
                : Optional.of(org.p2pchat.core.identity.DtlsFingerprints.of(n.remote().sdp()));
    }

    /** Whether {@code s} is the session chatted over now. */
    boolean isCurrent(PeerSession s) {
        return s == session;
    }

    /**
     * Whether {@code offer} (proving {@code identity}) is our peer restarting ICE of the current
     * session; if so it is answered on that session.
     */
    boolean restartedBy(InboundOffer offer, Optional<PublicIdentity> identity) {
        Negotiated n = current;
        if (ended || n == null || n.session() != session
                || !IceStrategy.restarts(n.remote(), offer, identity, trust.identity(), peer)) {
            return false;
        }
        ice.acceptRestart(n.session(), offer);
        return true;
    }

    @Override
    public void messageReceived(PeerSession s, ChatMessage m) {
        // A message from a replaced session is still shown. Join notices are not stored (one a session).
        if (m.isSystemNotice() && m.content().endsWith(JOINED)) {
            client.post(new ClientEvent.MessageReceived(this, m));
            String name = m.content().substring(0, m.content().length() - JOINED.length());
            trust.joined(name);
            delivery.named(name);
            return;
        }
        delivery.received(s, m);
        if (m.isSystemNotice() && m.content().endsWith(LEFT) && s == session) {
            // The peer said goodbye: it closes next; no reconnecting.
            delivery.afterwards(() -> end(EndReason.PEER_LEFT, m.content() + "."));
        }
    }

    @Override
    public void acknowledged(PeerSession s, long seq) {
        delivery.acknowledged(s, seq);
    }

    @Override
    public void unknownMessage(PeerSession s, String type, String json) {
        String text = type.equals("webtorrent-file")
                ? "Your peer offered a file from the web app; file exchange with the web app is not possible"
                        + (!files.installed() ? "." : " (the file plug-in told them so in the chat).")
                : "Your peer sent a message of type '" + type + "' that this client does not handle.";
        client.post(new ClientEvent.Notice(this, text));
    }

    @Override
    public void dataChannelOpened(PeerSession s, PeerDataChannel channel) {
        if (!channel.label().startsWith(PLUGIN_CHANNEL_PREFIX)) {
            client.post(new ClientEvent.ChannelOpened(this, channel));
        }
    }

    @Override
    public void problem(PeerSession s, String description) {
        if (s == session) {
            client.post(new ClientEvent.Notice(this, "Problem: " + description));
        }
    }

    private void showSafetyNumber() {
        trust.showSafetyNumber(current);
    }

    void state(ConversationState next, ConnectionState connection) {
        synchronized (this) {
            if (state == ConversationState.ENDED) {
                return;
            }
            state = next;
        }
        client.post(new ClientEvent.StateChanged(this, next, connection));
        if (next == ConversationState.CONNECTED || next == ConversationState.RECONNECTING) {
            historyId().ifPresent(client.list()::changed); // online or not
        }
    }

    /** Ends the conversation once: no more reconnecting, every session closed. */
    void end(EndReason reason, String text) {
        end(reason, text, new SessionException(text));
    }

    private void end(EndReason reason, String text, Throwable why) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            state = ConversationState.ENDED;
        }
        reconnect.stop();
        delivery.ended();
        for (Runnable action : onEnd) {
            if (onEnd.remove(action)) {
                action.run();
            }
        }
        PeerSession s = session;
        Negotiated p = pending;
        CompletableFuture.runAsync(() -> {
            if (s != null) {
                s.close();
            }
            if (p != null) {
                p.session().close();
            }
        }, client.work());
        LOG.log(Level.DEBUG, "conversation {0} ended: {1} {2}", id, reason, text);
        // Out of the client's list before anyone hears of the end, so a listener never sees it there.
        client.ended(this);
        client.post(new ClientEvent.StateChanged(this, ConversationState.ENDED,
                s == null ? ConnectionState.CLOSED : s.state()));
        client.post(new ClientEvent.Ended(this, reason, text));
        connected.completeExceptionally(why);
    }

    /** Runs {@code action} when the conversation ends (at once if it has). */
    void onEnd(Runnable action) {
        onEnd.add(action);
        if (ended && onEnd.remove(action)) {
            action.run();
        }
    }

    void removeOnEnd(Runnable action) {
        onEnd.remove(action);
    }

    /** The negotiation failed: the conversation never started. */
    void failed(Throwable error) {
        end(EndReason.FAILED, DefaultChatClient.message(error), DefaultChatClient.cause(error));
    }

    boolean isEnded() {
        return ended;
    }

    String shownName() {
        String name = trust.name();
        return name == null || name.isBlank() ? (peer == null ? "Your peer" : peer.shown()) : name;
    }

    /** Whether {@code from}, proving {@code identity}, continues this conversation (a reconnection of its peer). */
    boolean continuedBy(PeerAddress from, Optional<PublicIdentity> identity) {
        PeerAddress p = peer;
        Optional<PublicIdentity> known = trust.identity();
        return !ended && everConnected && p != null && p.sameAddress(from) && known.isPresent() && known.equals(identity);
    }

    ReconnectPolicy reconnectPolicy() {
        return reconnect;
    }

    // ---- Conversation --------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public String methodId() {
        return methodId;
    }

    @Override
    public Optional<PeerAddress> peer() {
        return Optional.ofNullable(peer);
    }

    @Override
    public String peerName() {
        return trust.name();
    }

    @Override
    public Optional<PublicIdentity> peerIdentity() {
        return trust.identity();
    }

    @Override
    public boolean peerIsWebApp() {
        return trust.webApp();
    }

    @Override
    public ConversationState state() {
        return state;
    }

    @Override
    public ConnectionState connectionState() {
        PeerSession s = session;
        return s == null ? ConnectionState.NEW : s.state();
    }

    @Override
    public Optional<CandidatePath> path() {
        PeerSession s = session;
        return s == null ? Optional.empty() : s.selectedPath();
    }

    @Override
    public Optional<String> safetyNumber() {
        return trust.safetyNumber();
    }

    @Override
    public Verification verification() {
        return trust.verification();
    }

    @Override
    public void markVerified(boolean verified) {
        trust.markVerified(verified);
    }

    @Override
    public CompletableFuture<Void> connected() {
        return connected.copy();
    }

    /** The current session if it is connected; else why not. */
    private PeerSession connectedSession() throws SessionException {
        PeerSession s = session;
        if (s == null || s.state() != ConnectionState.CONNECTED) {
            throw new SessionException("Not sent: not connected ("
                    + (s == null ? "negotiating" : s.state().name().toLowerCase(Locale.ROOT)) + ").");
        }
        return s;
    }

    @Override
    public CompletableFuture<ChatMessage> send(String text) {
        return delivery.send(text);
    }

    @Override
    public Optional<String> historyId() {
        return Optional.ofNullable(delivery.historyId());
    }

    @Override
    public boolean bestEffort() {
        return trust.webApp() || !Delivery.ACKS;
    }

    /** Sends one of our undelivered messages of this conversation again. */
    CompletableFuture<Void> sendAgain(String messageId) {
        return connected.copy().thenCompose(up -> delivery.sendAgain(messageId));
    }

    @Override
    public CompletableFuture<Long> ping() {
        try {
            return connectedSession().ping();
        } catch (SessionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<PeerDataChannel> openDataChannel(String label) {
        try {
            return connectedSession().openDataChannel(label);
        } catch (SessionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean canSendFiles() {
        return files.canSend(session, trust.webApp());
    }

    @Override
    public CompletableFuture<TransferStatus> sendFiles(List<Path> paths) {
        return files.send(this::connectedSession, paths);
    }

    @Override
    public CompletableFuture<Void> leave() {
        reconnect.stop();
        PeerSession s = session;
        String left = everConnected ? "You left the chat." : "Cancelled: you stopped connecting to " + who() + ".";
        if (ended || s == null) {
            end(EndReason.WE_LEFT, left);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> said = s.state() == ConnectionState.CONNECTED
                ? s.send(ChatMessage.create(ChatMessage.SYSTEM_SENDER, client.displayName() + LEFT))
                        .orTimeout(GOODBYE_MILLIS, TimeUnit.MILLISECONDS)
                : CompletableFuture.completedFuture(null);
        return said.handle((ok, error) -> {
            end(EndReason.WE_LEFT, left);
            return null;
        });
    }

    @Override
    public String toString() {
        return "Conversation " + id + " with " + shownName() + " (" + state + ")";
    }
}
