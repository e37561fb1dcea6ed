package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Widget;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.ui.settings.internal.OpenSettingsHandler;
import org.p2pchat.ui.settings.internal.SettingsDialog;

/**
 * Opens the settings dialog without blocking in a real display and drives it the way a user
 * would, through SWT events on its widgets. Widgets are found by the names the dialog gives
 * them ({@link SettingsDialog#WIDGET_ID}).
 */
final class DialogDriver implements AutoCloseable {

    static final BundleContext CONTEXT = FrameworkUtil.getBundle(DialogDriver.class).getBundleContext();

    final Display display;
    final Shell parent;
    SettingsDialog dialog;
    private IEclipseContext pageContext;

    DialogDriver() {
        assertNotNull(System.getenv("DISPLAY"), "DISPLAY is not set: run the build under xvfb-run");
        display = Display.getDefault();
        parent = new Shell(display);
    }

    static <S> S service(Class<S> type) throws InterruptedException {
        ServiceTracker<S, S> tracker = new ServiceTracker<>(CONTEXT, type, null);
        tracker.open();
        S service = tracker.waitForService(10_000);
        assertNotNull(service, type.getSimpleName() + " service");
        return service;
    }

    static Bundle bundle(String name) {
        return Arrays.stream(CONTEXT.getBundles()).filter(b -> name.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not installed"));
    }

    static SettingsStore store() throws InterruptedException {
        return service(SettingsStore.class);
    }

    static PeerTransport transport() throws InterruptedException {
        return service(PeerTransport.class);
    }

    /**
     * Opens the dialog as File &gt; Settings… does, with the pages the application model (assembled
     * from the fragments of the installed bundles) contributes, and returns at once; the test
     * pumps the event loop.
     */
    Shell open(SettingsStore store, PeerTransport transport) throws Exception {
        pageContext = Workbench.contributionContext();
        dialog = new SettingsDialog(parent, store, transport, pageContext,
                OpenSettingsHandler.pages(Workbench.application()));
        dialog.setBlockOnOpen(false);
        dialog.open();
        pump();
        return dialog.getShell();
    }

    Shell shell() {
        return dialog.getShell();
    }

    @Override
    public void close() {
        for (Shell shell : display.getShells()) {
            if (shell != parent && !shell.isDisposed()) {
                shell.dispose();
            }
        }
        parent.dispose();
        pump();
        if (pageContext != null) {
            pageContext.dispose();
        }
    }

    // --- finding widgets

    static <T extends Widget> List<T> all(Control root, Class<T> type) {
        List<T> found = new ArrayList<>();
        if (type.isInstance(root)) {
            found.add(type.cast(root));
        }
        if (root instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                found.addAll(all(child, type));
            }
        }
        return found;
    }

