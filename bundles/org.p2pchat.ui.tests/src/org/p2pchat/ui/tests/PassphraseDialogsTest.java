package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.internal.profile.PassphraseProfileLock;
import org.p2pchat.ui.internal.parts.PassphraseDialog;
import org.p2pchat.ui.internal.parts.UnlockDialog;

/**
 * The desktop client's passphrase dialogs on a real profile lock in a real window (screenshots
 * under target/screenshots): unlocking at start, with a wrong passphrase first, and Quit; setting
 * one from the menu.
 */
class PassphraseDialogsTest {

    private static final String RIGHT = "correct horse battery staple";

    @TempDir
    Path profile;

    @Test
    void theUnlockDialogRefusesAWrongPassphraseClearlyAndOpensWithTheRightOne() throws Exception {
        new PassphraseProfileLock(profile).setPassphrase(null, RIGHT.toCharArray());
        PassphraseProfileLock lock = new PassphraseProfileLock(profile);
        assertFalse(lock.isUnlocked());
        try (PartHarness ui = new PartHarness("unlock")) {
            ui.shell.setSize(900, 600);
            ui.shell.open();
            UnlockDialog dialog = new UnlockDialog(ui.shell, lock);
            dialog.setBlockOnOpen(false);
            dialog.open();
            Text passphrase = PartHarness.findById(dialog.getShell(), Text.class, UnlockDialog.PASSPHRASE);
            Button unlock = PartHarness.findById(dialog.getShell(), Button.class, UnlockDialog.UNLOCK);
            ui.screenshot(dialog.getShell(), "unlock-dialog");

            passphrase.setText("correct horse battery stapler");
            PartHarness.click(unlock);
            assertTrue(dialog.errorText().startsWith("Wrong passphrase"), dialog.errorText());
            assertTrue(PartHarness.findById(dialog.getShell(), Label.class, UnlockDialog.ERROR).isVisible());
            assertEquals("", passphrase.getText(), "the field is emptied for another try");
            assertFalse(lock.isUnlocked());
            ui.screenshot(dialog.getShell(), "unlock-dialog-wrong-passphrase");

            passphrase.setText(RIGHT);
            PartHarness.click(unlock);
            assertEquals(Window.OK, dialog.getReturnCode());
            assertTrue(dialog.getShell() == null || dialog.getShell().isDisposed(), "the dialog closes once unlocked");
            assertTrue(lock.isUnlocked());
            assertTrue(lock.vault().isPresent());
        }
    }

    @Test
    void quitInTheUnlockDialogLeavesTheProfileLocked() throws Exception {
        new PassphraseProfileLock(profile).setPassphrase(null, RIGHT.toCharArray());
        PassphraseProfileLock lock = new PassphraseProfileLock(profile);
        try (PartHarness ui = new PartHarness("unlock-quit")) {
            ui.shell.open();
            UnlockDialog dialog = new UnlockDialog(ui.shell, lock);
            dialog.setBlockOnOpen(false);
            dialog.open();
            PartHarness.click(PartHarness.findById(dialog.getShell(), Button.class, UnlockDialog.QUIT));
            assertEquals(Window.CANCEL, dialog.getReturnCode(), "the add-on closes the workbench on this");
            assertFalse(lock.isUnlocked());
        }
    }

    @Test
    void setPassphraseSaysWhatItProtectsAndSetsIt() throws Exception {
        PassphraseProfileLock lock = new PassphraseProfileLock(profile);
        byte[] history = lock.vault().orElseThrow().secret("history", 32);
        try (PartHarness ui = new PartHarness("set-passphrase")) {
            ui.shell.setSize(900, 600);
            ui.shell.open();
            PassphraseDialog dialog = new PassphraseDialog(ui.shell, lock);
            dialog.setBlockOnOpen(false);
            dialog.open();
            String explanation = PartHarness.findById(dialog.getShell(), Label.class, PassphraseDialog.EXPLANATION).getText();
            assertTrue(explanation.contains("identity key") && explanation.contains("history")
                    && explanation.contains("cannot be recovered"), explanation);
            Text next = PartHarness.findById(dialog.getShell(), Text.class, PassphraseDialog.NEW);
            Text repeat = PartHarness.findById(dialog.getShell(), Text.class, PassphraseDialog.REPEAT);
            Button save = PartHarness.findById(dialog.getShell(), Button.class, PassphraseDialog.SAVE);
            next.setText(RIGHT);
            repeat.setText(RIGHT + "!");
            PartHarness.click(save);
            assertTrue(dialog.errorText().contains("differ"), dialog.errorText());
            assertFalse(lock.hasPassphrase());
            ui.screenshot(dialog.getShell(), "set-passphrase-dialog");

            repeat.setText(RIGHT);
            PartHarness.click(save);
            assertEquals(Window.OK, dialog.getReturnCode(), dialog.errorText());
            assertTrue(lock.hasPassphrase());
        }
        assertFalse(Files.exists(profile.resolve("secrets/history")), "no plain secret left");
        PassphraseProfileLock restarted = new PassphraseProfileLock(profile);
        restarted.unlock(RIGHT.toCharArray());
        assertTrue(java.util.Arrays.equals(history, restarted.vault().orElseThrow().secret("history", 32)));
    }
}
