package org.p2pchat.history;

/**
 * One line of a conversation's history.
 *
 * @param row            the history's own number for it, increasing in the order stored (pages use it)
 * @param conversationId the conversation it belongs to ({@link ConversationRecord#id()})
 * @param messageId      the id the sender gave it (the wire's {@code id})
 * @param direction      ours, the peer's, or a notice
 * @param seq            its delivery sequence number in its direction (1, 2, ...), or 0 if it has none
 *                       (a notice, a message from the web app, ours to the web app)
 * @param sender         the sender's display name as shown
 * @param text           the text
 * @param timestamp      milliseconds since the epoch, by the sender's clock
 * @param state          how far delivery got
 */
public record StoredMessage(long row, String conversationId, String messageId, Direction direction, long seq,
        String sender, String text, long timestamp, DeliveryState state) {
}
