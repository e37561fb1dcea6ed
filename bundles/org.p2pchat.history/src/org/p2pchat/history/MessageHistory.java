package org.p2pchat.history;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One profile's conversations and messages. Every method that changes something commits before it
 * returns, durably enough that the change survives the process being killed the next moment (not
 * necessarily a power cut); so the client layer acknowledges a message, and shows ours as sent, only
 * after the call storing it returned. Thread-safe. Methods fail with an unchecked
 * {@link IllegalStateException} carrying a person's message if the database fails underneath (disk
 * full), and with {@link IllegalArgumentException} for an unknown conversation id.
 */
@ProviderType
public interface MessageHistory extends AutoCloseable {

    // ---- conversations ---------------------------------------------------------------------------

    /**
     * The conversation with the peer of identity key {@code peerKey}, made if there is none; its
     * stored name is updated to {@code peerName} if that is not blank.
     */
    ConversationRecord conversationWith(String peerKey, String peerName);

    /** A new conversation with a peer that proves no identity (the web app); {@code bestEffort} is set. */
    ConversationRecord newUnverifiedConversation(String peerName);

    Optional<ConversationRecord> conversation(String conversationId);

    /** Conversations by newest activity first (a conversation without messages by its creation). */
    List<ConversationSummary> conversations();

    /** One conversation's summary. */
    Optional<ConversationSummary> summary(String conversationId);

    /** The peer announced another name. */
    void rename(String conversationId, String peerName);

    /** Records that the person compared the safety number ({@code true}) or that the key changed ({@code false}). */
    void setVerified(String conversationId, boolean verified);

    /** Forgets a conversation and all its messages. */
    void delete(String conversationId);

    // ---- messages --------------------------------------------------------------------------------

    /**
     * Stores a message of ours, state {@link DeliveryState#SENDING}, with the conversation's next
     * outgoing sequence number if {@code sequenced} (our peer acknowledges), else 0.
     */
    StoredMessage addOutgoing(String conversationId, String messageId, String sender, String text, long timestamp,
            boolean sequenced);

    /**
     * Stores a message from the peer unless it is a repeat: a sequenced message ({@code seq > 0}) is
     * stored only if {@code seq} is above {@link #receivedSeq}, which becomes {@code seq} in the same
     * transaction; an unsequenced one only if no message of that id is stored in the conversation.
     *
     * @return the stored message, or empty for a repeat (acknowledge it again, show nothing)
     */
    Optional<StoredMessage> addIncoming(String conversationId, String messageId, long seq, String sender, String text,
            long timestamp);

    /** Stores a notice line (state {@link DeliveryState#RECEIVED}). */
    StoredMessage addNotice(String conversationId, String text, long timestamp);

    /** The highest sequence number stored from the peer (0 if none): what we tell it we have. */
    long receivedSeq(String conversationId);

    /** Sets the state of one of our messages. */
    void setState(String conversationId, String messageId, DeliveryState state);

    /**
     * The peer acknowledged everything up to {@code seq}: our sequenced messages up to it become
     * {@link DeliveryState#DELIVERED}.
     *
     * @return the messages that changed state, oldest first
     */
    List<StoredMessage> acknowledge(String conversationId, long seq);

    /**
     * The peer says it has our messages up to {@code seq}. If that is more than we ever numbered
     * (this history lost what it sent to the peer: a new installation with the same key, a history
     * made again), our numbering goes on after {@code seq}, and our messages not acknowledged yet are
     * numbered again after it, in their order, so that the peer does not take them for repeats.
     * Otherwise nothing changes.
     *
     * @return the messages numbered again, oldest first; empty if none was
     */
    List<StoredMessage> continueNumberingAfter(String conversationId, long seq);

    /** Our sequenced messages not acknowledged yet (any state but DELIVERED), by sequence number. */
    List<StoredMessage> unacknowledged(String conversationId);

    /** The message of that id in the conversation. */
    Optional<StoredMessage> message(String conversationId, String messageId);

    // ---- reading -------------------------------------------------------------------------------

    /** Up to {@code limit} messages before row {@code beforeRow} ({@link Long#MAX_VALUE}: the newest). */
    HistoryPage page(String conversationId, long beforeRow, int limit);

    /**
     * Messages whose text contains {@code text} (case-insensitive), in every conversation, newest
     * first, at most {@code limit}.
     */
    List<SearchHit> search(String text, int limit);

    /** Everything from the peer up to now counts as read. */
    void markRead(String conversationId);

    /** The conversation as plain text, one line per message with its time and sender, oldest first. */
    String export(String conversationId);

    /** Closes the database; idempotent. */
    @Override
    void close();
}
