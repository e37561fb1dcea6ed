package org.p2pchat.core.wire;

import org.p2pchat.core.ChatMessage;

/** What one JSON text frame on the chat channel turned out to be. */
public sealed interface WireMessage {

    /**
     * A chat line (or the web app's system notice).
     *
     * @param client the peer's client name if it sent one (our clients do, the web app does not)
     */
    record Chat(ChatMessage message, String client) implements WireMessage {
    }

    /** A transport-level ping our clients answer by themselves. */
    record Ping(String id) implements WireMessage {
    }

    record Pong(String id) implements WireMessage {
    }

    /**
     * Our clients' cumulative acknowledgement: the peer stored every sequenced message up to
     * {@code seq} ({@link ChatMessage#seq()}).
     */
    record Ack(long seq) implements WireMessage {
    }

    /** Valid JSON with a {@code type} we do not handle, e.g. the web app's file offer. */
    record Unknown(String type, String json) implements WireMessage {
    }

    /** Not a message at all; {@code reason} says what is wrong. */
    record Malformed(String reason) implements WireMessage {
    }
}
