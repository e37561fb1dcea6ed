package org.p2pchat.ui.internal.parts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.State;

/**
 * File transfers of this chat: one row each with a progress bar, speed and time left, and the
 * actions its state allows (accept or decline an offer, pause, resume, cancel).
 */
final class TransferList {

    static final String ID = "chat.transfers";

    private final Composite root;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    TransferList(Composite parent) {
        root = Ui.tag(new Composite(parent, SWT.NONE), ID);
        GridLayoutFactory.fillDefaults().spacing(0, 4).applyTo(root);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(root);
        Ui.show(root, false);
    }

    void clear() {
        rows.values().forEach(r -> r.box.dispose());
        rows.clear();
        Ui.show(root, false);
    }

    /** Shows {@code status}; on the UI thread. */
    void update(TransferStatus status, FileTransferService service) {
        Row row = rows.computeIfAbsent(status.id(), id -> new Row(root));
        row.show(status, service);
        Ui.show(root, true);
        root.getParent().layout(true, true);
    }

    static String describe(TransferStatus s) {
        String size = bytes(s.doneBytes()) + " of " + bytes(s.totalBytes());
        return switch (s.state()) {
            case OFFERED -> "Offered to you: " + bytes(s.totalBytes());
            case WAITING_FOR_PEER -> "Waiting for " + s.peerName() + " to accept";
            case RUNNING -> size + "  \u00b7  " + bytes((long) s.bytesPerSecond()) + "/s"
                    + s.remaining().map(d -> "  \u00b7  " + duration(d) + " left").orElse("") + path(s);
            case PAUSED -> "Paused at " + size;
            case INTERRUPTED -> "Interrupted at " + size + "; continues when " + s.peerName() + " is back";
            case VERIFYING -> "Checking the received data...";
            case DONE -> "Done: " + bytes(s.totalBytes());
            case DECLINED -> "Declined";
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

    private static final class Row {
        final Composite box;
        final Label name;
        final ProgressBar bar;
        final Label info;
        final Composite actions;
        State shownState;

        Row(Composite parent) {
            box = new Composite(parent, SWT.NONE);
            GridLayoutFactory.fillDefaults().numColumns(3).spacing(10, 2).applyTo(box);
            GridDataFactory.fillDefaults().grab(true, false).applyTo(box);
            name = Ui.tag(Ui.label(box, "", SWT.NONE), "transfer.name");
            name.setFont(Ui.bold());
            GridDataFactory.fillDefaults().grab(true, false).applyTo(name);
            bar = Ui.tag(new ProgressBar(box, SWT.HORIZONTAL | SWT.SMOOTH), "transfer.bar");
            bar.setMaximum(1000);
            GridDataFactory.fillDefaults().hint(180, SWT.DEFAULT).align(SWT.FILL, SWT.CENTER).applyTo(bar);
            actions = new Composite(box, SWT.NONE);
            GridLayoutFactory.fillDefaults().numColumns(3).spacing(4, 0).applyTo(actions);
            info = Ui.tag(Ui.label(box, "", SWT.NONE), "transfer.info");
            info.setForeground(Ui.MUTED);
            GridDataFactory.fillDefaults().grab(true, false).span(3, 1).applyTo(info);
        }

        void show(TransferStatus s, FileTransferService service) {
            name.setText((s.direction() == TransferStatus.Direction.SENDING ? "\u2191 " : "\u2193 ") + s.name());
            bar.setSelection((int) Math.round(s.fraction() * 1000));
            info.setText(describe(s));
            if (s.state() == shownState) {
                return;
            }
            shownState = s.state();
            for (Control c : actions.getChildren()) {
                c.dispose();
            }
            String id = s.id();
            switch (s.state()) {
                case OFFERED -> {
                    action("Accept", id, t -> acceptInto(service, t, FileTransferService.defaultDownloadDirectory()))
                            .setToolTipText("Save into " + FileTransferService.defaultDownloadDirectory());
                    Button saveTo = Ui.button(actions, "Save to...", "transfer.saveto", () -> {
                        DirectoryDialog dialog = new DirectoryDialog(actions.getShell());
                        dialog.setText("Save the received files in");
                        dialog.setFilterPath(FileTransferService.defaultDownloadDirectory().getParent().toString());
                        String chosen = dialog.open();
                        if (chosen != null) {
                            Ui.background("Accept transfer", () -> runReporting("Accept", () -> acceptInto(service, id, Path.of(chosen))));
                        }
                    });
                    saveTo.setToolTipText("Choose the folder for the received files");
                    action("Decline", id, service::decline);
                }
                case RUNNING -> {
                    action("Pause", id, service::pause);
                    action("Cancel", id, service::cancel);
                }
                case PAUSED -> {
                    action("Resume", id, service::resume);
                    action("Cancel", id, service::cancel);
                }
                case WAITING_FOR_PEER, VERIFYING -> action("Cancel", id, service::cancel);
                default -> {
                    // final: nothing left to do
                }
            }
            box.layout(true, true);
        }

        private Button action(String label, String id, Consumer<String> what) {
            return Ui.button(actions, label, "transfer." + label.toLowerCase(),
                    () -> Ui.background(label + " transfer", () -> runReporting(label, () -> what.accept(id))));
        }

        private void runReporting(String label, Runnable work) {
            try {
                work.run();
            } catch (RuntimeException e) {
                Ui.async(info, () -> info.setText(label + " failed: " + Ui.message(e)));
            }
        }

        private void acceptInto(FileTransferService service, String id, Path folder) {
            try {
                Files.createDirectories(folder);
                service.accept(id, folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
