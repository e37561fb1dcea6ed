package org.p2pchat.install.ui.internal;

import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.install.PluginInstallation;

/** Help &gt; Installed Plug-ins…: the list of optional features, to update or uninstall them. */
public class InstalledPluginsHandler {

    @CanExecute
    public boolean canExecute() {
        return InstallationService.registered();
    }

    @Execute
    public void execute(@Named(IServiceConstants.ACTIVE_SHELL) Shell shell, @Service PluginInstallation installation,
            IWorkbench workbench, @Optional MWindow window) {
        InstalledPluginsDialog dialog = new InstalledPluginsDialog(shell, installation);
        dialog.open();
        if (dialog.changeSummary() != null) {
            RestartPrompt.ask(shell, workbench, window, dialog.changeSummary());
        }
    }
}
