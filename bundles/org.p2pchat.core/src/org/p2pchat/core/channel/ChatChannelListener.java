package org.p2pchat.core.channel;

import org.osgi.annotation.versioning.ConsumerType;
import org.p2pchat.core.ChatMessage;

/** Events of a {@link ChatChannel}, on the transport's thread, which must not be blocked. */
@ConsumerType
public interface ChatChannelListener {

    /** The channel opened; our join notice is on its way. */
    default void opened() {
    }

    default void messageReceived(ChatMessage message) {
    }

    /**
     * The peer acknowledged every sequenced message up to {@code seq} ({@link ChatChannel#acknowledge}).
     */
    default void acknowledged(long seq) {
    }

    /**
     * A well-formed message of a type the chat does not handle (for example the web app's file
     * offer).
     *
     * @param type the message's {@code type} field
     * @param json the whole message as received
     */
    default void unknownMessage(String type, String json) {
    }

    /** Something the peer sent was dropped (bad frame, malformed message); the chat goes on. */
    default void problem(String description) {
    }

    /** The channel closed after it had opened (the web app hangs up this way). Comes once. */
    default void closed() {
    }
}
