package org.p2pchat.ui.settings.internal;

import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.settings.SettingsStore;

/**
 * File &gt; Settings… (Ctrl+,): opens the settings dialog. The services are OSGi services,
 * injected with {@link Service} as the home part gets them; without a transport the dialog still
 * works, only STUN/TURN checks are unavailable.
 */
public class OpenSettingsHandler {

    @CanExecute
    public boolean canExecute(@Optional @Service SettingsStore store) {
        return store != null;
    }

    @Execute
    public void execute(@Named(IServiceConstants.ACTIVE_SHELL) Shell shell, @Service SettingsStore store,
            @Optional @Service PeerTransport transport) {
        new SettingsDialog(shell, store, transport).open();
    }
}
