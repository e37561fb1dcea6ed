package org.p2pchat.client.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PeerAddress;

/**
 * A chat with one peer. It outlives the sessions it runs over: when the connection is lost it
 * is made again through its method where the method can, and goes on.
 */
@ProviderType
public interface Conversation {

    /** Unique within the client. */
    String id();

    /** The id of the method it was made with. */
    String methodId();

    /** The peer's address; empty for a pasted exchange. */
    Optional<PeerAddress> peer();

    /** The peer's name: from its join notice once it came, else from its address; may be empty. */
    String peerName();

    /** The peer's verified identity; empty while unknown and for an unverified peer (the web app). */
    Optional<PublicIdentity> peerIdentity();

    /** Whether the peer runs the web app (it named no client of ours in its join notice). */
    boolean peerIsWebApp();

    ConversationState state();

    /** The current session's connection state (for views that show it as is). */
    ConnectionState connectionState();

    /** The candidate pair in use, once connected. */
    Optional<CandidatePath> path();

    /**
     * The number two people compare to rule out a man in the middle, once the peer proved its key:
     * derived from the two identity keys only, so the same on both sides, on every connection and
     * after restarts. Empty for a peer that proves no key (the web app).
     */
    Optional<String> safetyNumber();

    /**
     * Whether the person verified the peer's key: not verified until they compare the safety number
     * and {@link #markVerified mark} it; a changed key of a known contact is
     * {@link Verification#KEY_CHANGED}. Changes are reported as {@link ClientEvent.VerificationChanged}.
     */
    Verification verification();

    /**
     * The person compared the safety number and marks the peer's key verified ({@code true}), or takes
     * the mark back ({@code false}). Kept in the history with the key, so it survives restarts. After a
     * {@link Verification#KEY_CHANGED key change} either call acknowledges the new key as the
     * contact's (verified or not).
     *
     * @throws IllegalStateException if the peer proved no identity key (nothing to verify)
     */
    void markVerified(boolean verified);

    /** Completes when first connected; fails with the reason it could not connect. */
    CompletableFuture<Void> connected();

    /**
     * The id of this conversation in the history ({@link ChatClient#conversationList()}), once the
     * peer is identified: the same for every conversation with a peer that proves its identity, a new
     * one for each with the web app. Empty while negotiating.
     */
    Optional<String> historyId();

    /**
     * Whether our messages get no acknowledgement, so their delivery is best effort: the peer runs
     * the web app. Our clients acknowledge every message, and what was not acknowledged is sent again
     * after a reconnection.
     */
    boolean bestEffort();

    /**
     * Sends a chat message under our name. It is stored first ({@link ClientEvent.MessageSent}, state
     * SENDING), then handed to the connection (SENT), acknowledged by the peer's client (DELIVERED):
     * each step is reported as {@link ClientEvent.DeliveryChanged}. While the conversation
     * reconnects, a message to our client is kept and sent once it is back. Completes once stored;
     * fails with a reason (ended, not connected to a web app peer, too large).
     */
    CompletableFuture<ChatMessage> send(String text);

    /** One round trip to our peer's client, in nanoseconds (our clients only). */
    CompletableFuture<Long> ping();

    /** Opens an extra binary channel of the current session (benchmarks). */
    CompletableFuture<PeerDataChannel> openDataChannel(String label);

    /** Whether files can be offered: a file transfer is installed and the peer runs our client. */
    boolean canSendFiles();

    /** Offers files to the peer; fails with a reason a person can act on. */
    CompletableFuture<TransferStatus> sendFiles(List<Path> files);

    /** Says goodbye as the web app does, closes, and stops reconnecting; idempotent. */
    CompletableFuture<Void> leave();
}
