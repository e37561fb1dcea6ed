package org.p2pchat.core.channel;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Events of a {@link MessageChannel}, on the transport's thread, which must not be blocked (with
 * WebRTC it is the thread that drains the send buffer). Each of {@link #opened()} and
 * {@link #closed()} comes at most once.
 */
@ConsumerType
public interface MessageChannelListener {

    default void opened() {
    }

    /** One whole message; the array is the listener's to keep. */
    default void received(byte[] message, boolean binary) {
    }

    /** Closed by either side, or with its connection. */
    default void closed() {
    }
}
