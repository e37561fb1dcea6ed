package org.p2pchat.ui.internal.handlers;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.p2pchat.ui.internal.parts.ClientPart;

/** A command that acts on the client part, wherever the focus is in the window. */
abstract class ClientPartHandler {

    @CanExecute
    public boolean canExecute(@Optional EPartService parts) {
        ClientPart client = client(parts);
        return client != null && enabled(client);
    }

    @Execute
    public void execute(@Optional EPartService parts) {
        ClientPart client = client(parts);
        if (client != null) {
            run(client);
        }
    }

    static ClientPart client(EPartService parts) {
        MPart part = parts == null ? null : parts.findPart(ClientPart.ID);
        return part != null && part.getObject() instanceof ClientPart client ? client : null;
    }

    abstract boolean enabled(ClientPart client);

    abstract void run(ClientPart client);
}
