package org.p2pchat.ui.internal.parts;

import java.util.List;
import java.util.Optional;

import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ConversationEntry;
import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.HistoryPage;

/**
 * One conversation's history read page by page from the client layer, newest first: the source of
 * a {@link MessageList}'s older lines.
 */
final class HistoryPages implements MessageList.Older {

    /** Messages per page: more than a window's height of them, few enough to read in a few ms. */
    static final int PAGE = 50;
    /** Messages per page while looking for an older message to reveal. */
    static final int SEEK_PAGE = 500;

    private final ChatClient client;
    private final String historyId;
    private long firstRow = Long.MAX_VALUE;
    private boolean more = true;
    private int pageSize = PAGE;

    HistoryPages(ChatClient client, String historyId) {
        this.client = client;
        this.historyId = historyId;
    }

    String historyId() {
        return historyId;
    }

    /** The newest page; pages after it are older. */
    List<ShownMessage> newest() {
        firstRow = Long.MAX_VALUE;
        more = true;
        return load();
    }

    @Override
    public List<ShownMessage> load() {
        if (!more) {
            return List.of();
        }
        HistoryPage page = client.page(historyId, firstRow, pageSize);
        more = page.hasOlder() && !page.messages().isEmpty();
        if (page.messages().isEmpty()) {
            return List.of();
        }
        firstRow = page.messages().get(0).row();
        return page.messages().stream().map(ShownMessage::stored).toList();
    }

    @Override
    public boolean more() {
        return more;
    }

    /** Reads bigger pages while {@code seeking} (looking for an old message), the usual ones after. */
    void seeking(boolean seeking) {
        pageSize = seeking ? SEEK_PAGE : PAGE;
    }

    /** The message id of row {@code row} of this conversation, if it is one of it. */
    Optional<String> messageIdOf(long row) {
        if (row == Long.MAX_VALUE) {
            return Optional.empty();
        }
        HistoryPage page = client.page(historyId, row + 1, 1);
        return page.messages().stream().filter(m -> m.row() == row).map(m -> m.messageId()).findFirst();
    }

    /** The stored conversation, if the history has it. */
    Optional<ConversationRecord> record() {
        return client.conversationList().stream().filter(e -> e.id().equals(historyId))
                .map(ConversationEntry::summary).map(s -> s.conversation()).findFirst();
    }
}
