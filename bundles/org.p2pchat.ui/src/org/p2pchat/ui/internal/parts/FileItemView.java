package org.p2pchat.ui.internal.parts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.p2pchat.client.core.FileItem;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferFile;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.State;

/**
 * A file transfer as an item of the conversation's timeline, as messengers show files: what is
 * sent or received (each file of the offer by name), its size, a progress bar while it moves, how
 * far it got, where received files are saved with "Open" and "Show in folder", who declined, and
 * the actions its state allows (accept, save to another folder, decline, pause, resume, cancel).
 * It stays in the timeline when the transfer ends.
 */
final class FileItemView {

    static final String ID = "transfer.item";

    /** What the buttons of an item do; on the UI thread. */
    interface Actions {
        void accept(String transferId);

        /** Accepts into a folder the person picks. */
        void saveTo(String transferId);

        void decline(String transferId);

        void pause(String transferId);

        void resume(String transferId);

        void cancel(String transferId);

        /** Opens a received file with the desktop's program for it. */
        void open(Path file);

        /** Shows a received file in the desktop's file manager. */
        void showInFolder(Path file);
    }

    private final Composite box;
    private final Label name;
    private final Label size;
    private final Composite fileLines;
    private final ProgressBar bar;
    private final Label info;
    private final Label saved;
    private final Composite actions;
    private final Actions does;
    private FileItem shown;
    /** What the buttons were made for: they are made again only when it changes. */
    private String shownActions;
    private Point sized;

    FileItemView(Composite parent, Actions does) {
        this.does = does;
        box = Ui.tag(new Composite(parent, SWT.BORDER), ID);
        box.setBackground(parent.getBackground());
        box.setBackgroundMode(SWT.INHERIT_DEFAULT);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(10, 8).spacing(10, 4).applyTo(box);
        name = Ui.tag(Ui.label(box, "", SWT.NONE), "transfer.name");
        name.setFont(Ui.bold());
        GridDataFactory.fillDefaults().grab(true, false).applyTo(name);
        size = Ui.tag(Ui.label(box, "", SWT.NONE), "transfer.size");
        size.setForeground(Ui.MUTED);
        fileLines = new Composite(box, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).spacing(8, 2).applyTo(fileLines);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(fileLines);
        bar = Ui.tag(new ProgressBar(box, SWT.HORIZONTAL | SWT.SMOOTH), "transfer.bar");
        bar.setMaximum(1000);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(bar);
        info = Ui.tag(Ui.label(box, "", SWT.WRAP), "transfer.info");
        info.setForeground(Ui.MUTED);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(100, SWT.DEFAULT).applyTo(info);
        saved = Ui.tag(Ui.label(box, "", SWT.WRAP), "transfer.saved");
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(100, SWT.DEFAULT).applyTo(saved);
        actions = new Composite(box, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).spacing(4, 0).applyTo(actions);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(actions);
    }

    Control control() {
        return box;
    }

    FileItem item() {
        return shown;
    }

    void dispose() {
        box.dispose();
    }

    /** Shows {@code item} as it stands now. */
    void show(FileItem item) {
        shown = item;
        TransferStatus s = item.status();
        boolean several = item.files().size() > 1;
        String arrow = item.received() ? "\u2193 " : "\u2191 ";
        name.setText(arrow + (several ? item.files().size() + " files" : single(item)));
        name.setToolTipText(item.received() ? "From " + s.peerName() : "To " + s.peerName());
        size.setText(bytes(s.totalBytes()) + (s.created() > 0 ? "  \u00b7  " + Ui.clock(s.created()) : ""));
        bar.setSelection((int) Math.round(s.fraction() * 1000));
        Ui.show(bar, !s.state().isFinal() && s.state() != State.OFFERED && s.state() != State.WAITING_FOR_PEER);
        info.setText(describe(item));
        info.setForeground(s.state() == State.FAILED ? Ui.ERROR : Ui.MUTED);
        String where = where(item);
        saved.setText(where == null ? "" : where);
        Ui.show(saved, where != null);
        String actionKey = s.state() + "|" + several + "|" + item.files().stream().map(f -> f.savedAs().toString()).toList();
        if (!actionKey.equals(shownActions)) {
            shownActions = actionKey;
            showFiles(item, several);
            showActions(item, several);
        }
        box.layout(true, true);
    }

    /** The name of a transfer of one file: the file's, as the engine or its list says it. */
    private static String single(FileItem item) {
        return item.files().isEmpty() ? item.status().name() : item.files().get(0).name();
    }

