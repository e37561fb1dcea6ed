package org.p2pchat.ui.internal.parts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.Conversation;

/**
 * What the list's context menu and its Call button do with a conversation of the history: call its
 * peer again through a directory, delete it after a confirmation that names it, export it as text.
 * Outcomes show in the list's status line.
 */
final class ConversationActions {

    static final String DELETE_TITLE = "Delete conversation";
    static final String DELETE_BUTTON = "Delete";

    private final Control owner;
    private final ConversationListPanel list;

    ConversationActions(Control owner, ConversationListPanel list) {
        this.owner = owner;
        this.list = list;
    }

    private String name(String historyId) {
        return list.entry(historyId).map(e -> e.peerName()).filter(n -> !n.isBlank()).orElse("your peer");
    }

    /**
     * Connects again to the peer of {@code historyId} through a directory that lists its key;
     * {@code connected} gets the conversation on the UI thread.
     */
    void call(ChatClient client, String historyId, java.util.function.Consumer<Conversation> connected) {
        String who = name(historyId);
        list.status("Calling " + who + "\u2026", false);
        Ui.follow("Calling " + who, owner, client.reopen(historyId), (conversation, error) -> {
            if (error != null) {
                list.status("Could not call " + who + ": " + Ui.message(error), true);
            } else {
                list.status(null, false);
                connected.accept(conversation);
            }
        });
    }

    /** Asks whether to delete the conversation, naming it, and deletes it if the person agrees. */
    void delete(ChatClient client, String historyId) {
        String who = name(historyId);
        MessageDialog confirm = new MessageDialog(owner.getShell(), DELETE_TITLE, null,
                "Delete the conversation with " + who + "?\n\nIts messages are removed from this computer; "
                        + who + " keeps their copy." + (list.entry(historyId).flatMap(e -> e.live()).isPresent()
                                ? " The chat going on with " + who + " ends." : ""),
                MessageDialog.WARNING, 0, DELETE_BUTTON, "Cancel");
        if (confirm.open() != 0) {
            return;
        }
        Ui.follow("Deleting the conversation with " + who, owner, client.delete(historyId), (ok, error) -> list.status(
                error == null ? "The conversation with " + who + " was deleted." : "Could not delete it: " + Ui.message(error),
                error != null));
    }

    /** Asks where to save the conversation, and writes it there as UTF-8 text. */
    void export(ChatClient client, String historyId) {
        String who = name(historyId);
        FileDialog dialog = new FileDialog(owner.getShell(), SWT.SAVE);
        dialog.setText("Export the conversation with " + who);
        dialog.setFileName(who.replaceAll("[^\\p{L}\\p{N}._ -]", "_") + ".txt");
        dialog.setFilterExtensions(new String[] { "*.txt", "*" });
        dialog.setOverwrite(true);
        String chosen = dialog.open();
        if (chosen != null) {
            export(client, historyId, Path.of(chosen));
        }
    }

    /** Writes the conversation to {@code file}; the status line says where, or why not. */
    void export(ChatClient client, String historyId, Path file) {
        try {
            Files.writeString(file, client.export(historyId), StandardCharsets.UTF_8);
            list.status("Exported to " + file + ".", false);
        } catch (java.io.IOException | RuntimeException e) {
            list.status("Could not export to " + file + ": " + Ui.message(e), true);
        }
    }
}
