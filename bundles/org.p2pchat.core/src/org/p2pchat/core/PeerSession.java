package org.p2pchat.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One encrypted connection to one peer, carrying the {@code chat} channel and any number of
 * binary data channels.
 * <p>
 * Negotiation is non-trickle: {@link #createOffer()} and {@link #acceptOffer} complete once ICE
 * gathering has finished, so the description holds every candidate and can be handed over in
 * one piece (copy and paste, or one rendezvous message).
 * <p>
 * Listener callbacks and future completions run on a transport thread, never on a UI thread.
 */
@ProviderType
public interface PeerSession extends AutoCloseable {

    /** The label of the ordered, reliable channel that carries chat messages, as in the web app. */
    String CHAT_CHANNEL_LABEL = "chat";

    /** Starts negotiation as the offerer; completes with the full offer. */
    CompletableFuture<SessionDescription> createOffer();

    /** Answers a remote offer; completes with the full answer to send back. */
    CompletableFuture<SessionDescription> acceptOffer(SessionDescription offer);

    /** Completes negotiation as the offerer. */
    CompletableFuture<Void> acceptAnswer(SessionDescription answer);

    /**
     * Adds a candidate the peer trickled. Candidates that arrive before the remote description
     * are kept and applied once it is set (libwebrtc would drop them silently).
     *
     * @throws SessionException if the candidate is not valid
     */
    void addRemoteCandidate(IceCandidate candidate) throws SessionException;

    /**
     * ICE restart, as the side that offered: the session's STUN/TURN servers become {@code servers},
     * new ICE credentials are made and candidates gathered again; completes with the full offer to
     * carry to the peer, whose answer goes to {@link #acceptAnswer}. The channels and what is queued
     * on them stay: the conversation goes on over the path found next. Only on a negotiated session.
     */
    default CompletableFuture<SessionDescription> restartIce(List<IceServer> servers) {
        return CompletableFuture.failedFuture(new SessionException("This connection cannot restart ICE."));
    }

    /**
     * ICE restart, as the side that answered: applies the peer's restart offer (made by its
     * {@link #restartIce}) to this negotiated session with {@code servers} as its STUN/TURN servers;
     * completes with the full answer to send back.
     */
    default CompletableFuture<SessionDescription> acceptRestart(SessionDescription offer, List<IceServer> servers) {
        return CompletableFuture.failedFuture(new SessionException("This connection cannot restart ICE."));
    }

    ConnectionState state();

    /** The candidate pair in use, once connected. */
    Optional<CandidatePath> selectedPath();

    /**
     * Queues a chat message. Messages of any size up to the configured cap are delivered whole and
     * in order. The future completes when the message has been handed to the channel, or fails
     * with a {@link SessionException} saying why it could not be sent.
     */
    CompletableFuture<Void> send(ChatMessage message);

    /**
     * Tells the peer's client that every sequenced message up to {@code seq} is stored (a cumulative
     * acknowledgement, {@code {"type":"ack","seq":N}}); queued behind what was sent before. Only for a
     * peer running our client (the web app would show nothing, but has no use for it). A session that
     * cannot carry acknowledgements ignores it.
     */
    default void acknowledge(long seq) {
    }

    /**
     * Sends a ping the peer's transport answers by itself; completes with the round-trip time in
     * nanoseconds.
     */
    CompletableFuture<Long> ping();

    /**
     * The client the peer named in its join notice ({@code "p2pchat-..."} for ours). Completes when
     * that notice arrives, with {@code ""} if it names none (the web app); fails with a
     * {@link SessionException} if the session closes first. Plug-ins use it to tell whether the
     * peer can take part in what only our clients speak (file transfer).
     */
    CompletableFuture<String> peerClient();

    /**
     * The name we go by in this session (the display name of its {@link SessionConfig}), which
     * plug-ins use when they introduce us; empty if the session has none.
     */
    default String displayName() {
        return "";
    }

    /** Opens an extra ordered, reliable binary channel (file transfer, benchmarks). */
    CompletableFuture<PeerDataChannel> openDataChannel(String label);

    void addListener(PeerSessionListener listener);

    void removeListener(PeerSessionListener listener);

    /** Closes every channel and the connection; idempotent. */
    @Override
    void close();
}
