package org.p2pchat.install.ui.internal;

import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.install.PluginInstallation;

/** Help &gt; Install New Software…: the install dialog, then the restart prompt once something was installed. */
public class InstallNewSoftwareHandler {

    @CanExecute
    public boolean canExecute() {
        return InstallationService.registered();
    }

    @Execute
    public void execute(@Named(IServiceConstants.ACTIVE_SHELL) Shell shell, @Service PluginInstallation installation,
            IWorkbench workbench, @Optional MWindow window) {
        InstallDialog dialog = new InstallDialog(shell, installation);
        if (dialog.open() == Window.OK) {
            RestartPrompt.ask(shell, workbench, window, dialog.installedSummary() + " installed.");
        }
    }
}
