package org.p2pchat.ui.internal.parts;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryMembership;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.SignalingProvider;

/**
 * The desktop client's one part: the Connect view until a session connects, then the Chat view,
 * with incoming directory requests in a bar above both.
 * <p>
 * Every service is an OSGi service injected with {@link Service}, which re-injects it when it
 * changes (a connection method or the file transfer engine installed later appears without a
 * restart). Re-injection and session events happen on other threads; the controls are only
 * touched on the UI thread.
 * <p>
 * A manual exchange creates its session here ({@link #newSession()}); a directory creates the
 * session itself and reports its events to the listener we hand it, so such a session becomes the
 * current one with its first event ({@link #negotiate}).
 */
public class ClientPart {

    public static final String ID = "org.p2pchat.ui.part.client";

    private volatile SettingsStore settingsStore;
    private volatile List<SignalingProvider> providers = List.of();
    private volatile PeerTransport transport;
    private volatile FileTransferService fileTransfer;
    private volatile IdentityService identity;
    private volatile PeerSession session;
    /** The listener on {@link #session}. */
    private volatile SessionEvents sessionEvents;
    /** The listener a directory is about to create a session for; its first event adopts it. */
    private volatile SessionEvents expected;

    private final TransferListener transferListener = this::transferChanged;

    private Composite root;
    private StackLayout stack;
    private RequestBar requests;
    private ConnectView connect;
    private ChatView chat;
    private Notifier notifier;
    /** How the current conversation comes back after a failure; null for a manual exchange. UI thread. */
    private DirectoryLink link;
    /** Counts conversations the user started or ended; a negotiation finishing for an older one is dropped. */
    private int conversation;

    @Inject
    void setSettingsStore(@Optional @Service SettingsStore store) {
        settingsStore = store;
        refreshLater();
    }

    /** Every registered connection method, highest service ranking first. */
    @Inject
    void setProviders(@Optional @Service List<SignalingProvider> registered) {
        providers = registered == null ? List.of() : List.copyOf(registered);
        refreshLater();
    }

    @Inject
    void setTransport(@Optional @Service PeerTransport registered) {
        transport = registered;
    }

    @Inject
    void setIdentity(@Optional @Service IdentityService registered) {
        identity = registered;
        refreshLater();
    }

    @Inject
    void setFileTransfer(@Optional @Service FileTransferService registered) {
        FileTransferService old = fileTransfer;
        if (old != null) {
            old.removeListener(transferListener);
        }
        fileTransfer = registered;
        if (registered != null) {
            registered.addListener(transferListener);
        }
    }

