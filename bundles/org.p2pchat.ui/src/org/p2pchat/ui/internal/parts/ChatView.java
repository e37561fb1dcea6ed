package org.p2pchat.ui.internal.parts;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * The conversation with the connected peer: messages, the input (Enter sends, Shift+Enter starts
 * a new line), a status line with the connection state and path, who the peer is (verified key
 * and safety number, or unverified; a loud banner when a known name comes with a new key), the
 * state of an automatic reconnection, and file transfers.
 * <p>
 * It renders one {@link Conversation} of the client layer, which outlives its sessions: after a
 * reconnection the conversation goes on with the messages kept.
 */
final class ChatView {

    static final String INPUT = "chat.input";
    static final String SEND = "chat.send";
    static final String STATUS = "chat.status";
    static final String DISCONNECT = "chat.disconnect";
    static final String SEND_FILE = "chat.sendFile";
    static final String FILE_NOTICE = "chat.fileNotice";
    static final String ENDED = "chat.ended";
    static final String ENDED_TEXT = "chat.ended.text";
    static final String NEW_CONNECTION = "chat.newConnection";
    static final String IDENTITY = "chat.identity";
    static final String SAFETY_NUMBER = "chat.safetyNumber";
    static final String KEY_CHANGED = "chat.keyChanged";
    static final String KEY_CHANGED_TEXT = "chat.keyChanged.text";

    static final String FILES_NOT_INSTALLED = "File transfer is not installed yet.";
    static final String FILES_NOT_SUPPORTED = "Your peer's app (the web app) cannot exchange files with this client.";

    /** What happens when the connection fails. */
    enum Recovery {
        /** A manual exchange: nothing can carry a new offer, the user starts a new exchange. */
        NONE,
        /** We connected through a directory: we ask the peer again through it. */
        RECONNECTS,
        /** The peer connected to us through a directory: it asks again, and we accept by ourselves. */
        AWAITS
    }

    private final ClientPart client;
    private final Composite root;
    private final Label status;
    private final Button disconnect;
    private final PeerIdentityRows identity;
    private final Composite ended;
    private final Label endedText;
    private final Button newConnection;
    private final MessageList messages;
    private final TransferList transfers;
    private final Label fileNotice;
    private final Text input;
    private final Button send;

    private Conversation conversation;
    private ConversationState conversationState = ConversationState.NEGOTIATING;
    private ConnectionState state = ConnectionState.NEW;
    private CandidatePath path;
    private Recovery recovery = Recovery.NONE;
    /** The reconnection attempt under way; 0 when none is. */
    private int attempt;
    private int attempts;
    /** Why reconnecting gave up; null while it has not. */
    private String reconnectFailure;

    ChatView(Composite parent, ClientPart client) {
        this.client = client;
        root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(12, 10).spacing(6, 6).applyTo(root);

        Composite bar = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).spacing(8, 0).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        status = Ui.tag(Ui.label(bar, "", SWT.NONE), STATUS);
        status.setFont(Ui.bold());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(status);
        Ui.button(bar, "Send file\u2026", SEND_FILE, this::sendFile).setToolTipText("Send files (or drop them on the chat)");
        disconnect = Ui.button(bar, "Disconnect", DISCONNECT, client::disconnect);
        disconnect.setToolTipText("End the conversation (Ctrl+D)");
        HelpButton.create(bar, "Chat",
                "Messages go directly to your peer over an encrypted connection; nothing is stored on a server or "
                        + "on disk.\n\nThe status line says how you are connected: \"direct\" (straight between your "
                        + "computers), \"STUN\" (through your routers, found with a STUN server) or \"relay\" (through a "
                        + "TURN server, still encrypted end to end).\n\nEnter sends, Shift+Enter starts a new line. "
                        + "Drop files on the conversation or use \"Send file\" to offer them to your peer.");

        identity = new PeerIdentityRows(root, client::self, this::peerName);

        ended = Ui.tag(new Composite(root, SWT.BORDER), ENDED);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(8, 6).applyTo(ended);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(ended);
        endedText = Ui.tag(Ui.label(ended, "", SWT.WRAP), ENDED_TEXT);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(endedText);
        newConnection = Ui.button(ended, "New connection", NEW_CONNECTION, client::showConnect);
        newConnection.setToolTipText("Back to the Connect page");
        Ui.show(ended, false);

