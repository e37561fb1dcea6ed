package org.p2pchat.ui.internal.addons;

import java.time.Instant;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.event.Event;

/**
 * Reports when the main window is on screen and, for smoke tests, closes the workbench again.
 * <ul>
 * <li>prints {@value #WINDOW_SHOWN} on stdout once the main window is visible;</li>
 * <li>with the system property {@value #AUTOCLOSE_PROPERTY} set to a number of milliseconds,
 * closes the workbench that long after the window is shown (the process then exits with 0);</li>
 * <li>with the system property {@value #TIMING_PROPERTY} set to {@code true}, prints after it when
 * each phase of the start ended, in milliseconds since the process started
 * ({@code releng/benchmarks/client-startup.sh} reads it).</li>
 * </ul>
 */
public class StartupAddon {

    public static final String WINDOW_SHOWN = "P2P Chat window shown";
    public static final String AUTOCLOSE_PROPERTY = "p2pchat.ui.autoclose.ms";
    public static final String TIMING_PROPERTY = "p2pchat.ui.startup.timing";
    /** Set by Equinox's launcher when it starts the framework. */
    private static final String FRAMEWORK_START_PROPERTY = "eclipse.startTime";

    private static final int POLL_MS = 100;

    /** When the application model was loaded and processed: the add-ons are made then. */
    private long modelLoaded;
    private long windowRendered;

    @PostConstruct
    void modelLoaded() {
        modelLoaded = System.currentTimeMillis();
    }

    @Inject
    @Optional
    void applicationStarted(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) Event event,
            MApplication application, IWorkbench workbench) {
        windowRendered = System.currentTimeMillis();
        MWindow window = application.getSelectedElement() != null ? application.getSelectedElement()
                : application.getChildren().get(0);
        if (window.getWidget() instanceof Shell shell) {
            shell.getDisplay().asyncExec(() -> whenVisible(shell, () -> windowShown(shell, workbench)));
        }
    }

    /** Runs {@code action} on the UI thread once {@code shell} is visible; never if it is disposed first. */
    private static void whenVisible(Shell shell, Runnable action) {
        if (shell.isDisposed()) {
            return;
        }
        if (shell.isVisible()) {
            action.run();
        } else {
            shell.getDisplay().timerExec(POLL_MS, () -> whenVisible(shell, action));
        }
    }

    private void windowShown(Shell shell, IWorkbench workbench) {
        // The renderer adds the menu bar after the first layout. A window manager answers with a
        // resize, which lays the window out again; without one (Xvfb) the content would keep the
        // height it had without the menu bar and lose its bottom rows. Paint before reporting.
        shell.layout(true, true);
        shell.update();
        System.out.println(WINDOW_SHOWN);
        if (Boolean.getBoolean(TIMING_PROPERTY)) {
            printTiming(System.currentTimeMillis());
        }
        System.out.flush();
        Long delay = Long.getLong(AUTOCLOSE_PROPERTY);
        if (delay != null) {
            shell.getDisplay().timerExec((int) Math.clamp(delay, 0, Integer.MAX_VALUE), workbench::close);
        }
    }

    private void printTiming(long shown) {
        // The process's start time comes from the system (in clock ticks); the JVM's own start
        // time would need the management module loaded, which costs more than this reports.
        long start = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        long framework = Long.getLong(FRAMEWORK_START_PROPERTY, start);
        System.out.printf("P2P Chat start-up (ms after the process started): framework launched %d,"
                + " application model loaded %d, window rendered %d, window shown and painted %d%n",
                framework - start, modelLoaded - start, windowRendered - start, shown - start);
    }
}
