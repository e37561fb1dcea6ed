package org.p2pchat.ui.internal.parts;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Listener;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ChatClientFactory;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.PasteExchange;
import org.p2pchat.client.core.Request;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.history.SearchHit;
import org.p2pchat.ui.internal.parts.ConversationViews.View;

/**
 * The desktop client's one part, a view of one {@link ChatClient}: the list of conversations on
 * the left; beside it the Connect page or the conversation chosen, each conversation in a view of
 * its own (several can be live at once); incoming requests in a bar above.
 * <p>
 * The client layer does what a chat client does (sessions, proofs, contacts, reconnecting, the
 * goodbye, the history); this part renders its {@link ClientEvent}s, which arrive on the UI thread,
 * and calls it. Services are injected with {@link Service}, which re-injects them when they change:
 * a client layer installed later opens a client then.
 */
public class ClientPart {

    public static final String ID = "org.p2pchat.ui.part.client";
    /** Width of the list of conversations. */
    private static final int LIST_WIDTH = 280;

    private volatile SettingsStore settingsStore;
    private volatile ChatClientFactory factory;
    /** Acts on transfers shown in the chat (accept, pause...); attaching them is the client layer's. */
    private volatile FileTransferService fileTransfer;

    private Composite root;
    private RequestBar requests;
    private ConnectView connect;
    private ConversationViews views;
    private ConversationListPanel list;
    private ConversationActions actions;
    private Notifier notifier;

    // UI thread only (the client is read by searches off it):
    private volatile ChatClient client;
    /** The factory {@link #client} came from. */
    private ChatClientFactory openedFrom;
    private AutoCloseable subscription;
    /** Why there is no client, or null. */
    private String clientProblem;
    private boolean listed = true;
    /** The listing changed during a conversation: the client opens again with it afterwards. */
    private boolean reopenWhenIdle;
    /** The methods the Connect view took online; a client opened again goes online with them. */
    private final Set<String> online = new LinkedHashSet<>();
    /** The conversation the Connect page is making (it opens once connected); null if none. */
    private Conversation awaited;
    /** The view each file transfer shows in, by transfer id. */
    private final Map<String, View> transferViews = new HashMap<>();

    @Inject
    void setSettingsStore(@org.eclipse.e4.core.di.annotations.Optional @Service SettingsStore store) {
        settingsStore = store;
        ui(this::showProfile);
    }

    @Inject
    void setFactory(@org.eclipse.e4.core.di.annotations.Optional @Service ChatClientFactory registered) {
        factory = registered;
        ui(() -> {
            if (registered != openedFrom || client == null) {
                openClient(); // re-injected with the same factory: the client goes on
            }
        });
    }

    @Inject
    void setFileTransfer(@org.eclipse.e4.core.di.annotations.Optional @Service FileTransferService registered) {
        fileTransfer = registered;
    }

