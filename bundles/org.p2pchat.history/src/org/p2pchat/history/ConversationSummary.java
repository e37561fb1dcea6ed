package org.p2pchat.history;

import java.util.Optional;

/**
 * A conversation as the list of conversations shows it.
 *
 * @param conversation the conversation
 * @param last         its newest message, if any
 * @param unread       how many messages from the peer came after {@link MessageHistory#markRead}
 */
public record ConversationSummary(ConversationRecord conversation, Optional<StoredMessage> last, int unread) {
}
