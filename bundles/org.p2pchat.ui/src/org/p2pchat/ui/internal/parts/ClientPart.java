package org.p2pchat.ui.internal.parts;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
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
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.SignalingProvider;

/**
 * The desktop client's one part: the Connect view until a session connects, then the Chat view.
 * <p>
 * Every service is an OSGi service injected with {@link Service}, which re-injects it when it
 * changes (a connection method or the file transfer engine installed later appears without a
 * restart). Re-injection and session events happen on other threads; the controls are only
 * touched on the UI thread.
 */
public class ClientPart {

    public static final String ID = "org.p2pchat.ui.part.client";

    private volatile SettingsStore settingsStore;
    private volatile List<SignalingProvider> providers = List.of();
    private volatile PeerTransport transport;
    private volatile FileTransferService fileTransfer;
    private volatile PeerSession session;

    private final PeerSessionListener sessionListener = new SessionEvents();
    private final TransferListener transferListener = this::transferChanged;

    private Composite root;
    private StackLayout stack;
    private ConnectView connect;
    private ChatView chat;
    private Notifier notifier;

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
        root = new Composite(parent, SWT.NONE);
        stack = new StackLayout();
        root.setLayout(stack);
        connect = new ConnectView(root, this);
        chat = new ChatView(root, this);
        notifier = new Notifier(parent.getShell());
        stack.topControl = connect.control();
        connect.refresh(settingsStore, providers);
    }

    private void transferChanged(TransferStatus status) {
        FileTransferService service = fileTransfer;
        Ui.async(root, () -> chat.transfer(status, service));
    }

    private void refreshLater() {
        Ui.async(root, () -> connect.refresh(settingsStore, providers));
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
        created.addListener(sessionListener);
        PeerSession old;
        synchronized (this) {
            old = session;
            session = created;
        }
        if (old != null) {
            old.removeListener(sessionListener);
            old.close();
        }
        Ui.async(root, chat::start);
        return created;
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
        PeerSession old = session;
        if (old != null && !old.state().isFinal()) {
            disconnect();
        }
        if (connect.exchange() != null) {
            connect.exchange().reset();
        }
        stack.topControl = connect.control();
        root.layout(true, true);
    }

    /** Says goodbye as the web app does and closes the session. */
    public void disconnect() {
        PeerSession current = session;
        if (current == null || current.state().isFinal()) {
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
        return isChatShown() && current != null && !current.state().isFinal();
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

    /** Unread messages counted in the window title. */
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
        PeerSession current = session;
        session = null;
        if (current != null) {
            current.removeListener(sessionListener);
            current.close();
        }
        if (notifier != null) {
            notifier.dispose();
        }
    }

    /** Session events arrive on transport threads; each is handled on the UI thread. */
    private final class SessionEvents implements PeerSessionListener {

        private void ui(PeerSession s, Runnable action) {
            Ui.async(root, () -> {
                if (s == session) {
                    action.run();
                }
            });
        }

        @Override
        public void stateChanged(PeerSession s, ConnectionState state) {
            ui(s, () -> {
                chat.state(state);
                if (state == ConnectionState.CONNECTED && !isChatShown()) {
                    showChat();
                } else if (!isChatShown()) {
                    connect.stateChanged(state);
                }
            });
        }

        @Override
        public void pathSelected(PeerSession s, CandidatePath path) {
            ui(s, () -> chat.path(path));
        }

        @Override
        public void messageReceived(PeerSession s, ChatMessage message) {
            ui(s, () -> {
                chat.received(message);
                if (!message.isSystemNotice()) {
                    notifier.messageArrived(message.sender(), message.content());
                }
            });
        }

        @Override
        public void unknownMessage(PeerSession s, String type, String json) {
            ui(s, () -> chat.notice("webtorrent-file".equals(type)
                    ? "Your peer offered a file from the web app. " + ChatView.FILES_NOT_SUPPORTED
                    : "Your peer sent a message of type '" + type + "' that this client does not handle."));
        }

        @Override
        public void problem(PeerSession s, String description) {
            ui(s, () -> chat.notice("Problem: " + description));
        }
    }
}
