package org.p2pchat.install.ui.internal;

import java.lang.reflect.InvocationTargetException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.dialogs.ProgressMonitorDialog;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.install.InstallException;

/** Runs installation work off the UI thread with a progress dialog, and hands back its error. */
final class Background {

    interface Work<T> {
        T run(IProgressMonitor monitor) throws InstallException;
    }

    private Background() {
    }

    /** Runs {@code work} with progress shown (cancellable); returns its result, or throws what it threw. */
    static <T> T withProgress(Shell shell, Work<T> work) throws InstallException {
        Object[] result = new Object[1];
        try {
            new ProgressMonitorDialog(shell).run(true, true, monitor -> {
                try {
                    result[0] = work.run(monitor);
                } catch (InstallException e) {
                    throw new InvocationTargetException(e);
                }
            });
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InstallException install) {
                throw install;
            }
            throw new InstallException("Failed: " + cause, cause);
        } catch (InterruptedException e) {
            throw new InstallException("Cancelled.");
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}