    static <T extends Control> T find(Control root, Class<T> type, String id) {
        return all(root, type).stream().filter(w -> id.equals(w.getData(SettingsDialog.WIDGET_ID))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + id));
    }

    /** The OK or Cancel button of a JFace dialog. */
    static Button dialogButton(Shell shell, int id) {
        return all(shell, Button.class).stream().filter(b -> Integer.valueOf(id).equals(b.getData())).findFirst()
                .orElseThrow();
    }

    /**
     * Shows the tab {@code id} ("ice", "trackers", a contributed page's element id) or the tab that
     * holds the list {@code id} ("rendezvous"), and returns its page.
     */
    Composite tab(String id) {
        TabFolder tabs = all(shell(), TabFolder.class).get(0);
        TabItem item = Arrays.stream(tabs.getItems()).filter(i -> id.equals(i.getData(SettingsDialog.WIDGET_ID)))
                .findFirst()
                .or(() -> Arrays.stream(tabs.getItems()).filter(i -> all(i.getControl(), Control.class).stream()
                        .anyMatch(c -> id.equals(c.getData(SettingsDialog.WIDGET_ID)))).findFirst())
                .orElseThrow(() -> new AssertionError("no tab " + id));
        tabs.setSelection(item);
        Event e = new Event();
        e.item = item;
        tabs.notifyListeners(SWT.Selection, e);
        pump();
        return (Composite) item.getControl();
    }

    /** The tab {@code id} (see {@link #tab}). */
    TabItem tabItem(String id) {
        Composite page = tab(id);
        TabFolder tabs = all(shell(), TabFolder.class).get(0);
        return Arrays.stream(tabs.getItems()).filter(i -> i.getControl() == page).findFirst().orElseThrow();
    }

    Table table(String id) {
        return find(tab(id), Table.class, id);
    }

    Button button(String tab, String id) {
        return find(tab(tab), Button.class, id);
    }

    /** The entry dialog opened by Add or Edit. */
    Shell entryDialog() {
        return Arrays.stream(display.getShells())
                .filter(s -> !s.isDisposed() && "entry".equals(s.getData(SettingsDialog.WIDGET_ID))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry dialog open"));
    }

    boolean entryDialogOpen() {
        return Arrays.stream(display.getShells())
                .anyMatch(s -> !s.isDisposed() && "entry".equals(s.getData(SettingsDialog.WIDGET_ID)));
    }

    /** Fills in the open entry dialog; {@code fieldsAndValues} alternates field names and text. */
    Shell fillEntry(String... fieldsAndValues) {
        Shell entry = entryDialog();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            type(find(entry, Text.class, fieldsAndValues[i]), fieldsAndValues[i + 1]);
        }
        return entry;
    }

    static String message(Shell entry, String field) {
        return find(entry, Label.class, field + ".message").getText();
    }

    // --- acting

    void type(Text text, String value) {
        text.setText(value);
        text.notifyListeners(SWT.Modify, new Event());
        pump();
    }

    void click(Button button) {
        assertTrue(button.isEnabled(), "button enabled: " + button.getText());
        button.notifyListeners(SWT.Selection, new Event());
        pump();
    }

    void selectRows(Table table, int... indices) {
        table.setSelection(indices);
        Event e = new Event();
        e.item = table.getItem(indices[0]);
        table.notifyListeners(SWT.Selection, e);
        pump();
    }

    /** Ticks or clears the "Use" check box of a row. */
    void setChecked(Table table, int row, boolean checked) {
        table.getItem(row).setChecked(checked);
        Event e = new Event();
        e.detail = SWT.CHECK;
        e.item = table.getItem(row);
        table.notifyListeners(SWT.Selection, e);
        pump();
    }

    void key(Control control, int keyCode, int stateMask) {
        Event e = new Event();
        e.keyCode = keyCode;
        e.character = (char) (keyCode < 0x10000 ? keyCode : 0);
        e.stateMask = stateMask;
        e.doit = true;
        control.notifyListeners(SWT.KeyDown, e);
        pump();
    }

    static List<String> column(Table table, int column) {
        return Arrays.stream(table.getItems()).map(i -> i.getText(column)).toList();
    }

    static int columnIndex(Table table, String title) {
        for (int i = 0; i < table.getColumnCount(); i++) {
            if (table.getColumn(i).getText().equals(title)) {
                return i;
            }
        }
        throw new AssertionError("no column " + title);
    }

    // --- the event loop

    void pump() {
        while (display.readAndDispatch()) {
            // until idle
        }
    }

    void waitUntil(BooleanSupplier condition, long timeoutMs, String what) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out: " + what);
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> { });
                display.sleep();
            }
        }
    }

    /**
     * Saves what the screen shows of {@code shell} (its whole window, as a user sees it) to
     * target/screenshots/{@code name}.png and returns the picture as saved. Painting happens
     * after the event loop is idle: the screen is captured again until each of {@code painted}
     * shows more than a plain background (or a generous limit passes; the test's own checks then
     * fail on what was captured last).
     */
    ImageData screenshot(Shell shell, String name, Control... painted) throws IOException {
        shell.layout(true, true);
        shell.redraw();
        shell.update();
        pump();
        ImageData[] shot = new ImageData[1];
        long deadline = System.currentTimeMillis() + 10_000;
        waitUntil(() -> {
            shot[0] = capture(shell);
            return System.currentTimeMillis() > deadline || (distinctColors(shot[0], null, 3) >= 3
                    && Arrays.stream(painted).allMatch(c -> distinctColors(shot[0], regionIn(shell, c), 3) >= 3));
        }, 20_000, "the window is painted");
        Path dir = Path.of(Objects.requireNonNullElse(System.getProperty("p2pchat.test.output.dir"), "target"),
                "screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {shot[0]};
        loader.save(file.toString(), SWT.IMAGE_PNG);
        ImageData saved = new ImageLoader().load(file.toString())[0];
        assertEquals(shot[0].width, saved.width, "width of " + file);
        assertEquals(shot[0].height, saved.height, "height of " + file);
        return saved;
    }

    /** The screen's pixels where {@code shell}'s window is (decorations included, when a window manager draws them). */
    private ImageData capture(Shell shell) {
        Rectangle bounds = shell.getBounds();
        Image image = new Image(display, bounds.width, bounds.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, bounds.x, bounds.y);
            return image.getImageData();
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    /** Where {@code control} is in a picture of {@code shell}'s window. */
    static Rectangle regionIn(Shell shell, Control control) {
        Rectangle window = shell.getBounds();
        Point origin = control.toDisplay(0, 0);
        Point size = control.getSize();
        return new Rectangle(origin.x - window.x, origin.y - window.y, size.x, size.y);
    }

    /**
     * How many different colors {@code region} of {@code image} (all of it if null) holds, counting
     * up to {@code enough}: 1 for a blank area.
     */
    static int distinctColors(ImageData image, Rectangle region, int enough) {
        Rectangle r = region == null ? new Rectangle(0, 0, image.width, image.height)
                : region.intersection(new Rectangle(0, 0, image.width, image.height));
        Set<Integer> colors = new HashSet<>();
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                colors.add(image.getPixel(x, y));
                if (colors.size() >= enough) {
                    return colors.size();
                }
            }
        }
        return colors.size();
    }

    static final int OK = IDialogConstants.OK_ID;
    static final int CANCEL = IDialogConstants.CANCEL_ID;
}
