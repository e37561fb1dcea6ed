package org.p2pchat.ui.settings.internal;

import java.util.List;

import jakarta.inject.Named;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.ui.settings.SettingsPages;

/**
 * File &gt; Settings… (Ctrl+,): opens the settings dialog, with a page for each part descriptor
 * of the application tagged {@link SettingsPages#TAG} (plug-ins contribute them in model
 * fragments). The services are OSGi services, injected with {@link Service} as the home part gets
 * them; without a transport the dialog still works, only STUN/TURN checks are unavailable.
 */
public class OpenSettingsHandler {

    @CanExecute
    public boolean canExecute(@Optional @Service SettingsStore store) {
        return store != null;
    }

    @Execute
    public void execute(@Named(IServiceConstants.ACTIVE_SHELL) Shell shell, @Service SettingsStore store,
            @Optional @Service PeerTransport transport, MApplication application, IEclipseContext context) {
        new SettingsDialog(shell, store, transport, context, pages(application)).open();
    }

    /** The application's settings pages. */
    public static List<MPartDescriptor> pages(MApplication application) {
        return application.getDescriptors().stream().filter(d -> d.getTags().contains(SettingsPages.TAG)).toList();
    }
}
