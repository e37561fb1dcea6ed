package org.p2pchat.install.ui.internal;

import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.modeling.IWindowCloseHandler;
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

    /**
     * Asks whether to restart now, saying {@code change} first; restarts if so and if the window
     * agrees to close ({@code window}'s close handler asks, as Quit does, before live conversations
     * or transfers end).
     */
    public static void ask(Shell shell, IWorkbench workbench, MWindow window, String change) {
        MessageDialog prompt = new MessageDialog(shell, TITLE, null,
                change + "\n\nThe change takes effect when P2P Chat starts again. Restart now?",
                MessageDialog.QUESTION, RESTART_NOW, "&Restart now", "&Later");
        if (prompt.open() == RESTART_NOW && mayClose(window)) {
            workbench.restart();
        }
    }

    private static boolean mayClose(MWindow window) {
        IWindowCloseHandler handler = window == null || window.getContext() == null ? null
                : window.getContext().get(IWindowCloseHandler.class);
        return handler == null || handler.close(window);
    }
}
