package org.p2pchat.core;

import java.util.Objects;
import java.util.UUID;

/**
 * One chat line as the original web app puts it on the wire:
 * {@code {"id", "content", "sender", "timestamp"}}, plus the delivery sequence number our clients
 * add for a peer running our client ({@code "seq"}; the web app ignores it).
 *
 * @param id        unique per message, chosen by the sender
 * @param content   the text, any length up to the session's message cap
 * @param sender    the sender's display name; {@value #SYSTEM_SENDER} marks a system notice
 * @param timestamp milliseconds since the epoch, sender's clock
 * @param seq       its delivery sequence number in its conversation and direction (1, 2, ...), which
 *                  the peer acknowledges; 0 for none (the web app's messages, ours to it, notices)
 */
public record ChatMessage(String id, String content, String sender, long timestamp, long seq) {

    /** The sender name the web app uses for notices such as "alice joined the chat". */
    public static final String SYSTEM_SENDER = "system";

    public ChatMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sender, "sender");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
    }

    /** A message without a sequence number, as the web app sends it. */
    public ChatMessage(String id, String content, String sender, long timestamp) {
        this(id, content, sender, timestamp, 0);
    }

    /** This message with delivery sequence number {@code seq} (0: none). */
    public ChatMessage withSeq(long seq) {
        return new ChatMessage(id, content, sender, timestamp, seq);
    }

    /** A new message from {@code sender}, stamped now. */
    public static ChatMessage create(String sender, String content) {
        return new ChatMessage(UUID.randomUUID().toString(), content, sender, System.currentTimeMillis());
    }

    /** The notice each side sends when the channel opens, as the web app does. */
    public static ChatMessage joinNotice(String username) {
        return create(SYSTEM_SENDER, username + " joined the chat");
    }

    public boolean isSystemNotice() {
        return SYSTEM_SENDER.equals(sender);
    }
}
