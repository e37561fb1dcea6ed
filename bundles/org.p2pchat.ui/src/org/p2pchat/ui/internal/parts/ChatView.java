package org.p2pchat.ui.internal.parts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
import org.p2pchat.ui.widgets.HelpButton;

/**
 * The conversation with the connected peer: messages, the input (Enter sends, Shift+Enter starts
 * a new line), a status line with the connection state and path, and file transfers.
 */
final class ChatView {

    static final String INPUT = "chat.input";
    static final String SEND = "chat.send";
    static final String STATUS = "chat.status";
    static final String DISCONNECT = "chat.disconnect";
    static final String SEND_FILE = "chat.sendFile";
    static final String FILE_NOTICE = "chat.fileNotice";
    static final String ENDED = "chat.ended";
    static final String NEW_CONNECTION = "chat.newConnection";

    static final String FILES_NOT_INSTALLED = "File transfer is not installed yet.";
    static final String FILES_NOT_SUPPORTED = "Your peer's app (the web app) cannot exchange files with this client.";

    private static final Pattern JOIN_NOTICE = Pattern.compile("(.+) joined the chat");

    private final ClientPart client;
    private final Composite root;
    private final Label status;
    private final Button disconnect;
    private final Composite ended;
    private final Label endedText;
    private final MessageList messages;
    private final TransferList transfers;
    private final Label fileNotice;
    private final Text input;
    private final Button send;

    private String peerName;
    private ConnectionState state = ConnectionState.NEW;
    private CandidatePath path;

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

        ended = Ui.tag(new Composite(root, SWT.BORDER), ENDED);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(8, 6).applyTo(ended);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(ended);
        endedText = Ui.label(ended, "", SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(endedText);
        Ui.button(ended, "New connection", NEW_CONNECTION, client::showConnect);
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
        path = null;
        state = ConnectionState.NEW;
        messages.clear();
        transfers.clear();
        Ui.show(fileNotice, false);
        Ui.show(ended, false);
        input.setText("");
        showStatus();
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
            if (join.matches() && peerName == null) {
                peerName = join.group(1);
                showStatus();
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
        state = newState;
        showStatus();
        String ending = switch (newState) {
            case DISCONNECTED -> "The connection was lost. It may come back by itself; automatic reconnection is not "
                    + "available yet, so if it does not, start a new connection.";
            case FAILED -> "The connection failed. Start a new connection (a new offer and answer) to chat again.";
            case CLOSED -> "The conversation has ended. Start a new connection to chat again.";
            default -> null;
        };
        if (ending != null) {
            notice(ending);
        }
        endedText.setText(ending == null ? "" : ending);
        Ui.show(ended, ending != null);
        boolean live = newState == ConnectionState.CONNECTED;
        send.setEnabled(live);
        disconnect.setEnabled(!newState.isFinal());
        root.layout(true, true);
    }

    void path(CandidatePath newPath) {
        path = newPath;
        showStatus();
    }

    private void showStatus() {
        String who = peerName == null ? "your peer" : peerName;
        String text = switch (state) {
            case NEW, CONNECTING -> "Connecting to " + who + "...";
            case CONNECTED -> "\u25cf Connected to " + who + (path == null ? "" : "  \u00b7  " + path.summary());
            case DISCONNECTED -> "\u25cb Connection to " + who + " lost";
            case FAILED -> "\u25cb Connection failed";
            case CLOSED -> "\u25cb Disconnected";
        };
        status.setText(text);
        status.setForeground(state == ConnectionState.CONNECTED ? Ui.GOOD : Ui.ERROR);
        status.setToolTipText(path == null ? null : "Path: " + path);
        status.getParent().layout(true);
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
        root.layout(true, true);
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
