package org.p2pchat.history;

/** A message that matched a search, with its conversation. */
public record SearchHit(ConversationRecord conversation, StoredMessage message) {
}
