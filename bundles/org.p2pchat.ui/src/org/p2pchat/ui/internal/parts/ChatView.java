package org.p2pchat.ui.internal.parts;

import java.util.Optional;
import java.util.OptionalLong;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.FileItem;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * One conversation: its messages, the input (Enter sends, Shift+Enter starts a new line), a status
 * line with the connection state and path, who the peer is (verified key and safety number, or
 * unverified; a loud banner when a known name comes with a new key), the state of an automatic
 * reconnection, and file transfers.
 * <p>
 * It renders one conversation of the history and the live {@link Conversation} with its peer, if
 * there is one (the client layer's conversation outlives its sessions: after a reconnection it goes
 * on with the messages kept). It shows the newest page of the history at once and older pages as
 * the person scrolls up; live messages are added as they come, without repeating a message the
 * page holds; each of our messages shows how far delivery got, and "Send again" on one that was not
 * delivered. A conversation with a web app peer says that delivery is best effort.
 * <p>
 * How a window uses it (on the UI thread):
 * <ul>
 * <li>{@link #ChatView(Composite, Host, String)}: a conversation of the history, read-only until a
 * live conversation is {@link #start started} in it; {@link #ChatView(Composite, Host)}: an empty
 * view for a conversation about to be made, whose history is found once its peer is identified.</li>
 * <li>{@link #start}: a live conversation is shown here (the same history's messages stay).</li>
 * <li>The conversation's events go to {@link #received}, {@link #sent}, {@link #delivery},
 * {@link #state}, {@link #reconnecting}, {@link #attemptFailed}, {@link #reconnected},
 * {@link #path}, {@link #identified}, {@link #safetyNumber}, {@link #contact}, {@link #notice},
 * {@link #transfer}; {@code HistoryDeliveryChanged} to {@link #historyDelivery}.</li>
 * <li>{@link #historyId()}, {@link #conversation()}: what it shows; {@link #reveal(long)}: scrolls to
 * a stored message (a search result) and highlights it; {@link #onReconnect(Runnable)}: a
 * "Reconnect" button while not live.</li>
 * </ul>
 */
public final class ChatView {

    static final String INPUT = ComposeBox.INPUT;
    static final String SEND = ComposeBox.SEND;
    static final String STATUS = "chat.status";
    static final String DISCONNECT = "chat.disconnect";
    static final String SEND_FILE = "chat.sendFile";
    static final String ENDED = "chat.ended";
    static final String ENDED_TEXT = "chat.ended.text";
    static final String NEW_CONNECTION = "chat.newConnection";
    static final String IDENTITY = "chat.identity";
    static final String SAFETY_NUMBER = "chat.safetyNumber";
    static final String KEY_CHANGED = "chat.keyChanged";
    static final String KEY_CHANGED_TEXT = "chat.keyChanged.text";
    static final String KEY_CHANGED_ACCEPT = "chat.keyChanged.accept";
    static final String BEST_EFFORT = "chat.bestEffort";
    static final String RECONNECT = "chat.reconnect";


    /** What a chat view needs of the window it is in. */
    public interface Host {
        /** The chat client; null while there is none. */
        ChatClient client();

        /** Our identity (for the safety number); null while there is no client. */
        PublicIdentity self();

        /** The file transfer engine; null if none is installed. */
        FileTransferService fileTransfer();

        /** "New connection" after a conversation ended: where a new one is made. */
        void showConnect();
    }

    /** What happens when the connection fails. */
    enum Recovery {
        /** A manual exchange: nothing can carry a new offer, the user starts a new exchange. */
        NONE,
        /** We connected through a directory: we ask the peer again through it. */
        RECONNECTS,
        /** The peer connected to us through a directory: it asks again, and we accept by ourselves. */
        AWAITS
    }

    private final Host host;
    private final Composite root;
    private final Label status;
    private final Button disconnect;
    private final Button sendFileButton;
    private final PeerIdentityRows identity;
    private final Composite ended;
    private final Label endedText;
    private final Button newConnection;
    private final Button reconnect;
    private final Label bestEffortNote;
    private final ChatTimeline timeline;
    private final MessageList messages;
    private final ChatFiles files;
    private final ComposeBox compose;

    private Conversation conversation;
    private final ConnectionStatus connection = new ConnectionStatus();
    /** The peer's name a window gave for a conversation of the history. */
    private String storedName;
    private Runnable reconnectAction;

    /** An empty view for a conversation about to be made by {@code client}. */
    ChatView(Composite parent, ClientPart client) {
        this(parent, new Host() {
            @Override
            public ChatClient client() {
                return client.chatClient();
            }

            @Override
            public PublicIdentity self() {
                return client.self();
            }

            @Override
            public FileTransferService fileTransfer() {
                return client.fileTransfer();
            }

            @Override
            public void showConnect() {
                client.showConnect();
            }
        });
    }

    /** A conversation of the history, its newest page shown at once; read-only until {@link #start}. */
    public ChatView(Composite parent, Host host, String historyId) {
        this(parent, host);
        history(historyId, null);
    }

    /** An empty view for a conversation about to be made ({@link #start}). */
    public ChatView(Composite parent, Host host) {
        this.host = host;
        root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(12, 10).spacing(6, 6).applyTo(root);

        Composite bar = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).spacing(8, 0).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        status = Ui.tag(Ui.label(bar, "", SWT.NONE), STATUS);
        status.setFont(Ui.bold());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(status);
        sendFileButton = Ui.button(bar, "Send file\u2026", SEND_FILE, this::sendFile);
        sendFileButton.setToolTipText("Send files (or drop them on the chat)");
        sendFileButton.setEnabled(false); // until connected
        disconnect = Ui.button(bar, "Disconnect", DISCONNECT, this::leave);
        disconnect.setToolTipText("End the conversation (Ctrl+D)");
        HelpButton.create(bar, "Chat",
                "Messages go directly to your peer over an encrypted connection; nothing is stored on a server. "
                        + "The conversation is kept in your profile on this computer.\n\nEach of your messages shows how "
                        + "far it got: \u25f7 waiting to be sent, \u2713 sent, \u2713\u2713 delivered (your peer's app has "
                        + "it), or \"Not delivered\" with a link to send it again. The web app does not confirm what it "
                        + "receives: with its users delivery is best effort.\n\nThe status line says how you are connected: \"direct\" (straight between your "
                        + "computers), \"STUN\" (through your routers, found with a STUN server) or \"relay\" (through a "
                        + "TURN server, still encrypted end to end).\n\nEnter sends, Shift+Enter starts a new line. "
                        + "Drop files on the conversation or use \"Send file\" to offer them to your peer.");

        identity = new PeerIdentityRows(root, host::self, this::peerName, this::conversation);
        bestEffortNote = Ui.tag(Ui.label(root, "", SWT.WRAP), BEST_EFFORT);
        bestEffortNote.setForeground(Ui.WARNING);
        GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(bestEffortNote);
        Ui.show(bestEffortNote, false);

        ended = Ui.tag(new Composite(root, SWT.BORDER), ENDED);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(ended);
        endedText = Ui.tag(Ui.label(ended, "", SWT.WRAP), ENDED_TEXT);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(endedText);
        GridLayoutFactory.fillDefaults().numColumns(3).margins(8, 6).applyTo(ended);
        newConnection = Ui.button(ended, "New connection", NEW_CONNECTION, host::showConnect);
        newConnection.setToolTipText("Back to the Connect page");
        reconnect = Ui.button(ended, "Reconnect", RECONNECT, () -> {
            if (reconnectAction != null) {
                reconnectAction.run();
            }
        });
        reconnect.setToolTipText("Connect again through a directory you both use");
        Ui.show(reconnect, false);
        Ui.show(ended, false);

        timeline = new ChatTimeline(root, host::client);
        messages = timeline.messages();
        // A size hint: the layout need not lay the whole conversation out to learn what size it wants.
        GridDataFactory.fillDefaults().grab(true, true).hint(200, 100).applyTo(messages.control());
        files = new ChatFiles(root, messages.control(), new ChatFiles.Chat() {
            @Override
            public Conversation connected() {
                return connection.isConnected() ? conversation : null;
            }

            @Override
            public FileTransferService fileTransfer() {
                return host.fileTransfer();
            }

            @Override
            public String peerName() {
                return ChatView.this.peerName();
            }

            @Override
            public void notice(String text) {
                ChatView.this.notice(text);
            }

            @Override
            public void relayout() {
                ChatView.this.relayout();
            }

            @Override
            public MessageList timeline() {
                return messages;
            }
        });

        compose = new ComposeBox(root, this::send);
    }

    public Control control() {
        return root;
    }

    /**
     * A live conversation is shown here. One of another history (or of none yet) starts an empty
     * chat; one of this view's history goes on below its messages.
     */
    public void start(Conversation started, Recovery how) {
        boolean sameHistory = timeline.bound() && timeline.historyId().equals(started.historyId());
        conversation = started;
        connection.start(started.state(), started.connectionState(), how);
        if (!sameHistory) {
            timeline.clear();
            files.clear();
            compose.clear();
        }
        files.hideNotice();
        identity.clear();
        bindHistory();
        showConnection();
    }

    /**
     * Shows a conversation of the history that is not live, read-only: its newest page at once.
     *
     * @param peerName the peer's name if the history does not say it; may be null
     */
    public void history(String historyId, String peerName) {
        conversation = null;
        connection.start(ConversationState.ENDED, ConnectionState.NEW, Recovery.NONE);
        storedName = peerName;
        timeline.clear();
        files.clear();
        files.hideNotice();
        identity.clear();
        bind(historyId);
        showConnection();
    }

    /** The live conversation shown (going on or ended); null while only the history is. */
    public Conversation conversation() {
        return conversation;
    }

    /** The history's id of the conversation shown, once known. */
    public Optional<String> historyId() {
        return timeline.historyId();
    }

    /**
     * What the "Reconnect" button does while the conversation is not live; without one (null) it is
     * not offered.
     */
    public void onReconnect(Runnable action) {
        reconnectAction = action;
        showConnection();
    }

    /** The live conversation learnt its place in the history: its stored messages are shown above. */
    private void bindHistory() {
        if (!timeline.bound() && conversation != null) {
            conversation.historyId().ifPresent(this::bind);
        }
    }

    private void bind(String historyId) {
        timeline.bind(historyId);
        showBestEffort();
    }

    private String peerName() {
        ConversationRecord record = timeline.record();
        String name = conversation != null ? conversation.peerName() : record != null ? record.peerName() : storedName;
        return name == null || name.isBlank() ? "your peer" : name;
    }

    /**
     * Whether a message can be written now: connected, or reconnecting to our client, which keeps
     * the message and sends it once the connection is back (the web app gets nothing it missed).
     */
    private boolean canSend() {
        if (conversation == null || connection.isFinal()) {
            return false;
        }
        return connection.isConnected()
                || connection.isReconnecting() && timeline.bound() && !conversation.bestEffort();
    }

    /** Sends what is in the input; keeps it there if there is nobody to send to. */
    void send() {
        String content = compose.text();
        if (content.isEmpty()) {
            return;
        }
        if (!canSend()) {
            notice("Not connected: the message was not sent.");
            return;
        }
        compose.clear();
        conversation.send(content).whenComplete((ok, error) -> {
            if (error != null) {
                Ui.async(root, () -> {
                    messages.add(ShownMessage.Kind.ERROR, "Not sent: " + Ui.message(error));
                    compose.restore(content); // the words are not lost
                });
            }
        });
    }

    /** Our message was stored, to be sent. */
    void sent(ChatMessage m) {
        bindHistory();
        messages.add(ShownMessage.ours(m));
    }

    /** A message or a system notice from the peer. */
    void received(ChatMessage m) {
        bindHistory();
        messages.add(ShownMessage.received(m));
        showStatus(); // the peer's name may be known now
        showBestEffort(); // so may its app
    }

    void notice(String text) {
        if (bestEffort() && text.contains("best effort")) {
            showBestEffort(); // the note above the messages says it, once
            return;
        }
        messages.add(ShownMessage.Kind.SYSTEM, text);
    }

    /** One of our messages of the live conversation got further, or did not. */
    void delivery(String messageId, DeliveryState newState) {
        bindHistory();
        timeline.delivery(messageId, newState);
    }

    /** As {@link #delivery}, for a message of a history (this one or another) that is not live. */
    void historyDelivery(String historyId, String messageId, DeliveryState newState) {
        timeline.historyDelivery(historyId, messageId, newState);
    }

    /**
     * Scrolls to the stored message of history row {@code row} (a search result), loading older
     * pages as needed, and highlights it.
     *
     * @return false if this conversation has no message of that row
     */
    public boolean reveal(long row) {
        return timeline.reveal(row);
    }

    /** The history row of the message {@link #reveal} highlighted last, if any. */
    public OptionalLong highlightedRow() {
        return timeline.highlightedRow();
    }

    /** The conversation's state, with its current session's. */
    void state(ConversationState newConversationState, ConnectionState newState) {
        say(connection.changed(newConversationState, newState, peerName()));
        showConnection();
    }

    /** Reconnection attempt {@code n} of {@code of} has started. */
    void reconnecting(int n, int of) {
        say(connection.reconnecting(n, of, peerName()));
        showConnection();
    }

    /** An attempt failed; the last one if {@code last}. */
    void attemptFailed(int n, String reason, boolean last) {
        say(connection.attemptFailed(n, reason, last, peerName()));
        if (last) {
            showConnection();
        }
    }

    /** The connection is back. */
    void reconnected() {
        say(connection.reconnected());
        showConnection();
    }

    private void say(String line) {
        if (line != null) {
            notice(line);
        }
    }

    /** We left: the chat says so at once, before the goodbye went out. */
    void left() {
        connection.left();
        state(ConversationState.ENDED, ConnectionState.CLOSED);
    }

    /** Leaves the live conversation (the client layer says goodbye and stops reconnecting). */
    public void leave() {
        if (conversation != null && !isEnded()) {
            conversation.leave();
            left();
        }
    }

    /** Whether the conversation is over or was never live here (its history is all there is). */
    public boolean isEnded() {
        return conversation == null || connection.isFinal();
    }

    /** The banner over the messages for the state of the connection; null when all is well. */
    private String banner() {
        String who = peerName();
        if (conversation == null) {
            return "You are not connected to " + who + ": this is the history of your conversation."
                    + (reconnectAction != null && canReopen() ? " Reconnect to write again." : "");
        }
        return connection.banner(who);
    }

    private void showConnection() {
        String text = banner();
        endedText.setText(text == null ? "" : text);
        endedText.setForeground(conversation != null && connection.alarming() ? Ui.ERROR : null);
        Ui.show(ended, text != null);
        // While we are asking again there is nothing for the user to do; everywhere else the way back is offered.
        Ui.show(newConnection, conversation != null && connection.offersNewConnection());
        Ui.show(reconnect, reconnectAction != null && isEnded() && canReopen());
        boolean live = !isEnded();
        compose.enable(live, canSend(), "Not connected: " + peerName() + " cannot get messages now.");
        disconnect.setEnabled(live);
        sendFileButton.setEnabled(canSendFile());
        showBestEffort();
        showStatus();
        relayout();
    }

    /** Whether the peer can be called back (the web app cannot: it proves no key to find it by). */
    private boolean canReopen() {
        ConversationRecord record = timeline.record();
        return record == null || record.peerKey().isPresent();
    }

    /** Whether our messages in this conversation get no acknowledgement: the peer uses the web app. */
    private boolean bestEffort() {
        ConversationRecord record = timeline.record();
        return conversation != null ? conversation.bestEffort() : record != null && record.bestEffort();
    }

    /** Says once, above the messages, that delivery to a web app peer is best effort. */
    private void showBestEffort() {
        boolean best = bestEffort();
        if (best == bestEffortNote.isVisible()) {
            return;
        }
        bestEffortNote.setText(best ? "\u2139 " + peerName() + " uses the web app: delivery is best effort. The web app "
                + "does not confirm what it receives, so your messages show as sent (\u2713), never as delivered, and "
                + "what it misses while the connection is down is not sent again." : "");
        Ui.show(bestEffortNote, best);
        relayout();
    }

    /** Lays the view out after a row above the messages appeared or went. */
    private void relayout() {
        root.layout(true, true);
        messages.realign();
    }

    void path(CandidatePath newPath) {
        connection.path(newPath);
        showStatus();
    }

    private void showStatus() {
        String who = peerName();
        if (conversation == null) {
            status.setText("\u25cb Not connected \u00b7 " + who);
            status.setForeground(Ui.MUTED);
            status.setToolTipText(null);
            status.getParent().layout(true);
            return;
        }
        status.setText(connection.statusText(who));
        status.setForeground(connection.statusColour());
        status.setToolTipText(connection.statusTip());
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

    void verification(Verification now) {
        identity.verification(now);
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

    /** Whether "Send file..." can act: connected now (it then says if the peer's app cannot take files). */
    boolean canSendFile() {
        return !isEnded() && connection.isConnected();
    }

    /** "Send file...": picks files and offers them, or says why files cannot be sent. */
    void sendFile() {
        files.sendFile();
    }

    /** A file transfer with this conversation's peer: an item in the timeline. */
    void transfer(FileItem item) {
        files.transfer(item);
    }

    String fileNoticeText() {
        return files.noticeText();
    }

    public void setFocus() {
        if (!compose.setFocus()) {
            messages.control().setFocus();
        }
    }
}