    @PostConstruct
    void createControls(Composite parent) {
        parent.setLayout(new FillLayout());
        Composite body = new Composite(parent, SWT.NONE);
        body.setLayout(new SidebarLayout(LIST_WIDTH));
        // The conversation side first, the list second (SidebarLayout puts it on the left).
        Composite frame = new Composite(body, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(frame);
        requests = new RequestBar(frame, this::acceptRequest, this::reject);
        root = new Composite(frame, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(root);
        connect = new ConnectView(root, this);
        views = new ConversationViews(root, connect.control(), this);
        list = new ConversationListPanel(body, this);
        body.addListener(SWT.Paint, e -> { // the line between the list and the conversation
            var side = list.control().getBounds();
            e.gc.setForeground(body.getDisplay().getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
            e.gc.drawLine(side.x + side.width, 0, side.x + side.width, body.getClientArea().height);
        });
        actions = new ConversationActions(root, list);
        notifier = new Notifier(parent.getShell());
        Listener activated = e -> markFrontRead();
        parent.getShell().addListener(SWT.Activate, activated);
        root.addListener(SWT.Dispose, e -> {
            if (!parent.getShell().isDisposed()) {
                parent.getShell().removeListener(SWT.Activate, activated);
            }
        });
        openClient();
    }

    private void ui(Runnable action) {
        Ui.async(root, action);
    }

    // ---- the client ----------------------------------------------------------------------------

    /** Opens a client from the factory there is now (closing the one before); on the UI thread. */
    private void openClient() {
        closeClient();
        ChatClientFactory f = factory;
        openedFrom = f;
        if (f == null) {
            clientProblem = "the chat client is not installed";
        } else {
            try {
                ChatClient opened = f.open(new ClientOptions(Optional.empty(), Optional.empty(), listed, List.of()));
                client = opened;
                clientProblem = null;
                subscription = opened.subscribe(command -> Ui.async(root, command), event -> { // dropped once the part is gone
                    if (client == opened) {
                        render(event);
                    }
                });
                list.setEntries(opened.conversationList());
                unreadChanged();
            } catch (IllegalStateException e) {
                clientProblem = Ui.message(e);
            }
        }
        showProfile();
        connect.methods(client == null ? List.of() : client.methods(), settingsStore);
        for (String id : Set.copyOf(online)) {
            try {
                goOnline(id);
            } catch (RuntimeException e) {
                online.remove(id); // its panel said why when it was first shown
            }
        }
    }

    private void closeClient() {
        ChatClient old = client;
        client = null;
        awaited = null;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                // nothing more to hear from it either way
            }
            subscription = null;
        }
        if (old != null) {
            old.close();
        }
        if (requests != null) {
            requests.clear();
        }
        if (views != null && !root.isDisposed()) {
            views.clear();
            transferViews.clear();
            list.setEntries(List.of());
        }
    }

    private void showProfile() {
        connect.profile(settingsStore, self(), clientProblem);
    }

    /** Our identity, or null while there is no client. */
    PublicIdentity self() {
        ChatClient c = client;
        return c == null ? null : c.self();
    }

    boolean isListed() {
        return listed;
    }

    /** Whether a conversation is going on (the client cannot open again without ending it). */
    private boolean busy() {
        return views.all().stream().anyMatch(View::isLive) || (awaited != null && !awaited.state().isFinal());
    }

    /** Whether we appear in public peer lists: the client opens again with it (after the conversations going on). */
    void setListed(boolean newListed) {
        if (newListed == listed) {
            return;
        }
        listed = newListed;
        if (busy()) {
            reopenWhenIdle = true;
        } else {
            openClient();
        }
    }

    /** The profile's name was saved: services see the new one once the client opens again (now, if idle). */
    void profileChanged() {
        if (busy()) {
            reopenWhenIdle = true;
        } else if (!online.isEmpty()) {
            openClient();
        }
    }

    SettingsStore settingsStore() {
        return settingsStore;
    }

    FileTransferService fileTransfer() {
        return fileTransfer;
    }

    // ---- what the Connect view asks for ---------------------------------------------------------

    void goOnline(String methodId) {
        online.add(methodId);
        if (client != null) {
            try {
                client.goOnline(methodId);
            } catch (IllegalArgumentException e) {
                online.remove(methodId); // removed meanwhile: MethodsChanged follows
            }
        }
    }

    void goOffline(String methodId) {
        online.remove(methodId);
        if (requests != null && !requests.isDisposed()) {
            requests.removeFrom(methodId); // they can no longer be answered
        }
        if (client != null) {
            client.goOffline(methodId);
        }
    }

    CompletableFuture<List<PeerAddress>> peers(String methodId) {
        return client == null ? noClient() : client.peers(methodId);
    }

    CompletableFuture<PeerAddress> find(String methodId, String idOrName, Duration patience) {
        return client == null ? noClient() : client.find(methodId, idOrName, patience);
    }

    private <T> CompletableFuture<T> noClient() {
        return CompletableFuture.failedFuture(new IllegalStateException(
                "There is no chat client: " + clientProblem + "."));
    }

    /** Asks {@code peer} to connect; {@code failed} hears why it could not, on the UI thread. */
    void connect(PeerAddress peer, Consumer<Throwable> failed) {
        if (client == null) {
            failed.accept(new IllegalStateException("There is no chat client: " + clientProblem + "."));
            return;
        }
        follow(start(client.connect(peer), ChatView.Recovery.RECONNECTS), failed);
    }

    /** Accepts a request; {@code failed} hears why it could not, on the UI thread. */
    void accept(Request request, Consumer<Throwable> failed) {
        requests.remove(request);
        if (client == null) {
            failed.accept(new IllegalStateException("There is no chat client: " + clientProblem + "."));
            return;
        }
        follow(start(client.accept(request), ChatView.Recovery.AWAITS), failed);
    }

    private void reject(Request request) {
        if (client != null) {
            client.reject(request);
        }
    }

    /** A new exchange by copy and paste, or null after {@code status} said why there is none. */
    PasteExchange paste(StepStatus status) {
        if (client == null) {
            status.error("There is no chat client: " + clientProblem + ".");
            return null;
        }
        PasteExchange exchange;
        try {
            exchange = client.paste();
        } catch (IllegalStateException e) {
            status.error(Ui.message(e));
            return null;
        }
        start(exchange.conversation(), ChatView.Recovery.NONE);
        return exchange;
    }

    /** A conversation the Connect page makes: its view is made now, and comes to the front once connected. */
    private Conversation start(Conversation started, ChatView.Recovery recovery) {
        Conversation before = awaited;
        if (before != null && before != started && views.byConversation(before.id()).map(v -> v != views.front())
                .orElse(false) && !before.connectionState().equals(ConnectionState.CONNECTED)) {
            before.leave(); // a new attempt from the Connect page replaces one that never connected
        }
        awaited = started;
        if (views.byConversation(started.id()).isEmpty()) {
            views.start(started, recovery);
            list.started(started);
        }
        return started;
    }

    /** Tells {@code failed} on the UI thread if the conversation could not connect while it is still being made. */
    private void follow(Conversation c, Consumer<Throwable> failed) {
        c.connected().whenComplete((ok, error) -> {
            if (error != null) {
                ui(() -> {
                    if (c == awaited && !isChatShown()) {
                        failed.accept(error);
                    }
                });
            }
        });
    }

    /** The user accepts a request from the bar: that happens on the Connect page, where its progress shows. */
    private void acceptRequest(Request request) {
        if (isChatShown()) {
            newConnection();
        }
        PeerListPanel panel = connect.peerList();
        if (panel != null) {
            panel.accept(request);
        } else {
            accept(request, error -> list.status("Could not accept the request: " + Ui.message(error), true));
        }
    }

    // ---- events --------------------------------------------------------------------------------

    private void render(ClientEvent event) {
        switch (event) {
            case ClientEvent.MethodsChanged e -> connect.methods(e.methods(), settingsStore);
            case ClientEvent.MethodChanged e -> connect.methodChanged(e.method());
            case ClientEvent.RequestReceived e -> {
                requests.show(e.request());
                notifier.requestArrived(PeerListPanel.displayName(e.request().from()) + " asks to connect",
                        RequestBar.identityText(e.request()));
            }
            case ClientEvent.RequestWithdrawn e -> requests.remove(e.request());
            case ClientEvent.RequestRefused e -> refused(e.text());
            case ClientEvent.OfConversation e -> conversationEvent(e);
            case ClientEvent.TransferChanged e -> transferView(e.status()).ifPresent(v -> v.chat.transfer(e.status()));
            case ClientEvent.EntryChanged e -> {
                list.entryChanged(e.entry());
                View front = views.front();
                if (front != null && e.entry().id().equals(front.historyId) && views.isSeen(front)) {
                    markRead(front); // a message in the conversation the person is looking at
                    list.readLocally(front.historyId);
                }
                unreadChanged();
            }
            case ClientEvent.EntryRemoved e -> {
                list.entryRemoved(e.historyId());
                views.all().stream().filter(v -> e.historyId().equals(v.historyId) && !v.isLive()).forEach(views::dispose);
                list.front(frontKey());
                unreadChanged();
            }
            case ClientEvent.HistoryDeliveryChanged e -> views.all()
                    .forEach(v -> v.chat.historyDelivery(e.historyId(), e.messageId(), e.state()));
        }
    }

    private void refused(String text) {
        if (isChatShown()) {
            views.front().chat.notice(text);
        } else if (connect.peerList() != null) {
            connect.peerList().refused(text);
        } else {
            list.status(text, true);
        }
    }

    /** The view a transfer shows in: the one it showed in before, else the live conversation with its peer, else the front one. */
    private Optional<View> transferView(org.p2pchat.core.files.TransferStatus status) {
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

    private void conversationEvent(ClientEvent.OfConversation event) {
        Conversation c = event.conversation();
        Optional<View> found = views.byConversation(c.id());
        if (found.isEmpty() && event instanceof ClientEvent.ConversationStarted) {
            found = Optional.of(adopt(c)); // reopened from the list, or started by the client layer
        }
        if (found.isEmpty()) {
            return; // a conversation of a client closed since
        }
        View view = found.get();
        c.historyId().filter(id -> !id.equals(view.historyId)).ifPresent(id -> {
            views.identified(view, id);
            list.identified(c);
            list.front(frontKey());
        });
        renderConversation(view, event);
    }

    /** A view for a conversation this part did not start (a call from the list): it reconnects through its directory. */
    private View adopt(Conversation c) {
        View view = views.start(c, ChatView.Recovery.RECONNECTS);
        list.started(c);
        return view;
    }

    private void renderConversation(View view, ClientEvent.OfConversation event) {
        ChatView chat = view.chat;
        boolean making = event.conversation() == awaited;
        switch (event) {
            case ClientEvent.StateChanged e -> {
                chat.state(e.state(), e.connection());
                if (making && !isChatShown()) {
                    if (e.connection() == ConnectionState.CONNECTED) {
                        show(view);
                    } else {
                        connect.stateChanged(e.connection());
                    }
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
            case ClientEvent.ContactChecked e -> chat.contact(e.name(), e.status(), e.text());
            case ClientEvent.MessageReceived e -> {
                chat.received(e.message());
                if (!e.message().isSystemNotice()) {
                    if (views.isSeen(view)) {
                        markRead(view);
                    } else {
                        notifier.messageArrived(e.message().sender(), e.message().content(), view != views.front());
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

    // ---- the list ------------------------------------------------------------------------------

    /** The list's key of the view in front; null for the Connect page. */
    private String frontKey() {
        View front = views.front();
        return front == null ? null : front.key();
    }

    private void show(View view) {
        views.show(view);
        list.front(view.key());
        if (views.isSeen(view)) {
            markRead(view);
        }
    }

    private void markRead(View view) {
        ChatClient c = client;
        if (c != null && view.historyId != null && list.entry(view.historyId).map(e -> e.summary().unread() > 0).orElse(false)) {
            c.markRead(view.historyId);
        }
    }

    /** The window became active: the conversation in front is read. */
    private void markFrontRead() {
        View front = views == null ? null : views.front();
        if (front != null && front.historyId != null) {
            markRead(front);
            list.readLocally(front.historyId);
            unreadChanged();
        }
    }

    private void unreadChanged() {
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

    /** Calls the peer of a conversation of the history again, and shows the conversation once it is made. */
    void call(String historyId) {
        ChatClient c = client;
        if (c == null) {
            list.status("There is no chat client: " + clientProblem + ".", true);
            return;
        }
        actions.call(c, historyId, conversation -> show(views.byConversation(conversation.id()).orElseGet(() -> adopt(conversation))));
    }

    void delete(String historyId) {
        if (client != null) {
            actions.delete(client, historyId);
        }
    }

    void export(String historyId) {
        if (client != null) {
            actions.export(client, historyId);
        }
    }

    /** Messages of every conversation containing {@code text}; called off the UI thread. */
    List<SearchHit> search(String text, int limit) {
        ChatClient c = client;
        return c == null ? List.of() : c.search(text, limit);
    }

    /** The chat client, or null while there is none. */
    ChatClient chatClient() {
        return client;
    }

    /** What a chat view of a conversation of the history needs of the window. */
    ChatView.Host host() {
        return new ChatView.Host() {
            @Override
            public ChatClient client() {
                return client;
            }

            @Override
            public PublicIdentity self() {
                return ClientPart.this.self();
            }

            @Override
            public FileTransferService fileTransfer() {
                return fileTransfer;
            }

            @Override
            public void showConnect() {
                ClientPart.this.showConnect();
            }
        };
    }

    // ---- the window ----------------------------------------------------------------------------

    /** The conversation the chat in front shows, or the one the Connect page is making; null if none. */
    public Conversation conversation() {
        View front = views.front();
        return front != null ? front.live : awaited;
    }

    public boolean isChatShown() {
        return root != null && !root.isDisposed() && views.isChatShown();
    }

    /**
     * Back to the Connect page for a new exchange (the chat's "New connection"): the conversation in
     * front is left unless it is connected; the others go on.
     */
    public void showConnect() {
        View front = views.front();
        if (front != null && front.live != null && !front.live.state().isFinal()
                && front.live.connectionState() != ConnectionState.CONNECTED) {
            front.live.leave();
        }
        newConnection();
    }

    /** The Connect page, every conversation going on. */
    public void newConnection() {
        if (reopenWhenIdle && !busy()) {
            reopenWhenIdle = false;
            openClient();
        }
        if (connect.exchange() != null) {
            connect.exchange().reset();
        }
        if (connect.peerList() != null) {
            connect.peerList().reset();
        }
        views.showConnect();
        list.front(null);
    }

    /** Leaves the conversation in front (the client layer says goodbye and stops reconnecting). */
    public void disconnect() {
        View front = views.front();
        if (front == null || front.live == null || front.chat.isEnded()) {
            return;
        }
        front.chat.leave();
    }

    public boolean canDisconnect() {
        View front = views.front();
        return isChatShown() && front.live != null && !front.chat.isEnded();
    }

    /** Copies the offer or answer shown last; false if there is none. */
    public boolean copyDescription() {
        return !isChatShown() && connect.exchange() != null && connect.exchange().copyCurrent();
    }

    public void sendFile() {
        if (isChatShown()) {
            views.front().chat.sendFile();
        }
    }

    /** Messages (and requests) that arrived while the window was not active, counted in the window title. */
    public int unreadCount() {
        return notifier.unread();
    }

    /** What the last notification said ("sender: text"), or null. */
    public String lastNotification() {
        return notifier.lastAlert();
    }

    /** The list of conversations (its lines, for tests and the keys). */
    ConversationListPanel list() {
        return list;
    }

    /** The next ({@code +1}) or previous ({@code -1}) conversation of the list comes to the front (Ctrl+Tab). */
    public void showNext(int direction) {
        List<String> keys = list.keys();
        if (keys.isEmpty()) {
            return;
        }
        int at = keys.indexOf(frontKey());
        int next = at < 0 ? (direction > 0 ? 0 : keys.size() - 1) : Math.floorMod(at + direction, keys.size());
        showConversation(keys.get(next), -1);
    }

    /** The {@code n}th conversation of the list (1-based) comes to the front (Ctrl+1..9); false if there is none. */
    public boolean showNumber(int n) {
        List<String> keys = list.keys();
        if (n < 1 || n > keys.size()) {
            return false;
        }
        showConversation(keys.get(n - 1), -1);
        return true;
    }

    /** How many conversations the list holds. */
    public int conversationCount() {
        return list.keys().size();
    }

    @Focus
    void setFocus() {
        if (isChatShown()) {
            views.front().chat.setFocus();
        } else {
            connect.setFocus();
        }
    }

    @PreDestroy
    void dispose() {
        closeClient();
        if (notifier != null) {
            notifier.dispose();
        }
    }
}
