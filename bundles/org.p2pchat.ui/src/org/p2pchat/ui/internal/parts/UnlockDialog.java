package org.p2pchat.ui.internal.parts;

import java.util.Arrays;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.BusyIndicator;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.core.profile.ProfileLock;
import org.p2pchat.core.profile.WrongPassphraseException;

/**
 * Asks for the passphrase of a locked profile at start: the conversations and the identity key are
 * encrypted with it. A wrong one is said so and may be typed again; Quit ends the program
 * (the dialog returns {@link #CANCEL}), unlocked it returns {@link #OK}.
 */
public final class UnlockDialog extends Dialog {

    public static final String PASSPHRASE = "unlock.passphrase";
    public static final String ERROR = "unlock.error";
    public static final String UNLOCK = "unlock.unlock";
    public static final String QUIT = "unlock.quit";

    private final ProfileLock lock;
    private Text passphrase;
    private Label error;

    public UnlockDialog(Shell parent, ProfileLock lock) {
        super(parent);
        this.lock = lock;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Unlock P2P Chat");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 8).applyTo(area);
        Ui.heading(area, "This profile is protected by a passphrase");
        Label text = Ui.label(area, "Your identity key and your conversations are encrypted with it. Enter it to open "
                + "them.\nProfile: " + lock.directory(), SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).hint(420, SWT.DEFAULT).applyTo(text);
        passphrase = Ui.tag(new Text(area, SWT.BORDER | SWT.PASSWORD | SWT.SINGLE), PASSPHRASE);
        passphrase.setMessage("Passphrase");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(passphrase);
        error = Ui.tag(Ui.label(area, "", SWT.WRAP), ERROR);
        error.setForeground(Ui.ERROR);
        // Room for two lines from the start: the dialog keeps its size when a message comes.
        GridDataFactory.fillDefaults().grab(true, false).hint(420, convertHeightInCharsToPixels(2)).applyTo(error);
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        Ui.tag(createButton(parent, IDialogConstants.CANCEL_ID, "Quit", false), QUIT);
        Ui.tag(createButton(parent, IDialogConstants.OK_ID, "Unlock", true), UNLOCK);
    }

    @Override
    protected void okPressed() {
        char[] given = passphrase.getTextChars();
        try {
            WrongPassphraseException[] refused = new WrongPassphraseException[1];
            // The key derivation is slow on purpose (about a second): show that something happens.
            BusyIndicator.showWhile(getShell().getDisplay(), () -> {
                try {
                    lock.unlock(given);
                } catch (WrongPassphraseException e) {
                    refused[0] = e;
                }
            });
            if (refused[0] == null) {
                super.okPressed();
                return;
            }
            error.setText(refused[0].getMessage());
            passphrase.setText("");
            passphrase.setFocus();
        } finally {
            Arrays.fill(given, '\0');
        }
    }

    /** The message shown under the field after a wrong passphrase; empty before. */
    public String errorText() {
        return error.isDisposed() ? "" : error.getText();
    }
}
