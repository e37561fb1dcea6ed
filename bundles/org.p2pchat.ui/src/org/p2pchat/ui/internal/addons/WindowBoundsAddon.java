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
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Monitor;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.event.Event;
import org.p2pchat.core.settings.SettingsStore;

/**
 * Restores the main window's size and position from the profile and saves them when it closes.
 * The model is rebuilt from Application.e4xmi at every start ({@code persistState=false}), so the
 * bounds live in a small file of their own, {@value #FILE_NAME}.
 */
public class WindowBoundsAddon {

    static final String FILE_NAME = "window.properties";
    private static final int MIN_WIDTH = 480;
    private static final int MIN_HEIGHT = 360;

    @Inject
    @Optional
    @Service
    private SettingsStore settings;

    /** Runs before the window is rendered: the saved bounds go into the model. */
    @PostConstruct
    void restore(MApplication application) {
        Path file = file();
        MWindow window = application.getChildren().isEmpty() ? null : application.getChildren().get(0);
        if (file == null || window == null) {
            return;
        }
        Properties saved = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            saved.load(in);
            int width = Integer.parseInt(saved.getProperty("width"));
            int height = Integer.parseInt(saved.getProperty("height"));
            if (width >= MIN_WIDTH && height >= MIN_HEIGHT) {
                window.setX(Integer.parseInt(saved.getProperty("x")));
                window.setY(Integer.parseInt(saved.getProperty("y")));
                window.setWidth(width);
                window.setHeight(height);
            }
            if (Boolean.parseBoolean(saved.getProperty("maximized"))) {
                window.getTags().add("shellMaximized");
            }
        } catch (NoSuchFileException e) {
            // first start: the model's bounds apply
        } catch (IOException | RuntimeException e) {
            System.err.println("P2P Chat: ignoring unreadable " + file + ": " + e);
        }
    }

    @Inject
    @Optional
    void windowShown(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) Event event, MApplication application) {
        if (application.getChildren().isEmpty() || !(application.getChildren().get(0).getWidget() instanceof Shell shell)) {
            return;
        }
        keepOnScreen(shell);
        shell.addListener(SWT.Dispose, e -> save(shell));
    }

    /** A monitor that was unplugged must not leave the window out of sight. */
    private static void keepOnScreen(Shell shell) {
        Rectangle bounds = shell.getBounds();
        for (Monitor monitor : shell.getDisplay().getMonitors()) {
            if (monitor.getClientArea().intersects(bounds)) {
                return;
            }
        }
        Rectangle area = shell.getDisplay().getPrimaryMonitor().getClientArea();
        shell.setLocation(area.x + 40, area.y + 40);
    }

    private void save(Shell shell) {
        Path file = file();
        if (file == null) {
            return;
        }
        Properties bounds = new Properties();
        Rectangle r = shell.getMaximized() ? null : shell.getBounds();
        if (r == null) {
            bounds.putAll(previous(file));
        } else {
            bounds.setProperty("x", Integer.toString(r.x));
            bounds.setProperty("y", Integer.toString(r.y));
            bounds.setProperty("width", Integer.toString(r.width));
            bounds.setProperty("height", Integer.toString(r.height));
        }
        bounds.setProperty("maximized", Boolean.toString(shell.getMaximized()));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            bounds.store(out, "P2P Chat main window");
        } catch (IOException e) {
            System.err.println("P2P Chat: could not save the window bounds to " + file + ": " + e);
        }
    }

    private static Properties previous(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            // nothing saved before
        }
        return p;
    }

    private Path file() {
        SettingsStore store = settings;
        return store == null ? null : store.profileDirectory().resolve(FILE_NAME);
    }
}
