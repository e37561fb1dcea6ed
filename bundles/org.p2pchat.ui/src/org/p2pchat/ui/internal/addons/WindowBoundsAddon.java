package org.p2pchat.ui.internal.addons;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IPresentationEngine;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Monitor;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.event.Event;
import org.p2pchat.core.settings.SettingsStore;

/**
 * Restores the main window's size, position and maximized state from the profile and saves them
 * when it closes. The model is rebuilt from Application.e4xmi at every start
 * ({@code persistState=false}), so they live in a small file of their own, {@value #FILE_NAME}.
 * <p>
 * The bounds kept are the window's last ones while it was not maximized, so a window closed
 * maximized comes back maximized and un-maximizes to where it was. Bounds that no longer fit the
 * screens (a monitor was unplugged, the resolution went down) are brought onto the primary one.
 */
public class WindowBoundsAddon {

    static final String FILE_NAME = "window.properties";
    private static final int MIN_WIDTH = 480;
    private static final int MIN_HEIGHT = 360;
    /** Where a window that had to be moved onto the screen goes, from the screen's corner. */
    private static final int INSET = 40;
    private static final int SETTLE_MS = 300;

    @Inject
    @Optional
    @Service
    private SettingsStore settings;

    /** The window's bounds while it was last not maximized; null before it was shown. */
    private Rectangle normal;

    /** Runs before the window is rendered: the saved state goes into the model. */
    @PostConstruct
    void restore(MApplication application) {
        MWindow window = application.getChildren().isEmpty() ? null : application.getChildren().get(0);
        if (window == null) {
            return;
        }
        Properties saved = read(file());
        Rectangle bounds = new Rectangle(window.getX(), window.getY(), window.getWidth(), window.getHeight());
        Rectangle stored = bounds(saved);
        if (stored != null) {
            bounds = stored;
        }
        Display display = Display.getCurrent();
        if (display != null) {
            bounds = onScreen(bounds, display);
        }
        window.setX(bounds.x);
        window.setY(bounds.y);
        window.setWidth(bounds.width);
        window.setHeight(bounds.height);
        if (Boolean.parseBoolean(saved.getProperty("maximized"))) {
            window.getTags().add(IPresentationEngine.WINDOW_MAXIMIZED_TAG);
        }
    }

    @Inject
    @Optional
    void windowShown(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) Event event, MApplication application) {
        if (application.getChildren().isEmpty() || !(application.getChildren().get(0).getWidget() instanceof Shell shell)) {
            return;
        }
        if (!shell.getMaximized()) {
            Rectangle bounds = shell.getBounds();
            Rectangle fitted = onScreen(bounds, shell.getDisplay());
            if (!fitted.equals(bounds)) {
                shell.setBounds(fitted);
            }
            normal = fitted;
        } else {
            MWindow window = application.getChildren().get(0);
            normal = new Rectangle(window.getX(), window.getY(), window.getWidth(), window.getHeight());
        }
        // Read a moment after a change: a window manager resizes a window it maximizes before it says so.
        Runnable remember = () -> {
            if (!shell.isDisposed() && !shell.getMaximized() && !shell.getMinimized() && !shell.getFullScreen()) {
                normal = shell.getBounds();
            }
        };
        shell.addListener(SWT.Resize, e -> shell.getDisplay().timerExec(SETTLE_MS, remember));
        shell.addListener(SWT.Move, e -> shell.getDisplay().timerExec(SETTLE_MS, remember));
        shell.addListener(SWT.Dispose, e -> save(shell));
    }

    /**
     * {@code bounds} moved and shrunk as little as needed to lie on a screen: kept where it is if it
     * is mostly on one, else put on the primary screen, and never larger than the screen it is on.
     */
    static Rectangle onScreen(Rectangle bounds, Display display) {
        Rectangle screen = null;
        int best = 0;
        for (Monitor monitor : display.getMonitors()) {
            Rectangle area = monitor.getClientArea();
            Rectangle common = area.intersection(bounds);
            int shared = common.isEmpty() ? 0 : common.width * common.height;
            if (shared > best) {
                best = shared;
                screen = area;
            }
        }
        boolean mostlyOn = screen != null && best * 2 >= bounds.width * bounds.height;
        if (!mostlyOn) {
            screen = display.getPrimaryMonitor().getClientArea();
        }
        int width = Math.min(bounds.width, screen.width);
        int height = Math.min(bounds.height, screen.height);
        int x = mostlyOn ? bounds.x : screen.x + Math.min(INSET, screen.width - width);
        int y = mostlyOn ? bounds.y : screen.y + Math.min(INSET, screen.height - height);
        x = Math.clamp(x, screen.x, screen.x + screen.width - width);
        y = Math.clamp(y, screen.y, screen.y + screen.height - height);
        return new Rectangle(x, y, width, height);
    }

    private void save(Shell shell) {
        Path file = file();
        if (file == null) {
            return;
        }
        Properties state = new Properties();
        Rectangle r = normal != null ? normal : shell.getBounds();
        state.setProperty("x", Integer.toString(r.x));
        state.setProperty("y", Integer.toString(r.y));
        state.setProperty("width", Integer.toString(r.width));
        state.setProperty("height", Integer.toString(r.height));
        state.setProperty("maximized", Boolean.toString(shell.getMaximized()));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            state.store(out, "P2P Chat main window");
        } catch (IOException e) {
            System.err.println("P2P Chat: could not save the window bounds to " + file + ": " + e);
        }
    }

    /** What the file holds; nothing if there is none or it cannot be read. */
    private static Properties read(Path file) {
        Properties p = new Properties();
        if (file == null) {
            return p;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            // first start: the model's bounds apply
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("P2P Chat: ignoring unreadable " + file + ": " + e);
        }
        return p;
    }

    /** The bounds saved, or null if there are none that make sense (each value is read on its own). */
    private static Rectangle bounds(Properties saved) {
        try {
            Rectangle r = new Rectangle(Integer.parseInt(saved.getProperty("x", "")),
                    Integer.parseInt(saved.getProperty("y", "")), Integer.parseInt(saved.getProperty("width", "")),
                    Integer.parseInt(saved.getProperty("height", "")));
            return r.width >= MIN_WIDTH && r.height >= MIN_HEIGHT ? r : null;
        } catch (NumberFormatException e) {
            return null; // none saved (an older file kept only "maximized"), or edited by hand
        }
    }

    private Path file() {
        SettingsStore store = settings;
        return store == null ? null : store.profileDirectory().resolve(FILE_NAME);
    }
}
