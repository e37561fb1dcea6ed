package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
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
 * Pictures of the dialog for review: each list tab, a page contributed by another bundle, the entry dialog refusing a TURN server, and the
 * list after a delete. Each picture is checked for what it is meant to show: it is the window's
 * size, it is not blank, and the widgets of that step are visible inside it and painted (their
 * area holds more than a background color); switching tabs changes what the table area shows.
 * Taken with a window manager, as users have one: the picture of a window's bounds then shows
 * its frame, not a frame SWT guessed and nobody drew.
 */
class ScreenshotTest {

    private static WindowManager windowManager;

    private static final String[] TABS = {"ice", "rendezvous", "trackers"};
    private static final String[] LIST_BUTTONS = {"add", "edit", "delete", "check", "checkAll", "defaults"};

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
    void eachTabAndTheEntryDialog() throws Exception {
        var store = DialogDriver.store();
        SettingsDialogTest.saveBaseline(store);
        store.section(FileSettings.SECTION).write(FileSettings.defaults());
        Shell shell = ui.open(store, null);
        Text username = DialogDriver.find(shell, Text.class, "username");

        Map<String, ImageData> shots = new LinkedHashMap<>();
        Map<String, Table> tables = new LinkedHashMap<>();
        for (String tab : TABS) {
            ui.tab(tab);
            Table table = ui.table(tab);
            assertTrue(table.getItemCount() > 0, tab + " lists entries");
            List<Control> shown = new ArrayList<>(List.of(username, table));
            for (String button : LIST_BUTTONS) {
                shown.add(ui.button(tab, button));
            }
            Control[] widgets = shown.toArray(Control[]::new);
            ImageData shot = ui.screenshot(shell, "settings-" + tab, widgets);
            assertShows(shot, shell, "settings-" + tab, widgets);
            shots.put(tab, shot);
            tables.put(tab, table);
        }
        assertEquals(List.of("Loopback STUN", "Loopback TURN"),
                DialogDriver.column(tables.get("ice"), DialogDriver.columnIndex(tables.get("ice"), "Name")));
        // Each tab's picture shows its own list: the table area differs from one tab to the next.
        Rectangle tableArea = DialogDriver.regionIn(shell, tables.get("ice"));
        assertFalse(samePixels(shots.get("ice"), shots.get("rendezvous"), tableArea),
                "the ICE and rendezvous pictures show the same table area");
        assertFalse(samePixels(shots.get("rendezvous"), shots.get("trackers"), tableArea),
                "the rendezvous and trackers pictures show the same table area");

        // A page another bundle contributed through the application model.
        Composite contributed = ui.tab("org.p2pchat.ui.settings.tests.page");
        Control[] contributedWidgets = {username, DialogDriver.find(contributed, Text.class, "test-plugin.greeting")};
        ImageData contributedShot = ui.screenshot(shell, "settings-contributed-page", contributedWidgets);
        assertShows(contributedShot, shell, "settings-contributed-page", contributedWidgets);

        ui.click(ui.button("ice", "add"));
        Shell entry = ui.fillEntry("name", "Office TURN", "url", "turn:127.0.0.1:3478?transport=tcp", "username",
                "alice");
        Label credentialProblem = DialogDriver.find(entry, Label.class, "credential.message");
        Button ok = DialogDriver.dialogButton(entry, DialogDriver.OK);
        assertTrue(credentialProblem.getText().toLowerCase().contains("credential"),
                "the missing credential is named: " + credentialProblem.getText());
        assertFalse(ok.isEnabled(), "OK is refused while the credential is missing");
        Control[] entryWidgets = {DialogDriver.find(entry, Text.class, "url"), credentialProblem, ok};
        ImageData entryShot = ui.screenshot(entry, "entry-turn-without-credential", entryWidgets);
        assertShows(entryShot, entry, "entry-turn-without-credential", entryWidgets);
        ui.click(DialogDriver.dialogButton(entry, DialogDriver.CANCEL));

        ui.selectRows(ui.table("ice"), 0);
        ui.click(ui.button("ice", "delete"));
        Table ice = ui.table("ice");
        assertEquals(List.of("Loopback TURN"), DialogDriver.column(ice, DialogDriver.columnIndex(ice, "Name")));
        Link undo = DialogDriver.find(shell, Link.class, "undo");
        Control[] afterDelete = {ice, undo};
        ImageData deleted = ui.screenshot(shell, "settings-after-delete", afterDelete);
        assertShows(deleted, shell, "settings-after-delete", afterDelete);
        assertFalse(samePixels(shots.get("ice"), deleted, DialogDriver.regionIn(shell, ice)),
                "the picture after the delete shows the shorter list");
    }

    /**
     * {@code shot} is a picture of {@code window} as it is on the screen: its size, not blank, and
     * each of {@code widgets} visible, inside the window and painted.
     */
    private void assertShows(ImageData shot, Shell window, String name, Control... widgets) {
        Rectangle bounds = window.getBounds();
        assertEquals(bounds.width, shot.width, name + ": the picture is as wide as the window");
        assertEquals(bounds.height, shot.height, name + ": the picture is as high as the window");
        assertTrue(window.isVisible(), name + ": the window is shown");
        assertTrue(ui.display.getBounds().contains(bounds.x, bounds.y)
                && ui.display.getBounds().contains(bounds.x + bounds.width - 1, bounds.y + bounds.height - 1),
                name + ": the window " + bounds + " lies on the screen " + ui.display.getBounds());
        assertTrue(DialogDriver.distinctColors(shot, null, 16) >= 16, name + ": the picture is not blank");
        // A strip of the screen's own background (black) along an edge: part of the bounds is no window at all,
        // as with no window manager, where SWT adds a frame of 15 to 30 pixels that nobody draws. (A frame's
        // border can be black, and openbox's drawn frame ends up to 4 pixels inside SWT's bounds: 8 is more.)
        int strip = 8;
        Rectangle[] edges = {new Rectangle(0, 0, shot.width, strip), new Rectangle(0, shot.height - strip, shot.width, strip),
                new Rectangle(0, 0, strip, shot.height), new Rectangle(shot.width - strip, 0, strip, shot.height)};
        for (Rectangle edge : edges) {
            assertFalse(allBlack(shot, edge), name + ": the picture's edge " + edge + " is bare screen, not window");
        }
        Rectangle picture = new Rectangle(0, 0, shot.width, shot.height);
        for (Control widget : widgets) {
            String what = name + ": " + widget + " " + widget.getData(SettingsDialog.WIDGET_ID);
            assertTrue(widget.isVisible(), what + " is visible");
            Rectangle area = DialogDriver.regionIn(window, widget);
            assertTrue(area.width > 0 && area.height > 0, what + " has a size: " + area);
            assertEquals(area, area.intersection(picture), what + " lies inside the window");
            assertTrue(DialogDriver.distinctColors(shot, area, 3) >= 3, what + " is painted (its area is not one color)");
        }
    }

    private static boolean allBlack(ImageData image, Rectangle area) {
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                var rgb = image.palette.getRGB(image.getPixel(x, y));
                if (rgb.red != 0 || rgb.green != 0 || rgb.blue != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean samePixels(ImageData a, ImageData b, Rectangle area) {
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                if (!a.palette.getRGB(a.getPixel(x, y)).equals(b.palette.getRGB(b.getPixel(x, y)))) {
                    return false;
                }
            }
        }
        return true;
    }
}
