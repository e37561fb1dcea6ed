package org.p2pchat.ui.internal.parts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * The conversation with the connected peer: messages, the input (Enter sends, Shift+Enter starts
 * a new line), a status line with the connection state and path, who the peer is (verified key
 * and safety number, or unverified; a loud banner when a known name comes with a new key), the
 * state of an automatic reconnection, and file transfers.
 * <p>
 * A conversation can outlive its session: after a reconnection a new session continues it with
 * the messages kept ({@link #resume()}).
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

    private static final Pattern JOIN_NOTICE = Pattern.compile("(.+) joined the chat");

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
    private final Label identityLine;
    private final Button safetyNumber;
    private final Composite keyChanged;
    private final Label keyChangedText;
    private final Composite ended;
    private final Label endedText;
    private final Button newConnection;
    private final MessageList messages;
    private final TransferList transfers;
    private final Label fileNotice;
    private final Text input;
    private final Button send;

    private String peerName;
    private ConnectionState state = ConnectionState.NEW;
    private CandidatePath path;
    private Recovery recovery = Recovery.NONE;
    /** The reconnection attempt under way; 0 when none is. */
    private int attempt;
    private int attempts;
    /** A new session continues this conversation; says "Reconnected" once it connects. */
    private boolean resuming;
    /** Why reconnecting gave up; null while it has not. */
    private String reconnectFailure;
    private Verification verification;
    /** The name in the current session's join notice: the name a contact is remembered under. */
    private String joinedName;
    private boolean contactChecked;

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

        Composite who = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).spacing(8, 0).applyTo(who);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(who);
        identityLine = Ui.tag(Ui.label(who, "", SWT.WRAP), IDENTITY);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(identityLine);
        safetyNumber = Ui.button(who, "Compare safety number\u2026", SAFETY_NUMBER, this::showSafetyNumber);
        safetyNumber.setToolTipText("Rule out a man in the middle: compare a number with your peer over another channel");
        HelpButton.create(who, "Who is on the other end",
                "Our apps prove who they are: every offer and answer carries the sender's identity key and a "
                        + "signature over the connection's encryption fingerprints, so a description changed on the way "
                        + "is refused. \"Verified\" shows your peer's key fingerprint.\n\nTo be sure nobody sits in the "
                        + "middle (a changed key in transit cannot be noticed by the apps alone if the first exchange was "
                        + "already intercepted), compare the safety number with your peer over another channel.\n\n"
                        + "Peers are remembered by name with their key. If a name you know comes with a different key, a "
                        + "red warning says so: it may be someone else using that name, or your peer reinstalled the app."
                        + "\n\nThe web app proves no identity: its users are shown as unverified.");
        Ui.show(safetyNumber, false);

        keyChanged = Ui.tag(new Composite(root, SWT.NONE), KEY_CHANGED);
        keyChanged.setBackground(Ui.ERROR);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(10, 8).spacing(10, 0).applyTo(keyChanged);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(keyChanged);
        keyChangedText = Ui.tag(Ui.label(keyChanged, "", SWT.WRAP), KEY_CHANGED_TEXT);
        keyChangedText.setBackground(Ui.ERROR);
        keyChangedText.setForeground(Ui.ON_ERROR);
        keyChangedText.setFont(Ui.bold());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(keyChangedText);
        Ui.button(keyChanged, "Compare safety number\u2026", null, this::showSafetyNumber);
        Ui.show(keyChanged, false);

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

    /** A new session: an empty conversation. */
    void start() {
        peerName = null;
        recovery = Recovery.NONE;
        resuming = false;
        attempt = 0;
        messages.clear();
        transfers.clear();
        Ui.show(fileNotice, false);
        Ui.show(keyChanged, false);
        input.setText("");
        newSession();
    }

    /** A new session continues this conversation (a reconnection): messages and warnings stay. */
    void resume() {
        resuming = true;
        newSession();
    }

    private void newSession() {
        path = null;
        state = ConnectionState.NEW;
        reconnectFailure = null;
        verification = null;
        joinedName = null;
        contactChecked = false;
        showIdentity();
        showConnection();
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
        PeerSession session = client.session();
        if (content.isEmpty()) {
            return;
        }
        if (session == null || state != ConnectionState.CONNECTED) {
            messages.add(MessageList.Kind.SYSTEM, "", 0, "Not connected: the message was not sent.");
            return;
        }
        input.setText("");
        ChatMessage message = ChatMessage.create(client.username(), content);
        messages.add(MessageList.Kind.OWN, "You", message.timestamp(), content);
        session.send(message).whenComplete((ok, error) -> {
            if (error != null) {
                Ui.async(root, () -> messages.add(MessageList.Kind.SYSTEM, "", 0,
                        "Not delivered: " + Ui.message(error)));
            }
        });
    }

    /** A message from the peer; on the UI thread. */
    void received(ChatMessage m) {
        if (m.isSystemNotice()) {
            Matcher join = JOIN_NOTICE.matcher(m.content());
            if (join.matches()) {
                if (peerName == null) {
                    peerName = join.group(1);
                    showStatus();
                }
                messages.add(MessageList.Kind.SYSTEM, "", m.timestamp(), m.content());
                if (joinedName == null) {
                    joinedName = join.group(1);
                    checkContact();
                }
                return;
            }
            messages.add(MessageList.Kind.SYSTEM, "", m.timestamp(), m.content());
        } else {
            if (peerName == null) {
                peerName = m.sender();
                showStatus();
            }
            messages.add(MessageList.Kind.PEER, m.sender(), m.timestamp(), m.content());
        }
    }

    void notice(String text) {
        messages.add(MessageList.Kind.SYSTEM, "", 0, text);
    }

    void state(ConnectionState newState) {
        if (newState == state) {
            return;
        }
        ConnectionState before = state;
        boolean wasResuming = resuming;
        state = newState;
        if (newState.isFinal()) {
            resuming = false; // the new session did not make it; the recovery goes on or gives up
        }
        if (newState == ConnectionState.CONNECTED && wasResuming) {
            resuming = false;
            attempt = 0;
            notice("Reconnected.");
        } else if (newState == ConnectionState.CONNECTED && before == ConnectionState.DISCONNECTED) {
            notice("The connection is back.");
        } else if (attempt == 0 && !wasResuming
                && !(newState == ConnectionState.FAILED && recovery == Recovery.RECONNECTS)) { // the attempts say it
            String change = banner();
            if (change != null) {
                notice(change);
            }
        }
        showConnection();
    }

    /** What this conversation does when the connection fails: set once its session is known. */
    void recovery(Recovery how) {
        recovery = how;
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

    void attemptFailed(int n, String reason) {
        notice("Reconnection attempt " + n + " failed: " + reason);
    }

    /** Reconnecting gave up; the user can go back to the Connect page. */
    void reconnectFailed(String reason) {
        attempt = 0;
        resuming = false;
        reconnectFailure = reason;
        notice(banner());
        showConnection();
    }

    /** Whether the conversation waits for a connection to come back. */
    boolean isReconnecting() {
        return attempt > 0 || (recovery == Recovery.AWAITS && state == ConnectionState.FAILED) || resuming;
    }

    /** The banner over the messages for the state of the connection; null when all is well. */
    private String banner() {
        String who = peerName == null ? "your peer" : peerName;
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
                case AWAITS -> "Connection lost \u2014 waiting for " + who + " to reconnect through the directory\u2026";
                case RECONNECTS -> "Connection lost \u2014 reconnecting\u2026";
            };
            case CLOSED -> "The conversation has ended. Start a new connection to chat again.";
            default -> resuming ? "Reconnecting to " + who + "\u2026" : null;
        };
    }

    private void showConnection() {
        String text = banner();
        endedText.setText(text == null ? "" : text);
        endedText.setForeground(reconnectFailure != null || state == ConnectionState.CLOSED ? Ui.ERROR : null);
        Ui.show(ended, text != null);
        // While we are asking again there is nothing for the user to do; everywhere else the way back is offered.
        Ui.show(newConnection, attempt == 0 && !(resuming && state != ConnectionState.FAILED));
        send.setEnabled(state == ConnectionState.CONNECTED);
        disconnect.setEnabled(!state.isFinal() || isReconnecting());
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
        String who = peerName == null ? "your peer" : peerName;
        String text = attempt > 0 || resuming ? "\u21bb Reconnecting to " + who + "..." : switch (state) {
            case NEW, CONNECTING -> "Connecting to " + who + "...";
            case CONNECTED -> "\u25cf Connected to " + who + (path == null ? "" : "  \u00b7  " + path.summary());
            case DISCONNECTED -> "\u25cb Connection to " + who + " lost";
            case FAILED -> "\u25cb Connection failed";
            case CLOSED -> "\u25cb Disconnected";
        };
        status.setText(text);
        status.setForeground(attempt > 0 || resuming ? Ui.WARNING : state == ConnectionState.CONNECTED ? Ui.GOOD : Ui.ERROR);
        status.setToolTipText(path == null ? null : "Path: " + path);
        status.getParent().layout(true);
    }

    // ---- identity ------------------------------------------------------------------------------

    /** Who the peer of the current session is; on the UI thread, once its description was checked. */
    void verification(Verification v) {
        verification = v;
        showIdentity();
        checkContact();
    }

    private void showIdentity() {
        Optional<PublicIdentity> peer = verification == null ? Optional.empty() : verification.peer();
        if (verification == null) {
            identityLine.setText("");
        } else if (peer.isPresent()) {
            identityLine.setText("\u2714 Verified identity \u00b7 key " + peer.get().fingerprint());
            identityLine.setForeground(Ui.GOOD);
        } else {
            identityLine.setText("\u26a0 Unverified: your peer's app proves no identity (the web app does not). The "
                    + "connection is encrypted, but nothing shows who is on the other end.");
            identityLine.setForeground(Ui.WARNING);
        }
        identityLine.setToolTipText(peer.map(p -> "Your peer's identity key: " + p.key()).orElse(null));
        Ui.show(identityLine.getParent(), verification != null);
        Ui.show(safetyNumber, peer.isPresent() && client.identity() != null);
        relayout();
    }

    /**
     * Trust on first use, once per session: the name the peer joined under and its verified key
     * against the key remembered for that name. Saving a new contact writes a file: in a job.
     */
    private void checkContact() {
        IdentityService identity = client.identity();
        if (contactChecked || joinedName == null || verification == null || verification.peer().isEmpty()
                || identity == null) {
            return;
        }
        contactChecked = true;
        String name = joinedName;
        PublicIdentity key = verification.peer().get();
        Ui.background("Checking " + name + "'s key", () -> {
            Contact.Status status;
            try {
                status = identity.meet(name, key);
            } catch (RuntimeException e) {
                Ui.async(root, () -> notice("Could not remember " + name + " as a contact: " + Ui.message(e)));
                return;
            }
            Ui.async(root, () -> contact(name, key, status));
        });
    }

    private void contact(String name, PublicIdentity key, Contact.Status status) {
        if (verification == null || !verification.peer().equals(Optional.of(key))) {
            return; // another session by now
        }
        switch (status) {
            case NEW -> notice(name + " is a new contact: their key is remembered, so a change will be noticed.");
            case KNOWN -> identityLine.setText(identityLine.getText() + " \u00b7 known contact");
            case CHANGED -> {
                String warning = "Warning: " + name + "'s identity key has CHANGED since you last talked. This may be "
                        + "someone else using the name " + name + " (or " + name + " reinstalled P2P Chat). Compare the "
                        + "safety number with " + name + " over another channel before you trust this conversation.";
                keyChangedText.setText("\u26a0 " + warning);
                Ui.show(keyChanged, true);
                notice(warning);
            }
        }
        relayout();
    }

    /** The safety number of the current session, or null if the peer is unverified. */
    String safetyNumberText() {
        IdentityService identity = client.identity();
        if (identity == null || verification == null || verification.peer().isEmpty()) {
            return null;
        }
        return identity.safetyNumber(verification.peer().get(), verification.local(), verification.remote());
    }

    void showSafetyNumber() {
        String number = safetyNumberText();
        if (number != null) {
            new SafetyNumberDialog(root.getShell(), peerName == null ? "your peer" : peerName, number,
                    client.identity().self(), verification.peer().get()).open();
        }
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
        if (fileService() == null) {
            return;
        }
        FileDialog dialog = new FileDialog(root.getShell(), SWT.OPEN | SWT.MULTI);
        dialog.setText("Send files to " + (peerName == null ? "your peer" : peerName));
        if (dialog.open() == null) {
            return;
        }
        offer(Arrays.stream(dialog.getFileNames()).map(n -> Path.of(dialog.getFilterPath(), n)).toList());
    }

    /** The service to send files with, or null after saying why there is none. */
    private FileTransferService fileService() {
        FileTransferService service = client.fileTransfer();
        PeerSession session = client.session();
        String problem = service == null ? FILES_NOT_INSTALLED
                : session == null || state != ConnectionState.CONNECTED ? "Connect to a peer to send files."
                : !service.supports(session) ? FILES_NOT_SUPPORTED : null;
        fileNotice.setText(problem == null ? "" : problem);
        Ui.show(fileNotice, problem != null);
        relayout();
        return problem == null ? service : null;
    }

    private void offer(List<Path> files) {
        FileTransferService service = fileService();
        PeerSession session = client.session();
        if (service == null || files.isEmpty()) {
            return;
        }
        Ui.background("Offering files", () -> {
            try {
                TransferStatus offered = service.offer(session, files);
                Ui.async(root, () -> transfer(offered, service));
            } catch (IOException | RuntimeException e) {
                Ui.async(root, () -> notice("Could not offer the files: " + Ui.message(e)));
            }
        });
    }

    void transfer(TransferStatus status, FileTransferService service) {
        transfers.update(status, service);
    }

    String fileNoticeText() {
        return fileNotice.getText();
    }

    void setFocus() {
        input.setFocus();
    }
}
