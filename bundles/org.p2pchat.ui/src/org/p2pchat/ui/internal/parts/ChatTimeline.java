package org.p2pchat.ui.internal.parts;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.eclipse.swt.widgets.Composite;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.DeliveryState;

/**
 * The timeline of one chat: its {@link MessageList} over the conversation's history once known
 * (the newest page at once, older ones as the person scrolls up), our messages' delivery with
 * "Send again", and finding a stored message (a search result).
 */
final class ChatTimeline {

    private final MessageList messages;
    private final Supplier<ChatClient> client;
    /** The conversation's history, once known. */
    private HistoryPages history;
    private ConversationRecord record;

    ChatTimeline(Composite parent, Supplier<ChatClient> client) {
        this.client = client;
        messages = new MessageList(parent);
        messages.onSendAgain(this::sendAgain);
    }

    MessageList messages() {
        return messages;
    }

    /** Nothing shown, no history. */
    void clear() {
        history = null;
        record = null;
        messages.clear();
    }

    /** Whether the history of the conversation is known. */
    boolean bound() {
        return history != null;
    }

    Optional<String> historyId() {
        return history == null ? Optional.empty() : Optional.of(history.historyId());
    }

    /** The stored conversation, once known; null before. */
    ConversationRecord record() {
        return record;
    }

    /** Shows the history {@code historyId}: its newest page, with the lines shown so far that it does not hold after it. */
    void bind(String historyId) {
        ChatClient c = client.get();
        if (c == null) {
            return;
        }
        HistoryPages pages = new HistoryPages(c, historyId);
        history = pages;
        try {
            record = pages.record().orElse(null);
            messages.history(pages.newest(), pages);
        } catch (RuntimeException e) {
            messages.add(ShownMessage.Kind.ERROR, "Could not read the history: " + Ui.message(e));
        }
    }

    /** One of our messages got further, or did not. */
    void delivery(String messageId, DeliveryState newState) {
        messages.state(messageId, newState);
    }

    /** As {@link #delivery}, for a message of a history (this one or another) that is not live. */
    void historyDelivery(String historyId, String messageId, DeliveryState newState) {
        if (history != null && history.historyId().equals(historyId)) {
            messages.state(messageId, newState);
        }
    }

    /** "Send again" on one of our messages that was not delivered. */
    private void sendAgain(ShownMessage m) {
        ChatClient c = client.get();
        if (history == null || c == null) {
            messages.add(ShownMessage.Kind.ERROR, "Could not send the message again: there is no chat client.");
            return;
        }
        messages.state(m.messageId, DeliveryState.SENDING);
        String historyId = history.historyId();
        c.sendAgain(historyId, m.messageId).whenComplete((ok, error) -> Ui.async(messages.control(), () -> {
            if (error != null && history != null && history.historyId().equals(historyId)) {
                if (m.state() == DeliveryState.SENDING) {
                    messages.state(m.messageId, DeliveryState.NOT_DELIVERED);
                }
                messages.add(ShownMessage.Kind.ERROR, "Could not send \u201c" + excerpt(m.text) + "\u201d again: "
                        + Ui.message(error));
            }
        }));
    }

    private static String excerpt(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 40 ? line : line.substring(0, 39) + "\u2026";
    }

    /**
     * Scrolls to the stored message of history row {@code row} (a search result), loading older
     * pages as needed, and highlights it.
     *
     * @return false if this conversation has no message of that row
     */
    boolean reveal(long row) {
        if (history == null) {
            return false;
        }
        ShownMessage m = messages.byRow(row);
        if (m == null) {
            try {
                Optional<String> id = history.messageIdOf(row); // also whether the row is of this conversation
                if (id.isEmpty()) {
                    return false;
                }
                m = messages.message(id.get()); // one that came live has no row here
                if (m == null) {
                    history.seeking(true);
                    messages.loadUntil(row);
                    m = messages.byRow(row);
                }
            } catch (RuntimeException e) {
                messages.add(ShownMessage.Kind.ERROR, "Could not read the history: " + Ui.message(e));
            } finally {
                history.seeking(false);
            }
        }
        if (m == null) {
            return false;
        }
        messages.reveal(m);
        return true;
    }

    /** The history row of the message {@link #reveal} highlighted last, if any. */
    OptionalLong highlightedRow() {
        ShownMessage m = messages.highlighted();
        return m == null || m.row < 0 ? OptionalLong.empty() : OptionalLong.of(m.row);
    }
}
