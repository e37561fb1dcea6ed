package org.p2pchat.ui.internal.parts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.FileItem;
import org.p2pchat.core.files.FileTransferService;

/**
 * The files of one chat: offering files ("Send file…", or dropped on the conversation), saying why
 * they cannot be sent, and what the buttons of its file items do (accept, save to, decline, pause,
 * resume, cancel on the engine; open a received file or show it in its folder with the desktop).
 * The items themselves are in the conversation's timeline ({@link MessageList#file}).
 */
final class ChatFiles {

    static final String FILE_NOTICE = "chat.fileNotice";
    private static final long ENGINE_WAIT_SECONDS = 10;
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

        /** The conversation's timeline, where file items are. */
        MessageList timeline();
    }

    private final Composite root;
    private final Chat chat;
    private final Label fileNotice;

    /** The notice, in {@code root}; files dropped on {@code dropTarget} are offered. */
    ChatFiles(Composite root, Control dropTarget, Chat chat) {
        this.root = root;
        this.chat = chat;
        chat.timeline().onFileAction(new ItemActions());
        fileNotice = Ui.tag(Ui.label(root, "", SWT.WRAP), FILE_NOTICE);
        fileNotice.setForeground(Ui.ERROR);
        GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(fileNotice);
        Ui.show(fileNotice, false);
        acceptDroppedFiles(dropTarget);
    }

    /** Another conversation: nothing to say. */
    void clear() {
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
            } else if (chat.timeline().fileItem(offered.id()) == null) {
                transfer(new FileItem(offered, List.of())); // the engine's own event may have come first
            }
        }));
    }

    void transfer(FileItem item) {
        chat.timeline().file(item);
    }

    String noticeText() {
        return fileNotice.getText();
    }

    /** The buttons of the file items: the engine's actions off the UI thread, failures said in the chat. */
    private final class ItemActions implements FileItemView.Actions {
        @Override
        public void accept(String id) {
            Path folder = FileTransferService.defaultDownloadDirectory();
            onEngine("Accept", service -> acceptInto(service, id, folder));
        }

        @Override
        public void saveTo(String id) {
            DirectoryDialog dialog = new DirectoryDialog(root.getShell());
            dialog.setText("Save the received files in");
            dialog.setFilterPath(FileTransferService.defaultDownloadDirectory().getParent().toString());
            String chosen = dialog.open();
            if (chosen != null) {
                onEngine("Accept", service -> acceptInto(service, id, Path.of(chosen)));
            }
        }

        @Override
        public void decline(String id) {
            onEngine("Decline", service -> service.decline(id));
        }

        @Override
        public void pause(String id) {
            onEngine("Pause", service -> service.pause(id));
        }

        @Override
        public void resume(String id) {
            onEngine("Resume", service -> service.resume(id));
        }

        @Override
        public void cancel(String id) {
            onEngine("Cancel", service -> service.cancel(id));
        }

        @Override
        public void open(Path file) {
            launch(file, file, "open");
        }

        @Override
        public void showInFolder(Path file) {
            launch(file, file.getParent(), "show the folder of");
        }

        private void launch(Path file, Path what, String verb) {
            if (!Files.exists(file)) {
                chat.notice(file.getFileName() + " is no longer in " + file.getParent() + ": it was moved or deleted.");
            } else if (!DesktopFiles.launch(what)) {
                chat.notice("Could not " + verb + " " + file + ": the desktop has no program for it.");
            }
        }

        private void onEngine(String label, Consumer<FileTransferService> what) {
            Ui.background(label + " transfer", () -> {
                FileTransferService service = engine();
                if (service == null) {
                    Ui.async(root, () -> chat.notice(FILES_NOT_INSTALLED));
                    return;
                }
                try {
                    what.accept(service);
                } catch (RuntimeException e) {
                    Ui.async(root, () -> chat.notice(label + " failed: " + Ui.message(e)));
                }
            });
        }

        /**
         * The file engine; the window may get it a moment after the client layer did (services
         * arrive while the workbench starts), so a click in that moment waits for it a little.
         */
        private FileTransferService engine() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ENGINE_WAIT_SECONDS);
            FileTransferService service = chat.fileTransfer();
            while (service == null && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                service = chat.fileTransfer();
            }
            return service;
        }

        private static void acceptInto(FileTransferService service, String id, Path folder) {
            try {
                Files.createDirectories(folder);
                service.accept(id, folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
