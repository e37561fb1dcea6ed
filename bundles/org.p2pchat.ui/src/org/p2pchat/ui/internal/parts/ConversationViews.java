package org.p2pchat.ui.internal.parts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.p2pchat.client.core.Conversation;

/**
 * What the window shows beside the list: the Connect page or one conversation's {@link ChatView},
 * one view per conversation, so each keeps its messages, transfers and status while another is in
 * front. A live conversation's view is found by the conversation's id; a conversation of the history
 * that is not live has a view of its stored messages, found by the history's id.
 */
final class ConversationViews {

    /** One conversation's view. */
    static final class View {
        final ChatView chat;
        /** The live conversation shown; null for a conversation of the history only. */
        Conversation live;
        /** The history's id, once known. */
        String historyId;
        /** How the live conversation comes back after a failure. */
        ChatView.Recovery recovery = ChatView.Recovery.NONE;

        View(ChatView chat, Conversation live, String historyId) {
            this.chat = chat;
            this.live = live;
            this.historyId = historyId;
        }

        /** The list's key for it: the history's id, or the live conversation's before the history has one. */
        String key() {
            return historyId != null ? historyId : "live:" + live.id();
        }

        boolean isLive() {
            return live != null && !live.state().isFinal() && !chat.isEnded();
        }
    }

    private final ClientPart part;
    private final Composite root;
    private final StackLayout stack = new StackLayout();
    private final Control connectPage;
    private final List<View> views = new ArrayList<>();
    /** The view in front; null while the Connect page is. */
    private View front;

    /** Over {@code root}, whose first child is the Connect page. */
    ConversationViews(Composite root, Control connectPage, ClientPart part) {
        this.root = root;
        this.connectPage = connectPage;
        this.part = part;
        root.setLayout(stack);
        stack.topControl = connectPage;
    }

    /** What a chat view of a conversation of the history needs of the window. */
    private ChatView.Host host() {
        return new ChatView.Host() {
            @Override
            public org.p2pchat.client.core.ChatClient client() {
                return part.chatClient();
            }

            @Override
            public org.p2pchat.core.identity.PublicIdentity self() {
                return part.self();
            }

            @Override
            public org.p2pchat.core.files.FileTransferService fileTransfer() {
                return part.fileTransfer();
            }

            @Override
            public void showConnect() {
                part.showConnect();
            }
        };
    }

    /** A new view for a live conversation (not in front yet). */
    View start(Conversation conversation, ChatView.Recovery recovery) {
        forgetEnded();
        View view = new View(new ChatView(root, part), conversation, conversation.historyId().orElse(null));
        view.recovery = recovery;
        view.chat.start(conversation, recovery);
        replaceHistoryView(view);
        views.add(view);
        return view;
    }

    /** The view of a conversation of the history that is not live, made if there is none. */
    View history(String historyId) {
        Optional<View> existing = byHistory(historyId);
        if (existing.isPresent()) {
            return existing.get();
        }
        View view = new View(new ChatView(root, host(), historyId), null, historyId);
        view.chat.onReconnect(() -> part.call(historyId));
        views.add(view);
        return view;
    }

    /**
     * The history's id of a live conversation became known. A view of the same conversation's
     * history (not live, or ended) takes the live conversation on below its messages, and the
     * conversation's own view goes; returns the view that shows it now.
     */
    View identified(View view, String historyId) {
        if (historyId.equals(view.historyId)) {
            return view;
        }
        Optional<View> kept = views.stream()
                .filter(o -> o != view && historyId.equals(o.historyId) && !o.isLive()).findFirst();
        if (kept.isEmpty()) {
            view.historyId = historyId;
            view.chat.onReconnect(() -> part.call(historyId)); // once it has ended
            return view;
        }
        View old = kept.get();
        boolean wasFront = front == view || front == old;
        old.live = view.live;
        old.recovery = view.recovery;
        old.chat.start(view.live, view.recovery);
        old.chat.onReconnect(() -> part.call(historyId));
        dispose(view);
        replaceHistoryView(old); // any other view of that history
        if (wasFront) {
            show(old);
        }
        return old;
    }

    private void replaceHistoryView(View view) {
        if (view.historyId == null) {
            return;
        }
        for (View other : List.copyOf(views)) {
            if (other != view && view.historyId.equals(other.historyId) && !other.isLive()) {
                boolean wasFront = other == front;
                dispose(other);
                if (wasFront) {
                    show(view);
                }
            }
        }
    }

    /**
     * Views of conversations that are over, and of the history only, go once another conversation
     * starts (they come back from the list); the live ones and the one in front stay.
     */
    private void forgetEnded() {
        for (View v : List.copyOf(views)) {
            if (!v.isLive() && v != front) {
                dispose(v);
            }
        }
    }

    void dispose(View view) {
        views.remove(view);
        if (front == view) {
            showConnect();
        }
        view.chat.control().dispose();
    }

    /** Disposes every view (the client they showed is gone). */
    void clear() {
        showConnect();
        List.copyOf(views).forEach(this::dispose);
    }

    Optional<View> byConversation(String conversationId) {
        return views.stream().filter(v -> v.live != null && v.live.id().equals(conversationId)).findFirst();
    }

    /** The view of {@code historyId}, preferring the live one. */
    Optional<View> byHistory(String historyId) {
        return views.stream().filter(v -> historyId.equals(v.historyId))
                .sorted((a, b) -> Boolean.compare(b.isLive(), a.isLive())).findFirst();
    }

    /** The view of a list key (a history's id or {@code "live:" + conversation id}). */
    Optional<View> byKey(String key) {
        return key.startsWith("live:") ? byConversation(key.substring(5)) : byHistory(key);
    }

    Composite root() {
        return root;
    }

    List<View> all() {
        return List.copyOf(views);
    }

    View front() {
        return front;
    }

    void show(View view) {
        front = view;
        stack.topControl = view.chat.control();
        root.layout(true, true);
        view.chat.setFocus();
        part.commandsChanged();
    }

    void showConnect() {
        front = null;
        stack.topControl = connectPage;
        if (!root.isDisposed()) {
            root.layout(true, true);
            part.commandsChanged();
        }
    }

    boolean isChatShown() {
        return front != null && !root.isDisposed() && stack.topControl == front.chat.control();
    }

    /** Whether {@code view} is the one in front in an active, not minimized window. */
    boolean isSeen(View view) {
        if (view != front || root.isDisposed()) {
            return false;
        }
        var shell = root.getShell();
        return shell.getDisplay().getActiveShell() == shell && !shell.getMinimized();
    }
}
