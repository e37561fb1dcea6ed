package org.p2pchat.ui.internal.addons;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.event.Event;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.profile.ProfileLock;
import org.p2pchat.ui.internal.parts.UnlockDialog;

/**
 * Asks for the passphrase when the profile has one, over the main window as soon as it is there:
 * the client layer (the conversations) comes up once the profile is unlocked; Quit ends the
 * program. A profile without a passphrase, or one unlocked by {@code -Dp2pchat.passphrase.file},
 * shows nothing.
 */
public class ProfileUnlockAddon {

    /** The profile lock is an immediate component of the core bundle; it is there at once. */
    private static final long LOCK_WAIT_SECONDS = 10;

    @Inject
    @Optional
    void applicationStarted(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) Event event,
            MApplication application, IWorkbench workbench) throws InterruptedException {
        ProfileLock lock = lock();
        if (lock == null || lock.isUnlocked()) {
            return;
        }
        MWindow window = application.getSelectedElement() != null ? application.getSelectedElement()
                : application.getChildren().get(0);
        if (window.getWidget() instanceof Shell shell) {
            shell.getDisplay().asyncExec(() -> {
                if (!shell.isDisposed() && !lock.isUnlocked()
                        && new UnlockDialog(shell, lock).open() != Window.OK) {
                    workbench.close();
                }
            });
        }
    }

    private ProfileLock lock() throws InterruptedException {
        ServiceTracker<ProfileLock, ProfileLock> tracker = new ServiceTracker<>(
                FrameworkUtil.getBundle(getClass()).getBundleContext(), ProfileLock.class, null);
        tracker.open();
        // Stays open while the program runs: the dialog uses the service.
        return tracker.waitForService(TimeUnit.SECONDS.toMillis(LOCK_WAIT_SECONDS));
    }
}
