package org.p2pchat.core;

/** The life cycle of a {@link PeerSession}, as a user sees it. */
public enum ConnectionState {
    /** Created; nothing negotiated yet. */
    NEW,
    /** Descriptions exchanged or being exchanged; ICE and DTLS are working. */
    CONNECTING,
    /** The chat channel is open: messages flow. */
    CONNECTED,
    /** The path was lost; it may come back by itself (ICE keeps trying). */
    DISCONNECTED,
    /** ICE or DTLS gave up; only a new exchange can connect again. */
    FAILED,
    /** Closed by either side; final. */
    CLOSED;

    public boolean isFinal() {
        return this == FAILED || this == CLOSED;
    }
}
