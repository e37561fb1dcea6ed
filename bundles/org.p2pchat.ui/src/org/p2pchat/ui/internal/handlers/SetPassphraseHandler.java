package org.p2pchat.ui.internal.handlers;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.core.profile.ProfileLock;
import org.p2pchat.ui.internal.parts.PassphraseDialog;

/** File &gt; Set Passphrase…: sets, changes or removes the profile's passphrase. */
public class SetPassphraseHandler {

    @CanExecute
    public boolean canExecute(@Optional @Service ProfileLock lock) {
        return lock != null;
    }

    @Execute
    public void execute(Shell shell, @Optional @Service ProfileLock lock) {
        if (lock != null) {
            new PassphraseDialog(shell, lock).open();
        }
    }
}
