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
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ChatClientFactory;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.PasteExchange;
import org.p2pchat.client.core.Request;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.PeerAddress;

/**
 * The desktop client's one part, a view of one {@link ChatClient}: the Connect view until a
 * conversation connects, then the Chat view, with incoming requests in a bar above both.
 * <p>
 * The client layer does what a chat client does (sessions, proofs, contacts, reconnecting, the
 * goodbye); this part renders its {@link ClientEvent}s, which arrive on the UI thread, and calls
 * it. Services are injected with {@link Service}, which re-injects them when they change: a client
 * layer installed later opens a client then.
 */
public class ClientPart {

    public static final String ID = "org.p2pchat.ui.part.client";

    private volatile SettingsStore settingsStore;
    private volatile ChatClientFactory factory;
    /** Acts on transfers shown in the chat (accept, pause...); attaching them is the client layer's. */
    private volatile FileTransferService fileTransfer;

    private Composite root;
    private StackLayout stack;
    private RequestBar requests;
    private ConnectView connect;
    private ChatView chat;
    private Notifier notifier;

    // UI thread only:
    private ChatClient client;
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
    /** The conversation the chat shows (or is being made); null before the first. */
    private Conversation current;

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
        Composite frame = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(frame);
        requests = new RequestBar(frame, this::acceptRequest, this::reject);
        root = new Composite(frame, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(root);
        stack = new StackLayout();
        root.setLayout(stack);
        connect = new ConnectView(root, this);
        chat = new ChatView(root, this);
        notifier = new Notifier(parent.getShell());
        stack.topControl = connect.control();
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
        current = null;
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
    }

    private void showProfile() {
        connect.profile(settingsStore, self(), clientProblem);
    }

    /** The chat client, or null while there is none. */
    ChatClient chatClient() {
        return client;
    }

    /** Our identity, or null while there is no client. */
    PublicIdentity self() {
        ChatClient c = client;
        return c == null ? null : c.self();
    }

    boolean isListed() {
        return listed;
    }

    /** Whether we appear in public peer lists: the client opens again with it (after a conversation going on). */
    void setListed(boolean newListed) {
        if (newListed == listed) {
            return;
        }
        listed = newListed;
        if (current != null && !current.state().isFinal()) {
            reopenWhenIdle = true;
        } else {
            openClient();
        }
    }

