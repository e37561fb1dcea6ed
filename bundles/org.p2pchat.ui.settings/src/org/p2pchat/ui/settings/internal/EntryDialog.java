package org.p2pchat.ui.settings.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Adds or edits one entry. Every field is validated as the user types, by core's rules: what is
 * wrong appears in red under the field it concerns, and OK stays disabled until nothing is. It
 * does not block: OK hands the entry to {@code onOk}.
 */
final class EntryDialog<T> extends Dialog {

    private final EntryKind<T> kind;
    private final T initial;
    private final Consumer<T> onOk;
    private final List<Text> texts = new ArrayList<>();
    private final List<Label> messages = new ArrayList<>();
    private final List<Boolean> touched = new ArrayList<>();
    private Button enabled;

    /** @param initial the entry to edit, or {@code null} to add one */
    EntryDialog(Shell parent, EntryKind<T> kind, T initial, Consumer<T> onOk) {
        super(parent);
        this.kind = kind;
        this.initial = initial;
        this.onOk = onOk;
        setBlockOnOpen(false);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText((initial == null ? "Add " : "Edit ") + kind.singular);
        shell.setData(SettingsDialog.WIDGET_ID, "entry");
    }

    @Override
    protected boolean isResizable() {
        return true;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        GridLayoutFactory.swtDefaults().numColumns(2).margins(12, 12).spacing(10, 2).applyTo(area);
        List<String> values = initial == null ? null : kind.values(initial);
        for (int i = 0; i < kind.fields().size(); i++) {
            EntryKind.Field field = kind.fields().get(i);
            Label label = new Label(area, SWT.NONE);
            label.setText("&" + field.label() + ":");
            int gap = i == 0 ? 0 : 6;
            GridDataFactory.swtDefaults().align(SWT.BEGINNING, SWT.CENTER).indent(0, gap).applyTo(label);
            Text text = new Text(area, SWT.BORDER | SWT.SINGLE | (field.secret() ? SWT.PASSWORD : 0));
            text.setData(SettingsDialog.WIDGET_ID, field.key());
            if (values != null) {
                text.setText(values.get(i));
            }
            GridDataFactory.fillDefaults().grab(true, false).hint(420, SWT.DEFAULT).indent(0, gap).applyTo(text);
            new Label(area, SWT.NONE);
            Label message = new Label(area, SWT.WRAP);
            message.setData(SettingsDialog.WIDGET_ID, field.key() + ".message");
            GridDataFactory.fillDefaults().grab(true, false).hint(420, SWT.DEFAULT).applyTo(message);
            texts.add(text);
            messages.add(message);
            touched.add(initial != null);
            int index = i;
            text.addListener(SWT.Modify, e -> {
                touched.set(index, true);
                validate();
            });
        }
        enabled = new Button(area, SWT.CHECK);
        enabled.setText("&Use this " + kind.singular);
        enabled.setSelection(initial == null || kind.enabled(initial));
        enabled.setData(SettingsDialog.WIDGET_ID, "enabled");
        GridDataFactory.fillDefaults().span(2, 1).indent(0, 10).applyTo(enabled);
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        validate();
    }

    private T candidate() {
        List<String> values = texts.stream().map(Text::getText).toList();
        boolean unchanged = initial != null && values.equals(kind.values(initial));
        return kind.create(values, enabled == null || enabled.getSelection(), unchanged && kind.builtIn(initial));
    }

    /** Shows each field's hint, or in red what is wrong with it; OK only when nothing is. */
    private void validate() {
        T candidate = candidate();
        Optional<String> problem = kind.problem(candidate);
        int at = problem.isPresent() ? kind.problemField(candidate) : -1;
        for (int i = 0; i < texts.size(); i++) {
            // A URL problem waits until the URL is being typed; a missing TURN credential shows at once.
            boolean show = i == at && (i != EntryKind.URL || touched.get(i) || !texts.get(i).getText().isEmpty());
            Label message = messages.get(i);
            message.setText(show ? problem.get() : kind.fields().get(i).hint());
            message.setForeground(show ? EntryList.FAILED : EntryList.HINT);
        }
        Button ok = getButton(IDialogConstants.OK_ID);
        if (ok != null) {
            ok.setEnabled(problem.isEmpty());
        }
        texts.get(0).getParent().layout(true);
        Shell shell = getShell();
        if (shell != null && shell.isVisible()) { // a message of two lines must not push the check box out of sight
            int height = shell.computeSize(shell.getClientArea().width, SWT.DEFAULT).y;
            if (height > shell.getSize().y) {
                shell.setSize(shell.getSize().x, height);
            }
        }
    }

    @Override
    protected void okPressed() {
        T entry = candidate();
        if (kind.problem(entry).isPresent()) {
            return;
        }
        super.okPressed();
        onOk.accept(entry);
    }
}
