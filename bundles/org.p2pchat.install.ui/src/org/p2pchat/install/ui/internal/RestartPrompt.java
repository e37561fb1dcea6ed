package org.p2pchat.install.ui.internal;

import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;

/**
 * After an install, update or removal: the change takes effect at the next start, so the person
 * may restart now. {@link IWorkbench#restart()} ends the client with exit code 23, on which the
 * {@code p2pchat} script starts it again.
 */
public final class RestartPrompt {

    public static final String TITLE = "Restart P2P Chat";
    private static final int RESTART_NOW = 0;

    private RestartPrompt() {
    }

    /** Asks whether to restart now, saying {@code change} first; restarts if so. */
    public static void ask(Shell shell, IWorkbench workbench, String change) {
        MessageDialog prompt = new MessageDialog(shell, TITLE, null,
                change + "\n\nThe change takes effect when P2P Chat starts again. Restart now?",
                MessageDialog.QUESTION, RESTART_NOW, "&Restart now", "&Later");
        if (prompt.open() == RESTART_NOW) {
            workbench.restart();
        }
    }
}
