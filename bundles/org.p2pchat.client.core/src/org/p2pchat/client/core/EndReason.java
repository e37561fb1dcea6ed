package org.p2pchat.client.core;

/** Why a conversation ended. */
public enum EndReason {
    /** We left ({@link Conversation#leave()}, or the client closed). */
    WE_LEFT,
    /** The peer said goodbye, or closed the connection. */
    PEER_LEFT,
    /** The connection was lost and could not be made again (or cannot be, after a manual exchange). */
    LOST,
    /** It never connected: the negotiation failed or the connection could not be made. */
    FAILED
}
