package org.p2pchat.ui.internal.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.IWorkbench;

/** File &gt; Quit (Ctrl+Q): closes the workbench. */
public class QuitHandler {

    @Execute
    public void execute(IWorkbench workbench) {
        workbench.close();
    }
}
