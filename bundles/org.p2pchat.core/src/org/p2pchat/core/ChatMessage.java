package org.p2pchat.core;

import java.util.Objects;
import java.util.UUID;

/**
 * One chat line as the original web app puts it on the wire:
 * {@code {"id", "content", "sender", "timestamp"}}.
 *
 * @param id        unique per message, chosen by the sender
 * @param content   the text, any length up to the session's message cap
 * @param sender    the sender's display name; {@value #SYSTEM_SENDER} marks a system notice
 * @param timestamp milliseconds since the epoch, sender's clock
 */
public record ChatMessage(String id, String content, String sender, long timestamp) {

    /** The sender name the web app uses for notices such as "alice joined the chat". */
    public static final String SYSTEM_SENDER = "system";

    public ChatMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sender, "sender");
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
