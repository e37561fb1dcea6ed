package org.p2pchat.ui.internal.parts;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.client.core.Ongoing;

/**
 * Asks before quitting ends what is going on, naming it: "End 2 conversations and 1 transfer and
 * quit?", with Quit and Cancel. Nothing going on: nothing to ask.
 */
final class QuitQuestion {

    static final String TITLE = "Quit P2P Chat";
    static final String QUIT = "Quit";

    private QuitQuestion() {
    }

    /** Whether to quit; asks {@code owner}'s user only if {@code ongoing} is not empty. */
    static boolean ask(Shell owner, Ongoing ongoing) {
        if (ongoing.isEmpty()) {
            return true;
        }
        int chats = ongoing.conversations().size();
        String consequences = (chats == 0 ? ""
                : chats == 1 ? "Your peer sees that you left. " : "Your peers see that you left. ")
                + (ongoing.transfers().isEmpty() ? ""
                        : "Transfers continue where they stopped once you and your peer are connected again.");
        MessageDialog question = new MessageDialog(owner, TITLE, null,
                "End " + ongoing.summary() + " and quit?\n\n" + consequences.strip(), MessageDialog.QUESTION, 0, QUIT, "Cancel");
        return question.open() == 0;
    }
}
