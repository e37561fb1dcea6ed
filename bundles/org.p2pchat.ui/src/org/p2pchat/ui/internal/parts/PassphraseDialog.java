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
 * File &gt; Set Passphrase…: sets, changes or removes the profile's passphrase (current, new,
 * repeated), and says what it protects and that it cannot be recovered.
 */
public final class PassphraseDialog extends Dialog {

    public static final String CURRENT = "passphrase.current";
    public static final String NEW = "passphrase.new";
    public static final String REPEAT = "passphrase.repeat";
    public static final String ERROR = "passphrase.error";
    public static final String SAVE = "passphrase.save";
    public static final String EXPLANATION = "passphrase.explanation";

    private final ProfileLock lock;
    private final boolean had;
    private Text current;
    private Text next;
    private Text repeat;
    private Label error;

    public PassphraseDialog(Shell parent, ProfileLock lock) {
        super(parent);
        this.lock = lock;
        this.had = lock.hasPassphrase();
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(had ? "Change passphrase" : "Set passphrase");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        GridLayoutFactory.swtDefaults().numColumns(2).margins(16, 12).spacing(8, 8).applyTo(area);
        Label explanation = Ui.tag(Ui.label(area, explanation(had), SWT.WRAP), EXPLANATION);
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(460, SWT.DEFAULT).applyTo(explanation);
        if (had) {
            current = field(area, "Current passphrase:", CURRENT);
        }
        next = field(area, had ? "New passphrase:" : "Passphrase:", NEW);
        repeat = field(area, "Repeat it:", REPEAT);
        error = Ui.tag(Ui.label(area, "", SWT.WRAP), ERROR);
        error.setForeground(Ui.ERROR);
        // Room for two lines from the start: the dialog keeps its size when a message comes.
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(460, convertHeightInCharsToPixels(2)).applyTo(error);
        return area;
    }

    static String explanation(boolean had) {
        return "With a passphrase, your identity key and your conversation history are encrypted on this computer, "
                + "and P2P Chat asks for the passphrase at every start.\n\n"
                + "A forgotten passphrase cannot be recovered: your identity and your history are lost with it."
                + (had ? "\n\nLeave the new passphrase empty to remove it (they are then stored unencrypted)." : "");
    }

    private static Text field(Composite area, String label, String id) {
        Ui.label(area, label, SWT.NONE);
        Text text = Ui.tag(new Text(area, SWT.BORDER | SWT.PASSWORD | SWT.SINGLE), id);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(text);
        return text;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        Ui.tag(createButton(parent, IDialogConstants.OK_ID, had ? "Change" : "Set passphrase", true), SAVE);
    }

    @Override
    protected void okPressed() {
        char[] now = current == null ? null : current.getTextChars();
        char[] wanted = next.getTextChars();
        char[] repeated = repeat.getTextChars();
        try {
            if (!Arrays.equals(wanted, repeated)) {
                refuse("The new passphrase and its repetition differ.", repeat);
                return;
            }
            if (!had && wanted.length == 0) {
                refuse("Enter a passphrase.", next);
                return;
            }
            String[] problem = new String[1];
            BusyIndicator.showWhile(getShell().getDisplay(), () -> {
                try {
                    lock.setPassphrase(now, wanted);
                } catch (WrongPassphraseException e) {
                    problem[0] = e.getMessage();
                } catch (RuntimeException e) {
                    problem[0] = Ui.message(e);
                }
            });
            if (problem[0] != null) {
                refuse(problem[0], current != null ? current : next);
                return;
            }
            super.okPressed();
        } finally {
            for (char[] secret : new char[][] { now, wanted, repeated }) {
                if (secret != null) {
                    Arrays.fill(secret, '\0');
                }
            }
        }
    }

    private void refuse(String message, Text field) {
        error.setText(message);
        field.selectAll();
        field.setFocus();
    }

    /** The message shown after a refusal; empty before. */
    public String errorText() {
        return error.isDisposed() ? "" : error.getText();
    }
}
