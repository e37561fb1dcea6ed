package org.p2pchat.history;

import java.util.List;

/**
 * Consecutive messages of one conversation, oldest first.
 *
 * @param messages the messages
 * @param hasOlder whether older messages exist before the first of these
 */
public record HistoryPage(List<StoredMessage> messages, boolean hasOlder) {

    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
