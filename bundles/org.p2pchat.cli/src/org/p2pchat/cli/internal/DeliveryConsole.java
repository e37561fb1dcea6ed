package org.p2pchat.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.Direction;
import org.p2pchat.history.HistoryPage;
import org.p2pchat.history.StoredMessage;

/**
 * How far our messages got, as the client layer reports it: every step as a {@code delivery} event
 * for scripts; for a person only what needs them (a message that was not delivered), since a line
 * per "sent" and "delivered" would drown the chat. {@code /pending} lists what is not delivered yet,
 * {@code /retry} sends what was not delivered again.
 */
final class DeliveryConsole {

    /** How many of a conversation's newest messages {@code /pending} and {@code /retry} look through. */
    static final int SCAN_LIMIT = 5000;
    private static final int PAGE = 500;
    private static final int SHOWN_CHARS = 60;

    private final ChatClient client;
    private final EventPrinter print;
    /** Our messages of this run that are not delivered yet, by id: their text, for a person. */
    private final Map<String, String> texts = new ConcurrentHashMap<>();

    DeliveryConsole(ChatClient client, EventPrinter print) {
        this.client = client;
        this.print = print;
    }

    /** Our message was stored, to be sent. */
    void sent(ChatMessage m) {
        texts.put(m.id(), m.content());
        print.event("sent", null, "id", m.id(), "chars", m.content().length());
    }

    /**
     * One of our messages got further or did not.
     *
     * @param conversation the live conversation, or null for a message of the history sent again
     * @param historyId    the history's id of its conversation, or null if not known
     */
    void changed(Conversation conversation, String historyId, String messageId, DeliveryState state) {
        String text = texts.get(messageId);
        boolean last = state == DeliveryState.DELIVERED
                || (state == DeliveryState.SENT && conversation != null && conversation.bestEffort());
        if (last) {
            texts.remove(messageId);
        }
        String human = state == DeliveryState.NOT_DELIVERED
                ? "! Not delivered: " + (text == null ? "message " + messageId : shown(text)) + " (/retry to send again)"
                : null;
        print.event("delivery", human, "id", messageId, "state", word(state), "conversation", historyId);
    }

    /** The person has seen the conversation (the chat printed it): its unread count drops to 0. */
    void seen(Conversation c) {
        c.historyId().ifPresent(id -> {
            try {
                client.markRead(id);
            } catch (IllegalStateException | IllegalArgumentException e) {
                print.error("Could not mark the conversation read: " + e.getMessage());
            }
        });
    }

    /** {@code /pending}: our messages of the conversation that are not delivered yet, oldest first. */
    void pending(Conversation c) {
        String historyId = historyId(c, "/pending");
        if (historyId == null) {
            return;
        }
        List<StoredMessage> open = undelivered(historyId, c.bestEffort());
        for (StoredMessage m : open) {
            print.event("undelivered", "  [" + EventPrinter.clock(m.timestamp()) + "] " + shown(m.text()) + "  ("
                    + word(m.state()).replace('_', ' ') + ")", "id", m.messageId(), "state", word(m.state()), "seq", m.seq(),
                    "text", m.text(), "timestamp", m.timestamp());
        }
        print.event("pending", open.isEmpty() ? "* Every message you sent was delivered." + bestEffortNote(c)
                : "* " + open.size() + " message(s) not delivered yet." + bestEffortNote(c), "count", open.size(),
                "bestEffort", c.bestEffort());
    }

    /** {@code /retry [ID...]}: sends the named messages again, or every one that was not delivered. */
    void retry(Conversation c, List<String> ids) {
        String historyId = historyId(c, "/retry");
        if (historyId == null) {
            return;
        }
        List<String> again = ids.isEmpty() ? undelivered(historyId, c.bestEffort()).stream()
                .filter(m -> m.state() == DeliveryState.NOT_DELIVERED).map(StoredMessage::messageId).toList() : ids;
        for (String id : again) {
            client.sendAgain(historyId, id).exceptionally(error -> {
                print.error("Not sent again (" + id + "): " + Futures.message(error));
                return null;
            });
        }
        print.event("retry", again.isEmpty() ? "* Nothing to send again: no message is marked not delivered."
                : "* Sending " + again.size() + " message(s) again.", "count", again.size());
    }

    private String historyId(Conversation c, String command) {
        String id = c.historyId().orElse(null);
        if (id == null) {
            print.error(command + ": the peer is not identified yet; try again once connected.");
        }
        return id;
    }

    /** Our messages among the newest {@value #SCAN_LIMIT} that are not delivered, oldest first. */
    private List<StoredMessage> undelivered(String historyId, boolean bestEffort) {
        List<StoredMessage> found = new ArrayList<>();
        long before = Long.MAX_VALUE;
        int scanned = 0;
        while (scanned < SCAN_LIMIT) {
            HistoryPage page = client.page(historyId, before, PAGE);
            List<StoredMessage> messages = page.messages();
            for (int i = messages.size() - 1; i >= 0; i--) {
                StoredMessage m = messages.get(i);
                if (m.direction() == Direction.OUTGOING && undelivered(m.state(), bestEffort)) {
                    found.add(m);
                }
            }
            scanned += messages.size();
            if (!page.hasOlder() || messages.isEmpty()) {
                break;
            }
            before = messages.get(0).row();
        }
        return found.reversed();
    }

    /** To a web app peer a sent message is as far as it gets: nothing acknowledges it. */
    private static boolean undelivered(DeliveryState state, boolean bestEffort) {
        return switch (state) {
            case SENDING, NOT_DELIVERED -> true;
            case SENT -> !bestEffort;
            case DELIVERED, RECEIVED -> false;
        };
    }

    private static String bestEffortNote(Conversation c) {
        return c.bestEffort() ? " (Your peer uses the web app: it does not confirm delivery.)" : "";
    }

    /** The word scripts get for a state: sending, sent, delivered, not_delivered, received. */
    static String word(DeliveryState state) {
        return state.name().toLowerCase();
    }

    /** A message's text on one short line. */
    static String shown(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= SHOWN_CHARS ? "\"" + line + "\"" : "\"" + line.substring(0, SHOWN_CHARS) + "...\"";
    }
}
