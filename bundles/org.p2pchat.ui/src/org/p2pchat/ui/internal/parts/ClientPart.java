package org.p2pchat.ui.internal.parts;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.IWindowCloseHandler;
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
 * goodbye, the history); this part calls it, and its {@link ClientEvent}s, which arrive on the UI
 * thread, are rendered by {@link ClientEvents}. Services are injected with {@link Service}, which re-injects them when they change:
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
    private ConversationEvents events;
    private ClientEvents clientEvents;
    private ConversationSwitcher switcher;
    /** The person agreed to quit: the window closing after Ctrl+Q does not ask again. */
    private boolean quitAgreed;
    private MWindow window;
    private boolean enablementPending;

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

    /** Closing the window asks first, as Ctrl+Q does, while conversations or transfers would end. */
    @Inject
    void setWindow(@org.eclipse.e4.core.di.annotations.Optional MWindow window) {
        this.window = window;
        if (window != null && window.getContext() != null) {
            window.getContext().set(IWindowCloseHandler.class, w -> mayQuit());
        }
    }

    /**
     * What the window's commands act on changed (a chat shown, connected or ended): the menu's
     * items (Send File…, Disconnect, Copy Offer/Answer) follow now. The workbench asks their
     * handlers only when a menu closes, so a menu opened first from the keyboard showed the state
     * of the start (Send File… disabled in a connected chat).
     */
    void commandsChanged() {
        if (enablementPending || window == null) {
            return;
        }
        enablementPending = true; // one update for a burst of events
        ui(() -> {
            enablementPending = false;
            MenuEnablement.update(window);
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
        requests = new RequestBar(frame, r -> clientEvents.acceptRequest(r), this::reject, key -> client == null
                ? org.p2pchat.client.core.Verification.NOT_VERIFIED : client.verification(key));
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
        switcher = new ConversationSwitcher(this, views, list, notifier);
        events = new ConversationEvents(this, switcher, views, list, connect, notifier);
        clientEvents = new ClientEvents(this, requests, connect, views, list, events, notifier);
        Listener activated = e -> switcher.markFrontRead();
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
                        clientEvents.render(event);
                    }
                });
                list.setEntries(opened.conversationList());
                switcher.unreadChanged();
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
        if (client != null) {
            online.addAll(client.goOnlineAtStart()); // reachable whatever page is shown
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
            events.clear();
            list.setEntries(List.of());
        }
    }

    private void showProfile() {
        connect.profile(settingsStore, self(), clientProblem);
        notifier.profile(profileName());
    }

    /** The name the window is titled with: the profile's user name, or its folder's if it has none. */
    private String profileName() {
        SettingsStore store = settingsStore;
        if (store == null) {
            return "";
        }
        String name = store.get().username();
        if (!name.isBlank()) {
            return name;
        }
        var folder = store.profileDirectory().getFileName();
        return folder == null ? "" : folder.toString();
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
        notifier.profile(profileName());
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

    CompletableFuture<String> perform(String methodId, String actionId) {
        return client == null ? noClient() : client.perform(methodId, actionId);
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
        boolean neverConnected = before != null
                && (!before.connected().isDone() || before.connected().isCompletedExceptionally());
        if (neverConnected && before != started
                && views.byConversation(before.id()).map(v -> v != views.front()).orElse(false)) {
            before.leave(); // a new attempt from the Connect page replaces one that never connected
            views.byConversation(before.id()).ifPresent(views::dispose);
            list.ended(before);
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

    // ---- the list ------------------------------------------------------------------------------

    /** The conversation the Connect page is making; null if none. */
    Conversation awaited() {
        return awaited;
    }

    /** Calls the peer of a conversation of the history again, and shows the conversation once it is made. */
    void call(String historyId) {
        ChatClient c = client;
        if (c == null) {
            list.status("There is no chat client: " + clientProblem + ".", true);
            return;
        }
        actions.call(c, historyId, conversation -> switcher.show(views.byConversation(conversation.id())
                .orElseGet(() -> events.adopt(conversation))));
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

    /** Whether File &gt; Send File… can act: the chat in front is connected. */
    public boolean canSendFile() {
        return isChatShown() && views.front().chat.canSendFile();
    }

    public void sendFile() {
        if (isChatShown()) {
            views.front().chat.sendFile();
        }
    }

    /**
     * Whether the program may end now (Ctrl+Q, closing the window): true if nothing is going on, or
     * the person agreed to end the conversations and transfers the client layer names.
     */
    public boolean mayQuit() {
        ChatClient c = client;
        if (quitAgreed || c == null || root == null || root.isDisposed()) {
            return true;
        }
        quitAgreed = QuitQuestion.ask(root.getShell(), c.ongoing());
        return quitAgreed;
    }

    /** Messages (and requests) that arrived while the window was not active, counted in the window title. */
    public int unreadCount() {
        return notifier.unread();
    }

    /** What the last notification said ("sender: text"), or null. */
    public String lastNotification() {
        return notifier.lastAlert();
    }

    /** The next ({@code +1}) or previous ({@code -1}) conversation of the list comes to the front (Ctrl+Tab). */
    public void showNext(int direction) {
        switcher.showNext(direction);
    }

    /** The {@code n}th conversation of the list (1-based) comes to the front (Ctrl+1..9); false if there is none. */
    public boolean showNumber(int n) {
        return switcher.showNumber(n);
    }

    /** Shows the conversation of a line of the list; at the stored message {@code row} if it is not negative. */
    void showConversation(String key, long row) {
        switcher.showConversation(key, row);
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
