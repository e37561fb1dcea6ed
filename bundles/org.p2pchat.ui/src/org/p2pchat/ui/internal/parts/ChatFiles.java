package org.p2pchat.ui.internal.parts;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferStatus;

/**
 * The files of one chat: offering files ("Send file…", or dropped on the conversation), saying why
 * they cannot be sent, and the list of transfers.
 */
final class ChatFiles {

    static final String FILE_NOTICE = "chat.fileNotice";
    static final String FILES_NOT_INSTALLED = "File transfer is not installed yet.";
    static final String FILES_NOT_SUPPORTED = "Your peer's app (the web app) cannot exchange files with this client.";

    /** What the files ask of their chat. */
    interface Chat {
        /** The conversation if it is connected now; null if not. */
        Conversation connected();

        /** The file transfer engine; null if none is installed. */
        FileTransferService fileTransfer();

        String peerName();

        /** A line in the conversation. */
        void notice(String text);

        /** A row appeared or went: the chat lays itself out again. */
        void relayout();
    }

    private final Composite root;
    private final Chat chat;
    private final TransferList transfers;
    private final Label fileNotice;

    /** The transfer list and the notice, in {@code root}; files dropped on {@code dropTarget} are offered. */
    ChatFiles(Composite root, Control dropTarget, Chat chat) {
        this.root = root;
        this.chat = chat;
        transfers = new TransferList(root);
        fileNotice = Ui.tag(Ui.label(root, "", SWT.WRAP), FILE_NOTICE);
        fileNotice.setForeground(Ui.ERROR);
        GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(fileNotice);
        Ui.show(fileNotice, false);
        acceptDroppedFiles(dropTarget);
    }

    /** Another conversation: no transfers, nothing to say. */
    void clear() {
        transfers.clear();
        hideNotice();
    }

    void hideNotice() {
        Ui.show(fileNotice, false);
    }

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
        if (canSendFiles() == null) {
            return;
        }
        FileDialog dialog = new FileDialog(root.getShell(), SWT.OPEN | SWT.MULTI);
        dialog.setText("Send files to " + chat.peerName());
        if (dialog.open() == null) {
            return;
        }
        offer(Arrays.stream(dialog.getFileNames()).map(n -> Path.of(dialog.getFilterPath(), n)).toList());
    }

    /** The conversation to send files to now; null after saying why there is none. */
    private Conversation canSendFiles() {
        Conversation conversation = chat.connected();
        String problem = conversation == null ? "Connect to a peer to send files."
                : conversation.canSendFiles() ? null
                : chat.fileTransfer() == null && !conversation.peerIsWebApp() ? FILES_NOT_INSTALLED
                : FILES_NOT_SUPPORTED;
        fileNotice.setText(problem == null ? "" : problem);
        Ui.show(fileNotice, problem != null);
        chat.relayout();
        return problem == null ? conversation : null;
    }

    private void offer(List<Path> files) {
        Conversation conversation = files.isEmpty() ? null : canSendFiles();
        if (conversation == null) {
            return;
        }
        conversation.sendFiles(files).whenComplete((offered, error) -> Ui.async(root, () -> {
            if (error != null) {
                chat.notice("Could not offer the files: " + Ui.message(error));
            } else {
                transfer(offered);
            }
        }));
    }

    void transfer(TransferStatus status) {
        FileTransferService service = chat.fileTransfer();
        if (service != null) {
            transfers.update(status, service);
        }
    }

    String noticeText() {
        return fileNotice.getText();
    }
}
