package org.p2pchat.client.core;

/** Where a conversation is, as a person sees it. */
public enum ConversationState {
    /** Descriptions are being exchanged (pasted, or carried by a provider). */
    NEGOTIATING,
    /** Descriptions exchanged; the connection is being made. */
    CONNECTING,
    /** Chatting. */
    CONNECTED,
    /** The connection was lost and is being made again by itself. */
    RECONNECTING,
    /** Over: we left, the peer left, or it was lost for good ({@link ClientEvent.Ended} says which). */
    ENDED;

    public boolean isFinal() {
        return this == ENDED;
    }
}
