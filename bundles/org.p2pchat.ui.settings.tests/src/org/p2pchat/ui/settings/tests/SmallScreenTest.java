package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.files.FileSettings;
import org.p2pchat.testing.WindowManager;
import org.p2pchat.ui.settings.internal.SettingsDialog;

/**
 * The settings dialog on a small screen (800 x 600, with a window manager's frame): it opens no
 * larger than the screen it is on, and at 800 x 600 every tab's list with its buttons, the name
 * and OK and Cancel are in sight, not cut off. Each tab is photographed.
 */
class SmallScreenTest {

    private static final String[] TABS = {"ice", "rendezvous", "trackers"};
    private static final String[] LIST_BUTTONS = {"add", "edit", "delete", "check", "checkAll", "defaults"};

    private static WindowManager windowManager;
    private final DialogDriver ui = new DialogDriver();

    @BeforeAll
    static void windowManager() throws Exception {
        windowManager = WindowManager.ensure();
    }

    @AfterAll
    static void stopWindowManager() {
        if (windowManager != null) {
            windowManager.close();
        }
    }

    @AfterEach
    void close() {
        ui.close();
    }

    @Test
    void everyTabIsUsableAt800x600() throws Exception {
        var store = DialogDriver.store();
        SettingsDialogTest.saveBaseline(store);
        store.section(FileSettings.SECTION).write(FileSettings.defaults());
        Shell shell = ui.open(store, null);
        Rectangle screen = shell.getMonitor().getClientArea();
        Rectangle opened = shell.getBounds();
        assertTrue(opened.width <= screen.width && opened.height <= screen.height,
                "opens no larger than the screen " + screen + ": " + opened);

        shell.setBounds(screen.x, screen.y, 800, 600);
        shell.layout(true, true);
        ui.pump();
        for (String tab : TABS) {
            ui.tab(tab);
            List<Control> shown = new ArrayList<>(List.of(DialogDriver.find(shell, Text.class, "username"),
                    DialogDriver.dialogButton(shell, DialogDriver.OK), DialogDriver.dialogButton(shell, DialogDriver.CANCEL)));
            for (String button : LIST_BUTTONS) {
                shown.add(ui.button(tab, button));
            }
            ui.screenshot(shell, "settings-800x600-" + tab, shown.toArray(Control[]::new));
            for (Control control : shown) {
                Rectangle bounds = inDisplay(control);
                assertEquals(bounds, visiblePart(control), tab + ": " + control + " " + control.getData(SettingsDialog.WIDGET_ID)
                        + " is not cut off");
            }
            Table table = ui.table(tab);
            assertTrue(visiblePart(table).height >= 3 * table.getItemHeight(), tab + ": the list shows rows: "
                    + visiblePart(table));
        }
    }

    private static Rectangle inDisplay(Control control) {
        return control.getDisplay().map(control.getParent(), null, control.getBounds());
    }

    /**
     * What of {@code control} can be seen: its bounds cut by the client area of each composite
     * around it (a tab folder's page is sized to the area it shows; GTK's tab folder reports a client
     * area in coordinates of its own).
     */
    private static Rectangle visiblePart(Control control) {
        Rectangle seen = inDisplay(control);
        for (Composite c = control.getParent(); c != null; c = c.getParent()) {
            if (c instanceof TabFolder) {
                continue;
            }
            seen = seen.intersection(control.getDisplay().map(c, null, c.getClientArea()));
            if (c instanceof Shell) {
                break;
            }
        }
        return seen;
    }
}