    @PostConstruct
    void createControls(Composite parent) {
        parent.setLayout(new FillLayout());
        Composite frame = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(frame);
        requests = new RequestBar(frame, this::acceptRequest);
        root = new Composite(frame, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(root);
        stack = new StackLayout();
        root.setLayout(stack);
        connect = new ConnectView(root, this);
        chat = new ChatView(root, this);
        notifier = new Notifier(parent.getShell());
        stack.topControl = connect.control();
        connect.refresh(settingsStore, providers, identity);
    }

    private void transferChanged(TransferStatus status) {
        FileTransferService service = fileTransfer;
        Ui.async(root, () -> chat.transfer(status, service));
    }

    private void refreshLater() {
        Ui.async(root, () -> connect.refresh(settingsStore, providers, identity));
    }

    // ---- sessions ------------------------------------------------------------------------------

    /**
     * Starts over with a new session from the user's settings, closing the one before; may block
     * (the transport loads native code the first time), so call it from a job.
     */
    public PeerSession newSession() throws SessionException {
        PeerTransport t = transport;
        if (t == null) {
            throw new SessionException("No transport is installed: the WebRTC plug-in is missing or did not start.");
        }
        SettingsStore store = settingsStore;
        SessionConfig config = store == null ? SessionConfig.of(List.of(), null) : store.get().sessionConfig();
        PeerSession created = t.createSession(config);
        SessionEvents events = new SessionEvents(false, false);
        created.addListener(events);
        PeerSession old;
        synchronized (this) {
            expected = null;
            old = replaceSession(created, events);
        }
        close(old);
        return created;
    }

    /**
     * Makes {@code created} the current session and returns the one before; the caller holds the
     * lock, so whatever is posted about the new session afterwards runs after the chat is reset.
     */
    private PeerSession replaceSession(PeerSession created, SessionEvents events) {
        PeerSession old = session;
        SessionEvents oldEvents = sessionEvents;
        session = created;
        sessionEvents = events;
        FileTransferService files = fileTransfer;
        if (files != null && old != created) {
            files.attach(created); // offers from this peer, and unfinished transfers with it resuming
        }
        if (old != null) {
            old.removeListener(oldEvents);
        }
        Ui.async(root, events.continuing ? chat::resume : () -> {
            if (link != null) {
                link.end(); // a new conversation: the old one no longer comes back
                link = null;
            }
            chat.start();
        });
        return old == created ? null : old;
    }

    /**
     * Closes a replaced session outside the lock and off the calling thread: closing waits on the
     * transport's signaling thread, which may be the very thread reporting the new session's events.
     */
    private static void close(PeerSession old) {
        if (old != null) {
            CompletableFuture.runAsync(old::close);
        }
    }

    /** What a manual exchange found out about the peer of {@code s}; on the UI thread. */
    void verified(PeerSession s, Verification verification) {
        filesVerified(s, verification.peer());
        if (s == session) {
            chat.verification(verification);
        }
    }

    /** Transfers with the session's peer are bound to the key it proved (only that key resumes them). */
    private void filesVerified(PeerSession s, java.util.Optional<PublicIdentity> peer) {
        FileTransferService files = fileTransfer;
        if (files != null && peer.isPresent()) {
            files.verified(s, peer.get());
        }
    }

    /** Makes {@code s}, a session a directory created for {@code events}, the current one (once). */
    private void adopt(PeerSession s, SessionEvents events) {
        PeerSession old;
        synchronized (this) {
            if (session == s || expected != events) {
                return;
            }
            expected = null;
            old = replaceSession(s, events);
        }
        close(old);
    }

    /**
     * Negotiates a session through a directory ({@code negotiation} gets the listener to attach) and
     * continues with it under {@code how}: the chat opens once it connects. On the UI thread.
     *
     * @param continuing whether the session continues the current conversation (a reconnection)
     * @param failed     told on the UI thread why the negotiation failed
     */
    void negotiate(String job, DirectoryLink how, boolean continuing,
            Function<PeerSessionListener, CompletableFuture<DirectoryConnection>> negotiation, Consumer<Throwable> failed) {
        if (!continuing) {
            conversation++;
        }
        int forConversation = conversation;
        SessionEvents events = new SessionEvents(true, continuing);
        expected = events;
        CompletableFuture<DirectoryConnection> negotiated;
        try {
            negotiated = negotiation.apply(events);
        } catch (RuntimeException e) {
            negotiated = CompletableFuture.failedFuture(e);
        }
        Ui.follow(job, root, negotiated, (connection, error) -> {
            if (error != null) {
                synchronized (this) {
                    if (expected == events) {
                        expected = null;
                    }
                }
                failed.accept(error);
                return;
            }
            if (forConversation != conversation) {
                connection.session().close(); // the user moved on meanwhile
                return;
            }
            adopt(connection.session(), events);
            filesVerified(connection.session(), connection.identity());
            Ui.async(root, () -> {
                if (connection.session() != session) {
                    connection.session().close();
                    return;
                }
                link = how;
                how.connected(connection);
                chat.recovery(how.recovery());
                chat.verification(Verification.of(connection));
            });
        });
    }

    /** Connects to a peer through the directory; {@code failed} hears why not. On the UI thread. */
    void connectThroughDirectory(Supplier<DirectoryMembership> membership, DirectoryPeer peer, Consumer<Throwable> failed) {
        DirectoryMembership m = membership.get();
        if (m == null) {
            failed.accept(new IllegalStateException("Not registered with a rendezvous service."));
            return;
        }
        endConversation();
        negotiate("Connecting to " + DirectoryPanel.displayName(peer), new DirectoryLink(this, chat, membership, true),
                false, listener -> m.connect(peer, listener), failed);
    }

    /** Accepts a request through the directory; {@code failed} hears why it could not. On the UI thread. */
    void acceptThroughDirectory(Supplier<DirectoryMembership> membership, IncomingRequest request, Consumer<Throwable> failed) {
        requests.remove(request);
        endConversation();
        negotiate("Accepting " + DirectoryPanel.displayName(request.from()), new DirectoryLink(this, chat, membership, false),
                false, request::accept, failed);
    }

    /**
     * A request through the directory: one that continues the current conversation (our peer
     * reconnecting, proving the key of this chat) is accepted without asking; anything else is
     * shown for the user to answer, and the conversation goes on meanwhile. UI thread.
     */
    void incoming(IncomingRequest request) {
        if (link != null && link.continuedBy(request)) {
            link.acceptReconnection(request);
            return;
        }
        requests.show(request, identity);
        notifier.requestArrived(DirectoryPanel.displayName(request.from()) + " asks to connect",
                RequestBar.identityText(request, identity));
    }

    void withdrawn(IncomingRequest request) {
        requests.remove(request);
    }

    /** The directory was left: its requests can no longer be answered. */
    void directoryLeft() {
        requests.clear();
    }

    /** The user accepts a request from the bar: that happens on the Connect page, where its progress shows. */
    private void acceptRequest(IncomingRequest request) {
        if (isChatShown()) {
            showConnect();
        }
        DirectoryPanel panel = connect.directory();
        if (panel == null) {
            requests.remove(request);
            return;
        }
        panel.accept(request);
    }

    /** Ends a conversation still going before another starts (saying goodbye). */
    private void endConversation() {
        PeerSession current = session;
        if (current != null && !current.state().isFinal()) {
            disconnect();
        }
        endLink();
    }

    /** Stops reconnecting the current conversation; whether it was reconnecting. */
    private boolean endLink() {
        boolean reconnecting = chat != null && chat.isReconnecting();
        if (link != null) {
            link.end();
            link = null;
        }
        expected = null;
        return reconnecting;
    }

    /** The session being negotiated or in use, if any. */
    public PeerSession session() {
        return session;
    }

    SettingsStore settingsStore() {
        return settingsStore;
    }

    FileTransferService fileTransfer() {
        return fileTransfer;
    }

    IdentityService identity() {
        return identity;
    }

    /** The name our messages carry. */
    String username() {
        SettingsStore store = settingsStore;
        String name = store == null ? "" : store.get().username();
        return name.isBlank() ? "anonymous" : name;
    }

    public boolean isChatShown() {
        return root != null && !root.isDisposed() && stack.topControl == chat.control();
    }

    void showChat() {
        stack.topControl = chat.control();
        root.layout(true, true);
        chat.setFocus();
    }

    /** Back to the Connect view for a new exchange; ends the current session. */
    public void showConnect() {
        conversation++;
        endConversation();
        if (connect.exchange() != null) {
            connect.exchange().reset();
        }
        if (connect.directory() != null) {
            connect.directory().reset();
        }
        stack.topControl = connect.control();
        root.layout(true, true);
    }

    /** Says goodbye as the web app does and closes the session; stops reconnecting. */
    public void disconnect() {
        conversation++;
        boolean wasReconnecting = endLink();
        PeerSession current = session;
        if (current == null || (current.state().isFinal() && !wasReconnecting)) {
            return;
        }
        if (current.state() == ConnectionState.CONNECTED) {
            current.send(ChatMessage.create(ChatMessage.SYSTEM_SENDER, username() + " left the chat"))
                    .orTimeout(2, TimeUnit.SECONDS).whenComplete((ok, error) -> current.close());
        } else {
            current.close();
        }
        chat.state(ConnectionState.CLOSED);
    }

    public boolean canDisconnect() {
        PeerSession current = session;
        return isChatShown() && current != null && (!current.state().isFinal() || chat.isReconnecting());
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
        setFileTransfer(null);
        if (link != null) {
            link.end();
        }
        PeerSession current = session;
        session = null;
        if (current != null) {
            current.removeListener(sessionEvents);
            current.close();
        }
        if (notifier != null) {
            notifier.dispose();
        }
    }

    /** Session events arrive on transport threads; each is handled on the UI thread. */
    private final class SessionEvents implements PeerSessionListener {

        /** Whether the session of the first event becomes the current one: a session a directory made for us. */
        private final boolean adopts;
        /** Whether that session continues the current conversation (a reconnection). */
        private final boolean continuing;

        SessionEvents(boolean adopts, boolean continuing) {
            this.adopts = adopts;
            this.continuing = continuing;
        }

        /** A session that ends before it did anything is not adopted: the failed negotiation says why. */
        private void ui(PeerSession s, boolean mayAdopt, Runnable action) {
            if (adopts && mayAdopt) {
                adopt(s, this);
            }
            Ui.async(root, () -> {
                if (s == session) {
                    action.run();
                }
            });
        }

        @Override
        public void stateChanged(PeerSession s, ConnectionState state) {
            ui(s, !state.isFinal(), () -> {
                chat.state(state);
                if (link != null) {
                    link.stateChanged(s, state);
                }
                if (state == ConnectionState.CONNECTED && !isChatShown()) {
                    showChat();
                } else if (!isChatShown()) {
                    connect.stateChanged(state);
                }
            });
        }

        @Override
        public void pathSelected(PeerSession s, CandidatePath path) {
            ui(s, true, () -> chat.path(path));
        }

        @Override
        public void messageReceived(PeerSession s, ChatMessage message) {
            ui(s, true, () -> {
                chat.received(message);
                if (!message.isSystemNotice()) {
                    notifier.messageArrived(message.sender(), message.content());
                }
            });
        }

        @Override
        public void unknownMessage(PeerSession s, String type, String json) {
            ui(s, true, () -> chat.notice("webtorrent-file".equals(type)
                    ? "Your peer offered a file from the web app. " + ChatView.FILES_NOT_SUPPORTED
                    : "Your peer sent a message of type '" + type + "' that this client does not handle."));
        }

        @Override
        public void problem(PeerSession s, String description) {
            ui(s, true, () -> chat.notice("Problem: " + description));
        }
    }
}
