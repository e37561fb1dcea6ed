package org.p2pchat.ui.internal.parts;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Request;

/**
 * Renders the client's events (they arrive on the UI thread): the connection methods and their
 * standing on the Connect page, requests in the request bar (with a notification), refusals where
 * the user is looking; what belongs to a conversation goes to {@link ConversationEvents}. Also
 * accepting a request from the bar, which happens on the Connect page where its progress shows.
 */
final class ClientEvents {

    private final ClientPart part;
    private final RequestBar requests;
    private final ConnectView connect;
    private final ConversationViews views;
    private final ConversationListPanel list;
    private final ConversationEvents events;
    private final Notifier notifier;

    ClientEvents(ClientPart part, RequestBar requests, ConnectView connect, ConversationViews views,
            ConversationListPanel list, ConversationEvents events, Notifier notifier) {
        this.part = part;
        this.requests = requests;
        this.connect = connect;
        this.views = views;
        this.list = list;
        this.events = events;
        this.notifier = notifier;
    }

    void render(ClientEvent event) {
        renderEvent(event);
        part.commandsChanged(); // a chat connected or ended: Send File… and Disconnect follow
    }

    private void renderEvent(ClientEvent event) {
        switch (event) {
            case ClientEvent.MethodsChanged e -> connect.methods(e.methods(), part.settingsStore());
            case ClientEvent.MethodChanged e -> connect.methodChanged(e.method());
            case ClientEvent.ProvidersBroken e -> connect.broken(e.providers());
            case ClientEvent.PeersChanged e -> {
                PeerListPanel panel = connect.peerList();
                if (panel != null && panel.methodId().equals(e.methodId())) {
                    panel.peersChanged(e.peers());
                }
            }
            case ClientEvent.RequestReceived e -> {
                requests.show(e.request());
                notifier.requestArrived(PeerListPanel.displayName(e.request().from()) + " asks to connect",
                        requests.identityText(e.request()));
            }
            case ClientEvent.RequestWithdrawn e -> requests.remove(e.request());
            case ClientEvent.RequestRefused e -> refused(e.text());
            case ClientEvent.OfConversation e -> events.render(e);
            case ClientEvent.TransferChanged e -> events.transfer(e.item());
            case ClientEvent.EntryChanged e -> events.entryChanged(e.entry());
            case ClientEvent.EntryRemoved e -> events.entryRemoved(e.historyId());
            case ClientEvent.HistoryDeliveryChanged e -> views.all()
                    .forEach(v -> v.chat.historyDelivery(e.historyId(), e.messageId(), e.state()));
        }
    }

    private void refused(String text) {
        if (part.isChatShown()) {
            views.front().chat.notice(text);
        } else if (connect.peerList() != null) {
            connect.peerList().refused(text);
        } else {
            list.status(text, true);
        }
    }

    /** The user accepts a request from the bar. */
    void acceptRequest(Request request) {
        if (part.isChatShown()) {
            part.newConnection();
        }
        PeerListPanel panel = connect.peerList();
        if (panel != null) {
            panel.accept(request);
        } else {
            part.accept(request, error -> list.status("Could not accept the request: " + Ui.message(error), true));
        }
    }
}
