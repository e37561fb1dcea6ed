package org.p2pchat.ui.settings.tests;

import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.settings.Settings;

/** Pictures of the dialog for review: each tab, and the entry dialog refusing a TURN server. */
class ScreenshotTest {

    private final DialogDriver ui = new DialogDriver();

    @AfterEach
    void close() {
        ui.close();
    }

    @Test
    void eachTabAndTheEntryDialog() throws Exception {
        var store = DialogDriver.store();
        store.save(SettingsDialogTest.BASELINE.withTrackers(Settings.defaults().trackers()));
        Shell shell = ui.open(store, null);
        for (String tab : new String[] {"ice", "rendezvous", "trackers"}) {
            ui.tab(tab);
            ui.screenshot(shell, "settings-" + tab);
        }
        ui.click(ui.button("ice", "add"));
        Shell entry = ui.fillEntry("name", "Office TURN", "url", "turn:127.0.0.1:3478?transport=tcp", "username",
                "alice");
        ui.screenshot(entry, "entry-turn-without-credential");
        ui.click(DialogDriver.dialogButton(entry, DialogDriver.CANCEL));
        ui.selectRows(ui.table("ice"), 0);
        ui.click(ui.button("ice", "delete"));
        ui.screenshot(shell, "settings-after-delete");
    }
}
