package org.p2pchat.client.core;

import java.util.Optional;

import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.ConversationSummary;

/**
 * A line of the list of conversations: a conversation of the history, whether its peer can be
 * reached now, and the live conversation with it if there is one.
 *
 * @param summary the stored conversation, its newest message and unread count
 * @param online  whether its peer is connected, or listed by a method that is online
 * @param live    the conversation going on with the peer, if any
 */
public record ConversationEntry(ConversationSummary summary, boolean online, Optional<Conversation> live) {

    /** The history's id of the conversation. */
    public String id() {
        return summary.conversation().id();
    }

    /** The peer's name as last announced. */
    public String peerName() {
        return summary.conversation().peerName();
    }

    /**
     * Whether the person verified the peer's key: the live conversation's state (which knows of a
     * changed key), else the mark kept in the history.
     */
    public Verification verification() {
        if (live.isPresent() && live.get().verification() != Verification.UNSIGNED) {
            return live.get().verification();
        }
        ConversationRecord record = summary.conversation();
        return record.peerKey().isEmpty() ? Verification.UNSIGNED
                : record.verified() ? Verification.VERIFIED : Verification.NOT_VERIFIED;
    }
}
