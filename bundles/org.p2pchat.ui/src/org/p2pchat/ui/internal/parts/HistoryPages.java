package org.p2pchat.ui.internal.parts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ConversationEntry;
import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.HistoryPage;

/**
 * One conversation's history read page by page from the client layer, newest first: the source of
 * a {@link MessageList}'s older lines. The conversation's file transfers come with the pages, each
 * in its place among the messages by when it was offered.
 */
final class HistoryPages implements OlderLines {

    /** Messages per page: more than a window's height of them, few enough to read in a few ms. */
    static final int PAGE = 50;
    /** Messages per page while looking for an older message to reveal. */
    static final int SEEK_PAGE = 500;
    private static final System.Logger LOG = System.getLogger(HistoryPages.class.getName());

    private final ChatClient client;
    private final String historyId;
    private long firstRow = Long.MAX_VALUE;
    private boolean more = true;
    private int pageSize = PAGE;
    /** The conversation's file items not given with a page yet, oldest first. */
    private final List<ShownMessage> files = new ArrayList<>();

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
        files.clear();
        try {
            client.fileItems(historyId).forEach(item -> files.add(ShownMessage.file(item)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The file transfers of a conversation could not be read", e);
        }
        return load();
    }

    @Override
    public List<ShownMessage> load() {
        if (!more) {
            return withFiles(List.of());
        }
        HistoryPage page = client.page(historyId, firstRow, pageSize);
        more = page.hasOlder() && !page.messages().isEmpty();
        if (page.messages().isEmpty()) {
            return withFiles(List.of());
        }
        firstRow = page.messages().get(0).row();
        return withFiles(page.messages().stream().map(ShownMessage::stored).toList());
    }

    /** The page with the file items of its time (after its first message; all that are left with the oldest page). */
    private List<ShownMessage> withFiles(List<ShownMessage> page) {
        if (files.isEmpty()) {
            return page;
        }
        long from = more && !page.isEmpty() ? page.get(0).timestamp : Long.MIN_VALUE;
        List<ShownMessage> merged = new ArrayList<>(page);
        for (int i = files.size() - 1; i >= 0 && files.get(i).timestamp >= from; i--) {
            ShownMessage item = files.remove(i);
            int at = merged.size();
            while (at > 0 && merged.get(at - 1).timestamp > item.timestamp) {
                at--;
            }
            merged.add(at, item);
        }
        return merged;
    }

    @Override
    public boolean more() {
        return more || !files.isEmpty();
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