    /** One line per file of an offer of several: its name and size, and Open / Show in folder once received. */
    private void showFiles(FileItem item, boolean several) {
        for (Control c : fileLines.getChildren()) {
            c.dispose();
        }
        Ui.show(fileLines, several);
        if (!several) {
            return;
        }
        boolean done = item.received() && item.status().state() == State.DONE;
        for (TransferFile f : item.files()) {
            Label line = Ui.tag(Ui.label(fileLines, "\u2022 " + f.name(), SWT.NONE), "transfer.file");
            GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(line);
            Label fileSize = Ui.label(fileLines, bytes(f.size()), SWT.NONE);
            fileSize.setForeground(Ui.MUTED);
            GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).applyTo(fileSize);
            Optional<Path> at = done ? f.savedAs() : Optional.empty();
            if (at.isPresent()) {
                line.setToolTipText(at.get().toString());
                openButtons(fileLines, at.get());
            } else {
                GridDataFactory.fillDefaults().span(3, 1).applyTo(fileSize);
            }
        }
    }

    private void showActions(FileItem item, boolean several) {
        for (Control c : actions.getChildren()) {
            c.dispose();
        }
        String id = item.id();
        switch (item.status().state()) {
            case OFFERED -> {
                if (item.received()) {
                    action("Accept", "transfer.accept", () -> does.accept(id))
                            .setToolTipText("Save into " + FileTransferService.defaultDownloadDirectory());
                    action("Save to\u2026", "transfer.saveto", () -> does.saveTo(id))
                            .setToolTipText("Choose the folder for the received files");
                    action("Decline", "transfer.decline", () -> does.decline(id));
                }
            }
            case RUNNING, INTERRUPTED -> {
                action("Pause", "transfer.pause", () -> does.pause(id));
                action("Cancel", "transfer.cancel", () -> does.cancel(id));
            }
            case PAUSED -> {
                action("Resume", "transfer.resume", () -> does.resume(id));
                action("Cancel", "transfer.cancel", () -> does.cancel(id));
            }
            case WAITING_FOR_PEER, VERIFYING -> action("Cancel", "transfer.cancel", () -> does.cancel(id));
            case DONE -> {
                if (item.received() && !several && !item.files().isEmpty()) {
                    item.files().get(0).savedAs().ifPresent(file -> openButtons(actions, file));
                }
            }
            default -> {
                // declined, cancelled, failed: nothing left to do
            }
        }
        Ui.show(actions, actions.getChildren().length > 0);
    }

    private void openButtons(Composite parent, Path file) {
        Button open = Ui.button(parent, "Open", "transfer.open", () -> does.open(file));
        open.setToolTipText("Open " + file.getFileName() + " with its program");
        Button folder = Ui.button(parent, "Show in folder", "transfer.showInFolder", () -> does.showInFolder(file));
        folder.setToolTipText("Show " + file.getParent() + " in the file manager");
    }

    private Button action(String label, String id, Runnable what) {
        return Ui.button(actions, label, id, what);
    }

    /** The size the item takes at {@code width}; computed again only when asked for another width or after {@link #show}. */
    Point size(int width) {
        Point wanted = box.computeSize(width, SWT.DEFAULT, true);
        sized = new Point(width, wanted.y);
        return sized;
    }

    /** The size last computed, or null. */
    Point lastSize() {
        return sized;
    }

    /** Where received files are (or go), for the line under the progress; null when there is nothing to say. */
    static String where(FileItem item) {
        if (!item.received()) {
            return null;
        }
        List<Path> files = item.files().stream().flatMap(f -> f.savedAs().stream()).toList();
        if (files.isEmpty()) {
            return null;
        }
        State state = item.status().state();
        if (state == State.DONE) {
            return files.size() == 1 ? "Saved as " + files.get(0) : "Saved in " + files.get(0).getParent();
        }
        if (state.isFinal()) {
            return null; // cancelled or failed: the unfinished parts were removed
        }
        return "Saving " + (files.size() == 1 ? "as " + files.get(0) : "in " + files.get(0).getParent());
    }

    static String describe(FileItem item) {
        TransferStatus s = item.status();
        String size = bytes(s.doneBytes()) + " of " + bytes(s.totalBytes());
        return switch (s.state()) {
            case OFFERED -> item.received() ? "Offered to you: " + bytes(s.totalBytes()) + " from " + s.peerName()
                    : "Offered: " + bytes(s.totalBytes());
            case WAITING_FOR_PEER -> "Waiting for " + s.peerName() + " to accept";
            case RUNNING -> size + "  \u00b7  " + bytes((long) s.bytesPerSecond()) + "/s"
                    + s.remaining().map(d -> "  \u00b7  " + duration(d) + " left").orElse("") + path(s);
            case PAUSED -> "Paused at " + size;
            case INTERRUPTED -> "Interrupted at " + size + "; continues when " + s.peerName() + " is back";
            case VERIFYING -> "Checking the received data\u2026";
            case DONE -> item.received() ? "Received from " + s.peerName() : "Sent to " + s.peerName();
            case DECLINED -> item.declinedBy().orElse(FileItem.Side.PEER) == FileItem.Side.YOU ? "You declined"
                    : "Declined by " + s.peerName();
            case CANCELLED -> "Cancelled";
            case FAILED -> "Failed: " + s.problem();
        };
    }

    /** How the bytes travel, so a slow transfer can be told from a slow path. */
    private static String path(TransferStatus s) {
        return switch (s.path()) {
            case TransferStatus.PATH_DIRECT -> "  \u00b7  direct on the local network";
            case TransferStatus.PATH_DATA_CHANNEL -> "  \u00b7  through the chat connection";
            default -> "";
        };
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String units = "KMGT";
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %siB", v, units.charAt(u));
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
