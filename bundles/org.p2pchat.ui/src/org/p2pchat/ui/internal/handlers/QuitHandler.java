package org.p2pchat.ui.internal.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * File &gt; Quit (Ctrl+Q): closes the workbench, after asking if conversations or transfers would
 * end ({@link ClientPart#mayQuit()}).
 */
public class QuitHandler {

    @Execute
    public void execute(IWorkbench workbench, @Optional EPartService parts) {
        ClientPart client = ClientPartHandler.client(parts);
        if (client == null || client.mayQuit()) {
            workbench.close();
        }
    }
}
