package org.p2pchat.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ConversationEntry;
import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.Direction;
import org.p2pchat.history.HistoryPage;
import org.p2pchat.history.SearchHit;
import org.p2pchat.history.StoredMessage;

/**
 * {@code p2pchat cli history}: the profile's history as the client layer reads it. Without a
 * conversation: the list of conversations; with one (its peer's name, its id or its peer's key):
 * its messages, oldest first; {@code --search} finds messages in every conversation;
 * {@code --export FILE} saves a conversation as text.
 */
final class HistoryCommand {

    /**
     * What was asked for.
     *
     * @param conversation a conversation's id, its peer's name or key; null for the list
     * @param search       the text to find in every conversation; null for none
     * @param export       where to save the conversation as text; null for none
     */
    record Query(String conversation, String search, Path export) {
    }

    /** How many hits a search prints at most. */
    static final int SEARCH_LIMIT = 200;
    private static final int PAGE = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final ChatClient client;
    private final EventPrinter print;

    private HistoryCommand(ChatClient client, EventPrinter print) {
        this.client = client;
        this.print = print;
    }

    /** @return the process exit code: 0, or 1 for an unknown conversation or a file that cannot be written */
    static int run(ChatClient client, Query query, EventPrinter print) {
        HistoryCommand command = new HistoryCommand(client, print);
        try {
            if (query.search() != null) {
                return command.search(query.search());
            }
            if (query.conversation() == null) {
                return command.list();
            }
            ConversationEntry entry = command.find(query.conversation());
            if (entry == null) {
                return 1;
            }
            return query.export() != null ? command.export(entry, query.export()) : command.messages(entry);
        } catch (IllegalStateException | IllegalArgumentException e) {
            print.error("Cannot read the history: " + e.getMessage());
            return 1;
        }
    }

    private int list() {
        List<ConversationEntry> entries = client.conversationList();
        for (ConversationEntry e : entries) {
            ConversationRecord c = e.summary().conversation();
            Long last = e.summary().last().map(StoredMessage::timestamp).orElse(null);
            String human = "  " + c.id() + "  " + c.peerName() + "  (" + (c.verified() ? "verified" : "not verified")
                    + (c.bestEffort() ? ", web app: best effort" : "") + ")  "
                    + (last == null ? "no messages" : "last " + TIME.format(Instant.ofEpochMilli(last)))
                    + (e.summary().unread() > 0 ? "  " + e.summary().unread() + " unread" : "");
            print.event("conversation", human, "id", c.id(), "name", c.peerName(), "key", c.peerKey().orElse(null),
                    "verified", c.verified(), "bestEffort", c.bestEffort(), "last", last,
                    "lastText", e.summary().last().map(StoredMessage::text).orElse(null), "unread", e.summary().unread(),
                    "online", e.online());
        }
        print.event("conversations", "* " + entries.size() + " conversation(s)." + (entries.isEmpty() ? ""
                : " 'p2pchat cli history NAME' prints one."), "count", entries.size());
        return 0;
    }

    /** The conversation named by id, peer key, or peer name (case-insensitive; must be unique). */
    private ConversationEntry find(String wanted) {
        List<ConversationEntry> entries = client.conversationList();
        for (ConversationEntry e : entries) {
            if (e.id().equals(wanted) || e.summary().conversation().peerKey().filter(wanted::equals).isPresent()) {
                return e;
            }
        }
        List<ConversationEntry> named = entries.stream().filter(e -> e.peerName().equalsIgnoreCase(wanted)).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        print.error(named.isEmpty() ? "No conversation with '" + wanted + "'; 'p2pchat cli history' lists them."
                : named.size() + " conversations are with '" + wanted + "'; name one by its id: "
                        + String.join(", ", named.stream().map(ConversationEntry::id).toList()));
        return null;
    }

    private int messages(ConversationEntry entry) {
        ConversationRecord c = entry.summary().conversation();
        List<StoredMessage> all = new ArrayList<>();
        long before = Long.MAX_VALUE;
        while (true) {
            HistoryPage page = client.page(c.id(), before, PAGE);
            all.addAll(0, page.messages());
            if (!page.hasOlder() || page.messages().isEmpty()) {
                break;
            }
            before = page.messages().get(0).row();
        }
        print.event("history", "* Conversation with " + c.peerName() + " (" + (c.verified() ? "verified" : "not verified")
                + (c.bestEffort() ? "; web app: delivery is best effort" : "") + "), oldest first:", "conversation",
                c.id(), "name", c.peerName(), "key", c.peerKey().orElse(null), "verified", c.verified(), "bestEffort",
                c.bestEffort());
        for (StoredMessage m : all) {
            message(m, null);
        }
        client.markRead(c.id()); // the person has seen it
        print.event("messages", "* " + all.size() + " message(s).", "count", all.size(), "conversation", c.id(),
                "name", c.peerName(), "verified", c.verified(), "bestEffort", c.bestEffort());
        return 0;
    }

    private int search(String text) {
        if (text.isBlank()) {
            print.error("--search needs a text to find.");
            return 1;
        }
        List<SearchHit> hits = client.search(text, SEARCH_LIMIT);
        for (SearchHit hit : hits) {
            message(hit.message(), hit.conversation());
        }
        print.event("found", "* " + hits.size() + " message(s) contain '" + text + "'"
                + (hits.size() == SEARCH_LIMIT ? " (the newest " + SEARCH_LIMIT + " are shown)." : "."), "count",
                hits.size());
        return 0;
    }

    private int export(ConversationEntry entry, Path file) {
        String text = client.export(entry.id());
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            print.error("--export " + file + ": cannot write it (" + e.getMessage() + ").");
            return 1;
        }
        print.event("exported", "* The conversation with " + entry.peerName() + " was saved to " + file + ".",
                "file", file.toAbsolutePath().toString(), "conversation", entry.id(), "chars", text.length());
        return 0;
    }

    /** One stored message; {@code of} names its conversation (search hits), or null. */
    private void message(StoredMessage m, ConversationRecord of) {
        String state = m.direction() == Direction.OUTGOING ? "  (" + DeliveryConsole.word(m.state()).replace('_', ' ') + ")"
                : "";
        String human = (of == null ? "" : of.peerName() + "  ") + "[" + TIME.format(Instant.ofEpochMilli(m.timestamp()))
                + "] " + (m.direction() == Direction.NOTICE ? "* " + m.text() : m.sender() + ": " + m.text()) + state;
        print.event("message", human, "id", m.messageId(), "row", m.row(), "conversation", m.conversationId(),
                "direction", m.direction().name().toLowerCase(Locale.ROOT), "seq", m.seq(), "sender", m.sender(),
                "content", m.text(), "timestamp", m.timestamp(), "state", DeliveryConsole.word(m.state()));
    }
}