        messages = new MessageList(root);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(messages.control());
        transfers = new TransferList(root);
        fileNotice = Ui.tag(Ui.label(root, "", SWT.WRAP), FILE_NOTICE);
        fileNotice.setForeground(Ui.ERROR);
        GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(fileNotice);
        Ui.show(fileNotice, false);
        acceptDroppedFiles(messages.control());

        Composite compose = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(6, 0).applyTo(compose);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(compose);
        input = Ui.tag(new Text(compose, SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER), INPUT);
        input.setMessage("Write a message. Enter sends, Shift+Enter starts a new line.");
        GridDataFactory.fillDefaults().grab(true, false).hint(200, 3 * input.getLineHeight() + 8).applyTo(input);
        input.addListener(SWT.KeyDown, this::inputKey);
        send = Ui.button(compose, "Send", SEND, this::send);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.FILL).applyTo(send);
    }

    Control control() {
        return root;
    }

    /** A new conversation: an empty chat. */
    void start(Conversation started, Recovery how) {
        conversation = started;
        recovery = how;
        conversationState = started.state();
        state = started.connectionState();
        path = null;
        attempt = 0;
        reconnectFailure = null;
        messages.clear();
        transfers.clear();
        Ui.show(fileNotice, false);
        input.setText("");
        identity.clear();
        showConnection();
    }

    private String peerName() {
        String name = conversation == null ? "" : conversation.peerName();
        return name == null || name.isBlank() ? "your peer" : name;
    }

    private void inputKey(Event e) {
        if (e.keyCode != SWT.CR && e.keyCode != SWT.KEYPAD_CR) {
            return;
        }
        e.doit = false;
        if ((e.stateMask & SWT.SHIFT) != 0) {
            input.insert(input.getLineDelimiter());
        } else if ((e.stateMask & SWT.MODIFIER_MASK) == 0) {
            send();
        }
    }

    /** Sends what is in the input; keeps it there if there is nobody to send to. */
    void send() {
        String content = input.getText().strip();
        if (content.isEmpty()) {
            return;
        }
        if (conversation == null || state != ConnectionState.CONNECTED) {
            notice("Not connected: the message was not sent.");
            return;
        }
        input.setText("");
        conversation.send(content).whenComplete((ok, error) -> {
            if (error != null) {
                Ui.async(root, () -> notice("Not delivered: " + Ui.message(error)));
            }
        });
    }

    /** Our message was handed to the channel. */
    void sent(ChatMessage m) {
        messages.add(MessageList.Kind.OWN, "You", m.timestamp(), m.content());
    }

    /** A message or a system notice from the peer. */
    void received(ChatMessage m) {
        if (m.isSystemNotice()) {
            messages.add(MessageList.Kind.SYSTEM, "", m.timestamp(), m.content());
        } else {
            messages.add(MessageList.Kind.PEER, m.sender(), m.timestamp(), m.content());
        }
        showStatus(); // the peer's name may be known now
    }

    void notice(String text) {
        messages.add(MessageList.Kind.SYSTEM, "", 0, text);
    }

    /** The conversation's state, with its current session's. */
    void state(ConversationState newConversationState, ConnectionState newState) {
        conversationState = newConversationState;
        if (newState == state) {
            showConnection();
            return;
        }
        ConnectionState before = state;
        state = newState;
        if (newState == ConnectionState.CONNECTED && before == ConnectionState.DISCONNECTED) {
            notice("The connection is back.");
        } else if (attempt == 0 && newConversationState != ConversationState.RECONNECTING
                && !(newState == ConnectionState.FAILED && recovery == Recovery.RECONNECTS)) { // the attempts say it
            String change = banner();
            if (change != null) {
                notice(change);
            }
        }
        showConnection();
    }

    /** Reconnection attempt {@code n} of {@code of} has started. */
    void reconnecting(int n, int of) {
        attempt = n;
        attempts = of;
        reconnectFailure = null;
        if (n == 1) {
            notice(banner());
        }
        showConnection();
    }

    /** An attempt failed; the last one if {@code last}. */
    void attemptFailed(int n, String reason, boolean last) {
        if (!last) {
            notice("Reconnection attempt " + n + " failed: " + reason);
            return;
        }
        attempt = 0;
        reconnectFailure = reason;
        notice(banner());
        showConnection();
    }

    /** The connection is back. */
    void reconnected() {
        attempt = 0;
        reconnectFailure = null;
        notice("Reconnected.");
        showConnection();
    }

    /** We left: the chat says so at once, before the goodbye went out. */
    void left() {
        attempt = 0;
        conversationState = ConversationState.ENDED;
        state(ConversationState.ENDED, ConnectionState.CLOSED);
    }

    /** Whether the conversation is over (the way back to the Connect page is all there is). */
    boolean isEnded() {
        return conversationState.isFinal();
    }

    /** Whether the conversation waits for a connection to come back. */
    boolean isReconnecting() {
        return conversationState == ConversationState.RECONNECTING || attempt > 0;
    }

    /** The banner over the messages for the state of the connection; null when all is well. */
    private String banner() {
        String who = peerName();
        if (reconnectFailure != null) {
            return "Could not reconnect to " + who + " (" + reconnectFailure + "). Start a new connection to chat again.";
        }
        if (attempt > 0) {
            return "Connection lost \u2014 reconnecting (attempt " + attempt + " of " + attempts + ")\u2026";
        }
        return switch (state) {
            case DISCONNECTED -> recovery == Recovery.NONE
                    ? "The connection was interrupted. It may come back by itself; if it does not, start a new exchange "
                            + "(a manual exchange has no way to reconnect by itself)."
                    : "The connection was interrupted. It may come back by itself; if it fails, P2P Chat reconnects "
                            + "through the directory.";
            case FAILED -> switch (recovery) {
                case NONE -> "The connection failed. It cannot be made again automatically: a manual exchange has no "
                        + "signaling path to carry a new offer and answer. Start a new exchange to chat again.";
                case AWAITS -> conversationState.isFinal()
                        ? "The connection failed and " + who + " did not reconnect. Start a new connection to chat again."
                        : "Connection lost \u2014 waiting for " + who + " to reconnect through the directory\u2026";
                case RECONNECTS -> "Connection lost \u2014 reconnecting\u2026";
            };
            case CLOSED -> "The conversation has ended. Start a new connection to chat again.";
            default -> conversationState == ConversationState.RECONNECTING ? "Reconnecting to " + who + "\u2026" : null;
        };
    }

    private void showConnection() {
        String text = banner();
        endedText.setText(text == null ? "" : text);
        endedText.setForeground(reconnectFailure != null || state == ConnectionState.CLOSED ? Ui.ERROR : null);
        Ui.show(ended, text != null);
        // While we are asking again there is nothing for the user to do; everywhere else the way back is offered.
        boolean waiting = conversationState == ConversationState.RECONNECTING && state != ConnectionState.FAILED;
        Ui.show(newConnection, attempt == 0 && !waiting);
        send.setEnabled(state == ConnectionState.CONNECTED);
        disconnect.setEnabled(!conversationState.isFinal());
        showStatus();
        relayout();
    }

    /** Lays the view out after a row above the messages appeared or went. */
    private void relayout() {
        root.layout(true, true);
        messages.realign();
    }

    void path(CandidatePath newPath) {
        path = newPath;
        showStatus();
    }

    private void showStatus() {
        String who = peerName();
        boolean reconnecting = isReconnecting() && state != ConnectionState.CONNECTED;
        String text = reconnecting ? "\u21bb Reconnecting to " + who + "..." : switch (state) {
            case NEW, CONNECTING -> "Connecting to " + who + "...";
            case CONNECTED -> "\u25cf Connected to " + who + (path == null ? "" : "  \u00b7  " + path.summary());
            case DISCONNECTED -> "\u25cb Connection to " + who + " lost";
            case FAILED -> "\u25cb Connection failed";
            case CLOSED -> "\u25cb Disconnected";
        };
        status.setText(text);
        status.setForeground(reconnecting ? Ui.WARNING : state == ConnectionState.CONNECTED ? Ui.GOOD : Ui.ERROR);
        status.setToolTipText(path == null ? null : "Path: " + path);
        status.getParent().layout(true);
    }

    // ---- identity ------------------------------------------------------------------------------

    /** What the peer's description proved. */
    void identified(Optional<PublicIdentity> peer) {
        identity.identified(peer);
        relayout();
    }

    void safetyNumber(String number) {
        identity.safetyNumber(number);
        relayout();
    }

    /** Trust on first use, as the client layer found it. */
    void contact(String name, Contact.Status status, String text) {
        String sentence = identity.contact(name, status, text);
        if (sentence != null) {
            notice(sentence);
        }
        relayout();
    }

    /** The safety number of the conversation, or null if the peer is unverified. */
    String safetyNumberText() {
        return identity.safetyNumberText();
    }

    void showSafetyNumber() {
        identity.showSafetyNumber();
    }

    // ---- files ---------------------------------------------------------------------------------

    private void acceptDroppedFiles(Control target) {
        DropTarget drop = new DropTarget(target, DND.DROP_COPY | DND.DROP_DEFAULT);
        drop.setTransfer(new Transfer[] { FileTransfer.getInstance() });
        drop.addDropListener(new DropTargetAdapter() {
            @Override
            public void dragEnter(DropTargetEvent event) {
                event.detail = DND.DROP_COPY;
            }

            @Override
            public void drop(DropTargetEvent event) {
                if (event.data instanceof String[] names) {
                    offer(Arrays.stream(names).map(Path::of).toList());
                }
            }
        });
    }

    /** "Send file...": picks files and offers them, or says why files cannot be sent. */
    void sendFile() {
        if (!canSendFiles()) {
            return;
        }
        FileDialog dialog = new FileDialog(root.getShell(), SWT.OPEN | SWT.MULTI);
        dialog.setText("Send files to " + peerName());
        if (dialog.open() == null) {
            return;
        }
        offer(Arrays.stream(dialog.getFileNames()).map(n -> Path.of(dialog.getFilterPath(), n)).toList());
    }

    /** Whether files can be sent now; says why not if not. */
    private boolean canSendFiles() {
        String problem = conversation == null || state != ConnectionState.CONNECTED ? "Connect to a peer to send files."
                : conversation.canSendFiles() ? null
                : client.fileTransfer() == null && !conversation.peerIsWebApp() ? FILES_NOT_INSTALLED
                : FILES_NOT_SUPPORTED;
        fileNotice.setText(problem == null ? "" : problem);
        Ui.show(fileNotice, problem != null);
        relayout();
        return problem == null;
    }

    private void offer(List<Path> files) {
        if (files.isEmpty() || !canSendFiles()) {
            return;
        }
        conversation.sendFiles(files).whenComplete((offered, error) -> Ui.async(root, () -> {
            if (error != null) {
                notice("Could not offer the files: " + Ui.message(error));
            } else {
                transfer(offered);
            }
        }));
    }

    void transfer(TransferStatus status) {
        FileTransferService service = client.fileTransfer();
        if (service != null) {
            transfers.update(status, service);
        }
    }

    String fileNoticeText() {
        return fileNotice.getText();
    }

    // ---- a conversation of the history that is not live (ui-list's stub: ui-chat's MessageList pages it) ----

    /** Shows a conversation of the history that is not live: its newest stored messages, nothing to send to. */
    void history(String historyId, String peerName) {
        conversation = null;
        conversationState = ConversationState.ENDED;
        messages.clear();
        for (var m : client.chatClient().page(historyId, Long.MAX_VALUE, 100).messages()) {
            switch (m.direction()) {
                case OUTGOING -> messages.add(MessageList.Kind.OWN, "You", m.timestamp(), m.text());
                case INCOMING -> messages.add(MessageList.Kind.PEER, m.sender(), m.timestamp(), m.text());
                case NOTICE -> messages.add(MessageList.Kind.SYSTEM, "", m.timestamp(), m.text());
            }
        }
        status.setText("\u25cb " + peerName + " \u00b7 not connected (Call them from the list)");
        status.setForeground(Ui.MUTED);
        send.setEnabled(false);
        disconnect.setEnabled(false);
        relayout();
    }

    /** Scrolls to the stored message {@code row} (a search result) and marks it. */
    void reveal(long row) {
        // ui-chat: MessageList reveals the row (loading older pages until it is there)
    }

    void setFocus() {
        input.setFocus();
    }
}