    /** The profile's name was saved: services see the new one once the client opens again (now, if idle). */
    void profileChanged() {
        if (current != null && !current.state().isFinal()) {
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
        endConversation();
        follow(start(client.connect(peer), ChatView.Recovery.RECONNECTS), failed);
    }

    /** Accepts a request; {@code failed} hears why it could not, on the UI thread. */
    void accept(Request request, Consumer<Throwable> failed) {
        requests.remove(request);
        if (client == null) {
            failed.accept(new IllegalStateException("There is no chat client: " + clientProblem + "."));
            return;
        }
        endConversation();
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
        endConversation();
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

    private Conversation start(Conversation started, ChatView.Recovery recovery) {
        current = started;
        chat.start(started, recovery);
        return started;
    }

    /** Tells {@code failed} on the UI thread if the conversation could not connect while it is still being made. */
    private void follow(Conversation c, Consumer<Throwable> failed) {
        c.connected().whenComplete((ok, error) -> {
            if (error != null) {
                ui(() -> {
                    if (c == current && !isChatShown()) {
                        failed.accept(error);
                    }
                });
            }
        });
    }

    /** The user accepts a request from the bar: that happens on the Connect page, where its progress shows. */
    private void acceptRequest(Request request) {
        if (isChatShown()) {
            showConnect();
        }
        PeerListPanel panel = connect.peerList();
        if (panel != null) {
            panel.accept(request);
        } else {
            accept(request, error -> chat.notice("Could not accept the request: " + Ui.message(error)));
        }
    }

    /** Leaves a conversation still going before another starts (the client layer says goodbye). */
    private void endConversation() {
        Conversation c = current;
        current = null;
        if (c != null && !c.state().isFinal()) {
            c.leave();
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
            case ClientEvent.OfConversation e -> {
                if (current != null && e.conversation().id().equals(current.id())) {
                    renderConversation(e);
                }
            }
            case ClientEvent.TransferChanged e -> chat.transfer(e.status());
            case ClientEvent.EntryChanged e -> {
                // CONTRACT: the desktop's list of conversations shows it.
            }
            case ClientEvent.EntryRemoved e -> {
                // CONTRACT: the desktop's list of conversations shows it.
            }
            case ClientEvent.HistoryDeliveryChanged e -> chat.historyDelivery(e.historyId(), e.messageId(), e.state());
        }
    }

    private void refused(String text) {
        if (isChatShown() || connect.peerList() == null) {
            chat.notice(text);
        } else {
            connect.peerList().refused(text);
        }
    }

    private void renderConversation(ClientEvent.OfConversation event) {
        switch (event) {
            case ClientEvent.StateChanged e -> stateChanged(e.state(), e.connection());
            case ClientEvent.PathSelected e -> chat.path(e.path());
            case ClientEvent.PeerIdentified e -> {
                chat.identified(e.identity());
                if (connect.exchange() != null) {
                    connect.exchange().identified(e.identity());
                }
            }
            case ClientEvent.SafetyNumber e -> chat.safetyNumber(e.number());
            case ClientEvent.ContactChecked e -> chat.contact(e.name(), e.status(), e.text());
            case ClientEvent.MessageReceived e -> {
                chat.received(e.message());
                if (!e.message().isSystemNotice()) {
                    notifier.messageArrived(e.message().sender(), e.message().content());
                }
            }
            case ClientEvent.MessageSent e -> chat.sent(e.message());
            case ClientEvent.Notice e -> chat.notice(e.text());
            case ClientEvent.Reconnecting e -> chat.reconnecting(e.attempt(), e.attempts());
            case ClientEvent.ReconnectFailed e -> chat.attemptFailed(e.attempt(), e.text(), e.nextInMillis() < 0);
            case ClientEvent.Reconnected e -> chat.reconnected();
            case ClientEvent.Ended e -> chat.state(ConversationState.ENDED, e.conversation().connectionState());
            case ClientEvent.ConversationStarted e -> {
                // shown since we started it
            }
            case ClientEvent.ChannelOpened e -> {
                // a benchmark's channel: the desktop has no use for it
            }
            case ClientEvent.DeliveryChanged e -> chat.delivery(e.messageId(), e.state());
        }
    }

    private void stateChanged(ConversationState state, ConnectionState connection) {
        chat.state(state, connection);
        if (connection == ConnectionState.CONNECTED && !isChatShown()) {
            showChat();
        } else if (!isChatShown()) {
            connect.stateChanged(connection);
        }
    }

    // ---- the window ----------------------------------------------------------------------------

    /** The conversation the chat shows or that is being made; null before the first. */
    public Conversation conversation() {
        return current;
    }

    public boolean isChatShown() {
        return root != null && !root.isDisposed() && stack.topControl == chat.control();
    }

    private void showChat() {
        stack.topControl = chat.control();
        root.layout(true, true);
        chat.setFocus();
    }

    /** Back to the Connect view for a new exchange; leaves the current conversation. */
    public void showConnect() {
        endConversation();
        if (reopenWhenIdle) {
            reopenWhenIdle = false;
            openClient();
        }
        if (connect.exchange() != null) {
            connect.exchange().reset();
        }
        if (connect.peerList() != null) {
            connect.peerList().reset();
        }
        stack.topControl = connect.control();
        root.layout(true, true);
    }

    /** Leaves the conversation (the client layer says goodbye and stops reconnecting). */
    public void disconnect() {
        Conversation c = current;
        if (c == null || chat.isEnded()) {
            return;
        }
        c.leave();
        chat.left();
    }

    public boolean canDisconnect() {
        return isChatShown() && current != null && !chat.isEnded();
    }

    /** Copies the offer or answer shown last; false if there is none. */
    public boolean copyDescription() {
        return !isChatShown() && connect.exchange() != null && connect.exchange().copyCurrent();
    }

    public void sendFile() {
        if (isChatShown()) {
            chat.sendFile();
        }
    }

    /** Unread messages (and requests) counted in the window title. */
    public int unreadCount() {
        return notifier.unread();
    }

    @Focus
    void setFocus() {
        if (isChatShown()) {
            chat.setFocus();
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
