package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.testing.WindowManager;

/**
 * The settings dialog's "?" buttons open their explanations on every page; an address typed
 * without its scheme is told how to type it; the Add buttons say what they add in English.
 */
class SettingsHelpAndWordingTest {

    private static final long WAIT_MS = 20_000;
    private static WindowManager windowManager;

    private DialogDriver ui;

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

    @BeforeEach
    void open() throws Exception {
        SettingsStore store = DialogDriver.store();
        SettingsDialogTest.saveBaseline(store);
        ui = new DialogDriver();
        ui.open(store, null);
    }

    @AfterEach
    void close() {
        ui.close();
    }

    /** Every tab shown in turn; each "?" on it pressed; its popup must open with the title and the text. */
    @Test
    void everyHelpButtonOfTheSettingsOpensItsExplanation() throws Exception {
        Set<String> pressed = new LinkedHashSet<>();
        TabFolder tabs = DialogDriver.all(ui.shell(), TabFolder.class).get(0);
        for (TabItem item : tabs.getItems()) {
            tabs.setSelection(item); // as clicking the tab does
            org.eclipse.swt.widgets.Event shown = new org.eclipse.swt.widgets.Event();
            shown.item = item;
            tabs.notifyListeners(org.eclipse.swt.SWT.Selection, shown);
            ui.pump();
            for (Button help : DialogDriver.all(item.getControl(), Button.class)) {
                if (!help.isVisible() || help.getToolTipText() == null || !help.getToolTipText().startsWith("Help: ")) {
                    continue;
                }
                String title = help.getToolTipText().substring("Help: ".length());
                Shell popup = press(help, title);
                if (pressed.isEmpty()) {
                    ui.screenshot(ui.shell(), "settings-help-popup");
                }
                pressed.add(item.getText() + ": " + title);
                popup.close();
                ui.waitUntil(popup::isDisposed, WAIT_MS, "the popup closes");
            }
        }
        for (String expected : List.of("ICE servers", "Rendezvous services", "Trackers")) {
            assertTrue(pressed.stream().anyMatch(p -> p.endsWith(": " + expected)), expected + " was pressed: " + pressed);
        }
        System.out.println("help buttons pressed in the settings: " + pressed.size() + " " + pressed);
    }

    /** Presses {@code help}; returns its popup once it shows the title and an explanation, with no error window. */
    private Shell press(Button help, String title) {
        Shell window = help.getShell();
        Set<Shell> before = Set.of(window.getShells());
        help.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event()); // a failure throws here
        List<Shell> opened = new ArrayList<>();
        ui.waitUntil(() -> {
            for (Shell s : window.getShells()) {
                if (!before.contains(s) && s.isVisible()) {
                    opened.add(s);
                    return true;
                }
            }
            return false;
        }, WAIT_MS, "the help popup of " + title + " opens");
        Shell popup = opened.get(0);
        List<String> texts = DialogDriver.all(popup, Label.class).stream().map(Label::getText).toList();
        assertTrue(texts.contains(title), "the popup is titled " + title + ": " + texts);
        assertTrue(texts.stream().anyMatch(t -> !t.equals(title) && t.length() > 40), "it explains: " + texts);
        assertEquals(List.of(), List.of(ui.display.getShells()).stream()
                .filter(s -> !s.isDisposed() && s.isVisible() && s.getText().contains("Error")).map(Shell::getText).toList(),
                "no error window");
        return popup;
    }

    /** "192.0.2.1:3479" is read by Java as a URL with a bad scheme; the person is told how to type it instead. */
    @Test
    void anAddressWithoutItsSchemeIsToldHowToTypeIt() throws Exception {
        ui.click(ui.button("rendezvous", "add"));
        Shell entry = ui.fillEntry("name", "Own relay", "url", "192.0.2.1:3479");
        String message = DialogDriver.message(entry, "url");
        assertTrue(message.startsWith("Type the address with http:// or https:// in front"), message);
        assertTrue(message.endsWith("for example http://192.0.2.1:3479"), message);
        assertFalse(message.contains("Illegal character"), message);
        assertFalse(DialogDriver.dialogButton(entry, DialogDriver.OK).isEnabled());
        ui.screenshot(entry, "settings-url-without-scheme", DialogDriver.find(entry, Text.class, "url"));

        ui.fillEntry("url", "http://192.0.2.1:3479");
        assertTrue(DialogDriver.dialogButton(entry, DialogDriver.OK).isEnabled(), "typed as told, it is accepted");
    }

    @Test
    void theAddButtonsSayWhatTheyAddInEnglish() {
        assertEquals("Add an ICE server", ui.button("ice", "add").getToolTipText());
        assertEquals("Add a rendezvous service", ui.button("rendezvous", "add").getToolTipText());
        assertEquals("Add a tracker", ui.button("trackers", "add").getToolTipText());
    }
}
