package org.p2pchat.ui.internal.parts;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationEntry;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.FileItem;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.ui.internal.parts.ConversationViews.View;

/**
 * Renders the client layer's events about conversations in the {@link ClientPart}: each in the
 * view of its conversation (made for one the part did not start, as a call from the list), the
 * one the Connect page is making brought to the front once connected, messages in a conversation
 * not looked at notified and counted, the list's lines kept up to date.
 */
final class ConversationEvents {

    private final ClientPart part;
    private final ConversationSwitcher switcher;
    private final ConversationViews views;
    private final ConversationListPanel list;
    private final ConnectView connect;
    private final Notifier notifier;
    /** The view each file transfer shows in, by transfer id. */
    private final Map<String, View> transferViews = new HashMap<>();

    ConversationEvents(ClientPart part, ConversationSwitcher switcher, ConversationViews views, ConversationListPanel list, ConnectView connect,
            Notifier notifier) {
        this.part = part;
        this.switcher = switcher;
        this.views = views;
        this.list = list;
        this.connect = connect;
        this.notifier = notifier;
    }

    /** The client is gone. */
    void clear() {
        transferViews.clear();
    }

    void transfer(FileItem item) {
        transferView(item.status()).ifPresent(v -> v.chat.transfer(item));
    }

    /** A line of the list changed; one about the conversation looked at is read at once. */
    void entryChanged(ConversationEntry entry) {
        list.entryChanged(entry);
        View front = views.front();
        if (front != null && entry.id().equals(front.historyId) && views.isSeen(front)) {
            switcher.markRead(front); // a message in the conversation the person is looking at
            list.readLocally(front.historyId);
        }
        switcher.unreadChanged();
    }

    void entryRemoved(String historyId) {
        list.entryRemoved(historyId);
        views.all().stream().filter(v -> historyId.equals(v.historyId) && !v.isLive()).forEach(views::dispose);
        list.front(switcher.frontKey());
        switcher.unreadChanged();
    }

    /** The view a transfer shows in: the one it showed in before, else the live conversation with its peer, else the front one. */
    private Optional<View> transferView(TransferStatus status) {
        View known = transferViews.get(status.id());
        if (known != null && views.all().contains(known)) {
            return Optional.of(known);
        }
        Optional<View> view = views.all().stream().filter(View::isLive)
                .filter(v -> status.peerName().equals(v.live.peerName())).findFirst()
                .or(() -> Optional.ofNullable(views.front()));
        view.ifPresent(v -> transferViews.put(status.id(), v));
        return view;
    }

    void render(ClientEvent.OfConversation event) {
        Conversation c = event.conversation();
        Optional<View> found = views.byConversation(c.id());
        if (found.isEmpty() && event instanceof ClientEvent.ConversationStarted) {
            found = Optional.of(adopt(c)); // reopened from the list, or started by the client layer
        }
        if (found.isEmpty()) {
            return; // a conversation of a client closed since
        }
        View view = found.get();
        Optional<String> newHistory = c.historyId().filter(id -> !id.equals(view.historyId));
        View shown = newHistory.map(id -> views.identified(view, id)).orElse(view);
        if (newHistory.isPresent()) {
            list.identified(c);
            list.front(switcher.frontKey());
        }
        renderConversation(shown, event);
    }

    /** A view for a conversation this part did not start (a call from the list): it reconnects through its directory. */
    View adopt(Conversation c) {
        View view = views.start(c, ChatView.Recovery.RECONNECTS);
        list.started(c);
        return view;
    }

    private void renderConversation(View view, ClientEvent.OfConversation event) {
        ChatView chat = view.chat;
        boolean making = event.conversation() == part.awaited();
        switch (event) {
            case ClientEvent.StateChanged e -> {
                chat.state(e.state(), e.connection());
                if (making && !part.isChatShown()) {
                    if (e.connection() == ConnectionState.CONNECTED) {
                        switcher.show(view);
                    } else {
                        connect.stateChanged(e.connection());
                    }
                }
            }
            case ClientEvent.Progress e -> {
                if (making && !part.isChatShown()) {
                    connect.progress(e.text());
                }
            }
            case ClientEvent.PathSelected e -> chat.path(e.path());
            case ClientEvent.PeerIdentified e -> {
                chat.identified(e.identity());
                if (making && connect.exchange() != null) {
                    connect.exchange().identified(e.identity());
                }
            }
            case ClientEvent.SafetyNumber e -> chat.safetyNumber(e.number());
            case ClientEvent.VerificationChanged e -> chat.verification(e.verification());
            case ClientEvent.ContactChecked e -> chat.contact(e.name(), e.status(), e.text());
            case ClientEvent.MessageReceived e -> {
                chat.received(e.message());
                if (!e.message().isSystemNotice()) {
                    if (views.isSeen(view)) {
                        switcher.markRead(view);
                    } else {
                        notifier.messageArrived(e.message().sender(), e.message().content(), view != views.front(),
                                list.lineLocation(view.key()));
                    }
                }
            }
            case ClientEvent.MessageSent e -> chat.sent(e.message());
            case ClientEvent.Notice e -> chat.notice(e.text());
            case ClientEvent.Reconnecting e -> chat.reconnecting(e.attempt(), e.attempts());
            case ClientEvent.ReconnectFailed e -> chat.attemptFailed(e.attempt(), e.text(), e.nextInMillis() < 0);
            case ClientEvent.Reconnected e -> chat.reconnected();
            case ClientEvent.Ended e -> {
                chat.state(ConversationState.ENDED, e.conversation().connectionState());
                list.ended(e.conversation());
            }
            case ClientEvent.ConversationStarted e -> {
                // its view was made when it started
            }
            case ClientEvent.ChannelOpened e -> {
                // a benchmark's channel: the desktop has no use for it
            }
            case ClientEvent.DeliveryChanged e -> chat.delivery(e.messageId(), e.state());
        }
    }

}
