package org.p2pchat.history;

/**
 * How far one of our messages got. A peer running the web app never acknowledges: our messages to it
 * stay {@link #SENT} (best effort).
 */
public enum DeliveryState {
    /** Stored, waiting to be handed to a connection (not connected, or reconnecting). */
    SENDING,
    /** Handed to the connection; not acknowledged yet. */
    SENT,
    /** The peer's client acknowledged it (stored in its history). */
    DELIVERED,
    /** The conversation ended before the peer acknowledged it; sent again when the chat is back. */
    NOT_DELIVERED,
    /** A message we received (or a notice). */
    RECEIVED
}
