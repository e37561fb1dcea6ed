package org.p2pchat.history;

/** Who a stored message is from. */
public enum Direction {
    /** We sent it. */
    OUTGOING,
    /** The peer sent it. */
    INCOMING,
    /** A line the client shows in the conversation ("Bob joined the chat", "Bob left"). */
    NOTICE
}
