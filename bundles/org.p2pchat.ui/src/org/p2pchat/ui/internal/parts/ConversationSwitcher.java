package org.p2pchat.ui.internal.parts;

import java.util.List;
import java.util.Optional;

import org.p2pchat.client.core.ChatClient;
import org.p2pchat.ui.internal.parts.ConversationViews.View;

/**
 * Which conversation is in front: one chosen in the list (at a message found by a search), the
 * next or a numbered one (Ctrl+Tab, Ctrl+1..9); what is in front and looked at is read, and the
 * window title counts what is not.
 */
final class ConversationSwitcher {

    private final ClientPart part;
    private final ConversationViews views;
    private final ConversationListPanel list;
    private final Notifier notifier;

    ConversationSwitcher(ClientPart part, ConversationViews views, ConversationListPanel list, Notifier notifier) {
        this.part = part;
        this.views = views;
        this.list = list;
        this.notifier = notifier;
    }

    /** The list's key of the view in front; null for the Connect page. */
    String frontKey() {
        View front = views.front();
        return front == null ? null : front.key();
    }

    void show(View view) {
        views.show(view);
        list.front(view.key());
        if (views.isSeen(view)) {
            markRead(view);
        }
    }

    void markRead(View view) {
        ChatClient c = part.chatClient();
        if (c != null && view.historyId != null && list.entry(view.historyId).map(e -> e.summary().unread() > 0).orElse(false)) {
            c.markRead(view.historyId);
        }
    }

    /** The window became active: the conversation in front is read. */
    void markFrontRead() {
        View front = views.front();
        if (front != null && front.historyId != null) {
            markRead(front);
            list.readLocally(front.historyId);
            unreadChanged();
        }
    }

    void unreadChanged() {
        notifier.conversationsUnread(list.unread());
    }

    /**
     * Shows the conversation of a line of the list (a history's id, or {@code "live:" + id}); at
     * the stored message {@code row} if it is not negative.
     */
    void showConversation(String key, long row) {
        Optional<View> view = views.byKey(key);
        if (view.isEmpty() && !key.startsWith("live:")) {
            view = list.entry(key).map(e -> views.history(key));
        }
        view.ifPresent(v -> {
            show(v);
            markRead(v); // the person chose it
            list.readLocally(v.key());
            unreadChanged();
            if (row >= 0) {
                v.chat.reveal(row);
            }
        });
    }

    /** The next ({@code +1}) or previous ({@code -1}) conversation of the list comes to the front (Ctrl+Tab). */
    void showNext(int direction) {
        List<String> keys = list.keys();
        if (keys.isEmpty()) { // nothing to switch to: Ctrl+Tab does what it does without the binding
            var focus = views.root().getDisplay().getFocusControl();
            if (focus != null) {
                focus.traverse(direction > 0 ? org.eclipse.swt.SWT.TRAVERSE_TAB_NEXT : org.eclipse.swt.SWT.TRAVERSE_TAB_PREVIOUS);
            }
            return;
        }
        int at = keys.indexOf(frontKey());
        int next = at < 0 ? (direction > 0 ? 0 : keys.size() - 1) : Math.floorMod(at + direction, keys.size());
        showConversation(keys.get(next), -1);
    }

    /** The {@code n}th conversation of the list (1-based) comes to the front (Ctrl+1..9); false if there is none. */
    boolean showNumber(int n) {
        List<String> keys = list.keys();
        if (n < 1 || n > keys.size()) {
            return false;
        }
        showConversation(keys.get(n - 1), -1);
        return true;
    }

}
